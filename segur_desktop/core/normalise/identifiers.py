"""National identifiers: FINESS, SIREN, SIRET, RPPS, ADELI.

Excel mangles them: numbers lose leading zeros, get spaces and NBSP, become
floats, or are shown (and, once saved as text, stored) in scientific notation.
What can be recovered is recovered and reported; what cannot is an error.
Keys are checked as DOMAIN.md says; the arithmetic comes from python-stdnum.

Speed (issue #3): identifiers are mostly distinct, so nothing can be remembered
and every key is computed. Once a value is known to be ASCII digits of the
right length, the keys are checked with `stdnum.luhn.checksum` directly: the
`is_valid` functions of stdnum clean the number again and validate through
exceptions, which made stdnum.fr.siret cost 11 µs a call against 6 µs here.
The rules are stdnum's own (`_siret_ok` follows stdnum.fr.siret, La Poste
exception included), and tests compare both on random numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import luhn

from segur_desktop.core.normalise import Issue, NormaliseError
from segur_desktop.core.normalise.text import raw_display

_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2007.\-_/]+")
# Excel exponents have at most 3 digits: "9E1234567" is a FINESS (9E = Saint-Pierre-et-Miquelon).
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?E\+?\d{1,3}$", re.IGNORECASE)
_FINESS = re.compile(r"^(?:\d{2}|2[AB]|9[A-F])\d{7}$", re.ASCII)  # \d: ASCII digits only
_FINESS_NUMERIC_DEPARTMENTS = {f"{n:02d}" for n in range(1, 96) if n != 20}
# La Poste's establishments share one SIREN and their SIRETs carry no Luhn key: the sum
# of their digits is a multiple of 5 instead. Its head office's SIRET has a Luhn key.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"


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
    """`luhn.is_valid` for a non-empty string of ASCII digits."""
    return luhn.checksum(value) == 0


def _siret_ok(value: str) -> bool:
    """`stdnum.fr.siret.is_valid` for 14 ASCII digits: the SIRET's key, then its SIREN's."""
    if value.startswith(_LA_POSTE_SIREN) and value != _LA_POSTE_HEAD_OFFICE:
        key_ok = sum(map(int, value)) % 5 == 0
    else:
        key_ok = luhn.checksum(value) == 0
    return key_ok and luhn.checksum(value[:9]) == 0


def _finess_digits_ok(value: str) -> bool:
    """A FINESS of 9 ASCII digits: a known numeric département and a Luhn key."""
    return value[:2] in _FINESS_NUMERIC_DEPARTMENTS and _luhn_ok(value)


def finess(raw: object, label: str = "FINESS") -> tuple[str, Issue | None]:
    """9 characters `[0-9][0-9AB][0-9]{7}`; Luhn key when the département is numeric."""
    value = _compact(raw, label)
    repair = None
    if len(value) == 8 and value.isdigit() and value.isascii():
        padded = "0" + value
        if _luhn_ok(padded):
            value, repair = padded, Issue("identifiant_zero_restaure", {"label": label, "value": value, "fixed": padded})
    if not _FINESS.match(value):
        raise NormaliseError("finess_format", label=label, value=raw_display(raw))
    department = value[:2]
    if department.isdigit():
        if department not in _FINESS_NUMERIC_DEPARTMENTS:
            raise NormaliseError("finess_departement", label=label, value=value, department=department)
        if repair is None and not _luhn_ok(value):  # a repaired value has just passed the key
            raise NormaliseError("identifiant_cle", label=label, value=value)
    return value, repair


def siren(raw: object) -> tuple[str, Issue | None]:
    """9 digits with a Luhn key (stdnum.fr.siren's rule)."""
    return _digits(raw, "SIREN", 9, _luhn_ok)


def siret(raw: object) -> tuple[str, Issue | None]:
    """14 digits: the Luhn key (or La Poste's digit sum) and the SIREN part's key."""
    return _digits(raw, "SIRET", 14, _siret_ok)


def rpps(raw: object) -> tuple[str, Issue | None]:
    return _digits(raw, "RPPS", 11, _luhn_ok)


def adeli(raw: object) -> tuple[str, Issue | None]:
    """9 digits. No published key: a Luhn mismatch is only a warning."""
    value = _compact(raw, "ADELI")
    if not (value.isdigit() and value.isascii() and len(value) == 9):
        raise NormaliseError("identifiant_longueur", label="ADELI", value=raw_display(raw), length=9, found=len(value))
    if not _luhn_ok(value):
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

# Normaliser -> (length, check). A text of `length` ASCII digits, the form most cells have,
# comes back from the normaliser unchanged and without repair exactly when `check` holds
# (otherwise: an error, or ADELI's warning). `normalise/rows.py` uses it to check whole blocks
# of such cells; tests hold every normaliser here to that promise.
DIGIT_KEYS: dict[Callable[[object], tuple[str, Issue | None]], tuple[int, Callable[[str], bool]]] = {
    NORMALISERS["FINESS_ET"]: (9, _finess_digits_ok),
    NORMALISERS["FINESS_EJ"]: (9, _finess_digits_ok),
    siret: (14, _siret_ok),
    siren: (9, _luhn_ok),
    rpps: (11, _luhn_ok),
    adeli: (9, _luhn_ok),
}
