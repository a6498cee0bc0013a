"""The new-workspace form makes room for its French reasons: none is cut or drawn over a field (#18)."""

from __future__ import annotations

from segur_desktop.gui.main_window import MainWindow


def test_a_two_line_reason_gets_two_lines_and_the_form_grows(qtbot, window: MainWindow) -> None:
    dialog = window.new_workspace()
    qtbot.addWidget(dialog)
    dialog.resize(640, dialog.minimumSizeHint().height())
    before = dialog.height()
    dialog.vendor.setText("Médilog Santé")
    dialog.siret.setText("73282932000075")  # a wrong key: the longest reason, two lines at this width
    dialog.create()
    reason = dialog.field_errors["vendor_siret"]
    qtbot.waitUntil(lambda: reason.height() >= reason.heightForWidth(reason.width()))
    assert reason.isVisible() and "clé de contrôle" in reason.text()
    assert reason.heightForWidth(reason.width()) > reason.fontMetrics().lineSpacing()  # it does need two lines
    assert reason.geometry().top() >= dialog.siret.geometry().bottom()  # under its field, not over it
    clients = dialog.field_errors["clients"]
    assert clients.isVisible() and clients.geometry().top() >= reason.geometry().bottom()
    assert dialog.height() > before
    dialog.siret.setText("73282932000074")
    dialog.create()  # fixed: its row goes, the other reasons stay
    assert not reason.isVisible() and clients.isVisible()
    dialog.reject()
