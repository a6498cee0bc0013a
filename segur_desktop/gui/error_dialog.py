"""What the user sees when something unexpected goes wrong: French, calm, copyable.

An unusable input is not "unexpected": pages show the core's French
`InputError` message as it is. This dialog is for bugs: it says what
happened, where the details were logged, and offers "Copier les détails"
for the support e-mail. `install_excepthook` routes every uncaught exception
of the GUI thread here instead of a silent crash.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from segur_desktop.applog import log, setup_logging


class ErrorDialog(QMessageBox):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        log_path = setup_logging()
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Erreur inattendue"))
        self.setText(self.tr("Une erreur inattendue s'est produite. Vos fichiers n'ont pas été modifiés."))
        self.setInformativeText(self.tr("Le détail est enregistré dans le journal : {path}\n"
                                        "Vous pouvez le copier pour l'envoyer à l'assistance.").format(path=log_path))
        self.setDetailedText(details)
        self.copy_button: QPushButton = self.addButton(self.tr("Copier les détails"), QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.disconnect()  # an ActionRole button would close the box: keep it open
        self.copy_button.clicked.connect(self.copy_details)
        self.addButton(QMessageBox.StandardButton.Close)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.detailedText())


def report_unexpected(details: str, parent: QWidget | None = None) -> ErrorDialog:
    """Log a bug's traceback and show the dialog (non-blocking)."""
    setup_logging()
    log.error("Erreur inattendue\n%s", details)
    dialog = ErrorDialog(details, parent)
    dialog.open()
    return dialog


def install_excepthook(parent: Callable[[], QWidget | None] = lambda: None) -> None:
    """Send uncaught exceptions to the log and the dialog instead of killing the app."""

    def hook(exc_type: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, value, tb)
            return
        report_unexpected("".join(traceback.format_exception(exc_type, value, tb)), parent())

    sys.excepthook = hook
