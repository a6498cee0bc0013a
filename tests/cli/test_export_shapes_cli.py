"""Export shapes of the real world through the command line (issue #15): two-level headers, notes under the list, a
CSV named as a file."""

from __future__ import annotations

import json
from pathlib import Path

from realworld import FOOTER, OFFIPLUS, footer_export, two_level_export, workspace

from segur_desktop.cli import main


def test_a_csv_is_named_a_csv_file_not_a_sheet_named_after_it(tmp_path: Path, capsys) -> None:
    """A CSV's one sheet is named after the file (« clients »): « feuille « clients » » named a sheet the user never
    made, in `mapping suggest` as in the refusals of `validate`."""
    path = tmp_path / "clients.csv"
    path.write_text("Code client;Raison sociale;Commentaire\r\nC1;Pharmacie du Port;\r\n", encoding="utf-8")
    assert main(["mapping", "suggest", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Fichier : clients.csv — fichier CSV, en-têtes ligne 1 (liste des clients)" in out
    assert "feuille" not in out
    (tmp_path / "bdc.csv").write_text("N° BDC;Date de signature;Montant HT\r\nBC1;01/08/2022;875\r\n", encoding="utf-8")
    workspace(tmp_path, "CSV", [OFFIPLUS], "clients.csv", "bdc.csv", [])
    assert main(["validate", "-w", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Dans « clients.csv » (fichier CSV, en-têtes ligne 1), aucune colonne ne correspond à « FINESS ET »" in err, err
    assert "feuille" not in err


def test_a_two_level_header_through_validate_and_mapping_suggest(tmp_path: Path, capsys) -> None:
    """« Client » over « Code », « Nom », « SIRET » and « Montant » over « HT », « TTC »: suggested and validated as
    the joined titles, and a cell's problem names « Client SIRET »."""
    orders, wrong = two_level_export(tmp_path)
    assert main(["mapping", "suggest", str(tmp_path / "commandes.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "feuille « Commandes », en-têtes ligne 4 (liste des bons de commande)" in out
    for line in ("SIRET", "siret", "E", "«", "Client", "SIRET", "»"), ("Montant", "HT", "amount_ht", "I", "«", "Montant",
                                                                          "HT", "»"):
        assert any(row.split() == list(line) for row in out.splitlines()), out
    assert main(["validate", "-w", str(tmp_path), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    problems = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert [(d["code"], d["row"], d["column"], d["header"]) for d in problems] == [
        ("identifiant_cle", wrong, "E", "Client SIRET")]
    assert report["summary"]["valid"] == len(orders)


def test_notes_under_the_list_through_validate(tmp_path: Path, capsys) -> None:
    """An ERP's footer (source, page, who printed it, the amounts' unit) under both lists: no error, each note said."""
    footer_export(tmp_path)
    assert main(["validate", "-w", str(tmp_path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    notes = sorted((Path(d["file"]).name, d["row"]) for d in report["diagnostics"] if d["code"] == "ligne_note")
    assert notes == [(name, row) for name in ("bdc.xlsx", "clients.xlsx") for row in range(6, 6 + len(FOOTER))]
    assert not [d for d in report["diagnostics"] if d["severity"] == "error"]
