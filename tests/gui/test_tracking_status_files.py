"""The Suivi page fed by the portal's real status files (#17, #18): the preview names the columns it read and what
the file as a whole says, each odd line says why, nothing is applied before « Appliquer »; a file Excel keeps open is
one French box; a 50,000-line file is read in a worker, its progress shown; the status dialog's fields
answer their Alt+letter."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from windowjobs import run_and_settle as run

from segur_desktop.core.read import limits
from segur_desktop.core.register.statusfile import Verdict, plan_status_file
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.status_plan_model import DETAIL, VERDICT_COLOURS
from segur_desktop.gui.pages.tracking import TrackingPage, actions
from segur_desktop.gui.progress_dialog import ProgressDialog
from segur_desktop.gui.status_dialogs import StatusDialog, StatusFileDialog

TIMEOUT = 60000


def _ids_by_bdc(page: TrackingPage) -> dict[str, str]:
    return {e.bdc_number: e.id for e in page.tracking.entries}


def test_a_portal_export_is_previewed_line_by_line_and_applied_only_when_asked(qtbot, tracked: MainWindow,
                                                                               tmp_path: Path) -> None:
    page = tracked.tracking
    ids = _ids_by_bdc(page)
    path = tmp_path / "export_portail.csv"
    path.write_bytes(("Export des demandes;;;\r\n;;;\r\nRéférence dossier;N° BDC;Statut de la demande;Motif\r\n"
                      f"{ids['BDC-2022-0009']};;VALIDE;\r\n"
                      f"{ids['BDC-2022-0009']};;Validé;\r\n"
                      "DEM-000042;BDC-2022-0011;Refusé (doublon);Doublon\r\n"
                      f"{ids['BDC-2022-0019']};;;\r\n").encode("cp1252"))
    run(qtbot, tracked, lambda: page.import_status_file(path))
    dialog: StatusFileDialog = page.dialog
    assert isinstance(dialog, StatusFileDialog) and dialog.isVisible()
    assert dialog.counts.text().startswith("<b>2 changements, 1 statut illisible, 1 déjà à jour</b>")
    assert dialog.notes.text() == ("Colonnes lues (en-têtes ligne 3) : « Référence dossier » (Identifiant de la "
                                   "demande), « N° BDC » (N° de BDC), « Statut de la demande » (Statut), « Motif » "
                                   "(Commentaire).")
    model = dialog.model
    details = [model.index(row, DETAIL).data() for row in range(model.rowCount())]
    assert details == ["", "Répète la ligne 4 (« Validée ») : comptée une fois.",
                       f"Identifiant « DEM-000042 » absent du registre : demande {ids['BDC-2022-0011']} trouvée par "
                       "son N° de BDC « BDC-2022-0011 ».", "Ligne sans statut : elle ne change rien."]
    assert page.tracking.register.entry(ids["BDC-2022-0009"]).status == "exportee"  # read, not applied
    run(qtbot, tracked, lambda: qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton))
    assert page.result.text() == "2 statuts changés."
    statuses = {e.bdc_number: e.status for e in page.tracking.entries}
    assert (statuses["BDC-2022-0009"], statuses["BDC-2022-0011"], statuses["BDC-2022-0019"]) == (
        "validee", "rejetee", "exportee")


def test_a_file_with_only_its_header_opens_a_preview_that_says_so(qtbot, tracked: MainWindow, tmp_path: Path) -> None:
    page = tracked.tracking
    path = tmp_path / "vide.csv"
    path.write_bytes("\ufeffN° de demande;Statut;Date de mise à jour\r\n".encode())
    run(qtbot, tracked, lambda: page.import_status_file(path))
    dialog: StatusFileDialog = page.dialog
    assert dialog.model.rowCount() == 0 and not dialog.apply_button.isEnabled()
    assert "Aucune ligne de statut sous les en-têtes (ligne 1) : ce fichier ne change rien." in dialog.notes.text()
    dialog.reject()


def test_a_status_file_open_in_excel_is_one_french_box(qtbot, tracked: MainWindow, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    page = tracked.tracking
    path = tmp_path / "statuts.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)

    def locked(name, flags):
        error = PermissionError(errno.EACCES, "The process cannot access the file", str(name))
        error.winerror = 32  # Windows: Excel holds the file
        raise error

    monkeypatch.setattr(limits, "_no_wait", locked)
    run(qtbot, tracked, lambda: page.import_status_file(path))
    box = page.findChild(QMessageBox, "followup_problem")
    assert box is not None and box.isVisible()
    assert "fichier verrouillé par une autre application (Excel ?)" in box.text()
    assert "Fermez-le dans l'application qui l'a ouvert" in box.text()
    assert page.dialog is None or not isinstance(page.dialog, StatusFileDialog)
    box.accept()


def test_a_50000_line_file_is_read_off_the_gui_thread_with_its_progress(qtbot, tracked: MainWindow, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    page = tracked.tracking
    ids = list(_ids_by_bdc(page).values())
    path = tmp_path / "gros.csv"
    lines = ["N° de demande;Statut de la demande;Date de mise à jour"]
    lines += [f"{ids[n % len(ids)] if n < len(ids) else f'AUTRE-{n}'};En cours;02/12/2025" for n in range(50000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    threads: list[threading.Thread] = []

    def planned_where(*args, **kwargs):
        threads.append(threading.current_thread())
        return plan_status_file(*args, **kwargs)

    monkeypatch.setattr(actions, "plan_status_file", planned_where)
    tracked.progress_delay_ms = 0
    with qtbot.waitSignal(tracked.session.job_started, timeout=5000) as job_started:
        page.import_status_file(path)
    job = job_started.args[0]
    stages: list[str] = []
    job.progressed.connect(lambda stage, done, total: stages.append(stage))
    qtbot.waitUntil(lambda: tracked.findChild(ProgressDialog) is not None, timeout=10000)
    with qtbot.waitSignal(job.done, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: isinstance(page.dialog, StatusFileDialog) and page.dialog.isVisible(), timeout=TIMEOUT)
    assert threads and threads[0] is not threading.main_thread()  # the window kept answering meanwhile
    assert "Comparaison avec le registre de suivi" in stages
    dialog: StatusFileDialog = page.dialog
    assert dialog.model.rowCount() == 50000
    counts = dialog.plan.counts()
    assert counts[Verdict.UNKNOWN] == 50000 - len(ids) and counts[Verdict.CHANGE] == len(ids)
    assert "ligne(s) désignent des demandes absentes de ce registre de suivi" in dialog.notes.text()
    dialog.reject()


def test_the_status_dialog_fields_answer_their_alt_letter(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    page.select_demandes([next(iter(_ids_by_bdc(page).values()))])
    dialog = page.change_status()
    assert isinstance(dialog, StatusDialog)
    qtbot.waitExposed(dialog)
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # « &Commentaire : »
    assert QApplication.focusWidget() is dialog.comment
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # « &Nouveau statut : »
    assert QApplication.focusWidget() is dialog.status
    qtbot.keyClick(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # « &Forcer (corriger une erreur) »
    qtbot.waitUntil(dialog.force.isChecked)  # a mnemonic clicks its box as a click would (animated)
    dialog.reject()


def test_the_file_dialog_offers_every_kind_the_reader_takes(qtbot, tracked: MainWindow, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel's « Texte Unicode » (.txt, UTF-16 with tabs) and binary workbooks (.xlsb) were read, but not offered."""
    asked: list[str] = []
    path = tmp_path / "statuts.txt"
    path.write_bytes("\ufeffN° BDC\tStatut\r\nBDC-2022-0009\tValidée\r\n".encode("utf-16-le"))

    def choose(parent, caption, folder, filters):
        asked.append(filters)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    page = tracked.tracking
    run(qtbot, tracked, page.import_status_file)
    for suffix in ("*.csv", "*.txt", "*.xlsx", "*.xlsm", "*.xlsb", "*.xls", "*.ods"):
        assert suffix in asked[0]
    assert page.dialog.plan.counts() == {Verdict.CHANGE: 1}
    page.dialog.reject()


def test_a_dated_history_shows_its_older_lines_replaced(qtbot, tracked: MainWindow, tmp_path: Path) -> None:
    page = tracked.tracking
    demande = _ids_by_bdc(page)["BDC-2022-0009"]
    path = tmp_path / "historique.csv"
    path.write_text(f"N° de demande;Statut;Date de mise à jour\n{demande};En cours;01/12/2025\n"
                    f"{demande};Validée;15/12/2025\n", encoding="utf-8")
    run(qtbot, tracked, lambda: page.import_status_file(path))
    dialog: StatusFileDialog = page.dialog
    assert dialog.counts.text().startswith("<b>1 changement, 1 remplacée par une ligne plus récente</b>")
    assert dialog.model.index(0, 4).data() == "Remplacée"
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == VERDICT_COLOURS[Verdict.SUPERSEDED]
    run(qtbot, tracked, dialog.accept)
    assert page.tracking.register.entry(demande).status == "validee"
