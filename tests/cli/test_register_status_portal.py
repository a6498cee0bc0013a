"""`register import-status` on files shaped like the portal's exports (issue #17): the preview names the columns it
read and what the file as a whole says; a header-only file changes nothing and says so (exit 0); another register's
demandes are said with where they may come from (exit 1); a file Excel keeps open is one French sentence (exit 2);
nothing is written without --apply."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from registers import exported_register

from segur_desktop.cli import main
from segur_desktop.core.read import limits
from segur_desktop.core.register.store import Register, StatusChange


@pytest.fixture
def register(tmp_path: Path) -> Register:
    return exported_register(tmp_path / "registre.sqlite3", 2)


def _import(register: Register, path: Path, *options: str) -> int:
    return main(["register", "import-status", "--register", str(register.path), str(path), *options])


def test_a_portal_export_in_cp1252_under_a_title_is_previewed_then_applied(register: Register, tmp_path: Path,
                                                                          capsys) -> None:
    path = tmp_path / "export_portail.csv"
    path.write_bytes("Liste des demandes;;;\r\nExportée le 05/12/2025;;;\r\n;;;\r\n"
                     "N° de demande;Statut de la demande;Date de mise à jour;Motif\r\n"
                     "HOP-AV-1;VALIDE;02/12/2025;\r\nHOP-AV-2;Refusé;03/12/2025;Doublon avec un autre éditeur\r\n"
                     "HOP-AV-2;Refusé;03/12/2025;Doublon avec un autre éditeur\r\n".encode("cp1252"))
    assert _import(register, path) == 0
    out = capsys.readouterr().out
    assert "Fichier de statuts « export_portail.csv » (fichier CSV) :" in out  # no « feuille » the user never made
    assert ("Colonnes lues (en-têtes ligne 4) : « N° de demande » (Identifiant de la demande), « Statut de la demande » "
            "(Statut), « Date de mise à jour » (Date du statut), « Motif » (Commentaire).") in out
    assert "ligne 5 — À changer — HOP-AV-1 : Exportée → Validée" in out
    assert "ligne 6 — À changer — HOP-AV-2 : Exportée → Rejetée" in out
    assert "ligne 7 — Déjà à jour — HOP-AV-2 : Exportée → Rejetée — Répète la ligne 6 (« Rejetée ») : comptée une fois." in out
    assert "Aperçu seulement" in out and register.entry("HOP-AV-1").status == "exportee"
    assert _import(register, path, "--apply") == 0
    assert "2 changement(s) de statut enregistré(s)." in capsys.readouterr().out
    assert [h.comment for h in register.history("HOP-AV-2")][-1] == ("Doublon avec un autre éditeur — statut du portail "
                                                                     "au 03/12/2025")


def test_a_file_with_only_its_header_changes_nothing_and_says_so(register: Register, tmp_path: Path, capsys) -> None:
    path = tmp_path / "vide.csv"
    path.write_bytes("\ufeffN° BDC;Statut;Date\r\n".encode())
    assert _import(register, path, "--apply") == 0
    out = capsys.readouterr().out
    assert "Aucune ligne de statut sous les en-têtes (ligne 1) : ce fichier ne change rien." in out
    assert "0 changement(s) de statut enregistré(s)." in out


def test_another_registers_demandes_are_said_with_where_they_may_come_from(register: Register, tmp_path: Path,
                                                                           capsys) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("N° BDC,Statut\nAUTRE-1,Validée\nAUTRE-2,En cours\n", encoding="utf-8")
    assert _import(register, path, "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"inconnu": 2} and data["columns"] == {"bdc_number": "N° BDC", "status": "Statut"}
    assert data["notes"][0].startswith("Aucune ligne du fichier (2) ne désigne une demande de ce registre de suivi.")
    assert "exportées depuis un autre poste, importez d'abord la sauvegarde de son registre" in data["notes"][0]


def test_a_status_file_open_in_excel_is_one_french_sentence(register: Register, tmp_path: Path, capsys,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "statuts.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)

    def locked(name, flags):  # Windows: Excel holds the file, a sharing violation
        error = PermissionError(errno.EACCES, "The process cannot access the file because it is being used by another "
                                              "process", str(name))
        error.winerror = 32
        raise error

    monkeypatch.setattr(limits, "_no_wait", locked)
    assert _import(register, path, "--apply") == 2
    captured = capsys.readouterr()
    assert "fichier verrouillé par une autre application (Excel ?)" in captured.err
    assert "Fermez-le dans l'application qui l'a ouvert" in captured.err and "Traceback" not in captured.err
    assert register.entry("HOP-AV-1").status == "exportee"


def test_a_status_moving_backwards_is_refused_with_the_way_to_force_it(register: Register, tmp_path: Path,
                                                                       capsys) -> None:
    register.set_status([StatusChange("HOP-AV-1", "validee")], source="test")
    path = tmp_path / "ancien.csv"
    path.write_text("N° BDC;Statut\nBDC-1;En cours\n", encoding="utf-8")
    assert _import(register, path, "--apply") == 1
    out = capsys.readouterr().out
    assert "ligne 2 — Refusé — HOP-AV-1 : Validée → En cours — Une demande « Validée » ne peut pas passer" in out
    assert "1 changement(s) refusé(s) par le cycle de vie : s'il s'agit de corriger une erreur, relancez avec --force" in out
    assert register.entry("HOP-AV-1").status == "validee"
    assert _import(register, path, "--apply", "--force") == 0
    assert "relancez avec --force" not in capsys.readouterr().out
    assert register.entry("HOP-AV-1").status == "en_cours" and register.history("HOP-AV-1")[-1].forced


def test_the_preview_names_the_specific_date_column_and_two_alike_are_refused(register: Register, tmp_path: Path,
                                                                               capsys) -> None:
    """A generic « Date » left of « Date de mise à jour » gave the status date; two dates as specific: exit 2."""
    path = tmp_path / "statuts.csv"
    path.write_text("Date;N° de demande;Statut;Date de mise à jour\n01/10/2025;HOP-AV-1;Validée;03/12/2025\n",
                    encoding="utf-8")
    assert _import(register, path) == 0
    out = capsys.readouterr().out
    assert ("Colonnes lues (en-têtes ligne 1) : « N° de demande » (Identifiant de la demande), « Statut » (Statut), "
            "« Date de mise à jour » (Date du statut).") in out
    path.write_text("N° de demande;Statut;Date du statut;Date de décision\nHOP-AV-1;Validée;03/12/2025;04/12/2025\n",
                    encoding="utf-8")
    assert _import(register, path, "--apply") == 2
    err = capsys.readouterr().err
    assert "les colonnes C « Date du statut » et D « Date de décision » peuvent chacune donner « Date du statut »" in err
    assert "Traceback" not in err and register.entry("HOP-AV-1").status == "exportee"
