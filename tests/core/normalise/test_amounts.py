"""parse_amount / format_amount / format_fr: euros as Decimal with exactly two decimals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from cells import any_cell
from hypothesis import given, settings
from hypothesis import strategies as st

from segur_desktop.core.messages import MESSAGES
from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.amounts import format_amount, format_count, format_fr, parse_amount


def parsed(raw: object) -> Decimal:
    value, repair = parse_amount(raw)
    assert repair is None
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2, value
    return value


def code_of(raw: object) -> str:
    with pytest.raises(NormaliseError) as caught:
        parse_amount(raw)
    return caught.value.issue.code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1250, "1250.00"),
        (1, "1.00"),
        (1250.5, "1250.50"),
        (1250.0, "1250.00"),
        (625.75, "625.75"),
        (0.01, "0.01"),
        (Decimal("1250.5"), "1250.50"),
    ],
    ids=repr,
)
def test_numbers(raw: object, expected: str) -> None:
    value = parsed(raw)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0.1 + 0.2, "0.30"),
        (1250.1 + 1e-9, "1250.10"),
        (1250.0000001, "1250.00"),
        (875 * 1.2, "1050.00"),  # 1049.9999999999998 in binary
        (1.1 * 3, "3.30"),
    ],
    ids=repr,
)
def test_float_noise_within_a_millionth_is_rounded_away(raw: float, expected: str) -> None:
    assert str(parsed(raw)) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "1 234,56 €",
        "1\u202f234,56 €",
        "1\u00a0234,56\u00a0€",
        "1234.56",
        "1234,56",
        "1.234,56",
        "1,234.56",
        "1'234.56",
        "  1 234,56  ",
        "1234,56 EUR",
        "€1234.56",
        "+1234.56",
        "1234,56 € TTC",
    ],
)
def test_text_forms_of_1234_56(raw: str) -> None:
    assert parsed(raw) == Decimal("1234.56")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 250 EUR", "1250.00"),
        ("1250 € HT", "1250.00"),
        ("1250 euros", "1250.00"),
        ("1250 Euro", "1250.00"),
        ("1250,5", "1250.50"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1.234.567", "1234567.00"),
        ("1,234,567", "1234567.00"),
        ("625", "625.00"),
        ("0,01", "0.01"),
    ],
)
def test_other_text_forms(raw: str, expected: str) -> None:
    assert str(parsed(raw)) == expected


@pytest.mark.parametrize("raw", ["1250,505", "1250.505", "0,001", "1 234,567 €", 1250.505, 0.001, Decimal("1.005")], ids=repr)
def test_more_than_two_decimals_is_an_error_not_rounded(raw: object) -> None:
    assert code_of(raw) == "montant_decimales"


@pytest.mark.parametrize("raw", ["1,234", "1.234", "12.500", "123,456 €"])
def test_thousands_or_decimals_is_refused_not_guessed(raw: str) -> None:
    assert code_of(raw) == "montant_ambigu"


@pytest.mark.parametrize("raw", ["-50", "-1 234,56 €", -50, -0.5, Decimal("-1")], ids=repr)
def test_negative(raw: object) -> None:
    assert code_of(raw) == "montant_negatif"


@pytest.mark.parametrize("raw", [0, 0.0, -0.0, "0", "0,00 €", "0.00", Decimal("0"), 1e-9], ids=repr)
def test_zero(raw: object) -> None:
    assert code_of(raw) == "montant_nul"


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "",
        "   ",
        "€",
        "EUR",
        "1e3",
        "12a",
        "nan",
        "inf",
        "Infinity",
        "--5",
        "1.2.3,4,5",
        None,
        True,
        False,
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        date(2022, 9, 15),
        datetime(2022, 9, 15, 10, 30),
    ],
    ids=repr,
)
def test_unreadable(raw: object) -> None:
    assert code_of(raw) == "montant_illisible"


@pytest.mark.parametrize("raw", [10**12, 1e12, "1000000000000", 1e300, 10**400, "9" * 60], ids=lambda r: repr(r)[:20])
def test_absurdly_large_is_unreadable(raw: object) -> None:
    assert code_of(raw) == "montant_illisible"


def test_just_below_the_ceiling_is_kept_exactly() -> None:
    assert str(parsed("999999999999,99")) == "999999999999.99"


def test_issue_quotes_the_cleaned_cell() -> None:
    with pytest.raises(NormaliseError) as caught:
        parse_amount("  12,345\u00a0€ ")
    assert caught.value.issue.params == {"value": "12,345 €"}


# -- formatting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("1250"), "1250.00"), (Decimal("1250.5"), "1250.50"), (Decimal("0.01"), "0.01"), (Decimal("1E+3"), "1000.00")],
)
def test_format_amount(value: Decimal, expected: str) -> None:
    assert format_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345.6", "12\u202f345,60 €"),
        (Decimal("12345.6"), "12\u202f345,60 €"),
        (Decimal("0.5"), "0,50 €"),
        (Decimal("100"), "100,00 €"),
        (Decimal("1000"), "1\u202f000,00 €"),
        (Decimal("1234567.89"), "1\u202f234\u202f567,89 €"),
        (Decimal("-1234.5"), "-1\u202f234,50 €"),
        ("875", "875,00 €"),
    ],
)
def test_format_fr(value: object, expected: str) -> None:
    """Thousands grouped with U+202F, as format_count groups them (#19)."""
    assert format_fr(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0, "0"), (999, "999"), (1000, "1\u202f000"), (12345, "12\u202f345"), (1234567, "1\u202f234\u202f567"),
])
def test_format_count_groups_thousands_with_a_narrow_no_break_space(value: int, expected: str) -> None:
    """U+202F exactly (French typography, never split across lines), not a space nor U+00A0 (#19)."""
    assert format_count(value) == expected


# -- properties -----------------------------------------------------------------

cents = st.integers(min_value=1, max_value=10**11 - 1).map(lambda n: Decimal(n).scaleb(-2))


@settings(deadline=None)
@given(cents)
def test_property_formatted_amounts_read_back_exactly(value: Decimal) -> None:
    assert parsed(format_amount(value)) == value
    assert parsed(format_fr(value)) == value
    assert parsed(format_fr(value).replace("\u202f", " ")) == value  # as a user would type it
    assert parsed(str(value).replace(".", ",")) == value


@settings(deadline=None)
@given(cents)
def test_property_float_of_a_cent_amount_is_read_exactly(value: Decimal) -> None:
    assert parsed(float(value)) == value


@settings(deadline=None)
@given(cents)
def test_property_format_fr_shape(value: Decimal) -> None:
    text = format_fr(value)
    assert text.endswith(" €")
    whole, _, rest = text[:-2].partition(",")
    assert len(rest) == 2 and rest.isdigit()
    groups = whole.split("\u202f")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


ANY_CELL = any_cell("0123456789 ,.'-+€EURHTeurht\u00a0\u202f")


@settings(deadline=None)
@given(ANY_CELL)
def test_property_parse_amount_only_raises_normalise_error(raw: object) -> None:
    try:
        value, repair = parse_amount(raw)
    except NormaliseError as error:
        MESSAGES[error.issue.code].message.format(**error.issue.params)
        return
    assert repair is None
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2
    assert Decimal("0.01") <= value < Decimal("1e12")


@pytest.mark.parametrize("raw", ["1 234,56 € H.T.", "1234,56 H.T", "H.T. 1 234,56", "1.234,56 €HT"])
def test_ht_written_with_dots_is_ht(raw: str) -> None:
    assert parse_amount(raw) == (Decimal("1234.56"), None)


def test_ttc_written_with_dots_in_the_ht_column_is_still_refused() -> None:
    from segur_desktop.core.normalise.amounts import parse_amount_ht

    with pytest.raises(NormaliseError) as refused:
        parse_amount_ht("1 234,56 € T.T.C.")
    assert refused.value.issue.code == "montant_ht_ttc"


@pytest.mark.parametrize("raw", ["(123,00)", "(1 234,56 €)", "( 875 )"])
def test_an_accountants_negative_in_brackets_is_negative(raw: str) -> None:
    with pytest.raises(NormaliseError) as refused:
        parse_amount(raw)
    assert refused.value.issue.code == "montant_negatif"
