"""Each couloir's funding as the programme defines it (issue #21): the 120-day rule from the conformity dossier,
the MSSanté formula, the officine forfait, SAS per vendor, overseas VAT. The values asserted are the sources'."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from testdata import FINESS_A, FINESS_B, SOLUTIONS, rendered

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

AT = parse_instant("2022-11-28T10:00:00+01:00")
REFERENCED = date(2022, 6, 15)  # SOLUTIONS' « Test DPI »
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "CHU de Martinique", FINESS_B, None, "97200", "Fort-de-France"]]


def run(folder):
    return run_pipeline(load_workspace(folder), AT)


def codes(result) -> list[str]:
    return sorted(d.code for d in result.diagnostics)


def with_dossier(deposited: str | None) -> list[dict]:
    solutions = [dict(s, referencement=dict(s["referencement"])) for s in SOLUTIONS]
    solutions[0]["referencement"].pop("depot_conformite", None)
    if deposited:
        solutions[0]["referencement"]["depot_conformite"] = deposited
    return solutions


def test_the_120_days_count_from_the_conformity_dossier(make_workspace) -> None:
    dossier = date(2022, 4, 1)  # submitted 75 days before the referencing
    signed = REFERENCED - timedelta(days=150)  # 150 days before referencing, 75 before the dossier
    too_early = dossier - timedelta(days=130)
    folder = make_workspace(CLIENTS, [["B1", "C1", "Test DPI", "Avance", signed, 1000, "B1.pdf"],
                                      ["B2", "C1", "Test DPI", "Avance", too_early, 1000, "B2.pdf"]],
                            solutions=with_dossier(dossier.isoformat()))
    result = run(folder)
    early = [d for d in result.diagnostics if d.code.startswith("bdc_trop_tot")]
    assert [(d.code, d.row) for d in early] == [("bdc_trop_tot", 3)]  # B1 accepted (refused before #21)
    assert "01/04/2022" in early[0].message and "date_conformite_absente" not in codes(result)


def test_without_the_dossier_date_the_referencing_date_is_used_and_said(make_workspace) -> None:
    signed = REFERENCED - timedelta(days=150)
    result = run(make_workspace(CLIENTS, [["B1", "C1", "Test DPI", "Avance", signed, 1000, "B1.pdf"]],
                                solutions=with_dossier(None)))
    (warning,) = [d for d in result.diagnostics if d.code == "date_conformite_absente" and "Test DPI" in d.message]
    assert "15/06/2022" in warning.message and warning.severity == "warning"
    (refused,) = [d for d in result.diagnostics if d.code == "bdc_trop_tot_referencement"]
    assert refused.row == 2 and "depot_conformite" in refused.fix


def test_the_mssante_formula_to_the_cent() -> None:
    rule = load_catalog().couloirs["MSS"].funding
    assert rule.mode == "formule_mss"
    assert rule.mss_rates == {"applicative": Decimal("58.33"), "organisationnelle": Decimal("20.83"),
                              "personnelle": Decimal("5.00"), "forfait": Decimal("6666.67")}
    assert rule.mss_amount(10, 200, 3000) == Decimal("26415.97")  # 583,30 + 4 166,00 + 15 000,00 + 6 666,67
    assert rule.mss_amount(1000, 10000, 10000) == Decimal("250000.00")  # the cap


MSS_SOLUTION = [{"id": "mss", "nom": "Connecteur MSS", "couloir": "MSS", "type_logiciel": "MSS",
                 "referencement": {"id": "REF-MSS", "date": "2022-06-15", "depot_conformite": "2022-05-01"}}]
MSS_HEADERS = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT",
               "Fichier BDC", "BAL applicatives", "BAL organisationnelles", "BAL personnelles"]
MSS_CLIENTS = [["OP1", "Opérateur A", None, None, "75011", "Paris", "73282932000074"]]
MSS_CLIENT_HEADERS = ["Code client", "Raison sociale", "N° FINESS ET", "RPPS", "Code postal", "Ville", "SIRET"]


@pytest.mark.parametrize("amount, expected", [(26415.97, []), (26415.98, ["montant_mss_depasse"])])
def test_an_mss_bdc_above_its_formula_is_flagged(make_workspace, amount: float, expected: list[str]) -> None:
    folder = make_workspace(MSS_CLIENTS, [["M1", "OP1", "Connecteur MSS", "Avance", date(2022, 9, 1), amount,
                                           "M1.pdf", 10, 200, 3000]],
                            bdc_headers=MSS_HEADERS, client_headers=MSS_CLIENT_HEADERS, solutions=MSS_SOLUTION)
    result = run(folder)
    found = [d for d in result.diagnostics if d.code in ("montant_mss_depasse", "bal_mss_absentes")]
    assert [d.code for d in found] == expected
    if expected:
        assert "26\u202f415,97 €" in found[0].message and found[0].column == "F"
    assert rendered(result, result.demandes[0])["bonDeCommande"]["montantHT"] == f"{amount:.2f}"


def test_an_mss_bdc_without_mailbox_counts_cannot_be_checked(make_workspace) -> None:
    folder = make_workspace(MSS_CLIENTS, [["M1", "OP1", "Connecteur MSS", "Avance", date(2022, 9, 1), 1000,
                                           "M1.pdf", 10, None, 3000]],
                            bdc_headers=MSS_HEADERS, client_headers=MSS_CLIENT_HEADERS, solutions=MSS_SOLUTION)
    (found,) = [d for d in run(folder).diagnostics if d.code == "bal_mss_absentes"]
    assert "BAL organisationnelles" in found.message and found.row == 2


PHA_SOLUTION = [{"id": "lgo", "nom": "Officine Plus", "couloir": "PHA", "type_logiciel": "LGO",
                 "referencement": {"id": "REF-LGO", "date": "2022-06-15", "depot_conformite": "2022-05-01"}}]
PHA_CLIENT_HEADERS = ["Code client", "Raison sociale", "N° FINESS ET", "RPPS", "Code postal", "Ville",
                      "Forfait officine"]


def test_an_officine_asks_for_its_own_forfait(make_workspace) -> None:
    clients = [["P1", "Pharmacie A", FINESS_A, None, "75011", "Paris", 625],
               ["P2", "Pharmacie B", FINESS_B, None, "69003", "Lyon", 700]]
    folder = make_workspace(clients, [["L1", "P1", "Officine Plus", "Avance", date(2022, 9, 1), 875, "L1.pdf"],
                                      ["L2", "P2", "Officine Plus", "Avance", date(2022, 9, 1), 875, "L2.pdf"]],
                            client_headers=PHA_CLIENT_HEADERS, solutions=PHA_SOLUTION)
    found = {d.code: d for d in run(folder).diagnostics if d.code.startswith("forfait_officine")}
    assert set(found) == {"forfait_officine_different", "forfait_officine_inconnu"}
    assert "625,00 €" in found["forfait_officine_different"].message and found["forfait_officine_different"].row == 2
    assert found["forfait_officine_inconnu"].file.endswith("clients.xlsx") and found["forfait_officine_inconnu"].row == 3


def test_an_officine_without_forfait_column_is_said_once(make_workspace) -> None:
    clients = [["P1", "Pharmacie A", FINESS_A, None, "75011", "Paris"]]
    folder = make_workspace(clients, [["L1", "P1", "Officine Plus", "Avance", date(2022, 9, 1), 875, "L1.pdf"]],
                            solutions=PHA_SOLUTION)
    (found,) = [d for d in run(folder).diagnostics if d.code == "forfait_officine_absent"]
    assert found.severity == "warning" and "1 officine" in found.message


def test_sas_is_a_forfait_per_vendor_not_client_bdcs(make_workspace) -> None:
    sas = [{"id": "sas", "nom": "Agenda SAS", "couloir": "SAS", "type_logiciel": "SAS",
            "referencement": {"id": "REF-SAS", "date": "2022-06-15", "depot_conformite": "2022-05-01"}}]
    clients = [["S1", "Cabinet", None, None, "75011", "Paris", "73282932000074"]]
    folder = make_workspace(clients, [["S1-1", "S1", "Agenda SAS", "Avance", date(2022, 9, 1), 30000, "S.pdf"]],
                            client_headers=MSS_CLIENT_HEADERS, solutions=sas)
    result = run(folder)
    (found,) = [d for d in result.diagnostics if d.code == "sas_forfait_editeur"]
    assert "100\u202f000,00 €" in found.message and "30\u202f000,00 €" in found.message and "70\u202f000,00 €" in found.message
    assert not result.demandes[0].valid


@pytest.mark.parametrize("postal_code, ttc", [("97200", "10850.00"), ("97100", "10850.00"), ("97400", "10850.00"),
                                              ("97300", "10000.00"), ("97600", "10000.00"), ("75011", "12000.00")])
def test_ttc_follows_the_client_s_vat(make_workspace, postal_code: str, ttc: str) -> None:
    clients = [["C1", "Client", FINESS_A, None, postal_code, "Ville"]]
    result = run(make_workspace(clients, [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000, "B1.pdf"]]))
    assert rendered(result, result.demandes[0])["bonDeCommande"]["montantTTC"] == ttc
    assert "montant_ttc_incoherent" not in codes(result)


def test_a_martinique_ttc_at_20_percent_is_a_warning(make_workspace) -> None:
    headers = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT",
               "Fichier BDC", "Montant TTC"]
    result = run(make_workspace(CLIENTS, [["B1", "C2", "Test DPI", "Avance", date(2022, 9, 1), 10000, "B1.pdf", 12000]],
                                bdc_headers=headers))
    (found,) = [d for d in result.diagnostics if d.code == "montant_ttc_incoherent"]
    assert "8,5 %" in found.message and "10\u202f850,00 €" in found.message


def test_a_bdc_signed_before_the_couloir_s_decree_is_not_eligible(make_workspace) -> None:
    # MS1: arrêté du 2 février 2022, published in the JO of 12/02/2022 (couloirs.json « arrete »).
    assert load_catalog().couloirs["MS1"].decree_date == date(2022, 2, 12)
    ms1 = [{"id": "dui", "nom": "Test DUI", "couloir": "MS1", "type_logiciel": "DUI",
            "referencement": {"id": "R", "date": "2022-04-01", "depot_conformite": "2022-03-01"}}]
    folder = make_workspace(CLIENTS, [["B1", "C1", "Test DUI", "Avance", date(2022, 2, 11), 1000, "B1.pdf"],
                                      ["B2", "C1", "Test DUI", "Avance", date(2022, 2, 12), 1000, "B2.pdf"],
                                      ["B3", "C1", "Test DUI", "Avance", date(2022, 9, 13), 1000, "B3.pdf"]],
                            solutions=ms1)
    found = [(d.code, d.row) for d in run(folder).diagnostics if d.code == "bdc_avant_arrete"]
    assert found == [("bdc_avant_arrete", 2)]


def test_ms2_pde_bdcs_wait_for_their_own_decree(make_workspace) -> None:
    # MS2 PDE: arrêté du 7 septembre 2022, published in the JORF of 30/09/2022; MS1's decree (12/02/2022) is not its.
    assert load_catalog().couloirs["MS2-PDE"].decree_date == date(2022, 9, 30)
    pde = [{"id": "dui", "nom": "Test DUI", "couloir": "MS2-PDE", "type_logiciel": "DUI",
            "referencement": {"id": "R", "date": "2022-11-01", "depot_conformite": "2022-10-01"}}]
    folder = make_workspace(CLIENTS, [["B1", "C1", "Test DUI", "Avance", date(2022, 9, 29), 1000, "B1.pdf"],
                                      ["B2", "C1", "Test DUI", "Avance", date(2022, 9, 30), 1000, "B2.pdf"]],
                            solutions=pde)
    found = [(d.code, d.row) for d in run(folder).diagnostics if d.code == "bdc_avant_arrete"]
    assert found == [("bdc_avant_arrete", 2)]


def test_an_mss_solde_names_the_mssante_address_used(make_workspace) -> None:
    headers = [*MSS_HEADERS, "Date d'installation", "N° facture", "Date facture", "Fichier facture", "Justificatif",
               "Fichier MOM/VA", "Adresse MSSanté"]
    row = ["M1", "OP1", "Connecteur MSS", "Solde", date(2022, 9, 1), 1000, "M1.pdf", 10, 200, 3000,
           date(2022, 10, 1), "F1", date(2022, 10, 2), "F1.pdf", "VA", "VA1.pdf"]
    pdfs = ["M1.pdf", "F1.pdf", "VA1.pdf"]
    with_address = make_workspace(MSS_CLIENTS, [[*row, "BAL@Op-A.mssante.fr"]], bdc_headers=headers,
                                  client_headers=MSS_CLIENT_HEADERS, solutions=MSS_SOLUTION, pdfs=pdfs)
    result = run(with_address)
    assert rendered(result, result.demandes[0])["adresseMSSante"] == "bal@op-a.mssante.fr"
    assert not [d for d in result.diagnostics if d.code == "schema"]
    without = make_workspace(MSS_CLIENTS, [[*row, None]], bdc_headers=headers, client_headers=MSS_CLIENT_HEADERS,
                             solutions=MSS_SOLUTION, pdfs=pdfs)
    (missing,) = [d for d in run(without).diagnostics if d.code == "schema"]
    assert "Adresse MSSanté utilisée" in missing.message and missing.row == 2
