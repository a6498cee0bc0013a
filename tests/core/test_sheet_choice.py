"""Which sheet holds the list: notes sheets never win, then the header, then the rows under it."""

import pytest
from testdata import CLIENT_HEADERS, FINESS_A, FINESS_B

from segur_desktop.core import mapping
from segur_desktop.core.errors import InputError
from segur_desktop.core.mapping import choose_sheet, is_annex_sheet, load_table, table_specs

CLIENTS = [CLIENT_HEADERS, ["C1", "Clinique A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"]]
# What a CRM puts before its export: the column titles, then a line on each. As many known
# fields as the list's header, and more rows than the list.
NOTES = [["Colonnes de l'export"], CLIENT_HEADERS, ["Code client : identifiant interne du client"],
         ["Raison sociale : nom de l'établissement"], ["N° FINESS ET : FINESS géographique, 9 caractères"],
         ["RPPS : pour les professionnels de santé libéraux"], ["Code postal, Ville : adresse de facturation"]]


def test_a_notes_sheet_first_that_names_every_column_is_not_the_list(make_xlsx) -> None:
    path = make_xlsx("export.xlsx", sheets={"Notes": NOTES, "Export CRM": CLIENTS})
    table = load_table(path, "clients")
    assert table.sheet == "Export CRM" and [row for row, _ in table.rows] == [2, 3]


def test_a_settings_sheet_loses_even_to_a_header_naming_fewer_fields(make_xlsx) -> None:
    settings = [["Couloir", "Solution", "Type de demande", "Type de logiciel"],
                *[["HOP", f"Solution {i}", "Avance", "DPI"] for i in range(20)]]
    bdc = [["N° BDC", "Code client", "Autre"], ["B1", "C1", "x"]]
    path = make_xlsx("bdc.xlsx", sheets={"Paramètres": settings, "Feuil1": bdc})
    spec = table_specs()["bdc"]
    assert mapping.find_header(settings, spec)[1] > mapping.find_header(bdc, spec)[1]
    assert choose_sheet(path, spec) == "Feuil1"


def test_a_sheet_named_like_notes_is_still_read_when_it_is_the_only_list(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", sheets={"Graphique": [["Répartition par ville"], ["Paris", 1]], "Listes": CLIENTS})
    assert load_table(path, "clients").sheet == "Listes"


@pytest.mark.parametrize("order", [("Explications", "Clients"), ("Clients", "Explications")])
def test_between_equal_headers_the_sheet_with_more_rows_is_the_list(make_xlsx, order) -> None:
    explanations = [CLIENT_HEADERS, ["Identifiant", "Nom", "9 caractères", "11 chiffres", "5 chiffres", "Commune"]]
    clients = [*CLIENTS, ["C3", "Cabinet C", None, None, "13001", "Marseille"]]
    path = make_xlsx("c.xlsx", sheets={name: clients if name == "Clients" else explanations for name in order})
    assert load_table(path, "clients").sheet == "Clients"


def test_blank_lines_do_not_count_as_rows(make_xlsx) -> None:
    sparse = [CLIENT_HEADERS, [], [], [], ["C9", "Clinique Z", FINESS_A, None, "75011", "Paris"]]
    path = make_xlsx("c.xlsx", sheets={"Ancienne": sparse, "Nouvelle": CLIENTS})
    assert load_table(path, "clients").sheet == "Nouvelle"


def test_two_lists_with_as_many_rows_are_not_guessed_between(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", sheets={"Notes": NOTES, "Clients 2022": CLIENTS, "Clients 2023": CLIENTS})
    with pytest.raises(InputError) as error:
        load_table(path, "clients")
    message = str(error.value)
    assert "« Clients 2022 », « Clients 2023 »" in message and "Notes" not in message and "--clients-sheet" in message


def test_two_long_lists_are_not_guessed_between_even_of_different_lengths(make_xlsx, monkeypatch) -> None:
    """Past SHEET_CHOICE_ROWS rows both are real lists: which one is meant is the user's call."""
    monkeypatch.setattr(mapping, "SHEET_CHOICE_ROWS", 5)
    long = [*CLIENTS, *[[f"C{i}", "X", FINESS_A, None, "75011", "Paris"] for i in range(3, 10)]]
    path = make_xlsx("c.xlsx", sheets={"Clients": long, "Anciens clients": long[:6]})
    with pytest.raises(InputError, match="« Clients », « Anciens clients »"):
        choose_sheet(path, table_specs()["clients"])
    path = make_xlsx("d.xlsx", sheets={"Clients": long, "Anciens clients": long[:3]})
    assert choose_sheet(path, table_specs()["clients"]) == "Clients"


@pytest.mark.parametrize(("name", "annex"), [
    ("Notes", True), ("NOTES DE VERSION", True), ("Paramètres", True), ("parametres", True), ("Lisez-moi", True),
    ("Mode d’emploi", True), ("Légende", True), ("Aide", True), ("Listes", True),
    ("Clients", False), ("Liste des clients", False), ("Notes2", False), ("Export", False), ("Feuil1", False),
])
def test_notes_names_ignore_case_accents_and_punctuation(name: str, annex: bool) -> None:
    assert is_annex_sheet(name) is annex
