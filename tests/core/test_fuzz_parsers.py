"""Fuzzing the parsers of what users hand us (issue #17): amounts, dates, identifiers, external JSON.

Whatever the input, only the documented result or a French error may come out
(`NormaliseError` whose message fills in, `InputError`), never another exception,
and in bounded time. The budget is fixed (derandomized, a set number of examples,
no example database) so that the file runs the same everywhere, in CI, in about 10 s.

Cells are drawn from what the readers produce: str, int, float, Decimal, date,
datetime, bool, None. Integers stay within 64 bits: a reader never gives more (an
.xlsx number is a float, a CSV cell is text), and `str()` of an int of 5 000 digits
raises before any normaliser could answer (amounts and dates still refuse one).
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from segur_desktop.core.datafiles import JSON_MAX_DEPTH, parse_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.identity import key_catalog
from segur_desktop.core.messages import MESSAGES
from segur_desktop.core.normalise import Issue, NormaliseError
from segur_desktop.core.normalise.amounts import format_amount, format_fr, parse_amount, parse_amount_ht, parse_amount_ttc
from segur_desktop.core.normalise.dates import parse_date
from segur_desktop.core.normalise.identifiers import NORMALISERS, finess_any
from segur_desktop.core.normalise.mixed import mixed_normaliser

FUZZ = settings(max_examples=300, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SLOW_CALL = 0.25  # seconds: one cell or one small document must never take longer

AMOUNT_CHARS = "0123456789 ,.'’-+€$£EURHTCeurhtcUSD\u00a0\u202f\u2007\x1b\t"
DATE_CHARS = "0123456789/-.: Th janvierfévrieraoûtdécembre1er"
ID_CHARS = "0123456789 .-AaBbEe+_\u00a0"
JSON_CHARS = '[]{}",:\\ 0123456789.eE-+truefalsn\n\u00e9'


def cells(alphabet: str) -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(), st.booleans(),
        st.text(max_size=40), st.text(alphabet=alphabet, max_size=40),
        st.integers(min_value=-(2**63), max_value=2**63),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.dates(), st.datetimes(),
    )


def timed(function, *args: Any) -> Any:
    start = time.perf_counter()
    try:
        return function(*args)
    finally:
        assert time.perf_counter() - start < SLOW_CALL, f"{function.__name__} took too long on {args!r:.80}"


def outcome(normalise, raw: object) -> tuple[Any, Issue | None] | None:
    """The normaliser's result, or None after checking that its error is a French message that fills in."""
    try:
        value, repair = timed(normalise, raw)
    except NormaliseError as error:
        entry = MESSAGES[error.issue.code]
        assert entry.message.format(**error.issue.params) and entry.fix.format(**error.issue.params)
        return None
    if repair is not None:
        assert repair.code in MESSAGES
        MESSAGES[repair.code].message.format(**repair.params)
    return value, repair


# -- amounts --------------------------------------------------------------------

@FUZZ
@given(cells(AMOUNT_CHARS), st.sampled_from([parse_amount, parse_amount_ht, parse_amount_ttc]))
def test_an_amount_is_cents_or_a_french_error(raw: object, parse) -> None:
    result = outcome(parse, raw)
    if result is not None:
        value, repair = result
        assert repair is None and isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2 and Decimal("0.01") <= value < Decimal("1e12")


cents = st.integers(min_value=1, max_value=10**14 - 1).map(lambda n: Decimal(n).scaleb(-2))
STYLES = [  # (group separator, decimal mark)
    (" ", ","), ("\u00a0", ","), ("\u202f", ","), (".", ","), (",", "."), ("'", "."), ("’", ","), ("", ","), ("", "."),
]


def written(value: Decimal, group: str, mark: str) -> str:
    whole, _sep, decimals = format_amount(value).partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return group.join(groups) + mark + decimals


@FUZZ
@given(cents, st.sampled_from(STYLES), st.sampled_from(["", " €", "€", " EUR", " euros", " € HT", "€ "]))
def test_a_formatted_amount_parses_back_to_itself(value: Decimal, style: tuple[str, str], affix: str) -> None:
    text = written(value, *style)
    text = affix + text if affix.endswith(" ") else text + affix
    assert parse_amount_ht(text) == (value, None)
    assert parse_amount(format_fr(value)) == (value, None)
    assert parse_amount(format_amount(value)) == (value, None)


@st.composite
def inconsistent_groups(draw: st.DrawFn) -> str:
    """Digits in groups, one separator, where some group is not what thousands make (1-3 digits, then 3s)."""
    separator = draw(st.sampled_from([" ", "\u00a0", "'", ".", ","]))
    groups = draw(st.lists(st.integers(1, 5).map(lambda n: "1" * n), min_size=2, max_size=5))
    assume(not (len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])))
    text = separator.join(groups)
    if separator in ".,":  # one lone dot or comma is a decimal mark: make it a group separator beyond doubt
        if len(groups) == 2 or draw(st.booleans()):
            text += ("," if separator == "." else ".") + draw(st.sampled_from(["5", "50"]))
    return draw(st.sampled_from(["", "€ ", "-"])) + text + draw(st.sampled_from(["", " €", " EUR"]))


@FUZZ
@given(inconsistent_groups(), st.sampled_from([parse_amount, parse_amount_ht, parse_amount_ttc]))
def test_an_amount_with_inconsistent_groups_is_never_accepted(text: str, parse) -> None:
    with pytest.raises(NormaliseError) as caught:
        parse(text)
    assert caught.value.issue.code in {"montant_groupes", "montant_illisible"}


@FUZZ
@given(st.integers(1, 999), st.integers(0, 999), st.sampled_from([".", ","]))
def test_a_lone_separator_before_three_digits_is_never_guessed(whole: int, part: int, mark: str) -> None:
    text = f"{whole}{mark}{part:03d}"
    with pytest.raises(NormaliseError) as caught:
        parse_amount(text)
    assert caught.value.issue.code == "montant_ambigu"


@FUZZ
@given(cents, st.sampled_from(["$", "USD", "£", "CHF", "¥", "dollars"]), st.booleans())
def test_another_currency_is_never_read_as_euros(value: Decimal, currency: str, before: bool) -> None:
    text = f"{currency} {format_fr(value)[:-2]}" if before else f"{format_fr(value)[:-2]} {currency}"
    with pytest.raises(NormaliseError) as caught:
        parse_amount(text)
    assert caught.value.issue.code == "montant_devise"


# -- dates ----------------------------------------------------------------------

@FUZZ
@given(cells(DATE_CHARS))
def test_a_date_is_a_plausible_date_or_a_french_error(raw: object) -> None:
    result = outcome(parse_date, raw)
    if result is not None:
        value, repair = result
        assert repair is None and type(value) is date and 2000 <= value.year <= 2100


@FUZZ
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_written_date_parses_back_to_itself(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    for form in (day, datetime.combine(day, datetime.min.time()) + timedelta(hours=13), day.strftime("%d/%m/%Y"),
                 day.isoformat(), f"{day.isoformat()}T10:30:00", day.strftime("%d.%m.%Y"), serial, float(serial)):
        assert parse_date(form) == (day, None), form


# -- identifiers ----------------------------------------------------------------

CATALOG = key_catalog()
IDENTIFIER_NORMALISERS = [*NORMALISERS.values(), finess_any,
                          *(mixed_normaliser(header, CATALOG) for header in ("SIRET / RPPS", "Identifiant",
                                                                              "N° FINESS / SIRET"))]


@FUZZ
@given(cells(ID_CHARS), st.sampled_from(IDENTIFIER_NORMALISERS))
def test_an_identifier_is_clean_text_or_a_french_error(raw: object, normalise) -> None:
    result = outcome(normalise, raw)
    if result is not None:
        value, _repair = result
        readings = value if isinstance(value, tuple) else (("", value),)
        assert readings and all(isinstance(text, str) and text and text.isalnum() for _kind, text in readings)


# -- external JSON --------------------------------------------------------------

def parsed_or_refused(content: bytes | str) -> Any:
    try:
        return timed(lambda: parse_json(content, name="fichier.json"))
    except InputError as error:
        assert "« fichier.json »" in str(error)
        return error


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300), st.text(alphabet=JSON_CHARS, max_size=300)))
def test_any_bytes_are_json_or_a_french_error(content: bytes | str) -> None:
    parsed_or_refused(content)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30)


@FUZZ
@given(json_values, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "str"]))
def test_json_within_limits_reads_back_as_written(value: Any, encoding: str) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert parse_json(text if encoding == "str" else text.encode(encoding), name="x.json") == value


OPENERS = st.sampled_from(["[", "{\"k\":", "[\"]}\\\"\",", "{\"[\":"])  # some hold brackets in strings
DEPTHS = st.integers(JSON_MAX_DEPTH - 2, JSON_MAX_DEPTH + 2) | st.integers(1, 400)


@FUZZ
@given(DEPTHS.flatmap(lambda depth: st.lists(OPENERS, min_size=depth, max_size=depth)))
def test_nesting_is_refused_exactly_beyond_the_limit(openers: list[str]) -> None:
    closers = "".join("]" if opener.startswith("[") else "}" for opener in reversed(openers))
    text = "".join(openers) + "0" + closers
    result = parsed_or_refused(text)
    if len(openers) > JSON_MAX_DEPTH:
        assert isinstance(result, InputError) and "niveaux" in str(result)
    else:
        assert not isinstance(result, InputError)


@pytest.mark.parametrize("text", [
    "1" * 100_000, "1 " * 50_000, "1," * 50_000, "€" * 100_000, "1.2" * 30_000, "\u00a0" * 100_000,
    "1 234" * 20_000, "e" * 100_000, "-" * 100_000 + "1",
])
def test_long_hostile_cells_are_answered_quickly(text: str) -> None:
    for normalise in (parse_amount_ht, parse_date, *IDENTIFIER_NORMALISERS):
        outcome(normalise, text)


def test_huge_integers_are_refused_by_amounts_and_dates() -> None:
    for normalise in (parse_amount, parse_date):
        with pytest.raises(NormaliseError):
            normalise(10**5000)
    assert isinstance(parsed_or_refused('{"n": ' + "9" * 5000 + "}"), InputError)
