"""A page action that reads a file and then opens a dialog opens one (#18): clicked twice before the progress dialog
shows (300 ms: a double click, or the menu then the button), or again while its preview is open, it started a
second read and opened a second preview over the first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from test_deadlines import _calendar
from test_format_dialog import analyse, official_files
from windowjobs import settle_tracking

from segur_desktop.core.errors import InputError
from segur_desktop.core.preview import Dropped
from segur_desktop.gui import format_dialog
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.pages import import_page
from segur_desktop.gui.status_dialogs import StatusFileDialog

TIMEOUT = 60000


def _status_file(page, tmp_path: Path) -> Path:
    entry = page.tracking.entries[0]
    path = tmp_path / "statuts.csv"
    path.write_text(f"N° de demande;Statut de la demande\n{entry.id};Validé\n", encoding="utf-8")
    return path


def test_a_status_file_imported_twice_at_once_opens_one_preview(qtbot, tracked: MainWindow, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = tracked.tracking
    path = _status_file(page, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    started = []
    tracked.session.job_started.connect(lambda job, title: started.append(title))
    page.import_action.trigger()
    page.import_action.trigger()  # within the same 300 ms: the progress dialog is not there yet to stop it
    settle_tracking(qtbot, tracked)
    qtbot.waitUntil(lambda: page.findChild(StatusFileDialog) is not None)
    qtbot.wait(100)  # a second read would have opened its preview by now
    assert started == ["Lecture du fichier de statuts"]
    previews = [dialog for dialog in page.findChildren(StatusFileDialog) if dialog.isVisible()]
    assert previews == [page.dialog]
    # While it is open, another import brings it forward rather than reading the file again.
    assert page.import_status_file(path) is None
    assert started == ["Lecture du fichier de statuts"] and page.findChildren(StatusFileDialog) == previews
    page.dialog.reject()


def test_differences_asked_twice_at_once_open_one_dialog(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    entry = page.tracking.entries[0]
    page.select_demandes([entry.id])
    page.show_differences()
    assert page.show_differences() is None  # the first comparison is still running
    settle_tracking(qtbot, tracked)


def test_a_calendar_imported_twice_at_once_is_imported_once(qtbot, demo_window: MainWindow, user_data: Path,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = demo_window.deadlines
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(page))
    path = _calendar(tmp_path / "report.json")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    started = []
    demo_window.session.job_started.connect(lambda job, title: started.append(title))
    page.choose_calendar()
    page.choose_calendar()  # a double click: the progress dialog is not there yet to stop it
    assert not page.import_button.isEnabled()
    with qtbot.waitSignal(demo_window.session.validated, timeout=TIMEOUT):  # put in force: checked again
        pass
    assert started.count("Import du calendrier") == 1 and page.import_button.isEnabled()
    boxes = [box for box in page.findChildren(QMessageBox, "calendar_box") if box.isVisible()]
    assert [box.windowTitle() for box in boxes] == ["Calendrier importé"]
    boxes[0].accept()


def test_files_dropped_again_silence_the_first_drop(qtbot, demo_window: MainWindow, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "ancien.xlsx", tmp_path / "dossier"
    second.mkdir()

    def sort(paths, **kwargs):
        if paths == [first]:
            raise InputError("Le fichier « ancien.xlsx » est illisible.")
        return Dropped({}, [])

    monkeypatch.setattr(import_page, "sort_dropped", sort)
    problems = []
    demo_window.session.problem.connect(problems.append)
    page = demo_window.import_page
    page.receive([first])
    page.receive([second])  # dropped again at once: the first drop's answer is worth nothing now
    qtbot.waitUntil(lambda: demo_window.session.workers.running() == 0, timeout=TIMEOUT)
    qtbot.wait(50)
    assert problems == []


def test_the_format_dialog_runs_one_job_at_a_time(qtbot, demo_window: MainWindow, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved while « Analyser » was running (or analysed twice), the second job took the first's place: the first's
    end re-enabled the buttons while the second ran, and the table showed whichever answered last."""
    model, example = official_files(tmp_path)
    dialog = demo_window.open_formats()
    analyse(qtbot, dialog, model, example)
    asked = []
    propose = format_dialog.propose
    monkeypatch.setattr(format_dialog, "propose", lambda *args, **kwargs: asked.append(args) or propose(*args, **kwargs))
    dialog.analyse()
    dialog.analyse()
    dialog.save()  # the dialog is reading the model again: nothing saved meanwhile
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert len(asked) == 1 and dialog.saved is None
    dialog.reject()
