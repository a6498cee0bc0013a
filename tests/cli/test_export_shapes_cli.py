"""Export shapes of the real world through the command line (issue #15): a CSV named as a file, not a sheet."""

from __future__ import annotations

from pathlib import Path

from realworld import OFFIPLUS, workspace

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
