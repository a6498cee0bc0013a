"""The window never asks the file system about the workspace's lists on its own thread (#18): on a network share
that no longer answers, one stat waits for many seconds, and the Import page looked at them each time it
wondered whether it was up to date, the Dossier de travail page at each keystroke. The session's check stats them
in its worker, pages compare its answer; the page's fields are checked in a worker."""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import Qt

from segur_desktop.gui.main_window import MainWindow

IMPORT_PAGE = ("import_page.py", "mapping_panel.py")


def stats_on_gui_thread(monkeypatch, watched: Path) -> list[Path]:
    """Every stat of `watched` made on the GUI thread from now on, as the test goes (empty: none)."""
    on_gui_thread: list[Path] = []
    stat = Path.stat

    def spy(path: Path, *args, **kwargs):
        if path == watched and threading.current_thread() is threading.main_thread():
            on_gui_thread.append(path)
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", spy)
    return on_gui_thread


def test_the_import_and_workspace_pages_stat_the_lists_in_workers_only(qtbot, window: MainWindow, demo_folder: Path,
                                                                     monkeypatch) -> None:
    watched = {demo_folder / "clients.xlsx", demo_folder / "bons_de_commande.xlsx"}
    on_gui_thread: list[Path] = []
    watched_pages = IMPORT_PAGE  # whose stats count, on this thread
    in_workers: list[Path] = []
    stat = Path.stat

    def spy(path: Path, *args, **kwargs):
        if path in watched:
            if threading.current_thread() is not threading.main_thread():
                in_workers.append(path)
            elif any(frame.filename.endswith(watched_pages) for frame in traceback.extract_stack()):
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
    workspace_page = window.workspace_page
    window.navigation.setCurrentRow(window.stack.indexOf(workspace_page))
    watched_pages = ("workspace_page.py",)  # from the first keystroke on
    qtbot.keyClicks(workspace_page.bdc.edit, "x")  # each keystroke checked: the file looked up in a worker
    qtbot.waitUntil(lambda: not workspace_page.checking)
    assert "introuvable" in workspace_page.errors["bdc"].text()
    assert in_workers and on_gui_thread == []


def test_the_export_page_opens_a_zipped_bundle_s_folder_without_asking_the_disk(qtbot, demo_window: MainWindow,
                                                                               monkeypatch) -> None:
    page = demo_window.export
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(page))
    qtbot.waitUntil(lambda: page.plan is not None and not page.planning, timeout=30000)
    page.as_zip.setChecked(True)
    with qtbot.waitSignal(demo_window.session.validated, timeout=30000):  # recorded: the session checks again
        page.export()
    qtbot.waitUntil(lambda: page.plan is not None and not page.planning, timeout=30000)
    bundle = page.bundle
    assert bundle is not None and bundle.suffix == ".zip" and page.open_button.isEnabled()
    on_gui_thread = stats_on_gui_thread(monkeypatch, bundle)
    with qtbot.waitSignal(demo_window.session.validated, timeout=30000):
        qtbot.keyClick(demo_window, Qt.Key.Key_F5)  # each plan shown updates the page's buttons
    qtbot.waitUntil(lambda: page.plan is not None and not page.planning, timeout=30000)
    with qtbot.waitSignal(page.open_path) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [bundle.parent] and on_gui_thread == []


def test_a_workspace_opened_is_remembered_and_shown_without_asking_the_disk(qtbot, window: MainWindow, demo_folder: Path,
                                                                   monkeypatch) -> None:
    asked = stats_on_gui_thread(monkeypatch, demo_folder)
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    qtbot.waitUntil(lambda: not window.workspace_page.loading)  # its paths resolved in a worker
    assert window.workspace_page.clients.edit.text() == "clients.xlsx"
    assert window.settings.recent_workspaces() == [demo_folder] and asked == []
