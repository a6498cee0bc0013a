"""The join of BDC rows to clients by every key they carry (issue #15): no shared client code needed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from testdata import FINESS_A, FINESS_B, RPPS_A, luhn_complete

from segur_desktop.core.errors import InputError
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, tzinfo=ZoneInfo("Europe/Paris"))
SIRET_A = "73282932000074"
SIRET_B = luhn_complete(luhn_complete("12345678") + "0001")
FINESS_EJ = luhn_complete("75000100")
FINESS_NEAR = luhn_complete("75000011")  # one digit off FINESS_A's body, with a valid key of its own
CLIENT_HEADERS = ["Nom du client", "N° FINESS Géographique", "N° FINESS Juridique", "SIRET", "RPPS", "Code postal",
                  "Ville"]
BDC_HEADERS = ["N° commande", "Client", "FINESS", "SIRET / RPPS", "Produit", "Couloir Ségur", "Type",
               "Date commande", "Montant HT", "PDF BDC"]


def clients() -> list[list]:
    return [
        ["Centre hospitalier A", FINESS_A, FINESS_EJ, None, None, "75011", "Paris"],
        ["Clinique B", FINESS_B, FINESS_EJ, SIRET_B, None, "69003", "Lyon"],
        ["Cabinet du Dr C", None, None, None, RPPS_A, "44000", "Nantes"],
        ["Centre d'imagerie D", None, None, SIRET_A, None, "33000", "Bordeaux"],
    ]


def bdc(number: str, name: str, finess: object = None, mixed: object = None, product: str = "Test DPI 1.0.3",
        couloir: str = "Hôpital") -> list:
    return [number, name, finess, mixed, product, couloir, "Avance", date(2022, 9, 1), 1000, f"{number}.pdf"]


def run(make_workspace, rows: list[list], client_rows: list[list] | None = None, **kwargs):
    folder = make_workspace(client_rows or clients(), rows, client_headers=CLIENT_HEADERS, bdc_headers=BDC_HEADERS,
                            **kwargs)
    return run_pipeline(load_workspace(folder), AT)


def found(result, severity: str = "error") -> list[tuple[str, int, str]]:
    return [(d.code, d.row, d.column or "") for d in result.diagnostics if d.severity == severity]


def test_rows_are_joined_by_identifiers_written_differently_in_the_two_lists(make_workspace) -> None:
    spaced = f"{FINESS_A[:3]}\u00a0{FINESS_A[3:6]}\u202f{FINESS_A[6:]}"  # « 750 000 019 », NBSP and narrow NBSP
    dotted = ".".join([SIRET_A[:3], SIRET_A[3:6], SIRET_A[6:9], SIRET_A[9:]])
    result = run(make_workspace, [
        bdc("B1", "CH A", finess=spaced),
        bdc("B2", "Dr C", mixed=int(RPPS_A), product="Test Cabinet", couloir="Médecine de ville"),
        bdc("B3", "Imagerie D", mixed=dotted, product="Test Cabinet", couloir="MDV"),
    ])
    assert found(result) == []
    assert [(d.bdc.row, d.client.row, d.joined_by) for d in result.demandes] == [
        (2, 2, "FINESS_ET"), (3, 4, "RPPS"), (4, 5, "SIRET")]
    assert [d.fields["beneficiaire.identifiant"] for d in result.demandes] == [FINESS_A, RPPS_A, SIRET_A]
    assert all(d.valid for d in result.demandes)


def test_a_number_that_lost_its_leading_zero_joins_the_text_one(make_workspace) -> None:
    finess_ain = luhn_complete("01000003")
    rows = [["Labo de l'Ain", int(finess_ain), None, None, None, "01000", "Bourg"]]
    result = run(make_workspace, [bdc("B1", "Labo", finess=finess_ain)], rows)
    assert [d.client.row for d in result.demandes] == [2]
    assert found(result, "warning") == [("identifiant_zero_restaure", 2, "B")]


def test_keys_designating_two_clients_are_an_error_naming_both_rows(make_workspace) -> None:
    result = run(make_workspace, [bdc("B1", "CH A", finess=FINESS_A, mixed=SIRET_B)])
    [error] = [d for d in result.diagnostics if d.severity == "error"]
    assert (error.code, error.row, error.column) == ("identifiants_contradictoires", 2, "D")
    assert "ligne 2" in error.message and "ligne 3" in error.message
    assert result.demandes == []


def test_a_key_contradicting_the_joined_clients_own_value_is_an_error(make_workspace) -> None:
    result = run(make_workspace, [bdc("B1", "Clinique B", finess=FINESS_B, mixed=SIRET_A)], [
        clients()[1], ["Centre d'imagerie D", None, None, SIRET_A, None, "33000", "Bordeaux"]])
    # FINESS_B designates the clinic; SIRET_A the imaging centre: two clients
    assert found(result) == [("identifiants_contradictoires", 2, "D")]


def test_a_near_miss_identifier_whose_name_matches_is_never_joined(make_workspace) -> None:
    result = run(make_workspace, [bdc("B1", "Centre hospitalier A", finess=FINESS_NEAR)])
    [error] = [d for d in result.diagnostics if d.severity == "error"]
    assert (error.code, error.row, error.column) == ("client_inconnu", 2, "C")
    assert "Centre hospitalier A" in error.message and "numéro très proche" in error.message
    assert "jamais rapprochés d'office" in error.message
    assert result.demandes == []


def test_a_client_listed_twice_with_the_same_identifier_is_merged_with_a_warning(make_workspace) -> None:
    rows = [clients()[0], ["Centre Hospitalier A  ", FINESS_A, None, None, None, "75011", "Paris"]]
    result = run(make_workspace, [bdc("B1", "CH A", finess=FINESS_A)], rows)
    assert found(result) == []
    assert found(result, "warning") == [("client_fusionne", 3, "A")]
    assert [d.client.row for d in result.demandes] == [2]


def test_two_client_rows_sharing_an_identifier_but_not_another_are_an_error(make_workspace) -> None:
    rows = [["Clinique B", FINESS_B, None, SIRET_B, None, "69003", "Lyon"],
            ["Clinique B bis", FINESS_B, None, SIRET_A, None, "69003", "Lyon"]]
    result = run(make_workspace, [bdc("B1", "Clinique B", finess=FINESS_B)], rows)
    assert ("client_duplique", 3, "B") in found(result)
    assert ("identifiants_contradictoires", 2, "C") in found(result)  # which of the two? never guessed
    assert result.demandes == []


def test_a_shared_ej_alone_is_ambiguous_but_narrowed_by_another_key(make_workspace) -> None:
    headers = ["N° BDC", "Client", "FINESS EJ", "SIRET", "Produit", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    rows = [["B1", "?", FINESS_EJ, None, "Test DPI", "HOP", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
            ["B2", "?", FINESS_EJ, SIRET_B, "Test DPI", "HOP", "Avance", date(2022, 9, 1), 1000, "B2.pdf"]]
    folder = make_workspace(clients(), rows, client_headers=CLIENT_HEADERS, bdc_headers=headers)
    result = run_pipeline(load_workspace(folder), AT)
    assert found(result) == [("client_ambigu", 2, "C")]
    assert [(d.bdc.row, d.client.row, d.joined_by) for d in result.demandes] == [(3, 3, "SIRET")]


def test_a_nine_digit_value_read_as_finess_of_one_and_siren_of_another_is_an_error(make_workspace) -> None:
    both = luhn_complete("75000123")  # a valid FINESS (Paris) and a valid SIREN
    rows = [["Centre hospitalier A", both, None, None, None, "75011", "Paris"],
            ["Société B", None, None, luhn_complete(both + "0001"), None, "69003", "Lyon"]]
    headers = ["N° BDC", "Client", "Identifiant", "Produit", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    folder = make_workspace(rows, [["B1", "?", both, "Test DPI", "HOP", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]],
                            client_headers=CLIENT_HEADERS, bdc_headers=headers)
    result = run_pipeline(load_workspace(folder), AT)
    assert found(result) == [("identifiants_contradictoires", 2, "C")]


def test_a_nine_digit_value_that_only_one_reading_finds_is_joined(make_workspace) -> None:
    both = luhn_complete("75000123")
    rows = [["Centre hospitalier A", both, None, None, None, "75011", "Paris"]]
    headers = ["N° BDC", "Client", "Identifiant", "Produit", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    folder = make_workspace(rows, [["B1", "?", both, "Test DPI", "HOP", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]],
                            client_headers=CLIENT_HEADERS, bdc_headers=headers)
    result = run_pipeline(load_workspace(folder), AT)
    assert [(d.client.row, d.joined_by) for d in result.demandes] == [(2, "FINESS_ET")]


def test_a_siren_joins_the_only_establishment_of_its_company(make_workspace) -> None:
    headers = ["N° BDC", "Client", "SIREN", "Produit", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    folder = make_workspace(clients(), [["B1", "?", SIRET_A[:9], "Test Cabinet", "MDV", "Avance", date(2022, 9, 1),
                                         1000, "B1.pdf"]], client_headers=CLIENT_HEADERS, bdc_headers=headers)
    result = run_pipeline(load_workspace(folder), AT)
    assert [(d.client.row, d.joined_by) for d in result.demandes] == [(5, "SIREN")]


def test_a_row_without_any_identifier_is_an_error_at_its_row(make_workspace) -> None:
    result = run(make_workspace, [bdc("B1", "CH A", finess=FINESS_A), bdc("B2", "Un client")])
    assert found(result) == [("client_sans_identifiant", 3, "B")]


def test_lists_sharing_no_kind_of_key_are_refused_plainly(make_workspace) -> None:
    headers = ["N° BDC", "Client", "RPPS", "Produit", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    client_rows = [["Centre hospitalier A", FINESS_A, None, None, None, "75011", "Paris"]]
    folder = make_workspace(client_rows, [["B1", "?", RPPS_A, "Test Cabinet", "MDV", "Avance", date(2022, 9, 1),
                                           1000, "B1.pdf"]],
                            client_headers=["Raison sociale", "FINESS ET", "Code postal", "Ville", "x", "y", "z"],
                            bdc_headers=headers)
    with pytest.raises(InputError) as raised:
        run_pipeline(load_workspace(folder), AT)
    assert "RPPS" in str(raised.value) and "FINESS ET" in str(raised.value) and "colonne commune" in str(raised.value)


def test_the_client_code_still_joins_and_is_compared_without_case(make_workspace) -> None:
    headers = ["Code client", "Raison sociale", "N° FINESS ET", "RPPS", "Code postal", "Ville"]
    folder = make_workspace([["c1", "CH A", FINESS_A, None, "75011", "Paris"]],
                            [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]],
                            client_headers=headers)
    result = run_pipeline(load_workspace(folder), AT)
    assert [(d.client.row, d.joined_by) for d in result.demandes] == [(2, "CODE")]


# -- the solution a row designates ----------------------------------------------------------------------------

SOLUTIONS = [
    {"id": "cab", "nom": "MédiCab", "couloir": "MDV", "type_logiciel": "LGC",
     "referencement": {"id": "R1", "date": "2022-06-15"}},
    {"id": "labo", "nom": "LaboNet", "couloir": "BIO", "type_logiciel": "SGL",
     "referencement": {"id": "R2", "date": "2022-06-15"}},
    {"id": "loinc", "nom": "LaboNet LOINC", "couloir": "BIO", "type_logiciel": "LOINC",
     "referencement": {"id": "R3", "date": "2022-06-15"}},
    {"id": "dpi", "nom": "Médilog DPI", "couloir": "HOP", "type_logiciel": "DPI",
     "referencement": {"id": "R4", "date": "2022-06-15"}},
    {"id": "ri", "nom": "Médilog RI", "couloir": "HOP", "type_logiciel": "RI",
     "referencement": {"id": "R5", "date": "2022-06-15"}},
]


@pytest.mark.parametrize(("product", "couloir", "expected"), [
    ("MédiCab 4.2.1", "Médecine de ville", "MédiCab"),
    ("LaboNet 5.1", "Biologie médicale", "LaboNet"),
    ("LaboNet LOINC 2", "BIO", "LaboNet LOINC"),
    ("Médilog", "HOP", None),  # DPI or RI: a real ambiguity
    ("DPI", "Hôpital", "Médilog DPI"),
])
def test_the_solution_is_found_from_a_product_cell(make_workspace, product, couloir, expected) -> None:
    headers = ["N° BDC", "Client", "FINESS", "Produit", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    row = ["B1", "CH A", FINESS_A, product, couloir, "Avance", date(2022, 9, 1), 1000, "B1.pdf"]
    folder = make_workspace(clients(), [row], client_headers=CLIENT_HEADERS, bdc_headers=headers, solutions=SOLUTIONS)
    result = run_pipeline(load_workspace(folder), AT)
    if expected is None:
        assert ("solution_ambigue", 2, "D") in found(result)
    else:
        assert [d.solution.name for d in result.demandes] == [expected]


def test_a_software_kind_of_another_couloir_stays_an_error(make_workspace) -> None:
    headers = ["N° BDC", "Client", "FINESS", "Type de logiciel", "Couloir", "Type", "Date", "Montant HT", "PDF"]
    row = ["B1", "CH A", FINESS_A, "LGO", "Hôpital", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]
    folder = make_workspace(clients(), [row], client_headers=CLIENT_HEADERS, bdc_headers=headers, solutions=SOLUTIONS)
    result = run_pipeline(load_workspace(folder), AT)
    assert found(result) == [("type_logiciel_incoherent", 2, "D")]


def test_the_clients_are_indexed_only_by_the_kinds_the_bdc_list_carries(make_workspace) -> None:
    from segur_desktop.core.join import ClientIndex
    from segur_desktop.core.mapping import load_table
    from segur_desktop.core.normalise.rows import normalise_table

    headers = ["Code client", "Raison sociale", "N° FINESS ET", "RPPS", "Code postal", "Ville"]
    folder = make_workspace([["C1", "CH A", FINESS_A, None, "75011", "Paris"]],
                            [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]],
                            client_headers=headers)
    clients, _ = normalise_table(load_table(folder / "clients.xlsx", "clients"))
    bdcs, _ = normalise_table(load_table(folder / "bdc.xlsx", "bdc"))
    index = ClientIndex(clients, {"CODE"})
    assert index.by_key["CODE"].keys() == {"C1"} and not index.by_key["FINESS_ET"]
    assert index.find(bdcs[0])[0].client is clients[0]
    assert ClientIndex(clients).by_key["FINESS_ET"].keys() == {FINESS_A}
