"""The pipeline on small purpose-made workspaces: joins, ids, determinism, all-or-nothing files."""

import json
from datetime import date
from pathlib import Path

import pytest
from testdata import FINESS_A, FINESS_B, FINESS_ZERO, RPPS_A, luhn_complete, rendered

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.errors import Cancelled
from segur_desktop.core.pipeline import run_pipeline, write_outputs
from segur_desktop.core.progress import CancelToken
from segur_desktop.core.validate import run as validate_run
from segur_desktop.core.workspace import load_workspace

AT = parse_instant("2022-11-28T10:00:00+01:00")
CLIENTS = [
    ["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
    ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"],
    ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"],
]
BDCS = [
    ["BDC-1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000, "BDC-1.pdf"],
    ["BDC-2", "c2", "Test DPI", "avance", "15/09/2022", "12 000,00 €", "BDC-2.pdf"],
    ["BDC-3", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "BDC-3.pdf"],
]


def run(folder: Path):
    return run_pipeline(load_workspace(folder), AT)


def codes(result) -> list[str]:
    return sorted(d.code for d in result.diagnostics if d.severity != "info")


def test_clean_inputs_give_valid_requests_per_couloir(make_workspace) -> None:
    result = run(make_workspace(CLIENTS, BDCS))
    assert codes(result) == []
    assert [d.valid for d in result.demandes] == [True, True, True]
    assert {(d.couloir.code, d.type) for d in result.demandes} == {("HOP", "avance"), ("MDV", "avance")}
    first = rendered(result, result.demandes[0])
    assert first["beneficiaire"] == {"raisonSociale": "Centre hospitalier A", "typeIdentifiant": "FINESS_ET",
                                     "identifiant": FINESS_A, "codePostal": "75011", "commune": "Paris"}
    assert first["bonDeCommande"] == {"numero": "BDC-1", "dateSignature": "2022-09-01",
                                      "montantHT": "10000.00", "montantTTC": "12000.00"}
    assert first["montantDemandeHT"] == "3000.00"
    assert result.demandes[2].fields["beneficiaire.type_identifiant"] == "RPPS"  # MDV prefers RPPS
    assert not result.has_errors


def test_request_ids_are_stable_and_content_derived(make_workspace) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    first = [d.id for d in run(folder).demandes]
    assert first == [d.id for d in run(folder).demandes]
    assert first[0].startswith("HOP-AV-") and len(set(first)) == 3


def test_rebuild_is_byte_identical(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    write_outputs(run(folder), tmp_path / "a")
    write_outputs(run(folder), tmp_path / "b")
    for name in ("HOP_avance.json", "MDV_avance.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_one_bad_request_stays_out_of_the_file(make_workspace, tmp_path: Path) -> None:
    clients = [*CLIENTS, ["C5", "Clinique E", luhn_complete("33000005"), None, "33000", "Bordeaux"]]
    bdcs = [*BDCS[:2], ["BDC-4", "C5", "Test DPI", "Avance", "31/02/2022", 5000, "BDC-4.pdf"]]
    result = run(make_workspace(clients, bdcs))
    write_outputs(result, tmp_path)
    data = json.loads((tmp_path / "HOP_avance.json").read_text(encoding="utf-8"))
    assert [d["bonDeCommande"]["numero"] for d in data["demandes"]] == ["BDC-1", "BDC-2"]
    assert codes(result) == ["date_impossible"]
    bad = next(d for d in result.diagnostics if d.code == "date_impossible")
    assert bad.request is not None and bad.row == 4 and bad.column == "E"


def test_stale_file_from_previous_build_is_removed(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    write_outputs(run(folder), tmp_path)
    assert (tmp_path / "MDV_avance.json").exists()
    folder = make_workspace(CLIENTS, BDCS[:2])
    write_outputs(run(folder), tmp_path)
    assert not (tmp_path / "MDV_avance.json").exists()
    assert (tmp_path / "HOP_avance.json").exists()


def test_max_per_file_splits(make_workspace, tmp_path: Path) -> None:
    result = run(make_workspace(CLIENTS, BDCS))
    names = sorted(w.path.name for w in write_outputs(result, tmp_path, max_per_file=1))
    assert names == ["HOP_avance_01.json", "HOP_avance_02.json", "MDV_avance.json"]


def test_unknown_client_and_lost_zero(make_workspace) -> None:
    clients = [*CLIENTS, ["C4", "Labo D", int(FINESS_ZERO), None, "01000", "Bourg-en-Bresse"]]
    bdcs = [*BDCS, ["BDC-5", "C9", "Test DPI", "Avance", date(2022, 9, 3), 900, "BDC-5.pdf"],
            ["BDC-6", "C4", "Test DPI", "Avance", date(2022, 9, 3), 900, "BDC-6.pdf"]]
    result = run(make_workspace(clients, bdcs))
    assert codes(result) == ["client_inconnu", "identifiant_zero_restaure"]
    restored = next(d for d in result.demandes if d.fields["bdc.numero"] == "BDC-6")
    assert restored.fields["beneficiaire.identifiant"] == FINESS_ZERO and restored.valid


def test_solde_request_carries_invoice_and_proof(make_workspace) -> None:
    headers = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT",
               "Fichier BDC", "Date d'installation", "N° facture", "Date facture", "Fichier facture",
               "Justificatif", "Fichier MOM/VA"]
    bdcs = [["BDC-3", "C3", "Test Cabinet", "Solde", date(2022, 9, 2), 1100, "BDC-3.pdf", date(2022, 10, 1),
             "FA-1", date(2022, 10, 2), "FA-1.pdf", "VA", "VA-1.pdf"]]
    result = run(make_workspace(CLIENTS, bdcs, bdc_headers=headers, pdfs=["BDC-3.pdf", "FA-1.pdf", "VA-1.pdf"]))
    assert codes(result) == []
    data = rendered(result, result.demandes[0])
    assert data["montantDemandeHT"] == "770.00"  # 70 % of 1100.00
    assert data["facture"] == {"numero": "FA-1", "date": "2022-10-02", "nomFichier": "FA-1.pdf"}
    assert [p["type"] for p in data["piecesJustificatives"]] == ["BDC", "FACTURE", "VA"]


def test_solde_missing_invoice_is_a_schema_error_at_the_row(make_workspace) -> None:
    bdcs = [["BDC-3", "C3", "Test Cabinet", "Solde", date(2022, 9, 2), 1100, "BDC-3.pdf"]]
    result = run(make_workspace(CLIENTS, bdcs))
    schema_errors = [d for d in result.diagnostics if d.code == "schema"]
    assert schema_errors and all(d.row == 2 for d in schema_errors)
    assert any("dateInstallation" in d.message for d in schema_errors)
    assert not result.demandes[0].valid


def test_cancel_stops_the_pipeline(make_workspace) -> None:
    token = CancelToken()
    token.cancel()
    bdcs = [[f"BDC-{i}", "C1", "Test DPI", "Avance", date(2022, 9, 1), 100, f"BDC-{i}.pdf"] for i in range(2100)]
    with pytest.raises(Cancelled):
        run_pipeline(load_workspace(make_workspace(CLIENTS, bdcs, pdfs=[])), AT, cancel=token)


def test_progress_is_reported(make_workspace) -> None:
    seen = []
    run_pipeline(load_workspace(make_workspace(CLIENTS, BDCS)), AT, progress=seen.append)
    assert any(p.stage.startswith("Lecture de clients.xlsx") for p in seen)
    last = [p for p in seen if p.stage == "Vérification des demandes"][-1]
    assert last.done == last.total == 3


def test_schema_findings_keep_the_demandes_order(make_workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # Demandes are checked per block, one call per couloir and type: the findings still come
    # in the demandes' order, and only the broken demandes have any.
    monkeypatch.setattr(validate_run, "PROGRESS_EVERY", 3)
    long_number = "B" * 250  # passes the readers, not the schema (200 characters at most)
    bdcs = [[f"{long_number}{i}" if i in (1, 4, 5) else f"BDC-{i}", "C1" if i % 2 else "C3",
             "Test DPI" if i % 2 else "Test Cabinet", "Avance", date(2022, 9, 1), 100, "x.pdf"] for i in range(8)]
    result = run(make_workspace(CLIENTS, bdcs, pdfs=["x.pdf"]))
    rows = [d.row for d in result.diagnostics if d.code == "schema"]
    assert rows == [3, 6, 7]
    assert [d.valid for d in result.demandes if d.bdc.row in (3, 6, 7)] == [False] * 3
