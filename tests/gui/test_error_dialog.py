"""The unexpected-error dialog and the log it points to."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from segur_desktop.applog import log
from segur_desktop.gui.error_dialog import ErrorDialog, install_excepthook, report_unexpected


@pytest.fixture(autouse=True)
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SEGUR_DESKTOP_LOG_DIR", str(tmp_path))
    yield tmp_path
    for handler in list(log.handlers):  # each test's log file goes with its folder
        log.removeHandler(handler)
        handler.close()


def test_dialog_is_french_and_copies_its_details(qtbot, log_dir: Path) -> None:
    dialog = ErrorDialog("Traceback (most recent call last):\nZeroDivisionError: division by zero")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Erreur inattendue"
    assert "Vos fichiers n'ont pas été modifiés" in dialog.text()
    assert str(log_dir / "segur-desktop.log") in dialog.informativeText()
    dialog.show()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "ZeroDivisionError" in QApplication.clipboard().text()
    assert dialog.isVisible()  # copying does not close it


def test_uncaught_exception_is_logged_and_shown(qtbot, log_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                crashes: list[str]) -> None:
    shown = []
    monkeypatch.setattr("segur_desktop.gui.error_dialog.report_unexpected",
                        lambda details, parent=None: shown.append(details) or report_unexpected(details, parent))
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise ValueError("valeur surprenante")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    assert shown and "ValueError: valeur surprenante" in shown[0]
    assert len(crashes) == 1 and "ValueError: valeur surprenante" in crashes[0]
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ErrorDialog):
            qtbot.addWidget(widget)
    assert "valeur surprenante" in (log_dir / "segur-desktop.log").read_text(encoding="utf-8")
