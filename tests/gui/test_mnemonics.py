"""Every label's Alt+letter in the window reaches a field that takes the keyboard (#18): a form row wrapping its
field in a container (a path and its « Choisir… », a field and its reason) once made the letter do nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from segur_desktop.gui.main_window import MainWindow


def mnemonic_labels(widget: QWidget) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel) if "&" in label.text().replace("&&", "")
            and not label.textFormat() == Qt.TextFormat.RichText]


def unreachable(widget: QWidget) -> list[str]:
    return [label.text() for label in mnemonic_labels(widget)
            if label.buddy() is None or not label.buddy().focusPolicy() & Qt.FocusPolicy.TabFocus]


def test_every_page_s_letters_reach_a_field(demo_window: MainWindow) -> None:
    assert mnemonic_labels(demo_window.workspace_page)  # the check checks something
    assert unreachable(demo_window) == []


def test_every_dialog_s_letters_reach_a_field(qtbot, demo_window: MainWindow) -> None:
    dialogs = [demo_window.new_workspace(), demo_window.open_formats(), demo_window.import_page.create_template()]
    for dialog in dialogs:
        assert mnemonic_labels(dialog), dialog.windowTitle()
        assert unreachable(dialog) == [], dialog.windowTitle()
        dialog.reject()


def test_alt_c_on_the_workspace_page_goes_to_the_client_list_s_path(qtbot, demo_window: MainWindow) -> None:
    page = demo_window.workspace_page
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(page))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.clients.edit


def test_a_read_only_path_s_letter_goes_to_its_choose_button(qtbot, demo_window: MainWindow) -> None:
    dialog = demo_window.import_page.create_template()
    buddy = next(label.buddy() for label in mnemonic_labels(dialog) if label.text() == "&Enregistrer sous :")
    assert buddy.objectName() == "template_choose"  # the path beside it is read-only: the letter chooses
    dialog.reject()
