"""clean_text, match_key and raw_display."""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from cells import any_cell
from hypothesis import given, settings
from hypothesis import strategies as st

from segur_desktop.core.normalise.text import clean_text, match_key, raw_display

# -- clean_text -----------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", " ", "   ", "\t\n", "\u00a0", "\u202f\u2007 \u00a0"], ids=repr)
def test_clean_text_empty_is_none(raw: object) -> None:
    assert clean_text(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Clinique  du   Parc ", "Clinique du Parc"),
        ("Clinique\u00a0du\u00a0Parc", "Clinique du Parc"),
        ("1\u202f234,56\u00a0€", "1 234,56 €"),
        ("figure\u2007space", "figure space"),
        ("a\tb\nc\r\nd", "a b c d"),
        ("x", "x"),
    ],
)
def test_clean_text_spaces(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_is_nfc() -> None:
    decomposed = "Ho\u0302pital Sainte-The\u0301re\u0300se"
    assert clean_text(decomposed) == "H\u00f4pital Sainte-Th\u00e9r\u00e8se"
    assert len(clean_text("e\u0301")) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12345.0, "12345"),
        (73282932000074.0, "73282932000074"),
        (-3.0, "-3"),
        (0.0, "0"),
        (1.5, "1.5"),
        (1250.25, "1250.25"),
        (42, "42"),
        (Decimal("1.50"), "1.50"),
        (date(2022, 9, 15), "2022-09-15"),
        (datetime(2022, 9, 15, 10, 30), "2022-09-15 10:30:00"),
        (True, "True"),
    ],
    ids=repr,
)
def test_clean_text_non_strings(raw: object, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_whole_float_beyond_1e15_keeps_float_form() -> None:
    # No identifier or amount is that long: the float's own text is shown.
    assert clean_text(1e15) == str(1e15)
    assert clean_text(float("nan")) == "nan"


# -- match_key ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("N° FINESS-ET", "n finess et"),
        ("n° finess et", "n finess et"),
        ("N°FINESS_ET", "n finess et"),
        ("Numéro FINESS", "numero finess"),
        ("  DATE   de  Signature ", "date de signature"),
        ("Montant HT (€)", "montant ht"),
        ("Date de signature du BDC", "date de signature du bdc"),
        ("ÉÈÊË éèêë àâ îï ôö ùûü ç", "eeee eeee aa ii oo uuu c"),
        ("Raison\u00a0sociale", "raison sociale"),
        ("SIRET/SIREN", "siret siren"),
        ("Straße", "strasse"),
        ("", ""),
        ("---", ""),
        (123, "123"),
    ],
)
def test_match_key(raw: object, expected: str) -> None:
    assert match_key(raw) == expected


def test_match_key_is_case_and_accent_insensitive() -> None:
    assert match_key("DATE DE SIGNATURE") == match_key("date de signature") == match_key("Daté de signaturé")
    assert match_key("N° FINESS-ET") != match_key("N° FINESS-EJ")


# -- raw_display ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  abc ", "  abc "),  # quoted as typed
        (10012342.0, "10012342"),
        (10012342, "10012342"),
        (1.5, "1.5"),
        (date(2022, 9, 15), "15/09/2022"),
        (datetime(2022, 9, 15), "15/09/2022"),
        (datetime(2022, 9, 15, 10, 30), "15/09/2022 10:30"),
        (datetime(2022, 9, 15, 0, 5), "15/09/2022 00:05"),
        (Decimal("7.5"), "7.5"),
    ],
    ids=repr,
)
def test_raw_display(raw: object, expected: str) -> None:
    assert raw_display(raw) == expected


# -- properties -----------------------------------------------------------------

CELLS = any_cell(" \t\n\u00a0\u202f\u2007ae\u0301\u00e9")


@settings(deadline=None)
@given(CELLS)
def test_property_clean_text_shape_and_idempotence(raw: object) -> None:
    text = clean_text(raw)
    if text is None:
        return
    assert text == text.strip() and text
    assert "  " not in text
    assert all(c == " " or not c.isspace() for c in text)
    assert unicodedata.is_normalized("NFC", text)
    assert clean_text(text) == text


@settings(deadline=None)
@given(CELLS)
def test_property_match_key_shape_and_idempotence(raw: object) -> None:
    key = match_key(raw)
    assert set(key) <= set(string.ascii_lowercase + string.digits + " ")
    assert key == key.strip() and "  " not in key
    assert match_key(key) == key


@settings(deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " \u00a0éèàçÉÈÀÇ"))
def test_property_match_key_ignores_case(text: str) -> None:
    assert match_key(text.upper()) == match_key(text.lower()) == match_key(text)


@settings(deadline=None)
@given(CELLS)
def test_property_raw_display_is_a_string(raw: object) -> None:
    shown = raw_display(raw)
    assert isinstance(shown, str)
    assert (shown == "") == (raw is None or raw == "")


def _clean_text_without_fast_path(text: str) -> str | None:
    """clean_text's general path: NFC, runs of whitespace to one space, trimmed."""
    return re.sub(r"[\s\u00a0\u202f\u2007]+", " ", unicodedata.normalize("NFC", text)).strip() or None


@settings(deadline=None, max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=127)),
                 st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x7f\x00abc\u00a0\u00e9")))
def test_property_clean_text_fast_path_gives_the_general_result(text: str) -> None:
    # Plain ASCII cells skip NFC and the regex (issue #3): the result must not change.
    assert clean_text(text) == _clean_text_without_fast_path(text)


def test_clean_text_keeps_the_cell_object_when_nothing_changes() -> None:
    text = "".join(["Centre hospitalier ", "de Paris"])  # a fresh str, as a reader gives
    assert clean_text(text) is text
