"""normalise_table: typed records and per-cell diagnostics, however the work is organised.

normalise_table works column by column, remembers outcomes per distinct raw value and
pauses the garbage collector (issue #3). Whatever it does, the result must be what the
plain cell-by-cell loop below gives: same values, same failed fields, same diagnostics
in the same order, one per cell.
"""

from __future__ import annotations

import gc
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import FINESS_A, FINESS_ZERO, RPPS_A, luhn_complete

from segur_desktop.core.diagnostics import Diagnostic, from_issue, make
from segur_desktop.core.errors import Cancelled
from segur_desktop.core.mapping import table_specs
from segur_desktop.core.normalise import NormaliseError, rows
from segur_desktop.core.normalise.rows import normalise_table, table_normalisers
from segur_desktop.core.progress import CancelToken
from segur_desktop.core.source import NO_FAILURE, Record, Table

SIRET = "73282932000074"


def reference(table: Table) -> tuple[list[Record], list[Diagnostic]]:
    """The plain loop normalise_table must agree with: every cell, one by one."""
    spec = table_specs()[table.list_kind]
    functions = table_normalisers(table)
    records, diagnostics = [], []
    for row, raw in table.rows:
        record = Record(table, row, raw)
        for name, column in table.columns.items():
            value = raw[column] if column < len(raw) else None
            if value is None or value == "" or (isinstance(value, str) and not value.strip()):
                if spec.fields[name].required:
                    record.fail(name)
                    diagnostics.append(make("valeur_obligatoire", record.cell(name), field=spec.fields[name].label))
                continue
            try:
                clean, repair = functions[name](value)
            except NormaliseError as error:
                record.fail(name)
                diagnostics.append(from_issue(error.issue, record.cell(name)))
                continue
            record.values[name] = clean
            if repair is not None:
                diagnostics.append(from_issue(repair, record.cell(name)))
        records.append(record)
    return records, diagnostics


def make_table(kind: str, raw_rows: list[list[Any]], fields: list[str] | None = None) -> Table:
    names = fields or list(table_specs()[kind].fields)
    return Table(kind, Path("clients.xlsx"), "Feuil1", 1, [f"H{i}" for i in range(len(names))],
                 {name: i for i, name in enumerate(names)}, [(i + 2, raw) for i, raw in enumerate(raw_rows)])


def assert_same(table: Table) -> tuple[list[Record], list[Diagnostic]]:
    records, diagnostics = normalise_table(table)
    expected_records, expected_diagnostics = reference(table)
    assert diagnostics == expected_diagnostics
    assert len(records) == len(expected_records)
    for got, want in zip(records, expected_records, strict=True):
        assert (got.table, got.row) == (want.table, want.row)
        assert got.raw is want.raw
        assert list(got.values.items()) == list(want.values.items())  # same values, same order
        assert set(got.failed) == set(want.failed)
        assert all(type(got.values[k]) is type(v) for k, v in want.values.items())
        assert None not in got.values.values()  # an absent value is left out (build.py relies on it)
    return records, diagnostics


# Values each field meets in real files, good and bad, several types of each: drawn from
# small pools so that values repeat (the memo replays them) and types mix (True == 1 == 1.0).
COMMON = [None, "", " ", "\u00a0", True, False, 1, 1.0, 0, 0.0, -0.0, float("nan"), 1e20]
POOLS = {
    "clients": {
        "client_code": ["C1", "c1", " C2 ", "C\u00a03", "é1", "Cé\u0301", 42, 42.0],
        "name": ["Clinique  du Parc", "Ho\u0302pital", "Pharmacie", "A\tB", 12.0],
        "finess_et": [FINESS_A, FINESS_ZERO[1:], int(FINESS_ZERO), float(FINESS_ZERO), "2A0000001", "7.5E+08",
                      FINESS_A[:-1] + "0", "12"],
        "finess_ej": [FINESS_A, FINESS_ZERO, "9E1234567", "XX"],
        "siret": [SIRET, "7 3282932000074", SIRET[:-1] + "5", float(SIRET), "356000000"],
        "siren": [SIRET[:9], SIRET[1:9], "123"],
        "rpps": [RPPS_A, RPPS_A[:-1] + "0", int(RPPS_A)],
        "adeli": ["123456789", "123456782", 123456789.0],
        "postal_code": ["75011", "1000", 1000, 1000.0, "A"],
        "city": ["Paris", " Paris", "Saint-Étienne", "Saint-E\u0301tienne"],
    },
    "bdc": {
        "bdc_number": ["BDC-1", "BDC-2", 17, 17.0],
        "client_code": ["C1", "c1"],
        "signature_date": [date(2022, 9, 1), datetime(2022, 9, 1), datetime(2022, 9, 1, 10, 5), "01/09/2022",
                           "31/02/2022", 44805, 44805.0, "1er septembre 2022", "n'importe"],
        "amount_ht": [10000.0, 10000, "12 000,00 €", 1.005, -5.0, "abc", 0.1 + 0.2],
        "amount_ttc": [12000.0, "12000", 0],
        "request_type": ["Avance", "avance", "Solde", "autre"],
        "solution": ["Test DPI", "Médilog"],
        "couloir": ["HOP", "hôpital", "XYZ"],
        "installation_date": [date(2022, 10, 1), "2022-10-01"],
        "proof_type": ["mom", "VA"],
    },
}


def cells(kind: str):
    pools = POOLS[kind]
    return {name: st.sampled_from(pools.get(name, ["x", "Valeur"]) + COMMON) for name in table_specs()[kind].fields}


@st.composite
def tables(draw, kind: str) -> Table:
    fields = draw(st.permutations(list(table_specs()[kind].fields)))
    fields = fields[: draw(st.integers(1, len(fields)))]
    per_field = cells(kind)
    raw_rows = []
    for _ in range(draw(st.integers(0, 30))):
        row = [draw(per_field[name]) for name in fields]
        raw_rows.append(row[: draw(st.integers(0, len(row)))] if draw(st.booleans()) else row)  # short rows
    return make_table(kind, raw_rows, fields)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 rows and a memo of 5 values: every path is taken on small tables."""
    monkeypatch.setattr(rows, "PROGRESS_EVERY", 4)
    monkeypatch.setattr(rows, "MEMO_LIMIT", 5)


@settings(deadline=None, max_examples=150)
@given(table=st.sampled_from(["clients", "bdc"]).flatmap(tables))
def test_property_same_result_as_the_plain_loop(table: Table) -> None:
    assert_same(table)


@settings(deadline=None, max_examples=150)
@given(table=st.sampled_from(["clients", "bdc"]).flatmap(tables))
def test_property_same_result_with_small_blocks_and_memo(table: Table) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rows, "PROGRESS_EVERY", 4)
        patch.setattr(rows, "MEMO_LIMIT", 5)
        assert_same(table)


@pytest.mark.parametrize("n", [1, 3, 4, 5, 9, 40])
def test_repeated_repair_is_reported_on_every_row(small_blocks: None, n: int) -> None:
    # The same lost-zero FINESS on n rows: one outcome remembered, n warnings, each at its cell.
    table = make_table("clients", [[f"C{i}", "Clinique", FINESS_ZERO[1:]] for i in range(n)],
                       ["client_code", "name", "finess_et"])
    records, diagnostics = assert_same(table)
    assert [(d.code, d.row, d.column, d.value) for d in diagnostics] == [
        ("identifiant_zero_restaure", i + 2, "C", FINESS_ZERO[1:]) for i in range(n)]
    assert all(r.values["finess_et"] == FINESS_ZERO and not r.failed for r in records)


def test_repeated_error_and_missing_value_are_reported_on_every_row(small_blocks: None) -> None:
    rows_ = [[f"C{i}", "", "31/02/2022", 1000.0] for i in range(10)]
    records, diagnostics = assert_same(make_table("bdc", rows_, ["client_code", "bdc_number", "signature_date", "amount_ht"]))
    assert [(d.code, d.row, d.column) for d in diagnostics] == [
        (code, i + 2, column) for i in range(10) for code, column in [("valeur_obligatoire", "B"), ("date_impossible", "C")]]
    assert all(r.failed == {"bdc_number", "signature_date"} for r in records)
    assert all(r.values == {"client_code": f"C{i}", "amount_ht": records[0].values["amount_ht"]} for i, r in enumerate(records))


@pytest.mark.parametrize("block", [4, 2000])
def test_plain_text_blocks(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    # Blocks of plain ASCII strings take a shortcut for text fields: same result, empty cells included.
    monkeypatch.setattr(rows, "PROGRESS_EVERY", block)
    raw_rows = [["B1", "c1", "", "mom"], [" B2 ", "C2", "Sol  A", ""], ["", " ", " ", "va"], ["B4", "c-4", "Sol", " Va "],
                ["B5", "C5", "", ""], ["B6", "C6", "", ""], ["B7", "C7", "", ""], ["B8", "C8", "", ""],
                ["B9", "C\u00e99", "x", "y"]]
    records, diagnostics = assert_same(make_table("bdc", raw_rows, ["bdc_number", "client_code", "solution", "proof_type"]))
    assert [r.values.get("client_code") for r in records[:4]] == ["C1", "C2", None, "C-4"]
    assert [(d.code, d.row, d.column) for d in diagnostics] == [("valeur_obligatoire", 4, "A")]  # a client code is optional


def test_numbers_of_different_types_are_not_confused(small_blocks: None) -> None:
    # True == 1 == 1.0 in Python; each is still normalised as itself.
    records, diagnostics = assert_same(make_table("bdc", [[x, "C1", date(2022, 9, 1), x] for x in [1, 1.0, True] * 4],
                                                  ["bdc_number", "client_code", "signature_date", "amount_ht"]))
    assert [r.values.get("bdc_number") for r in records[:3]] == ["1", "1", "True"]
    assert [d.row for d in diagnostics] == [4, 7, 10, 13]  # the booleans: montant illisible


def test_records_without_failure_share_the_empty_frozenset() -> None:
    records, _ = normalise_table(make_table("clients", [["C1", "A"], ["C2", ""]], ["client_code", "name"]))
    assert records[0].failed is NO_FAILURE and not records[0].failed
    assert records[1].failed == {"name"}


def test_record_fail_gives_the_record_its_own_set() -> None:
    record = Record(make_table("clients", []), 2, [])
    record.fail("name")
    record.fail("siret")
    assert record.failed == {"name", "siret"} and NO_FAILURE == frozenset()
    other = Record(make_table("clients", []), 3, [], failed=frozenset({"city"}))
    other.fail("name")
    assert other.failed == {"city", "name"}


def test_values_repeated_across_rows_share_one_object() -> None:
    table = make_table("bdc", [[f"B{i}", "C1", date(2022, 9, 1), 1000.0] for i in range(3000)],
                       ["bdc_number", "client_code", "signature_date", "amount_ht"])
    records, _ = normalise_table(table)
    assert len({id(r.values["amount_ht"]) for r in records}) == 1
    assert len({id(r.values["signature_date"]) for r in records}) == 1


def test_garbage_collector_is_restored(small_blocks: None) -> None:
    assert gc.isenabled()
    normalise_table(make_table("clients", [["C1", "A"]] * 10, ["client_code", "name"]))
    assert gc.isenabled()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        normalise_table(make_table("clients", [["C1", "A"]] * 10, ["client_code", "name"]), cancel=token)
    assert gc.isenabled()
    gc.disable()
    try:
        normalise_table(make_table("clients", [["C1", "A"]] * 10, ["client_code", "name"]))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_progress_every_block_then_done(small_blocks: None) -> None:
    seen = []
    normalise_table(make_table("clients", [["C1", "A"]] * 10, ["client_code", "name"]), progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(4, 10), (8, 10), (10, 10)]


def test_empty_table() -> None:
    assert normalise_table(make_table("clients", [])) == ([], [])


@pytest.mark.parametrize("block", [4, 2000])
def test_identifier_blocks(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    # Blocks of "" and ASCII digits of the right length have their keys checked at once:
    # same result, wrong keys, ADELI's warning, empty cells and other types included.
    monkeypatch.setattr(rows, "PROGRESS_EVERY", block)
    wrong_finess, wrong_siret, wrong_rpps = FINESS_A[:-1] + "0", SIRET[:-1] + "5", RPPS_A[:-1] + "0"
    raw_rows = [[f"C{i}", "Nom", FINESS_A, SIRET, "", "123456789"] for i in range(5)] + [
        ["C5", "Nom", wrong_finess, "", RPPS_A, "123456782"],  # wrong FINESS key, doubtful ADELI
        ["C6", "Nom", "", wrong_siret, wrong_rpps, ""],
        ["C7", "Nom", "", "", "", ""],
        ["C8", "Nom", "2A0000001", SIRET[1:], int(RPPS_A), " "],  # not digits, short, a number, spaces
        ["C9", "Nom", FINESS_A, SIRET, RPPS_A, "123456789"],
        ["C10", "Nom", "960000001", "35600000000001", "", ""],  # unknown département, La Poste
        ["C11", "Nom", FINESS_ZERO, "", "", ""],
    ]
    records, diagnostics = assert_same(make_table("clients", raw_rows, ["client_code", "name", "finess_et", "siret",
                                                                          "rpps", "adeli"]))
    assert records[0].values["siret"] is raw_rows[0][3]  # a good identifier is its own cell's text
    assert {d.code for d in diagnostics} >= {"identifiant_cle", "adeli_cle_douteuse", "finess_departement"}


@pytest.mark.parametrize("block", [3, 2000])
def test_mixed_identifier_columns(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    # A mixed identifier column: the readings of each cell, the same however the rows are blocked.
    monkeypatch.setattr(rows, "PROGRESS_EVERY", block)
    both = luhn_complete("75000123")  # a valid FINESS and a valid SIREN: two readings
    cells = [SIRET, RPPS_A, FINESS_A, both, "", SIRET[1:], FINESS_ZERO[1:], "73282932000075", "12345", "2A0000001",
             "10000000001", " ", SIRET, int(RPPS_A)]
    records, diagnostics = assert_same(make_table("bdc", [[f"B{i}", c] for i, c in enumerate(cells)],
                                                  ["bdc_number", "identifier"]))
    values = [r.values.get("identifier") for r in records]
    assert values[0] == (("SIRET", SIRET),) and values[1] == (("RPPS", RPPS_A),)
    assert {kind for kind, _v in values[3]} >= {"FINESS_ET", "SIREN"} and values[4] is None
    assert ("identifiant_cle", 9) in [(d.code, d.row) for d in diagnostics if d.severity == "error"]
