"""The new-workspace form by keyboard alone (#18): each label's Alt+letter reaches its field, the form says what is
missing and puts the cursor in the first field to fix, Escape leaves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.new_workspace import NewWorkspaceDialog


def active(qtbot, dialog: NewWorkspaceDialog) -> NewWorkspaceDialog:
    """The dialog as the window manager leaves it: active, so that its Alt+letters are its own."""
    qtbot.waitExposed(dialog)
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_alt_letters_reach_the_path_fields(qtbot, window: MainWindow) -> None:
    dialog = active(qtbot, window.new_workspace())
    for key, field in ((Qt.Key.Key_C, dialog.clients), (Qt.Key.Key_B, dialog.bdc), (Qt.Key.Key_P, dialog.pieces),
                       (Qt.Key.Key_E, dialog.folder)):
        qtbot.keyClick(dialog, key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is field.edit, field.purpose  # typing goes into the path
    qtbot.keyClicks(dialog.folder.edit, "/tmp/x")
    assert dialog.folder.edit.text() == "/tmp/x"
    dialog.reject()


def test_enter_on_an_incomplete_form_says_what_is_missing_and_goes_to_it(qtbot, window: MainWindow) -> None:
    dialog = active(qtbot, window.new_workspace())
    dialog.vendor.setText("Médilog Santé")  # (QTest types ASCII only)
    qtbot.keyClicks(dialog.siret, "73282932000074")
    qtbot.keyClick(dialog.siret, Qt.Key.Key_Return)  # « Créer », the default button
    assert dialog.isVisible() and "la liste des clients" in dialog.error.text()
    assert QApplication.focusWidget() is dialog.clients.edit  # the first field to fix
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
