"""More vendor exports as real tools write them (issue #15): accounting and ERP lists (Sage, Cegid, Odoo), CSVs
written by scripts and web CRMs, title blocks, totals, headers with notes. Each one imports right, or is refused
with a French message naming the file, the sheet, the cells and the fix: never a silent misreading."""

from __future__ import annotations

from pathlib import Path

import pytest
from realworld import OFFIPLUS, Ids, d, workspace, write_xlsx

from segur_desktop.core.errors import InputError
from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.workspace import load_workspace


def run(folder: Path) -> PipelineResult:
    workspace_ = load_workspace(folder)
    return run_pipeline(workspace_, workspace_.judged_at)


def errors(result: PipelineResult) -> list[tuple[str, int | None, str]]:
    return sorted((Path(d.file).name if d.file else "", d.row, d.code)
                  for d in result.diagnostics if d.severity is Severity.ERROR)


def mapped(path: Path, list_kind: str) -> dict[str, str]:
    table = load_table(path, list_kind)
    return {name: table.headers[index] for name, index in table.columns.items()}


# -- headers ------------------------------------------------------------------------------------


def test_sage_and_odoo_titles_are_recognised(tmp_path: Path) -> None:
    """Sage names a client « Intitulé » and a document « N° pièce »; Odoo writes « Référence de la commande »."""
    clients = write_xlsx(tmp_path / "tiers.xlsx", {"Tiers": [["Code tiers", "Intitulé", "N° FINESS"]]})
    assert mapped(clients, "clients") == {"client_code": "Code tiers", "name": "Intitulé", "finess_et": "N° FINESS"}
    sage = write_xlsx(tmp_path / "sage.xlsx", {"Commandes": [["N° pièce", "Date", "Code tiers", "Intitulé tiers",
                                                              "Montant HT"]]})
    assert mapped(sage, "bdc") == {"bdc_number": "N° pièce", "signature_date": "Date", "client_code": "Code tiers",
                                   "client_name": "Intitulé tiers", "amount_ht": "Montant HT"}
    odoo = write_xlsx(tmp_path / "odoo.xlsx", {"Bons": [["Référence de la commande", "Date de la commande", "Client",
                                                         "Montant hors taxes", "FINESS"]]})
    assert mapped(odoo, "bdc")["bdc_number"] == "Référence de la commande"
    assert mapped(odoo, "bdc")["signature_date"] == "Date de la commande"


def test_a_title_with_a_note_in_brackets_or_a_line_break_is_its_title(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bdc.xlsx", {"BDC": [[
        "N° BDC\n(ADV)", "Date de signature [JJ/MM/AAAA]", " FINESS\ngéographique ", "Montant HT\n(€)  "]]})
    assert mapped(path, "bdc") == {"bdc_number": "N° BDC (ADV)", "signature_date": "Date de signature [JJ/MM/AAAA]",
                                   "finess_et": "FINESS géographique", "amount_ht": "Montant HT (€)"}


def test_two_columns_of_one_title_are_refused_not_the_first_taken(tmp_path: Path) -> None:
    """« Montant » twice (TTC then HT, as an ERP lays them): taking the first read every TTC amount as HT."""
    path = write_xlsx(tmp_path / "bdc.xlsx", {"Export": [
        ["N° BDC", "Date de signature", "FINESS", "Montant", "Montant"],
        ["BC1", d(8, 1), "750712184", 1050, 875]]})
    with pytest.raises(InputError) as refused:
        load_table(path, "bdc")
    text = str(refused.value)
    for part in ("« bdc.xlsx »", "« Export »", "ligne 1", "colonnes D et E", "« Montant »", "« Montant HT »",
                 "titres différents"):
        assert part in text, text


def test_two_columns_of_one_title_that_no_field_reads_are_no_matter(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bdc.xlsx", {"Export": [
        ["N° BDC", "Date de signature", "FINESS", "Montant HT", "Commentaire", "Commentaire"]]})
    assert set(mapped(path, "bdc")) == {"bdc_number", "signature_date", "finess", "amount_ht"}


def test_a_sage_export_joins_by_its_tiers_code(tmp_path: Path) -> None:
    ids = Ids(1515)
    finess = [ids.finess("13"), ids.finess("83")]
    write_xlsx(tmp_path / "tiers.xlsx", {"Tiers": [["Code tiers", "Intitulé", "N° FINESS"],
                                                   ["CLT0001", "Pharmacie du Port", finess[0]],
                                                   ["CLT0002", "Pharmacie Centrale", finess[1]]]})
    write_xlsx(tmp_path / "pieces.xlsx", {"Commandes": [
        ["N° pièce", "Date", "Code tiers", "Intitulé tiers", "Désignation", "Secteur", "Type", "Montant HT",
         "Fichier BDC"],
        ["BC0001", d(8, 1), "CLT0001", "Pharmacie du Port", "OffiPlus V3", "Officine", "Avance", 875, "BC0001.pdf"],
        ["BC0002", d(8, 2), "clt0002", "Pharmacie Centrale", "OffiPlus V3", "Officine", "Avance", 625, "BC0002.pdf"]]})
    workspace(tmp_path, "Sage", [OFFIPLUS], "tiers.xlsx", "pieces.xlsx", ["BC0001.pdf", "BC0002.pdf"])
    result = run(tmp_path)
    assert errors(result) == []
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [2, 3]
