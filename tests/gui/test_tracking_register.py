"""The Suivi page says which register is in force (this computer's file, or the team's shared one and its
server), and a shared register that cannot be reached is a French message with the last successful read, never
an empty local register in its place (issue #20)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from pg import drop_schema

from segur_desktop.core.register.backend import schema_for
from segur_desktop.gui.main_window import MainWindow

TIMEOUT = 30000


def _open(qtbot, window: MainWindow, folder: Path) -> None:
    window.navigation.setCurrentRow(window.stack.indexOf(window.tracking))
    session = window.session
    with qtbot.waitSignal(session.validated, timeout=TIMEOUT):  # once a worker has found its workspace.json
        window.open_workspace(folder)
    qtbot.waitUntil(lambda: not session.busy and not session.reading_register, timeout=TIMEOUT)


def _set_register(folder: Path, url: str | None) -> None:
    path = folder / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("registre", None)
    if url:
        data["registre"] = url
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_header_names_the_local_or_the_shared_register(qtbot, window: MainWindow, demo_folder: Path,
                                                           postgres_url: str, user_data: Path) -> None:
    _open(qtbot, window, demo_folder)
    label = window.tracking.register_label
    assert label.text().startswith("Registre local : ") and label.text().endswith("73282932000074.sqlite3")
    drop_schema(postgres_url, schema_for("73282932000074"))
    _set_register(demo_folder, postgres_url)
    _open(qtbot, window, demo_folder)
    port = postgres_url.split(":")[-1].split("/")[0]
    assert label.text() == f"Registre partagé : PostgreSQL, base postgres sur 127.0.0.1:{port}"
    assert window.session.tracking is not None and window.session.tracking.register.shared


def test_an_unreachable_shared_register_is_said_with_the_last_read_and_nothing_local(
        qtbot, window: MainWindow, demo_folder: Path, postgres_url: str, user_data: Path) -> None:
    drop_schema(postgres_url, schema_for("73282932000074"))
    _set_register(demo_folder, postgres_url)
    _open(qtbot, window, demo_folder)  # read once: its instant is kept in the user-data folder
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    port = postgres_url.split(":")[-1].split("/")[0]
    _set_register(demo_folder, postgres_url.replace(f":{port}/", f":{closed}/"))
    problems: list[str] = []
    window.session.problem.connect(problems.append)
    _open(qtbot, window, demo_folder)
    assert problems and "est injoignable" in problems[-1]
    assert "Dernière lecture réussie de ce poste : le " not in problems[-1]  # another server: never read
    assert window.session.tracking is None and window.session.validation is None  # no verdict without it
    assert window.tracking.register_label.text() == "Registre de suivi : non lu (voir le message affiché)."
    assert not (user_data / "registres" / "73282932000074.sqlite3").exists()
