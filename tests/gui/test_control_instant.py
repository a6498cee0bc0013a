"""The control instant in the status bar: what it says, and its dialog writing the workspace's date_controle."""

import json
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.workspace import KEEP, edit_workspace, load_workspace
from segur_desktop.gui.control_instant import ControlInstantDialog
from segur_desktop.gui.main_window import MainWindow


def workspace_json(folder: Path) -> dict:
    return json.loads((folder / "workspace.json").read_text(encoding="utf-8"))


def test_disabled_until_a_workspace_is_open(window: MainWindow) -> None:
    button = window.control_instant
    assert button.text() == "Échéances jugées : maintenant"
    assert not button.isEnabled()


def test_the_demo_says_its_fixed_instant(demo_window: MainWindow) -> None:
    button = demo_window.control_instant
    assert button.isEnabled() and button.isVisible()
    assert button.text() == "Échéances jugées au 28/11/2022 10:00 (fixé)"


def test_choosing_a_fixed_instant_writes_date_controle_and_checks_again(qtbot, demo_window: MainWindow,
                                                                       demo_folder: Path) -> None:
    qtbot.mouseClick(demo_window.control_instant, Qt.MouseButton.LeftButton)
    dialog: ControlInstantDialog = demo_window.control_instant.dialog
    assert dialog.isVisible() and dialog.fixed.isChecked() and dialog.when.isEnabled()
    assert dialog.when.displayFormat() == "dd/MM/yyyy HH:mm"
    assert dialog.when.text() == "28/11/2022 10:00"
    dialog.when.setDateTime(QDateTime(QDate(2022, 12, 1), QTime(9, 30)))
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert workspace_json(demo_folder)["date_controle"] == "2022-12-01T09:30:00+01:00"
    assert demo_window.session.at == parse_instant("2022-12-01T09:30:00+01:00")
    assert demo_window.session.validation.result.at == parse_instant("2022-12-01T09:30:00+01:00")
    assert demo_window.control_instant.text() == "Échéances jugées au 01/12/2022 09:30 (fixé)"
    # The HOP avance guichet closed on 30/11/2022 at 14:00: the new check says so.
    codes = {d.code for d in demo_window.session.validation.result.diagnostics}
    assert "guichet_ferme" in codes


def test_summer_time_is_paris_time(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    dialog = demo_window.control_instant.choose()
    dialog.when.setDateTime(QDateTime(QDate(2023, 7, 3), QTime(14, 0)))
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        dialog.accept()
    assert workspace_json(demo_folder)["date_controle"] == "2023-07-03T14:00:00+02:00"


def test_an_hour_the_spring_change_skips_is_said_not_moved(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    """On 27/03/2022 Paris went from 02:00 to 03:00: « 02:30 » never happened, and is not read as 03:30."""
    before = (demo_folder / "workspace.json").read_bytes()
    dialog = demo_window.control_instant.choose()
    dialog.when.setDateTime(QDateTime(QDate(2022, 3, 27), QTime(2, 30)))
    if dialog.when.time() != QTime(2, 30):  # a machine whose own clock skips that hour: Qt moved it already
        dialog.reject()
        return
    dialog.accept()
    assert dialog.isVisible() and dialog.problem.isVisibleTo(dialog)
    assert "n'a pas existé à Paris" in dialog.problem.text()
    assert (demo_folder / "workspace.json").read_bytes() == before
    dialog.when.setDateTime(QDateTime(QDate(2022, 3, 27), QTime(3, 30)))
    assert not dialog.problem.isVisibleTo(dialog)
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        dialog.accept()
    assert workspace_json(demo_folder)["date_controle"] == "2022-03-27T03:30:00+02:00"


def test_maintenant_removes_date_controle(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    clock = parse_instant("2024-02-01T08:00:00")
    demo_window.session.clock = lambda: clock
    dialog = demo_window.control_instant.choose()
    qtbot.mouseClick(dialog.now, Qt.MouseButton.LeftButton)
    assert dialog.now.isChecked() and not dialog.when.isEnabled() and dialog.chosen() is None
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert "date_controle" not in workspace_json(demo_folder)
    assert demo_window.session.workspace.judged_at is None
    assert demo_window.session.at == clock
    assert demo_window.control_instant.text() == "Échéances jugées : maintenant"
    # Opened again, it proposes the current instant to fix.
    dialog = demo_window.control_instant.choose()
    assert dialog.now.isChecked() and dialog.when.text() == "01/02/2024 08:00"
    dialog.reject()


def test_cancel_changes_nothing(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    before = (demo_folder / "workspace.json").read_bytes()
    dialog = demo_window.control_instant.choose()
    dialog.now.setChecked(True)
    dialog.reject()
    assert (demo_folder / "workspace.json").read_bytes() == before
    assert demo_window.control_instant.text() == "Échéances jugées au 28/11/2022 10:00 (fixé)"


def test_edit_workspace_keeps_or_removes_date_controle(demo_folder: Path) -> None:
    assert edit_workspace(demo_folder, date_controle=KEEP).judged_at == parse_instant("2022-11-28T10:00:00+01:00")
    edit_workspace(demo_folder, inputs={}, date_controle=parse_instant("2022-11-25T10:00:00+01:00"))
    assert load_workspace(demo_folder).judged_at == parse_instant("2022-11-25T10:00:00+01:00")
    assert workspace_json(demo_folder)["nom"] == "Démo — Médilog Santé"  # the rest as the user wrote it
    assert edit_workspace(demo_folder, date_controle=None).judged_at is None
