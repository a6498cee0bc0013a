"""Text cleaning and the loose comparison key used for headers and aliases."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

# NBSP, narrow NBSP and figure space are what French Excel puts in numbers.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def clean_text(raw: object) -> str | None:
    """Trimmed NFC text with one plain space between words; None when empty.

    A whole float (Excel's only number type) prints without its ".0".
    """
    if raw.__class__ is str and raw.isascii() and raw.isprintable() and "  " not in raw:
        # Fast path, same result: most cells are plain ASCII. Printable ASCII has no
        # whitespace but the plain space (no tab, newline, NBSP...) and is NFC already,
        # so only the ends need trimming; the cell's own str object is kept when it can be.
        return raw.strip() or None
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        raw = int(raw)
    elif isinstance(raw, datetime):
        raw = raw.isoformat(sep=" ")
    elif isinstance(raw, (date, Decimal)):
        raw = str(raw)
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", str(raw))).strip()
    return text or None


def match_key(text: object) -> str:
    """Case-, accent-, punctuation- and space-insensitive key: "N° FINESS-ET" -> "n finess et", "№ BDC" -> "n bdc"."""
    words = str(text)
    if words.isascii():  # most headers and values: nothing to decompose, and the case folds as lower() folds it
        return _NOT_ALNUM.sub(" ", words.lower()).strip()
    if "№" in words or "º" in words:  # the numero sign and the ordinal « º » as « N° » is typed: « №BDC » is « N°BDC »
        words = words.replace("№", "N°").replace("º", "°")
    # upper() first: « ı » (dotless i) has no case fold of its own, but its capital « I » folds to « i ». lower() after
    # decomposing: compatibility forms decompose to capitals (« Ⅻ » to « XII »), which the key would drop.
    decomposed = unicodedata.normalize("NFKD", words.upper().casefold()).lower()
    if decomposed.isascii():  # no combining mark to drop (they are not ASCII)
        return _NOT_ALNUM.sub(" ", decomposed).strip()
    ascii_only = "".join([c for c in decomposed if not unicodedata.combining(c)])
    return _NOT_ALNUM.sub(" ", ascii_only.replace("°", " ")).strip()


def fold_key(text: object) -> str:
    """`match_key` without its spaces: "MS2_PDE", "MS2 PDE" and "ms2-pde" give "ms2pde", "S.A.S." gives "sas".

    For the short codes and names that exports spell with or without separators
    (couloirs, request types, software kinds). Column titles keep `match_key`:
    there, spaces keep words apart.
    """
    return match_key(text).replace(" ", "")


def raw_display(raw: object) -> str:
    """How a raw cell value is quoted back to the user in a message."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y %H:%M") if (raw.hour or raw.minute) else raw.strftime("%d/%m/%Y")
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)
