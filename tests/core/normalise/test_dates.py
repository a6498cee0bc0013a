"""parse_date: real dates, Excel serial numbers and French text; day before month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from cells import any_cell
from hypothesis import given, settings
from hypothesis import strategies as st

from segur_desktop.core.messages import MESSAGES
from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.dates import parse_date

SEPT_15 = date(2022, 9, 15)
EXCEL_EPOCH = date(1899, 12, 30)


def code_of(raw: object) -> str:
    with pytest.raises(NormaliseError) as caught:
        parse_date(raw)
    return caught.value.issue.code


@pytest.mark.parametrize(
    "raw", [date(2022, 9, 15), datetime(2022, 9, 15), datetime(2022, 9, 15, 23, 59, 59)], ids=repr
)
def test_date_and_datetime_objects(raw: object) -> None:
    value, repair = parse_date(raw)
    assert value == SEPT_15
    assert type(value) is date  # a datetime is reduced to its day
    assert repair is None


@pytest.mark.parametrize("serial", [44819, 44819.0, 44819.75, "44819"], ids=repr)
def test_excel_serial_numbers(serial: object) -> None:
    assert EXCEL_EPOCH + timedelta(days=44819) == SEPT_15
    assert parse_date(serial) == (SEPT_15, None)


@pytest.mark.parametrize("serial", [36526, 45000, 73415])
def test_excel_serial_uses_the_1899_12_30_epoch(serial: int) -> None:
    assert parse_date(serial) == (EXCEL_EPOCH + timedelta(days=serial), None)


@pytest.mark.parametrize(
    "raw",
    [
        "15/09/2022",
        "15-09-2022",
        "15.09.2022",
        "15/09/22",
        "15/9/2022",
        "2022-09-15",
        "2022-9-15",
        "2022-09-15T00:00:00",
        "2022-09-15 10:30",
        "2022-09-15T10:30:00.123",
        "15/09/2022 10:30",
        "15/09/2022 10h30",
        "  15/09/2022\u00a0",
        "15 septembre 2022",
        "15 Septembre 2022",
        "15 SEPTEMBRE 2022",
        "15 sept. 2022",
        "15 sept 2022",
        "15 sep 2022",
        "Jeudi 15 septembre 2022",
        "jeudi 15 septembre 2022",
        "15\u00a0septembre\u00a02022",
    ],
)
def test_text_forms_of_15_september_2022(raw: str) -> None:
    assert parse_date(raw) == (SEPT_15, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1er septembre 2022", date(2022, 9, 1)),
        ("1 er septembre 2022", date(2022, 9, 1)),
        ("1 septembre 2022", date(2022, 9, 1)),
        ("mardi 15 novembre 2022", date(2022, 11, 15)),
        ("3 février 2023", date(2023, 2, 3)),
        ("3 fevrier 2023", date(2023, 2, 3)),
        ("3 févr. 2023", date(2023, 2, 3)),
        ("14 août 2023", date(2023, 8, 14)),
        ("31 décembre 2023", date(2023, 12, 31)),
        ("30 nov. 2022", date(2022, 11, 30)),
        ("05/01/2023", date(2023, 1, 5)),  # 5 January: day first, never 1 May
        ("12/11/2022", date(2022, 11, 12)),
    ],
)
def test_french_dates(raw: str, expected: date) -> None:
    assert parse_date(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["31/02/2022", "29/02/2023", "31/04/2022", "00/09/2022", "15/13/2022", "2022-02-30",
                                 "30 février 2024"])
def test_impossible_dates(raw: str) -> None:
    assert code_of(raw) == "date_impossible"


def test_leap_day_is_possible() -> None:
    assert parse_date("29/02/2024") == (date(2024, 2, 29), None)


@pytest.mark.parametrize("raw", ["09/15/2022", "12/31/2022", "02/28/2023"])
def test_american_dates_are_never_guessed(raw: str) -> None:
    with pytest.raises(NormaliseError) as caught:
        parse_date(raw)
    assert caught.value.issue.code == "date_impossible"
    assert caught.value.issue.params["value"] == raw


@pytest.mark.parametrize(
    "raw",
    ["demain", "abc", "15/09", "2022", "15 brumaire 2022", "15/09/2022/1", "1.5", "44819,5", "15 septembre", "", "   ",
     None, True, False],
    ids=repr,
)
def test_unreadable(raw: object) -> None:
    assert code_of(raw) == "date_illisible"


@pytest.mark.parametrize(
    "raw",
    [
        "15/09/1999",
        "01/01/2101",
        "1999-12-31",
        "15 septembre 1999",
        date(1999, 12, 31),
        datetime(2101, 1, 1),
        date(1, 1, 1),
        36525,  # 1999-12-31
        12345,
        2958465,  # Excel's last day, 9999-12-31
    ],
    ids=repr,
)
def test_implausible_years(raw: object) -> None:
    assert code_of(raw) == "date_invraisemblable"


def test_plausible_year_bounds_are_inclusive() -> None:
    assert parse_date("01/01/2000") == (date(2000, 1, 1), None)
    assert parse_date("31/12/2100") == (date(2100, 12, 31), None)
    assert parse_date(36526) == (date(2000, 1, 1), None)


@pytest.mark.parametrize(
    "raw",
    [0, -1, 0.5, -44819, 2958466, 1e300, float("nan"), float("inf"), float("-inf"), 10**400, -(10**400)],
    ids=lambda raw: repr(raw)[:20],
)
def test_serial_out_of_excel_range_is_unreadable(raw: object) -> None:
    # 10**400 used to escape as OverflowError (float(int) before the range check).
    assert code_of(raw) == "date_illisible"


def test_issue_quotes_the_cleaned_value() -> None:
    with pytest.raises(NormaliseError) as caught:
        parse_date("  31/02/2022 ")
    assert caught.value.issue.params == {"value": "31/02/2022"}


# -- properties -----------------------------------------------------------------

plausible_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(deadline=None)
@given(plausible_dates, st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%dT00:00:00"]))
def test_property_plausible_date_round_trips_through_text(day: date, fmt: str) -> None:
    assert parse_date(day.strftime(fmt)) == (day, None)


@settings(deadline=None)
@given(plausible_dates, st.floats(min_value=0, max_value=0.999))
def test_property_plausible_date_round_trips_through_excel_serial(day: date, fraction: float) -> None:
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(serial) == (day, None)
    assert parse_date(serial + fraction) == (day, None)


@settings(deadline=None)
@given(plausible_dates.filter(lambda d: d.day <= 12 and d.month != d.day))
def test_property_day_always_comes_before_month(day: date) -> None:
    swapped = f"{day.month:02d}/{day.day:02d}/{day.year}"
    value, _ = parse_date(swapped)
    assert value != day
    assert (value.day, value.month) == (day.month, day.day)


ANY_CELL = any_cell("0123456789/-.: Tehr")


@settings(deadline=None)
@given(ANY_CELL)
def test_property_parse_date_only_raises_normalise_error(raw: object) -> None:
    try:
        value, repair = parse_date(raw)
    except NormaliseError as error:
        entry = MESSAGES[error.issue.code]
        entry.message.format(**error.issue.params)
        return
    assert type(value) is date
    assert 2000 <= value.year <= 2100
    assert repair is None


def test_decimal_serial_cell() -> None:
    assert parse_date(Decimal("44819")) == (SEPT_15, None)


@pytest.mark.parametrize("raw", [Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("4.4819E+10")], ids=repr)
def test_decimal_non_finite_cells(raw: Decimal) -> None:
    assert code_of(raw) == "date_illisible"


@pytest.mark.parametrize("raw", ["5-déc.-22", "05-déc-22", "5-Dec-22", "5-déc.-2022", "2022/12/05", "2022.12.05",
                                 "2022/12/05 00:00:00"])
def test_excel_short_month_format_and_year_first_with_slashes(raw: str) -> None:
    """Excel's d-mmm-yy format as a CSV saves it, and year-first dates with slashes or dots (an ERP's export)."""
    assert parse_date(raw) == (date(2022, 12, 5), None)


@pytest.mark.parametrize("raw, code", [("2022-12/05", "date_illisible"), ("31-févr.-22", "date_impossible")])
def test_mixed_separators_and_impossible_short_month_dates(raw: str, code: str) -> None:
    assert code_of(raw) == code


def test_a_column_written_month_first_is_told_by_its_dates() -> None:
    from segur_desktop.core.normalise.dates import month_first_column, swappable

    assert month_first_column(["8/5/2022", None, date(2022, 8, 5), "8/25/2022 10:00"]) == (3, "8/25/2022 10:00")
    assert month_first_column(["8/5/2022", "8/25/2022", "28/08/2022"]) is None  # one date can only be day first
    assert month_first_column(["8/5/2022", "12/12/2022", "2022-08-25"]) is None  # nothing says month first
    assert swappable("8/5/2022") == ("8 mai 2022", "5 août 2022")
    assert swappable("12/12/2022") is None and swappable("13/05/2022") is None and swappable(date(2022, 5, 8)) is None


@pytest.mark.parametrize("raw", ["44900", "44900.0", "44900,00"])
def test_a_serial_number_as_text_with_or_without_decimal_zeros(raw: str) -> None:
    assert parse_date(raw) == (date(2022, 12, 5), None)


def test_a_serial_number_with_a_fraction_is_not_a_date() -> None:
    assert code_of("44900.5") == "date_illisible"


@pytest.mark.parametrize("raw, day", [
    ("2022-08-01T22:00:00.000Z", date(2022, 8, 2)),  # a date typed in Paris on 2 August, stored as its UTC instant
    ("2022-08-01T00:00:00Z", date(2022, 8, 1)),
    ("2022-08-01T10:31:00+02:00", date(2022, 8, 1)),
    ("2022-01-31 23:30:00+0000", date(2022, 2, 1)),  # winter: Paris is UTC+1
])
def test_an_instant_with_its_offset_is_the_day_it_is_in_paris(raw: str, day: date) -> None:
    """Web CRMs and APIs (Salesforce, HubSpot) export a date field as an instant in UTC."""
    assert parse_date(raw) == (day, None)


def test_an_instant_that_does_not_exist_is_impossible() -> None:
    assert code_of("2022-02-30T00:00:00Z") == "date_impossible"
