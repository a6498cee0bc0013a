"""FINESS, SIREN, SIRET, RPPS and ADELI normalisers (DOMAIN.md, identifiers)."""

from __future__ import annotations

import re
import string
from datetime import date, datetime
from decimal import Decimal

import pytest
from cells import any_cell
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.normalise import Issue, NormaliseError, identifiers
from segur_desktop.core.normalise.identifiers import NORMALISERS, adeli, finess, rpps, siren, siret

NBSP = "\u00a0"
NNBSP = "\u202f"


def with_key(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def wrong_key(valid: str) -> str:
    return valid[:-1] + str((int(valid[-1]) + 1) % 10)


def error_of(normaliser, raw) -> Issue:
    with pytest.raises(NormaliseError) as caught:
        normaliser(raw)
    return caught.value.issue


# A valid FINESS with a leading zero (département 01) and one without (75: AP-HP).
FINESS_01 = with_key("01001234")
FINESS_75 = "750712184"
SIRET = "73282932000074"
SIREN = "732829320"
RPPS = with_key("1000345678")


def test_examples_are_what_they_claim() -> None:
    assert FINESS_01 == "010012342"
    assert luhn.is_valid(FINESS_75)
    assert stdnum_siret.is_valid(SIRET)
    assert stdnum_siren.is_valid(SIREN)
    assert len(RPPS) == 11 and luhn.is_valid(RPPS)


# -- FINESS ------------------------------------------------------------------


@pytest.mark.parametrize("raw", [FINESS_75, FINESS_01, "130786049"])
def test_finess_valid_text_is_returned_unchanged_without_repair(raw: str) -> None:
    assert finess(raw) == (raw, None)


def test_finess_valid_int_without_leading_zero() -> None:
    assert finess(750712184) == (FINESS_75, None)


@pytest.mark.parametrize("raw", [10012342, 10012342.0, "10012342"], ids=["int", "float", "text"])
def test_finess_leading_zero_restored_and_reported(raw: object) -> None:
    value, repair = finess(raw)
    assert value == FINESS_01
    assert repair is not None
    assert repair.code == "identifiant_zero_restaure"
    assert repair.params["fixed"] == FINESS_01
    assert repair.params["value"] == "10012342"
    assert repair.params["label"] == "FINESS"


def test_finess_restore_is_a_warning_in_the_catalogue() -> None:
    assert MESSAGES["identifiant_zero_restaure"].severity is Severity.WARNING


def test_finess_eight_digits_whose_padding_fails_the_key_is_not_restored() -> None:
    issue = error_of(finess, wrong_key(FINESS_01)[1:])
    assert issue.code == "finess_format"


@pytest.mark.parametrize("raw", [wrong_key(FINESS_75), wrong_key(FINESS_01), "750712185"])
def test_finess_wrong_key(raw: str) -> None:
    issue = error_of(finess, raw)
    assert issue.code == "identifiant_cle"
    assert issue.params["value"] == raw


@pytest.mark.parametrize(
    "raw",
    ["2A0000001", "2A1234567", "2B9999999", "9A1234560", "9B0000000", "9C1111111", "9D2222222", "9E3333333", "9F4444444"],
)
def test_finess_corsica_and_overseas_prefixes_accepted_without_key_check(raw: str) -> None:
    # Several of these fail Luhn (which cannot even run over a letter): no key is checked.
    assert finess(raw) == (raw, None)


def test_finess_letter_prefix_lowercase_is_uppercased() -> None:
    assert finess("2a 123 456 7") == ("2A1234567", None)


@pytest.mark.parametrize("department", ["20", "00", "96", "97", "98", "99"])
def test_finess_unknown_numeric_departement(department: str) -> None:
    raw = with_key(department + "123456")  # a good key: only the département is wrong
    issue = error_of(finess, raw)
    assert issue.code == "finess_departement"
    assert issue.params["department"] == department


@pytest.mark.parametrize(
    "raw",
    ["12345", "7507121840", "75071218", "ABCDEFGHI", "2C1234567", "9G1234567", "A21234567", "75071218X", "", "   "],
)
def test_finess_wrong_shape(raw: str) -> None:
    assert error_of(finess, raw).code == "finess_format"


@pytest.mark.parametrize(
    "raw",
    [
        "750 712 184",
        f"750{NBSP}712{NBSP}184",
        f"750{NNBSP}712{NNBSP}184",
        "750-712-184",
        " 75-0712 184 ",
        f"\t750712184{NBSP}\n",
    ],
)
def test_finess_separators_removed(raw: str) -> None:
    assert finess(raw) == (FINESS_75, None)


@pytest.mark.parametrize("raw", ["2A\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
                                 "\uff17\uff15\uff10\uff17\uff11\uff12\uff11\uff18\uff14"])
def test_finess_non_ascii_digits_are_not_a_finess(raw: str) -> None:
    # Arabic-Indic / full-width digits match Python's \d: they must not slip through.
    assert error_of(finess, raw).code == "finess_format"


@pytest.mark.parametrize("raw", [None, True, False])
def test_finess_unreadable(raw: object) -> None:
    assert error_of(finess, raw).code == "identifiant_illisible"


def test_finess_label_is_carried_into_issues() -> None:
    assert error_of(NORMALISERS["FINESS_ET"], "12345").params["label"] == "FINESS ET"
    assert error_of(NORMALISERS["FINESS_EJ"], "12345").params["label"] == "FINESS EJ"
    assert NORMALISERS["FINESS_ET"](10012342)[1].params["label"] == "FINESS ET"


# -- SIRET / SIREN ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        SIRET,
        73282932000074,
        73282932000074.0,
        "732 829 320 00074",
        f"732{NBSP}829{NBSP}320{NBSP}00074",
        f"732{NNBSP}829{NNBSP}320{NNBSP}00074",
        " 732-829-320-00074 ",
    ],
)
def test_siret_valid_forms(raw: object) -> None:
    assert siret(raw) == (SIRET, None)


@pytest.mark.parametrize("raw", ["7,32829E+13", "7.32829E+13", "7,32829e13", "7.32829E13", "7E+13", " 7,32829E+13 "])
def test_siret_scientific_notation_text(raw: str) -> None:
    issue = error_of(siret, raw)
    assert issue.code == "identifiant_notation_scientifique"
    assert issue.params["label"] == "SIRET"


@pytest.mark.parametrize("raw", [73282900000000.0, 73282900000000, "73282900000000", "73 282 900 000 000"])
def test_siret_with_its_last_digits_lost_to_excel_is_said_destroyed_not_a_typo(raw: object) -> None:
    """« 7,32829E+13 » saved as CSV then reopened in Excel is the number 73282900000000: digits lost, not mistyped."""
    issue = error_of(siret, raw)
    assert issue.code == "identifiant_notation_scientifique"
    assert issue.params == {"label": "SIRET", "value": "7,32829E+13 (73282900000000)"}  # as Excel shows it, and as read


def test_a_siret_with_a_wrong_key_and_fewer_zeros_is_still_a_typo() -> None:
    assert error_of(siret, "73282932000000").code == "identifiant_cle"


@pytest.mark.parametrize("normaliser, raw, expected", [
    (finess, "750712184.0", ("750712184", None)),
    (finess, "750712184,00", ("750712184", None)),
    (siret, "73282932000074.0", ("73282932000074", None)),
    (rpps, f"{RPPS}.0", (RPPS, None)),
    (siren, " 732829320.0 ", ("732829320", None)),
])
def test_a_whole_number_written_with_a_decimal_zero_is_that_number(normaliser, raw: str, expected) -> None:
    """pandas, Odoo or a web CRM write an identifier column typed as decimal « 750712184.0 »: the mark and its
    zeros are no separator (once read as one, it became the 10-digit « 7507121840 »)."""
    assert normaliser(raw) == expected


def test_a_finess_that_lost_its_zero_and_gained_a_decimal_is_restored_not_misread() -> None:
    """« 10012345.0 » read with the dot as a separator was « 100123450 »: nine digits, a FINESS whose key may hold,
    someone else's. It is the FINESS 010012345, its zero restored and said."""
    body = with_key("01001234")
    value, repair = finess(f"{int(body)}.0")
    assert value == body
    assert repair is not None and repair.code == "identifiant_zero_restaure"


@pytest.mark.parametrize("raw", [f'="{FINESS_01}"', f"'{FINESS_01}", f'="{FINESS_01[:3]} {FINESS_01[3:6]} {FINESS_01[6:]}"'])
def test_excels_text_marks_written_out_by_an_export_are_no_part_of_the_number(raw: str) -> None:
    """="010012345" (the CSV trick that keeps Excel from dropping the zero) and the text prefix '010012345."""
    assert finess(raw) == (FINESS_01, None)


@pytest.mark.parametrize("raw", [f'"{FINESS_01}"', f'{FINESS_01}"', f'="{FINESS_01}"x', "'abc"])
def test_other_quotes_are_not_taken_for_excels_marks(raw: str) -> None:
    assert error_of(finess, raw).code == "finess_format"


@pytest.mark.parametrize("raw", ["750712184.5", "750712184.000", "750.712.184.0"])
def test_other_decimals_are_not_taken_for_a_whole_number(raw: str) -> None:
    assert error_of(finess, raw).code in {"finess_format", "identifiant_cle"}


@pytest.mark.parametrize("raw", [73282932000.5, 7.3282932000074e13 + 0.25, -73282932000074.0, 1e15, float("nan"), float("inf")])
def test_siret_float_that_is_not_a_plain_integer(raw: float) -> None:
    assert error_of(siret, raw).code == "identifiant_notation_scientifique"


@pytest.mark.parametrize("raw", ["35600000000001", "35600000000010", "35600000049837", "356 000 000 49837"])
def test_siret_la_poste_exception(raw: str) -> None:
    compact = raw.replace(" ", "")
    assert stdnum_siret.is_valid(compact)
    assert not luhn.is_valid(compact)  # accepted only thanks to the La Poste rule
    assert sum(map(int, compact)) % 5 == 0
    assert siret(raw) == (compact, None)


def test_siret_la_poste_with_bad_digit_sum() -> None:
    assert error_of(siret, "35600000000002").code == "identifiant_cle"


@pytest.mark.parametrize("raw", ["73282932000075", 73282932000075, "73282932100074"])
def test_siret_wrong_key(raw: object) -> None:
    issue = error_of(siret, raw)
    assert issue.code == "identifiant_cle"
    assert issue.params["value"] == str(raw)


def test_siret_whose_siren_part_is_invalid() -> None:
    # Luhn over 14 digits holds, but the SIREN part's own key does not.
    candidate = with_key("7328293210007")
    assert luhn.is_valid(candidate) and not stdnum_siren.is_valid(candidate[:9])
    assert error_of(siret, candidate).code == "identifiant_cle"


@pytest.mark.parametrize("raw", ["123", "732829320", "732829320000741", 732829320000741, "1"])
def test_siret_wrong_length(raw: object) -> None:
    issue = error_of(siret, raw)
    assert issue.code == "identifiant_longueur"
    assert issue.params["length"] == 14
    assert issue.params["found"] == len(str(raw))


@pytest.mark.parametrize("raw", ["7328293200007A", "SIRET 73282932000074", "7328293200007\u0664"])
def test_siret_non_digits(raw: str) -> None:
    assert error_of(siret, raw).code == "identifiant_format"


@pytest.mark.parametrize("raw", [None, True])
def test_siret_unreadable(raw: object) -> None:
    assert error_of(siret, raw).code == "identifiant_illisible"


def test_siret_leading_zeros_restored_from_int() -> None:
    siren_0 = with_key("05421097")
    canonical = with_key(siren_0 + "0001")
    assert canonical.startswith("0") and stdnum_siret.is_valid(canonical)
    value, repair = siret(int(canonical))
    assert value == canonical
    assert repair is not None and repair.code == "identifiant_zero_restaure"
    assert repair.params == {"label": "SIRET", "value": canonical.lstrip("0"), "fixed": canonical}


@pytest.mark.parametrize("raw", [SIREN, 732829320, 732829320.0, "732 829 320", f"732{NBSP}829{NBSP}320"])
def test_siren_valid_forms(raw: object) -> None:
    assert siren(raw) == (SIREN, None)


def test_siren_wrong_key_and_length() -> None:
    assert error_of(siren, "732829321").code == "identifiant_cle"
    assert error_of(siren, "7328293200").code == "identifiant_longueur"
    assert error_of(siren, "7,32829E+8").code == "identifiant_notation_scientifique"


def test_siren_leading_zero_restored() -> None:
    canonical = with_key("05421097")
    value, repair = siren(int(canonical))
    assert value == canonical
    assert repair is not None and repair.code == "identifiant_zero_restaure"


# -- RPPS / ADELI ---------------------------------------------------------------


@pytest.mark.parametrize("raw", [RPPS, int(RPPS), float(RPPS), "100 034 567 86", f"1000{NBSP}3456786"])
def test_rpps_valid(raw: object) -> None:
    assert rpps(raw) == (RPPS, None)


def test_rpps_wrong_key_and_length() -> None:
    assert error_of(rpps, wrong_key(RPPS)).code == "identifiant_cle"
    assert error_of(rpps, RPPS + "0").code == "identifiant_longueur"
    assert error_of(rpps, RPPS[:7]).code == "identifiant_longueur"
    assert error_of(rpps, "1000345678X").code == "identifiant_format"


def test_rpps_leading_zero_restored() -> None:
    canonical = with_key("0123456789")
    value, repair = rpps(int(canonical))
    assert (value, repair.code) == (canonical, "identifiant_zero_restaure")


def test_adeli_luhn_valid_has_no_issue() -> None:
    valid = with_key("75123456")
    assert adeli(valid) == (valid, None)
    assert adeli(int(valid)) == (valid, None)
    assert adeli(f"{valid[:3]} {valid[3:]}") == (valid, None)


def test_adeli_luhn_mismatch_is_only_a_warning() -> None:
    odd = wrong_key(with_key("75123456"))
    value, repair = adeli(odd)
    assert value == odd
    assert repair == Issue("adeli_cle_douteuse", {"value": odd})
    assert MESSAGES["adeli_cle_douteuse"].severity is Severity.WARNING


@pytest.mark.parametrize("raw", ["7512345", "7512345600", "75123456A", ""])
def test_adeli_wrong_shape(raw: str) -> None:
    issue = error_of(adeli, raw)
    assert issue.code == "identifiant_longueur"
    assert issue.params["length"] == 9


def test_normalisers_table_covers_every_identifier_type() -> None:
    from segur_desktop.core.build import IDENTIFIER_FIELDS

    assert set(NORMALISERS) == set(IDENTIFIER_FIELDS)
    assert NORMALISERS["SIRET"](SIRET) == (SIRET, None)
    assert NORMALISERS["SIREN"](SIREN) == (SIREN, None)
    assert NORMALISERS["RPPS"](RPPS) == (RPPS, None)
    assert NORMALISERS["FINESS_EJ"](FINESS_75) == (FINESS_75, None)


# -- properties -----------------------------------------------------------------

DIGITS = string.digits
NUMERIC_DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20]


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(DIGITS, min_size=n, max_size=n)


valid_finess = st.builds(lambda dep, rest: with_key(dep + rest), st.sampled_from(NUMERIC_DEPARTMENTS), _digits(6))
# Excel drops every leading zero of a number; the normalisers restore at most two
# (more would turn tiny numbers such as 0 into "valid" identifiers), so the
# generated numbers keep at least one non-zero digit among their first three.
valid_siren = _digits(8).map(with_key).filter(lambda s: not s.startswith("000"))
valid_siret = st.builds(lambda s, nic: with_key(s + nic), valid_siren, _digits(4)).filter(stdnum_siret.is_valid)
valid_rpps = _digits(10).map(with_key).filter(lambda s: not s.startswith("000"))

SEPARATORS = st.sampled_from(["", "", " ", NBSP, NNBSP, "  ", f" {NBSP}"])


@st.composite
def mangled(draw, canonical: st.SearchStrategy[str]) -> tuple[str, object, bool]:
    """(canonical, what Excel made of it, whether leading zeros were lost)."""
    value = draw(canonical)
    form = draw(st.sampled_from(["text", "spaced", "int", "float"]))
    if form == "text":
        return value, value, False
    if form == "spaced":
        seps = draw(st.lists(SEPARATORS, min_size=len(value) + 1, max_size=len(value) + 1))
        return value, "".join(s + c for s, c in zip(seps, value, strict=False)) + seps[-1], False  # the last separator trails
    number = int(value)
    return value, (number if form == "int" else float(number)), value.startswith("0")


def _check_survives(normaliser, case: tuple[str, object, bool]) -> None:
    canonical, raw, zeros_lost = case
    value, repair = normaliser(raw)
    assert value == canonical
    if zeros_lost:
        assert repair is not None and repair.code == "identifiant_zero_restaure"
        assert repair.params["fixed"] == canonical
    else:
        assert repair is None


@settings(deadline=None)
@given(mangled(valid_finess))
def test_property_valid_finess_survives_excel(case) -> None:
    _check_survives(finess, case)


@settings(deadline=None)
@given(mangled(valid_siret))
def test_property_valid_siret_survives_excel(case) -> None:
    _check_survives(siret, case)


@settings(deadline=None)
@given(mangled(valid_siren))
def test_property_valid_siren_survives_excel(case) -> None:
    _check_survives(siren, case)


@settings(deadline=None)
@given(mangled(valid_rpps))
def test_property_valid_rpps_survives_excel(case) -> None:
    _check_survives(rpps, case)


ANY_CELL = any_cell("0123456789 \u00a0\u202f.,-AaBbEe+")

_SHAPES = {
    "finess": re.compile(r"(?:[0-9]{2}|2[AB]|9[A-F])[0-9]{7}", re.ASCII),
    "siret": re.compile(r"[0-9]{14}", re.ASCII),
    "siren": re.compile(r"[0-9]{9}", re.ASCII),
    "rpps": re.compile(r"[0-9]{11}", re.ASCII),
    "adeli": re.compile(r"[0-9]{9}", re.ASCII),
}
_CHECKS = {
    "finess": lambda v: not v[:2].isdigit() or luhn.is_valid(v),
    "siret": stdnum_siret.is_valid,
    "siren": stdnum_siren.is_valid,
    "rpps": luhn.is_valid,
    "adeli": lambda v: True,
}


def assert_issue_renders(issue: Issue) -> None:
    entry = MESSAGES[issue.code]
    entry.message.format(**issue.params)
    entry.fix.format(**issue.params)


@pytest.mark.parametrize("name", sorted(_SHAPES))
@settings(deadline=None)
@given(raw=ANY_CELL)
def test_property_identifiers_only_raise_normalise_error(name: str, raw: object) -> None:
    normaliser = getattr(identifiers, name)
    try:
        value, repair = normaliser(raw)
    except NormaliseError as error:
        assert_issue_renders(error.issue)
        assert MESSAGES[error.issue.code].severity is Severity.ERROR
        return
    # Whatever came in, what comes out is a well-formed identifier whose key holds.
    assert _SHAPES[name].fullmatch(value), value
    assert _CHECKS[name](value)
    if repair is not None:
        assert_issue_renders(repair)
        assert MESSAGES[repair.code].severity is Severity.WARNING


@pytest.mark.parametrize("raw", [date(2022, 9, 15), datetime(2022, 9, 15, 10, 30), Decimal("7.32829E+13"), Decimal("NaN"),
                                 10**400, -1, 0])
@pytest.mark.parametrize("name", sorted(_SHAPES))
def test_odd_cells_give_an_issue(name: str, raw: object) -> None:
    with pytest.raises(NormaliseError) as caught:
        getattr(identifiers, name)(raw)
    assert caught.value.issue.code in MESSAGES


# -- keys computed with stdnum.luhn directly (issue #3) --------------------------------------

la_poste_siret = _digits(5).map(lambda nic: "356000000" + nic)
any_siret_digits = st.one_of(_digits(14), la_poste_siret, valid_siret, st.just("35600000000048"),
                             st.just("35600000000049"))


@settings(deadline=None, max_examples=500)
@given(value=any_siret_digits)
def test_property_siret_key_is_stdnums(value: str) -> None:
    # Same verdict as stdnum.fr.siret, La Poste's exception and the SIREN part included.
    assert identifiers._siret_ok(value) == stdnum_siret.is_valid(value)


@settings(deadline=None, max_examples=300)
@given(value=st.integers(1, 14).flatmap(_digits))
def test_property_luhn_shortcut_is_stdnums(value: str) -> None:
    assert identifiers._luhn_ok(value) == luhn.is_valid(value)
    if len(value) == 9:
        assert identifiers._luhn_ok(value) == stdnum_siren.is_valid(value)


DIGIT_CELLS = st.sampled_from(list(identifiers.DIGIT_KEYS)).flatmap(
    lambda normaliser: st.tuples(st.just(normaliser), _digits(identifiers.DIGIT_KEYS[normaliser][0])))


@settings(deadline=None, max_examples=500)
@given(case=DIGIT_CELLS)
def test_property_digit_keys_tell_what_the_normaliser_does(case) -> None:
    # The promise rows.py relies on: ASCII digits of the right length come back unchanged,
    # without repair, exactly when the check holds; otherwise an error or a warning.
    normaliser, value = case
    _length, check = identifiers.DIGIT_KEYS[normaliser]
    try:
        outcome = normaliser(value)
    except NormaliseError:
        outcome = None
    assert (outcome == (value, None)) == check(value)


def test_digit_keys_cover_every_identifier() -> None:
    assert set(identifiers.DIGIT_KEYS) == {*NORMALISERS.values(), identifiers.finess_any}
