"""National identifiers: FINESS, SIREN, SIRET, RPPS, ADELI.

Excel mangles them: numbers lose leading zeros, get spaces and NBSP, become
floats, or are shown (and, once saved as text, stored) in scientific notation.
What can be recovered is recovered and reported; what cannot is an error.
Keys are checked as DOMAIN.md says; the arithmetic comes from python-stdnum.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from segur_desktop.core.normalise import Issue, NormaliseError
from segur_desktop.core.normalise.text import raw_display

_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2007.\-_/]+")
# Excel exponents have at most 3 digits: "9E1234567" is a FINESS (9E = Saint-Pierre-et-Miquelon).
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?E\+?\d{1,3}$", re.IGNORECASE)
_FINESS = re.compile(r"^(?:\d{2}|2[AB]|9[A-F])\d{7}$", re.ASCII)  # \d: ASCII digits only
_FINESS_NUMERIC_DEPARTMENTS = {f"{n:02d}" for n in range(1, 96) if n != 20}


def _compact(raw: object, label: str) -> str:
    """The identifier's characters without separators; errors for lost digits."""
    if raw.__class__ is str and raw.isascii() and raw.isdigit():  # type: ignore[attr-defined]
        return raw  # type: ignore[return-value]  # the common case: nothing to strip, no letter, no exponent
    if isinstance(raw, bool) or raw is None:
        raise NormaliseError("identifiant_illisible", label=label, value=raw_display(raw))
    if isinstance(raw, float):
        if not raw.is_integer() or not 0 <= raw < 1e15:
            raise NormaliseError("identifiant_notation_scientifique", label=label, value=raw_display(raw))
        return str(int(raw))
    if isinstance(raw, int):
        return str(raw)
    text = _SEPARATORS.sub("", str(raw)).upper()
    if _SCIENTIFIC.match(text):
        raise NormaliseError("identifiant_notation_scientifique", label=label, value=str(raw))
    return text


def _digits(raw: object, label: str, length: int, is_valid) -> tuple[str, Issue | None]:
    """`length` digits; restore leading zeros Excel removed when the key then holds."""
    value = _compact(raw, label)
    if not value.isdigit() or not value.isascii():
        raise NormaliseError("identifiant_format", label=label, value=raw_display(raw), length=length)
    if len(value) < length and len(value) >= length - 2:
        padded = value.zfill(length)
        if is_valid(padded):
            return padded, Issue("identifiant_zero_restaure", {"label": label, "value": value, "fixed": padded})
    if len(value) != length:
        raise NormaliseError("identifiant_longueur", label=label, value=raw_display(raw), length=length, found=len(value))
    if not is_valid(value):
        raise NormaliseError("identifiant_cle", label=label, value=value)
    return value, None


def _luhn_ok(value: str) -> bool:
    return luhn.is_valid(value)


def finess(raw: object, label: str = "FINESS") -> tuple[str, Issue | None]:
    """9 characters `[0-9][0-9AB][0-9]{7}`; Luhn key when the département is numeric."""
    value = _compact(raw, label)
    repair = None
    if len(value) == 8 and value.isdigit():
        padded = "0" + value
        if luhn.is_valid(padded):
            value, repair = padded, Issue("identifiant_zero_restaure", {"label": label, "value": value, "fixed": padded})
    if not _FINESS.match(value):
        raise NormaliseError("finess_format", label=label, value=raw_display(raw))
    department = value[:2]
    if department.isdigit():
        if department not in _FINESS_NUMERIC_DEPARTMENTS:
            raise NormaliseError("finess_departement", label=label, value=value, department=department)
        if repair is None and not luhn.is_valid(value):  # a repaired value has just passed the key
            raise NormaliseError("identifiant_cle", label=label, value=value)
    return value, repair


def siren(raw: object) -> tuple[str, Issue | None]:
    return _digits(raw, "SIREN", 9, stdnum_siren.is_valid)


def siret(raw: object) -> tuple[str, Issue | None]:
    """14 digits; stdnum checks the Luhn key and the La Poste exception."""
    return _digits(raw, "SIRET", 14, stdnum_siret.is_valid)


def rpps(raw: object) -> tuple[str, Issue | None]:
    return _digits(raw, "RPPS", 11, _luhn_ok)


def adeli(raw: object) -> tuple[str, Issue | None]:
    """9 digits. No published key: a Luhn mismatch is only a warning."""
    value = _compact(raw, "ADELI")
    if not (value.isdigit() and value.isascii() and len(value) == 9):
        raise NormaliseError("identifiant_longueur", label="ADELI", value=raw_display(raw), length=9, found=len(value))
    if not luhn.is_valid(value):
        return value, Issue("adeli_cle_douteuse", {"value": value})
    return value, None


NORMALISERS = {
    "FINESS_ET": lambda raw: finess(raw, "FINESS ET"),
    "FINESS_EJ": lambda raw: finess(raw, "FINESS EJ"),
    "SIRET": siret,
    "SIREN": siren,
    "RPPS": rpps,
    "ADELI": adeli,
}
