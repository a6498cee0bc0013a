"""Amounts in euros, exactly, with two decimals.

Decimal throughout: the portal wants amounts "always with 2 decimals" and a
float's 0.1 + 0.2 must never reach a request. French and English separators
are both read; a value with more than two decimals is an error, not rounded.

A text amount is read only when it can mean one thing (issue #17): a cell that
could be misread is an error at its cell, never a guessed value.
- Group separators (space, no-break spaces, apostrophe, or the dot / comma that
  is not the decimal mark) make groups of exactly 3 digits after a first group
  of 1 to 3, all with the same separator: « 1 234 567,89 », « 1.234,56 »,
  « 1'234.56 ». « 1,85,00 », « 12,3,4 », « 1.2.3 » are refused (montant_groupes).
- At most one decimal mark: with both a dot and a comma, the last one is the
  mark; a lone dot or comma is the mark, except between 1-3 digits (not « 0 »)
  and exactly 3 digits (« 1,234 », « 1.500 »): thousands or decimals cannot be
  told apart, so it is refused (montant_ambigu). More than 3 decimals that are
  not trailing zeros is montant_decimales, as before.
- Only euros: « € », « EUR », « euro(s) », before or after the number. Any other
  currency ($, £, USD, CHF…) is montant_devise.
- « (123,00) » is an accountant's negative: montant_negatif, as « -123,00 ».
- « HT » / « TTC » (« H.T. », « T.T.C. ») may follow the number; the one that contradicts the column
  (« TTC » in the HT column, `parse_amount_ht`) is montant_ht_ttc.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.text import clean_text

CENT = Decimal("0.01")
_TOO_LARGE = Decimal("1e12")  # no Ségur amount comes near; beyond, it is a mangled cell
_MAX_TEXT = 100  # characters: a longer cell is no amount, and is never scanned further
_PLAIN = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,2})?")  # the common cell, read without the full grammar
_AFFIX = r"(?:€|(?<![a-z])(?:eur(?:os?)?|h\.?t\.?|t\.?t\.?c\.?)(?![a-z]))"  # « HT », « H.T. », « T.T.C. »
_SHAPE = re.compile(
    rf"(?P<pre>(?:{_AFFIX}\s*)*)(?P<sign>[+-]?)\s*(?P<body>[0-9][0-9 .,'\u2019]*?)\s*(?P<post>(?:{_AFFIX}\s*)*)",
    re.IGNORECASE,
)
_FOREIGN = re.compile(
    r"(?<![a-z])(usd|gbp|chf|jpy|cad|aud|cny|xpf|xof|dollars?|livres?|francs?( suisses?)?)(?![a-z])", re.IGNORECASE)
_WORDS = re.compile("[a-z]+")
_GROUP_SEPARATORS = frozenset(" '.,")


def _foreign_currency(text: str) -> str | None:
    """The currency named in `text` when it is not the euro: a symbol ($, £, ¥…) or a code (USD, CHF…)."""
    for char in text:
        if char != "€" and unicodedata.category(char) == "Sc":
            return char
    found = _FOREIGN.search(text)
    return found.group(0) if found else None


def _integer_digits(part: str, shown: str) -> str:
    """The digits of an integer part, whose group separators must all be one character and make groups of 3."""
    if part.isdigit():
        return part
    separators = {char for char in part if not char.isdigit()}
    if len(separators) != 1 or not separators <= _GROUP_SEPARATORS:
        raise NormaliseError("montant_groupes", value=shown)
    groups = part.split(separators.pop())
    first, rest = groups[0], groups[1:]
    if not (first.isdigit() and len(first) <= 3 and all(len(g) == 3 and g.isdigit() for g in rest)):
        raise NormaliseError("montant_groupes", value=shown)
    return "".join(groups)


def _number(body: str, shown: str) -> Decimal:
    """The unsigned number written in `body`: digits with group separators and at most one decimal mark."""
    body = body.replace("\u2019", "'")
    dots, commas = body.count("."), body.count(",")
    mark: str | None
    if dots and commas:
        mark = "." if body.rfind(".") > body.rfind(",") else ","
        if body.count(mark) > 1:
            raise NormaliseError("montant_illisible", value=shown)
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, _sep, decimals = body.partition(mark)
        if whole.isdigit() and len(whole) <= 3 and whole != "0" and len(decimals) == 3 and decimals.isdigit():
            raise NormaliseError("montant_ambigu", value=shown)  # 1,234: thousands or decimals?
    else:
        mark = None  # no mark, or several of one kind: those are group separators
    whole, _sep, decimals = body.rpartition(mark) if mark else (body, "", "")
    if mark and not (decimals.isdigit() and decimals.isascii()):
        raise NormaliseError("montant_illisible", value=shown)
    digits = _integer_digits(whole, shown)
    return Decimal(f"{digits}.{decimals}" if mark else digits)


def _from_text(text: str, column: str | None = None) -> Decimal:
    """A signed Decimal from a cleaned text cell; `column` ("HT", "TTC" or None) is the column it was read in."""
    if _PLAIN.fullmatch(text):  # at most 2 decimals: never ambiguous
        return Decimal(text.replace(",", "."))
    if text.startswith("(") and text.endswith(")") and _SHAPE.fullmatch(text[1:-1].strip()):
        raise NormaliseError("montant_negatif", value=text)  # « (123,00) »: accountants' negative
    shape = _SHAPE.fullmatch(text) if len(text) <= _MAX_TEXT else None
    if shape is None:
        currency = _foreign_currency(text[:_MAX_TEXT])
        if currency is not None:
            raise NormaliseError("montant_devise", value=text, currency=currency)
        raise NormaliseError("montant_illisible", value=text)
    markers = set(_WORDS.findall(f"{shape['pre']} {shape['post']}".replace(".", "").casefold())) & {"ht", "ttc"}
    if len(markers) > 1:
        raise NormaliseError("montant_illisible", value=text)
    if column is not None and markers and markers != {column.casefold()}:
        raise NormaliseError("montant_ht_ttc", value=text, marker=markers.pop().upper(), column=column)
    value = _number(shape["body"].rstrip(), text)
    return -value if shape["sign"] == "-" else value


def _parse(raw: object, column: str | None) -> tuple[Decimal, None]:
    if isinstance(raw, int) and raw.bit_length() > 64:  # no reader gives one; str() of 5 000 digits raises
        raise NormaliseError("montant_illisible", value=f"{Decimal(raw):.3E}")
    shown = clean_text(raw) or ""
    if isinstance(raw, bool) or raw is None:
        raise NormaliseError("montant_illisible", value=shown)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NormaliseError("montant_illisible", value=shown)
        rounded = round(raw, 2)
        if abs(raw - rounded) > 1e-6:
            raise NormaliseError("montant_decimales", value=shown)
        value = Decimal(repr(rounded))
    elif isinstance(raw, Decimal):  # a number, not text: no separator to misread
        value = raw
    else:
        try:
            value = _from_text(shown, column)
        except InvalidOperation:
            raise NormaliseError("montant_illisible", value=shown) from None
    if not value.is_finite():
        raise NormaliseError("montant_illisible", value=shown)
    if value < 0:
        raise NormaliseError("montant_negatif", value=shown)
    if value == 0:
        raise NormaliseError("montant_nul", value=shown)
    if value >= _TOO_LARGE:
        raise NormaliseError("montant_illisible", value=shown)
    if value != value.quantize(CENT):
        raise NormaliseError("montant_decimales", value=shown)
    return value.quantize(CENT), None


def parse_amount(raw: object) -> tuple[Decimal, None]:
    """A positive Decimal quantized to cents; the second item is never a repair.

    « HT » or « TTC » after the number is accepted (not both): use `parse_amount_ht` /
    `parse_amount_ttc` where the column is known.
    """
    return _parse(raw, None)


def parse_amount_ht(raw: object) -> tuple[Decimal, None]:
    """`parse_amount` for the HT column: an amount marked « TTC » is an error."""
    return _parse(raw, "HT")


def parse_amount_ttc(raw: object) -> tuple[Decimal, None]:
    """`parse_amount` for the TTC column: an amount marked « HT » is an error."""
    return _parse(raw, "TTC")


def format_amount(value: Decimal) -> str:
    """The JSON form: "1250.00"."""
    return f"{value.quantize(CENT):f}"


THOUSANDS = "\u202f"  # French typography: a narrow no-break space, so that a number is never split across lines
_FRENCH_DIGITS = str.maketrans({",": THOUSANDS, ".": ","})


def format_fr(value: Decimal | str) -> str:
    """How users read an amount: "12345.60" -> "12 345,60 €", thousands grouped as `format_count` groups them.
    Only shown (reports, messages, the window): deposit files and the register write `format_amount`."""
    return f"{Decimal(value).quantize(CENT):,f}".translate(_FRENCH_DIGITS) + " €"


def format_count(value: int) -> str:
    """How users read a count: 12345 -> "12 345" (French grouping, narrow no-break space)."""
    return f"{value:,}".replace(",", THOUSANDS)
