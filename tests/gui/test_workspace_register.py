"""« Registre de suivi » on the Dossier de travail page (issue #20): local or shared, a URL holding a password refused
with the reason, the connection tried in a worker and said in French, the password into the keyring, and a non-empty
local register offered to the shared one before switching — against the session's throwaway PostgreSQL cluster."""

import json
import socket
from pathlib import Path

import pytest
from memory_keyring import memory_keyring_fixture  # noqa: F401 - the `memory_keyring` fixture
from pg import drop_schema
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox
from windowjobs import workspace_page_settled as open_page

from segur_desktop.core.register.backend import schema_for
from segur_desktop.core.register.password import SERVICE
from segur_desktop.core.register.store import DepositItem, ExportRecord, Register, register_path
from segur_desktop.gui.main_window import MainWindow

TIMEOUT = 20000
SIRET = "73282932000074"  # the demo's vendor


def choose_shared(qtbot, page, url: str) -> None:
    box = page.register_box
    box.shared_choice.setCurrentIndex(box.shared_choice.findData(True))
    box.url.clear()
    qtbot.keyClicks(box.url, url)
    qtbot.waitUntil(lambda: not page.checking)  # the core checks the fields in a worker


def saved(folder: Path) -> dict:
    return json.loads((folder / "workspace.json").read_text(encoding="utf-8"))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_local_by_default_and_a_url_with_a_password_is_refused_with_the_reason(qtbot, demo_window: MainWindow,
                                                                               demo_folder: Path) -> None:
    page = open_page(qtbot, demo_window)
    box, error = page.register_box, page.errors["registre"]
    assert box.shared_choice.currentText() == "Local (ce poste)" and not box.url.isEnabled()
    assert not box.test_button.isEnabled() and not box.password_button.isEnabled()
    choose_shared(qtbot, page, "postgresql://jean:secret@pg.example.lan/segur")
    assert box.shared_choice.currentText() == "Partagé (PostgreSQL)" and box.url.isEnabled()
    assert error.isVisible() and "contient un mot de passe" in error.text() and ".pgpass" in error.text()
    assert not box.test_button.isEnabled() and not box.password_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text() == "Rien n'est enregistré : corrigez d'abord les champs signalés en rouge.")
    assert "registre" not in saved(demo_folder)
    box.url.clear()
    qtbot.keyClicks(box.url, "postgresql://jean@pg.example.lan/segur")
    qtbot.waitUntil(lambda: not page.checking)
    assert not error.isVisible() and box.test_button.isEnabled() and box.password_button.isEnabled()
    box.shared_choice.setCurrentIndex(box.shared_choice.findData(False))
    assert not box.url.isEnabled() and not error.isVisible()


def test_the_connection_is_tried_in_a_worker_and_said_in_french(qtbot, demo_window: MainWindow, postgres_url) -> None:
    page = open_page(qtbot, demo_window)
    box = page.register_box
    drop_schema(postgres_url, schema_for(SIRET))
    choose_shared(qtbot, page, postgres_url)
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert box.result.text().startswith("Connexion à postgresql://")  # the window answers while the worker connects
    qtbot.waitUntil(lambda: box.result.text().startswith("Connexion réussie"), timeout=TIMEOUT)
    assert "base « postgres » sur 127.0.0.1:" in box.result.text()
    assert "le registre de cet éditeur n'y existe pas encore" in box.result.text()
    down = postgres_url.replace(f":{postgres_url.rsplit(':', 1)[1].split('/')[0]}/", f":{_closed_port()}/")
    box.url.clear()
    qtbot.keyClicks(box.url, down)
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "est injoignable" in box.result.text(), timeout=TIMEOUT)
    assert "aucun registre local ne le remplace" in box.result.text()


def test_the_password_goes_to_the_keyring(qtbot, demo_window: MainWindow, memory_keyring, monkeypatch,
                                          demo_folder: Path) -> None:
    page = open_page(qtbot, demo_window)
    choose_shared(qtbot, page, "postgresql://jean@pg.example.lan/segur")
    asked = []

    def get_text(parent, title, label, echo):
        asked.append(echo)
        return "s3cret", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    qtbot.mouseClick(page.register_box.password_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mot de passe enregistré" in page.register_box.result.text(), timeout=TIMEOUT)
    assert asked == [QLineEdit.EchoMode.Password]  # never shown as typed
    assert memory_keyring.entries == {(SERVICE, "jean@pg.example.lan:5432/segur"): "s3cret"}
    assert "s3cret" not in (demo_folder / "workspace.json").read_text(encoding="utf-8")


def _recorded(n: int) -> ExportRecord:
    items = tuple(DepositItem(f"HOP-AV-{i:06d}", "HOP", "avance", "finess_et", f"{i:09d}", f"Centre {i}", "DPI",
                              "Test DPI", f"B{i}", "1000.00", "300.00", "HOP_avance.json", "0" * 64,
                              json.dumps({"idDemande": f"HOP-AV-{i:06d}"}), "1" * 64, ()) for i in range(1, n + 1))
    return ExportRecord("/tmp/a", "a", "a" * 64, "depot", "2022-11-28T10:00:00+01:00", "/tmp/ws", items)


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel])
def test_switching_a_non_empty_local_register_to_shared_offers_to_copy_it(qtbot, demo_window: MainWindow,
                                                                          demo_folder: Path, postgres_url, monkeypatch,
                                                                          answer) -> None:
    drop_schema(postgres_url, schema_for(SIRET))
    Register(register_path(SIRET)).record(_recorded(2))
    page = open_page(qtbot, demo_window)
    questions = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *rest: questions.append(text) or answer)
    choose_shared(qtbot, page, postgres_url)
    if answer == QMessageBox.StandardButton.Cancel:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "le registre reste celui de ce poste" in page.status.text(), timeout=TIMEOUT)
        assert "registre" not in saved(demo_folder) and page.save_button.isEnabled()
    else:
        with qtbot.waitSignal(demo_window.session.validated, timeout=TIMEOUT):
            qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        assert saved(demo_folder)["registre"] == postgres_url
        assert "copié dans le registre partagé et vérifié : 2 demande(s)" in page.register_box.result.text()
        shared = demo_window.session.tracking.register
        assert shared.shared and [e.id for e in shared.entries()] == ["HOP-AV-000001", "HOP-AV-000002"]
        assert page.register_box.shared_choice.currentText() == "Partagé (PostgreSQL)" and not page.dirty
    assert len(questions) == 1 and "suit déjà 2 demande(s), 1 export(s)" in questions[0]
    assert Register(register_path(SIRET)).counts().demandes == 2  # the local file stays as it was


def test_this_computers_setting_in_force_is_said_while_the_workspace_names_none(qtbot, demo_window: MainWindow,
                                                                                 postgres_url) -> None:
    from segur_desktop.core.register.backend import user_settings_path

    user_settings_path().parent.mkdir(parents=True, exist_ok=True)
    user_settings_path().write_text(json.dumps({"registre": postgres_url}), encoding="utf-8")
    page = open_page(qtbot, demo_window)
    page.revert()  # read again, as when the page is filled
    qtbot.waitUntil(lambda: not page.loading)  # with reglages.json, in a worker
    note = page.register_box.note
    assert page.register_box.shared_choice.currentText() == "Local (ce poste)"
    assert note.isVisibleTo(page) and postgres_url in note.text() and "reglages.json" in note.text()
    choose_shared(qtbot, page, postgres_url)
    assert not note.isVisibleTo(page)  # the workspace's own setting is the one in force
