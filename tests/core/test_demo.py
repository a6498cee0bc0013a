"""The bundled demo workspace: each deliberate mistake gives one diagnostic at its cell."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import run_pipeline, write_outputs
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import load_workspace

# (code, file, row, column): resources/demo/README.md lists the same mistakes.
EXPECTED = {
    ("identifiant_zero_restaure", "clients.xlsx", 22, "C"),
    ("identifiant_cle", "clients.xlsx", 7, "C"),
    ("identifiant_longueur", "clients.xlsx", 18, "E"),
    ("date_impossible", "bons_de_commande.xlsx", 4, "E"),
    ("client_inconnu", "bons_de_commande.xlsx", 12, "B"),
    ("bdc_duplique", "bons_de_commande.xlsx", 15, "A"),
    ("piece_absente", "bons_de_commande.xlsx", 16, "H"),
    ("bdc_trop_tot", "bons_de_commande.xlsx", 24, "E"),
    ("forfait_officine_different", "bons_de_commande.xlsx", 29, "F"),
    ("piece_nom_approchant", "bons_de_commande.xlsx", 31, "H"),
    ("bdc_date_future", "bons_de_commande.xlsx", 35, "E"),
}


@pytest.fixture(scope="module")
def result():
    workspace = load_workspace(Path(__file__).parents[2] / "resources" / "demo")
    return run_pipeline(workspace, workspace.judged_at)


def test_each_deliberate_mistake_is_found_at_its_cell(result) -> None:
    located = {(d.code, Path(d.file).name, d.row, d.column) for d in result.diagnostics
               if d.severity is not Severity.INFO}
    assert located == EXPECTED


def test_demo_summary(result) -> None:
    summary = result.summary()
    assert summary.bdc_rows == 41
    assert summary.requests == 38
    assert summary.valid == 32
    assert {g.couloir for g in summary.by_couloir} >= {"HOP", "MDV", "BIO", "PHA", "MS1", "MSS"}
    assert result.has_errors


def test_the_demo_shows_overseas_vat_and_an_mssante_operator(result) -> None:
    # Issue #21: the CHU de Martinique's TTC at 8,5 %, the MSSanté operator's amount from its mailboxes.
    by_client = {d.fields["beneficiaire.raison_sociale"]: d for d in result.demandes}
    martinique = by_client["CHU de Martinique"]
    assert martinique.valid and martinique.fields["bdc.montant_ttc"] == Decimal("20072.50")  # 18 500,00 × 1,085
    operator = by_client["GCS e-Santé Occitanie"]
    assert operator.valid and operator.couloir.code == "MSS"
    assert operator.fields["bdc.montant_ht"] == operator.couloir.funding.mss_amount(10, 200, 3000) == Decimal("26415.97")


def test_text_amount_and_text_date_are_read_without_complaint(result) -> None:
    by_bdc = {d.fields["bdc.numero"]: d for d in result.demandes}
    assert by_bdc["BDC-2022-0006"].fields["bdc.montant_ht"] == Decimal("18500.00")  # "18 500,00 €"
    assert by_bdc["BDC-2022-0005"].valid  # date typed as text "dd/mm/yyyy"


def test_written_files_hold_only_valid_requests_and_pass_their_schema(result, tmp_path: Path) -> None:
    written = write_outputs(result, tmp_path)
    valid_ids = {d.id for d in result.demandes if d.valid}
    registry = SchemaRegistry.default()
    seen = set()
    for file in written:
        data = json.loads(file.path.read_text(encoding="utf-8"))
        assert registry.file_errors(data["couloir"], data["typeDemande"], data) == []
        seen |= {demande["idDemande"] for demande in data["demandes"]}
    assert seen == valid_ids
    report = json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))
    assert report["summary"]["valid"] == len(valid_ids)
