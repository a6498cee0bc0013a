"""Render each page and dialog of the window on the demo workspace into docs/screenshots/ (for the README).

`make screenshots` runs this under Xvfb (a real X server, so the rendering is
the one users see on Linux); it also works with QT_QPA_PLATFORM=offscreen.
Every page is shot three times: at 1280×800 (`docs/screenshots/<name>.png`), at
1920×1080 (`docs/screenshots/1920/<name>.png`) and at 1024×700, a small laptop
or a window beside another (`docs/screenshots/1024/<name>.png`), so that
clipped text shows at any of these sizes. Every dialog of the window is shot once, over the 1280×800 window:
« Nouveau dossier de travail » (with its inline French errors), the control
instant, « Créer un modèle Excel… », the Suivi's status change and « Format de
dépôt… ».
The start page (`accueil.png`) is shot first, before any workspace is open;
then the demo is opened from a private copy in a temporary user-data folder, and a
diagnostic is selected on the Demandes page, so the pictures tell the story. The
« Dossier de travail » page shows the demo's vendor, solutions and files.
The Suivi page is shot last, once the demo's avances are exported, marked
« en cours » and updated from the demo's `statuts_portail.csv`, with the
demande waiting for complementary pieces selected (its history shows).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ["SEGUR_DESKTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="segur-screenshots-")

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.register import register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.statusfile import apply_status_file, plan_status_file
from segur_desktop.core.register.store import StatusChange
from segur_desktop.core.workspace import Workspace, demo_copy
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.diagnostics_model import DIAGNOSTIC_ROLE
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.workers import Workers

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PAGES = ("tableau-de-bord", "import", "demandes", "echeances", "export")  # before anything is exported
TRACKING = "suivi"
START = "accueil"
WORKSPACE = "dossier-de-travail"
FORMAT = "format-de-depot"
# An illustrative official-like model (names, nesting and value types unlike the reconstructed format's): the
# picture shows how the dialog reads one; the ASP's own files are the vendor's.
SAMPLE_MODEL = {"entete": {"versionModele": "3.0", "demandeur": {"siret": "", "raisonSociale": ""},
                           "typeDemande": "AVANCE|SOLDE"},
                "lignes": [{"numeroDemande": "", "finessGeo": "", "nomEtablissement": "",
                            "commande": {"numeroBdc": "", "dateSignature": "", "montantHt": 0},
                            "montant": 0, "codeGuichet": "", "pieces": [{"nature": "", "nomFichier": ""}]}]}
SAMPLE_EXAMPLE = {"entete": {"versionModele": "3.0", "demandeur": {"siret": "73282932000074", "raisonSociale": "X"},
                             "typeDemande": "AVANCE"},
                  "lignes": [{"numeroDemande": "HOP-AV-ABCDEFGHIJ", "finessGeo": "010000024", "nomEtablissement": "CH",
                              "commande": {"numeroBdc": "B-1", "dateSignature": "01/09/2022", "montantHt": 1000.0},
                              "montant": 300.0, "codeGuichet": "G-1", "pieces": [{"nature": "BDC", "nomFichier": "a.pdf"}]}]}
SIZE = QSize(1280, 800)
LARGE = QSize(1920, 1080)
LARGE_FOLDER = "1920"  # docs/screenshots/1920/<name>.png: the same picture at LARGE
NARROW = QSize(1024, 700)
NARROW_FOLDER = "1024"  # docs/screenshots/1024/<name>.png: the same picture at NARROW
NEW_WORKSPACE = "nouveau-dossier"
CONTROL_INSTANT = "instant-de-controle"
TEMPLATE = "modele-excel"
STATUS = "changement-de-statut"


def select_a_problem(window: MainWindow) -> None:
    """On the Demandes page, select the first problem that belongs to a demande."""
    tree, model = window.demandes.tree, window.demandes.diagnostics_model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, 0, group)
            if index.data(DIAGNOSTIC_ROLE).request:
                tree.setCurrentIndex(index)
                return


def fill_the_register(workspace: Workspace) -> None:
    """The demo's story after its first deposit: exported, deposited (« en cours »), then the portal's answers.

    Written here directly through the core: this is a script, not the window (whose pages write in workers).
    """
    register = register_for(workspace)
    out = Path(tempfile.mkdtemp(prefix="segur-screenshots-depot-"))
    exported = export_workspace(workspace, workspace.judged_at, out, register=RegisterIndex.of(register))
    recorded = record_export(register, exported)
    register.set_status([StatusChange(demande, "en_cours", "déposé sur le portail") for demande in recorded.new],
                        source="fenêtre")
    apply_status_file(register, plan_status_file(register, workspace.folder / "statuts_portail.csv"))


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Session(Workers()), Settings())
    window.resize(SIZE)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / LARGE_FOLDER).mkdir(exist_ok=True)
    (OUT / NARROW_FOLDER).mkdir(exist_ok=True)

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def save(widget: QWidget, name: str, folder: Path = OUT) -> None:
        path = folder / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    def grab(page, name: str) -> None:
        """The page at the three sizes; the window is left at SIZE."""
        if page is not None:
            window.navigation.setCurrentRow(window.stack.indexOf(page))
        settle()
        save(window, name)
        for size, folder in ((LARGE, LARGE_FOLDER), (NARROW, NARROW_FOLDER)):
            window.resize(size)
            settle()
            save(window, name, OUT / folder)
        window.resize(SIZE)
        settle()

    def shoot() -> None:
        select_a_problem(window)
        for row, name in enumerate(PAGES):
            grab(window.stack.widget(row), name)
        grab(window.workspace_page, WORKSPACE)
        shoot_dialogs()
        shoot_format()

    def shoot_dialogs() -> None:
        """The control instant, a new workspace's form with its French errors, the Excel template's choices."""
        window.navigation.setCurrentRow(window.stack.indexOf(window.dashboard))
        settle()
        dialog = window.control_instant.choose()
        settle()
        save(dialog, CONTROL_INSTANT)
        dialog.reject()
        dialog = window.new_workspace()
        dialog.vendor.setText("Médilog Santé")
        dialog.siret.setText("73282932000075")  # a wrong check digit: the form says so
        dialog.create()
        settle()
        save(dialog, NEW_WORKSPACE)
        dialog.reject()
        window.navigation.setCurrentRow(window.stack.indexOf(window.import_page))
        settle()
        dialog = window.import_page.create_template()
        settle()
        save(dialog, TEMPLATE)
        dialog.reject()
        settle()

    def shoot_format() -> None:
        """« Fichier → Format de dépôt… » with the illustrative model analysed."""
        folder = Path(tempfile.mkdtemp(prefix="segur-screenshots-format-"))
        (folder / "modele.json").write_text(json.dumps(SAMPLE_MODEL), encoding="utf-8")
        (folder / "exemple.json").write_text(json.dumps(SAMPLE_EXAMPLE), encoding="utf-8")
        dialog = window.open_formats()
        dialog.resize(SIZE)
        dialog.model_edit.setText(str(folder / "modele.json"))
        dialog.example_edit.setText(str(folder / "exemple.json"))
        dialog.couloir.setCurrentIndex(dialog.couloir.findData("HOP"))
        dialog.analyse()

        def ready() -> None:
            if dialog.proposal is None or dialog.busy:
                QTimer.singleShot(100, ready)
                return
            app.processEvents()
            path = OUT / f"{FORMAT}.png"
            dialog.grab().save(str(path))
            print(path)
            dialog.close()
            shoot_tracking()
        QTimer.singleShot(100, ready)

    def shoot_tracking() -> None:
        window.session.validated.disconnect(validated)
        window.session.tracked.connect(tracked)
        fill_the_register(window.session.workspace)
        window.session.register_changed.emit()  # the session reads the register again and revalidates

    def tracked(tracking) -> None:
        window.session.tracked.disconnect(tracked)
        page = window.tracking
        waiting = [e.id for e in tracking.entries if e.status == "attente_pieces"]
        page.select_demandes(waiting)
        QTimer.singleShot(800, lambda: shoot_last(page))  # its history is read in a worker

    def shoot_last(page) -> None:
        grab(page, TRACKING)
        dialog = page.change_status()  # for the selected demande
        settle()
        save(dialog, STATUS)
        dialog.reject()
        app.quit()

    def validated(validation) -> None:
        if validation is None:
            print("La démonstration n'a pas pu être vérifiée.", file=sys.stderr)
            app.exit(1)
            return
        QTimer.singleShot(500, shoot)  # let the pages lay themselves out

    window.session.validated.connect(validated)
    app.processEvents()
    grab(None, START)  # the window as it first opens: no workspace yet
    window.open_workspace(demo_copy())
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
