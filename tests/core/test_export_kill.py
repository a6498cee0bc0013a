"""Never half-written: an export killed at any moment leaves the previous state or the complete bundle.

An exporting subprocess reports each step on stdout and pauses a little after
it; the test kills it (SIGKILL: no cleanup of any kind) after the n-th step,
for steps spread over the whole export (reading, copying attachments,
writing the recap, verifying, publishing), then looks at the destination.
"""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from segur_desktop.core.atomic import STALE_AFTER_S
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.verify import verify_bundle
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.workspace import load_workspace

SCRIPT = textwrap.dedent("""
    import sys, time
    from datetime import datetime
    from pathlib import Path
    from segur_desktop.core.calendar import PARIS
    from segur_desktop.core.export.bundle import export_workspace
    from segur_desktop.core.workspace import load_workspace

    def progress(p):
        print(f"{p.stage}|{p.done}", flush=True)
        time.sleep(0.01)

    workspace = load_workspace(Path(sys.argv[1]))
    export_workspace(workspace, workspace.judged_at, Path(sys.argv[2]), progress=progress,
                     generated_at=datetime(2026, 1, 5, 9, 30, tzinfo=PARIS))
    print("DONE", flush=True)
""")


def visible(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def run(script: Path, out: Path, kill_after: int | None) -> int:
    """Run the export; kill it after `kill_after` reported steps. The number of steps seen."""
    process = subprocess.Popen([sys.executable, str(script), str(demo_workspace()), str(out)],
                               stdout=subprocess.PIPE, text=True)
    seen = 0
    try:
        for line in process.stdout:
            if line.startswith("DONE"):
                break
            seen += 1
            if seen == kill_after:
                process.kill()
                break
    finally:
        process.stdout.close()
        process.wait(timeout=60)
    return seen


def test_a_kill_at_any_moment_leaves_the_previous_bundle_or_the_complete_new_one(tmp_path: Path) -> None:
    script = tmp_path / "slow_export.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out"
    workspace = load_workspace(demo_workspace())
    previous = export_workspace(workspace, workspace.judged_at, out).bundle
    before = contents(previous)
    steps = run(script, tmp_path / "count", kill_after=None)
    assert steps > 50  # reading, 36 attachments, recap, 50 verifications
    completed = 0
    for kill_after in [*range(1, steps + 1, max(1, steps // 9)), steps]:
        run(script, out, kill_after)
        names = visible(out)
        assert names in ({previous.name}, {previous.name, previous.name + "_2"}), (kill_after, names)
        assert contents(previous) == before
        if previous.name + "_2" in names:  # killed after the rename: the new bundle is whole
            completed += 1
            assert verify_bundle(out / (previous.name + "_2")).ok
            for path in (out / (previous.name + "_2")).iterdir():
                path.unlink()
            (out / (previous.name + "_2")).rmdir()
    assert completed <= 1


def test_the_next_export_clears_what_a_killed_one_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".depot_2026-01-05_Editeur.0badc0de.tmp"
    stale.mkdir()
    (stale / "HOP_avance.json").write_text("{", encoding="utf-8")
    running = out / ".depot_2026-01-05_Editeur.1badc0de.tmp"  # another export, still writing
    running.mkdir()
    old = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    workspace = load_workspace(demo_workspace())
    export_workspace(workspace, workspace.judged_at, out)
    assert not stale.exists() and running.exists()


def test_an_unusable_destination_is_a_french_input_error(tmp_path: Path) -> None:
    from segur_desktop.core.errors import InputError

    taken = tmp_path / "depots"
    taken.write_text("a file where the folder should be", encoding="utf-8")
    workspace = load_workspace(demo_workspace())
    with pytest.raises(InputError, match="Impossible d'écrire dans « .*depots »"):
        export_workspace(workspace, workspace.judged_at, taken)
