"""Issue #17, item 2: an amount that could be misread is an error at its cell, never a guessed value.

Each case was read silently as another amount before: « 1,85,00 » as 18 500,00,
« 12,3,4 » as 1 234, « 3,5,0 » as 350, « 1.2.3 » as 123, « 100 EUR TTC » in the HT
column as 100 HT.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.amounts import parse_amount, parse_amount_ht, parse_amount_ttc
from segur_desktop.core.normalise.rows import normalise_table
from segur_desktop.core.source import Table


def code_of(parse, raw: object) -> str:
    with pytest.raises(NormaliseError) as caught:
        parse(raw)
    issue = caught.value.issue
    entry = MESSAGES[issue.code]
    assert entry.severity is Severity.ERROR
    entry.message.format(**issue.params)  # every parameter the French message needs is there
    return issue.code


@pytest.mark.parametrize("raw", ["1,85,00", "12,3,4", "3,5,0", "1.2.3", "1,234,56", "1.234.5", "12 34", "1234 567",
                                 "1 234.567,89", "1'23", "1,85,000"])
def test_inconsistent_groups_are_refused(raw: str) -> None:
    assert code_of(parse_amount, raw) == "montant_groupes"


@pytest.mark.parametrize("raw", ["1.2.3,4,5", "1,2.3,4", "1234,", "1 234,5 6"])
def test_more_than_one_decimal_mark_is_refused(raw: str) -> None:
    assert code_of(parse_amount, raw) == "montant_illisible"


@pytest.mark.parametrize("raw", ["1,234", "1.500", "123,456 €"])
def test_thousands_or_three_decimals_is_not_guessed(raw: str) -> None:
    assert code_of(parse_amount, raw) == "montant_ambigu"


@pytest.mark.parametrize(("raw", "currency"), [("1 250 $", "$"), ("$1250", "$"), ("100 USD", "USD"), ("£ 99,50", "£"),
                                               ("1 000 CHF", "CHF"), ("100 dollars", "dollars"), ("¥500", "¥")])
def test_a_currency_other_than_the_euro_is_refused(raw: str, currency: str) -> None:
    with pytest.raises(NormaliseError) as caught:
        parse_amount(raw)
    assert caught.value.issue.code == "montant_devise"
    assert caught.value.issue.params["currency"] == currency


@pytest.mark.parametrize("raw", ["100 EUR TTC", "100 € TTC", "100TTC", "TTC 100"])
def test_ttc_in_the_ht_column_is_refused(raw: str) -> None:
    assert code_of(parse_amount_ht, raw) == "montant_ht_ttc"


def test_ht_in_the_ttc_column_is_refused() -> None:
    assert code_of(parse_amount_ttc, "120 € HT") == "montant_ht_ttc"
    assert code_of(parse_amount, "120 HT TTC") == "montant_illisible"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1 234,56", "1234.56"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("1234.5", "1234.50"),
     ("1 234,56 €", "1234.56"), ("€ 1234", "1234.00"), ("1234,56 EUR", "1234.56"), ("1\u202f234\u00a0567,89", "1234567.89"),
     ("1'234.56", "1234.56"), ("1\u2019234,56", "1234.56"), ("1.234.567", "1234567.00"), ("1250 € HT", "1250.00"),
     ("1250,500", "1250.50"), ("0,001 €", None), ("1250EUR", "1250.00")],
)
def test_real_world_forms_are_still_read(raw: str, expected: str | None) -> None:
    if expected is None:
        assert code_of(parse_amount, raw) == "montant_decimales"
    else:
        assert parse_amount_ht(raw)[0] == Decimal(expected)


def _bdc_table(ht: list[Any], ttc: list[Any]) -> Table:
    names = ["amount_ht", "amount_ttc"]
    rows = [[h, t] for h, t in zip(ht, ttc, strict=True)]
    return Table("bdc", Path("bdc.csv"), None, 1, ["Montant HT", "Montant TTC"], {n: i for i, n in enumerate(names)},
                 [(i + 2, raw) for i, raw in enumerate(rows)])


def test_errors_are_french_diagnostics_at_the_cell() -> None:
    ht = ["1,85,00", "100 EUR TTC", "1 250 $", "1 234,56", "1 234,56"] * 3  # repeated: the memo replays them too
    ttc = ["1 481,47", "120", "1 500", "1 481,47", "12 HT"] * 3
    records, diagnostics = normalise_table(_bdc_table(ht, ttc))
    assert [r.values.get("amount_ht") for r in records[:5]] == [None, None, None, Decimal("1234.56"), Decimal("1234.56")]
    found = [(d.row, d.column, d.code) for d in diagnostics]
    assert found[:4] == [(2, "A", "montant_groupes"), (3, "A", "montant_ht_ttc"), (4, "A", "montant_devise"),
                         (6, "B", "montant_ht_ttc")]
    assert len(diagnostics) == 12
    assert "marqué TTC dans la colonne du montant HT" in diagnostics[1].message
    assert "n'est pas en euros" in diagnostics[2].message
    assert all(d.severity == "error" for d in diagnostics)
