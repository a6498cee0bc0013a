"""Never half-recorded: a process killed (SIGKILL) while writing the register leaves it whole, on both backends.

A child process records exports of 200 demandes then moves them all to « en cours », forever,
printing a line after each commit; the test kills it at a random moment (most of its time is
spent inside a transaction), three times, each new child going on with the same register. After
each kill the register opens (SQLite finds its file intact; PostgreSQL rolled back the dead
client's transaction and freed its lock), and every export is there entirely or not at all,
with every demande's status matching its last history row.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from register_spec import ROOT, child_env, from_spec, spec_of

SIZE, PIECES = 200, 2

CHILD = textwrap.dedent("""
    import sys
    from register_spec import from_spec
    from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, StatusChange

    spec, size, pieces = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    register = from_spec(spec)
    number = register.exports_count()  # what the killed children committed
    while True:
        number += 1
        items = tuple(
            DepositItem(f"D{number}-{i}", "HOP", "avance", "FINESS", f"{number:05d}{i:04d}", f"Clinique n° {i}",
                        "DPI", "Logiciel Élan", f"BDC-{number}-{i}", "18500.00", "5550.00", "HOP_avance.json",
                        f"{number:032x}{i:032x}", f'{{"idDemande": "D{number}-{i}"}}', f"{i:032x}{number:032x}",
                        tuple(Attachment(f"piece{k}.pdf", f"{k:064x}", 1000 + k, "C:/Pièces/piece.pdf")
                              for k in range(pieces)))
            for i in range(size))
        register.record(ExportRecord(f"/depots/depot_{number}", f"depot_{number}", f"{number:064x}", "depot",
                                     "2026-01-05T09:30:00+01:00", "/dossier", items))
        print(f"export {number}", flush=True)
        register.set_status([StatusChange(item.id, "en_cours") for item in items], source="test")
        print(f"status {number}", flush=True)
""")


def run_and_kill(spec: str, rng: random.Random) -> list[str]:
    """Start a child, let it commit a few times, kill it at a random moment; every line it printed."""
    process = subprocess.Popen([sys.executable, "-c", CHILD, spec, str(SIZE), str(PIECES)], stdout=subprocess.PIPE,
                               text=True, env=child_env(), cwd=ROOT)
    lines: list[str] = []
    try:
        wanted = rng.randint(2, 6)
        while len(lines) < wanted:
            line = process.stdout.readline()
            if not line:
                pytest.fail(f"the child stopped by itself after {lines}")
            lines.append(line.strip())
        time.sleep(rng.uniform(0.0, 0.04))  # into the next transaction, most likely
        process.kill()
    finally:
        lines += process.stdout.read().splitlines()  # committed before it died, not yet read
        process.stdout.close()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return lines


def check(spec: str, exports_printed: int, statuses_printed: set[int]) -> None:
    register = from_spec(spec)  # opens after the crash: SQLite's WAL replayed or discarded, the server rolled back
    assert register.entries()
    with register.backend.connect() as con:
        if register.backend.kind == "sqlite":
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        exports = con.execute(
            "SELECT e.bundle_name, (SELECT COUNT(*) FROM deposits p WHERE p.export_id = e.id),"
            " (SELECT COUNT(*) FROM attachments a WHERE a.export_id = e.id),"
            " (SELECT COUNT(*) FROM demandes d WHERE d.last_export = e.id) FROM exports e").fetchall()
        assert len(exports) >= exports_printed  # a commit is durable once it returned
        assert all(tuple(counts) == (SIZE, SIZE * PIECES, SIZE) for _, *counts in exports), exports
        assert con.execute("SELECT COUNT(*) FROM demandes").fetchone()[0] == SIZE * len(exports)
        mismatched = con.execute(
            "SELECT d.id, d.status FROM demandes d WHERE d.status IS DISTINCT FROM (SELECT h.new_status FROM history h"
            " WHERE h.demande_id = d.id ORDER BY h.id DESC LIMIT 1)").fetchall()
        assert mismatched == []
        for number in statuses_printed:  # each status change is all there
            assert con.execute("SELECT DISTINCT status FROM demandes WHERE id LIKE ?",
                               (f"D{number}-%",)).fetchall() == [("en_cours",)]
        half = con.execute("SELECT e.bundle_name, COUNT(DISTINCT d.status) FROM demandes d JOIN exports e"
                           " ON e.id = d.last_export GROUP BY e.id HAVING COUNT(DISTINCT d.status) > 1").fetchall()
        assert half == []  # a status change is never half applied


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL semantics are needed")
def test_a_killed_writer_leaves_the_register_whole(new_register) -> None:
    spec = spec_of(new_register())
    rng = random.Random(20260105)
    exports_printed, statuses_printed = 0, set()
    for _ in range(3):
        lines = run_and_kill(spec, rng)
        exports_printed += sum(1 for line in lines if line.startswith("export "))
        statuses_printed |= {int(line.split()[1]) for line in lines if line.startswith("status ")}
        check(spec, exports_printed, statuses_printed)
    assert exports_printed >= 3
