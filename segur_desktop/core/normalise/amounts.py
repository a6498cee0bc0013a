"""Amounts in euros, exactly, with two decimals.

Decimal throughout: the portal wants amounts "always with 2 decimals" and a
float's 0.1 + 0.2 must never reach a request. French and English separators
are both read; a value with more than two decimals is an error, not rounded.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.text import clean_text

CENT = Decimal("0.01")
_CURRENCY = re.compile(r"(€|eur(?:os?)?\b|ht\b|ttc\b)", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007']+")
_TOO_LARGE = Decimal("1e12")  # no Ségur amount comes near; beyond, it is a mangled cell
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def _from_text(text: str) -> Decimal:
    compact = _SPACES.sub("", _CURRENCY.sub("", text))
    if "," in compact and "." in compact:
        decimal_sep = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        compact = compact.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in compact:
        if compact.count(",") > 1:
            compact = compact.replace(",", "")
        else:
            compact = compact.replace(",", ".")
    elif compact.count(".") > 1:
        compact = compact.replace(".", "")
    if not _NUMBER.match(compact):
        raise NormaliseError("montant_illisible", value=text)
    return Decimal(compact)


def parse_amount(raw: object) -> tuple[Decimal, None]:
    """A positive Decimal quantized to cents; the second item is never a repair."""
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
    else:
        try:
            value = _from_text(shown)
        except InvalidOperation:
            raise NormaliseError("montant_illisible", value=shown) from None
    if value < 0:
        raise NormaliseError("montant_negatif", value=shown)
    if value == 0:
        raise NormaliseError("montant_nul", value=shown)
    if value >= _TOO_LARGE:
        raise NormaliseError("montant_illisible", value=shown)
    if value != value.quantize(CENT):
        raise NormaliseError("montant_decimales", value=shown)
    return value.quantize(CENT), None


def format_amount(value: Decimal) -> str:
    """The JSON form: "1250.00"."""
    return f"{value.quantize(CENT):f}"


def format_fr(value: Decimal | str) -> str:
    """How users read an amount: "12345.60" -> "12 345,60 €"."""
    whole, _sep, cents = format_amount(Decimal(value)).partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{' '.join(groups) or '0'},{cents} €"


def format_count(value: int) -> str:
    """How users read a count: 12345 -> "12 345" (French grouping, narrow no-break space)."""
    return f"{value:,}".replace(",", "\u202f")
