"""The window never asks the file system about the workspace's lists on its own thread (#18): on a network share
that no longer answers, one stat waits for many seconds, and the Import page looked at them each time it
wondered whether it was up to date. The session's check stats them in its worker; pages compare its answer."""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import Qt

from segur_desktop.gui.main_window import MainWindow

PAGES = ("import_page.py", "mapping_panel.py")  # the pages under watch


def test_the_import_page_stats_the_lists_in_workers_only(qtbot, window: MainWindow, demo_folder: Path, monkeypatch) -> None:
    watched = {demo_folder / "clients.xlsx", demo_folder / "bons_de_commande.xlsx"}
    on_gui_thread: list[Path] = []
    in_workers: list[Path] = []
    stat = Path.stat

    def spy(path: Path, *args, **kwargs):
        if path in watched:
            if threading.current_thread() is not threading.main_thread():
                in_workers.append(path)
            elif any(frame.filename.endswith(PAGES) for frame in traceback.extract_stack()):
                on_gui_thread.append(path)
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", spy)
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    window.navigation.setCurrentRow(window.stack.indexOf(window.import_page))
    page = window.import_page
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert page.panels["bdc"].preview is not None  # the lists were shown
    (demo_folder / "bons_de_commande.xlsx").touch()  # saved again from Excel: F5 reads it again
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert in_workers and on_gui_thread == []
