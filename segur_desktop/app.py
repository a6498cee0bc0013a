"""The window's launcher: `segur-desktop-gui [DOSSIER] [--demo] [--self-test]`.

Sets up the application (French names, Qt's own French texts, log,
excepthook), then opens the given workspace, the demo copy, or the last
workspace used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from segur_desktop import __version__, selftest
from segur_desktop.applog import log, setup_logging
from segur_desktop.cli import french_argparse
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import resources_dir
from segur_desktop.core.workspace import WORKSPACE_FILE
from segur_desktop.gui.error_dialog import install_excepthook
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.qt_french import FrenchQtTranslator
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.workers import Workers


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    french_argparse.install()
    parser = argparse.ArgumentParser(prog="segur-desktop-gui", description=_("Ouvre la fenêtre de Segur Desktop."))
    parser.add_argument("workspace", nargs="?", type=Path, metavar=_("DOSSIER"),
                        help=_("dossier de travail à ouvrir (par défaut : le dernier ouvert)"))
    parser.add_argument("--demo", action="store_true",
                        help=_("ouvre une copie du dossier de démonstration (dans le dossier des données utilisateur)"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("vérifie l'installation sur la démonstration, sans fenêtre visible, et affiche le résultat"))
    parser.add_argument("--version", action="version", version=f"segur-desktop {__version__}")
    return parser.parse_args(argv)


def install_qt_translations(app: QCoreApplication) -> QTranslator | None:
    """Qt's own texts in French: message box buttons (« Oui », « Fermer », « Montrer les détails… »), line edits'
    context menus, file dialogs. The catalogue is `qtbase_fr.qm` beside Qt (the frozen app gets it from
    PyInstaller's PySide6 hook); without it Qt speaks English, which is logged, not fatal."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = FrenchQtTranslator(app)  # owned by the application: it must live as long as it; adds what the .qm lacks
    if not translator.load("qtbase_fr", folder) or not app.installTranslator(translator):
        log.warning("Traductions de Qt introuvables dans « %s » : boutons standard en anglais", folder)
        translator.deleteLater()
        return None
    return translator


def create_window(args: argparse.Namespace) -> MainWindow:
    session = Session(Workers())
    settings = Settings()
    window = MainWindow(session, settings)
    if args.demo:
        window.open_demo()  # a copy that cannot be made is said in a dialog
        return window
    folder = args.workspace
    if folder is None:
        folder = next((p for p in settings.recent_workspaces() if (p / WORKSPACE_FILE).is_file()), None)
    if folder is not None:
        window.open_workspace(folder)
    return window


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:
        return selftest.run()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "segur-desktop.png")))
    app.setApplicationName("Segur Desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("segur-desktop")
    setup_logging()
    install_qt_translations(app)
    log.info("Démarrage de Segur Desktop %s", __version__)
    window = create_window(args)
    install_excepthook(lambda: window)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
