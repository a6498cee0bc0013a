"""The window's launcher: `segur-desktop-gui [DOSSIER] [--demo] [--self-test]`.

On Linux, first checks that the system libraries Qt's X11 (xcb) platform
plugin loads are there: without one (libxcb-cursor0 on a fresh Debian or
Ubuntu), Qt aborts with an English message; here the user is told, in French,
which Debian packages to install. Then sets up the application (French names,
Qt's own French texts, log, excepthook), and opens the given workspace, the
demo copy, or the last workspace used.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from collections.abc import Callable, Mapping
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


# The shared libraries Qt's xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6) is linked against, beyond what any
# desktop has, and the Debian/Ubuntu package of each: one missing and Qt aborts before any window.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _loads(name: str) -> bool:
    """Whether the dynamic loader finds this library (the system's, or one bundled beside Qt in the frozen app)."""
    candidates = [name, str(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath)) / name)]
    for candidate in candidates:
        try:
            ctypes.CDLL(candidate)
            return True
        except OSError:
            continue
    return False


def uses_xcb(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt will start its X11 (xcb) plugin: on Linux, unless another platform is asked for or the session
    is Wayland's."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(";")[0].split(":")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def missing_xcb_libraries(loads: Callable[[str], bool] = _loads) -> dict[str, str]:
    """soname -> Debian package, for each library of XCB_LIBRARIES the loader cannot find."""
    return {name: package for name, package in XCB_LIBRARIES.items() if not loads(name)}


def missing_libraries_message(missing: dict[str, str]) -> str:
    packages = " ".join(dict.fromkeys(missing.values()))
    return _("Segur Desktop ne peut pas ouvrir sa fenêtre : il manque à ce système des bibliothèques dont Qt a besoin "
             "pour l'affichage X11 ({libraries}). Sur Debian ou Ubuntu, installez-les avec :\n\n"
             "    sudo apt install {packages}\n\n"
             "puis relancez Segur Desktop. Sur une autre distribution, installez les paquets qui fournissent ces "
             "fichiers. La ligne de commande (segur-desktop) fonctionne sans elles.").format(
        libraries=", ".join(missing), packages=packages)


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
    if QApplication.instance() is None and uses_xcb():
        missing = missing_xcb_libraries()
        if missing:
            print(missing_libraries_message(missing), file=sys.stderr)
            return 1
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
