"""National identifiers: FINESS, SIREN, SIRET, RPPS, ADELI.

Excel mangles them: numbers lose leading zeros, get spaces and NBSP, become
floats, or are shown (and, once saved as text, stored) in scientific notation.
What can be recovered is recovered and reported; what cannot is an error.
Keys are checked as DOMAIN.md says, by python-stdnum's rules; stdnum's Luhn sum is
redone in C calls (`_luhn_ok`), and tests hold it to stdnum's.

Speed (issue #3): identifiers are mostly distinct, so nothing can be remembered
and every key is computed. Once a value is known to be ASCII digits of the
right length, the keys are checked without stdnum's `is_valid` functions, which
clean the number again and validate through exceptions (stdnum.fr.siret cost
11 µs a call). The rules are stdnum's own (`_siret_ok` follows stdnum.fr.siret,
La Poste exception included) and stdnum stays the reference: see `_luhn_ok` for
why its Luhn sum is computed here, and the tests that hold it to stdnum's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import cast

from segur_desktop.core.normalise import Issue, NormaliseError
from segur_desktop.core.normalise.text import raw_display

_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2007.\-_/]+")
# Excel exponents have at most 3 digits: "9E1234567" is a FINESS (9E = Saint-Pierre-et-Miquelon).
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?E\+?\d{1,3}$", re.IGNORECASE)
# A whole number written by a tool that typed the column as decimal: « 30806731.0 » (pandas, Odoo, a web
# CRM), « 30806731,00 » (a number format with decimals). Its digits are exact; the mark and zeros are no
# separator: read as one, « 30806731.0 » became the FINESS 308067310, a wrong identifier whose key may hold.
_WHOLE_DECIMAL = re.compile(r"^(\d+)[.,]0{1,2}$")
# What keeps Excel from dropping leading zeros, written out by exports as is: the formula ="012345678" (a CSV trick
# of ERPs) and the text prefix '012345678. Neither is part of the number.
_EXCEL_TEXT = re.compile(r'^(?:="([^"]*)"|\'(\d[^\']*))$')
# Excel shows a 14-digit number as « 1,23457E+13 »; saved as CSV then reopened, it is 12345700000000: six
# significant digits, then zeros. No SIRET has a NIC of 00000, so eight trailing zeros are that damage.
_LOST_DIGITS_ZEROS = "00000000"
_FINESS = re.compile(r"^(?:\d{2}|2[AB]|9[A-F])\d{7}$", re.ASCII)  # \d: ASCII digits only
_FINESS_NUMERIC_DEPARTMENTS = {f"{n:02d}" for n in range(1, 96) if n != 20}
# La Poste's establishments share one SIREN and their SIRETs carry no Luhn key: the sum
# of their digits is a multiple of 5 instead. Its head office's SIRET has a Luhn key.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"
_LA_POSTE_SIREN_BYTES = _LA_POSTE_SIREN.encode("ascii")


def compact(raw: object, label: str) -> str:
    """The identifier's characters without separators; errors for lost digits."""
    if raw.__class__ is str and raw.isascii() and raw.isdigit():
        return raw  # the common case: nothing to strip, no letter, no exponent
    if isinstance(raw, bool) or raw is None:
        raise NormaliseError("identifiant_illisible", label=label, value=raw_display(raw))
    if isinstance(raw, float):
        if not raw.is_integer() or not 0 <= raw < 1e15:
            raise NormaliseError("identifiant_notation_scientifique", label=label, value=raw_display(raw))
        return str(int(raw))
    if isinstance(raw, int):
        return str(raw)
    stripped = str(raw).strip()
    if marked := _EXCEL_TEXT.match(stripped):
        stripped = marked.group(1) if marked.group(1) is not None else marked.group(2)
    if whole := _WHOLE_DECIMAL.match(stripped):
        return whole.group(1)
    text = _SEPARATORS.sub("", stripped).upper()
    if _SCIENTIFIC.match(text):
        raise NormaliseError("identifiant_notation_scientifique", label=label, value=str(raw))
    return text


def _digits(raw: object, label: str, length: int, is_valid: Callable[[str], bool]) -> tuple[str, Issue | None]:
    """`length` digits; restore leading zeros Excel removed when the key then holds."""
    value = compact(raw, label)
    if not value.isdigit() or not value.isascii():
        raise NormaliseError("identifiant_format", label=label, value=raw_display(raw), length=length)
    if len(value) < length and len(value) >= length - 2:
        padded = value.zfill(length)
        if is_valid(padded):
            return padded, Issue("identifiant_zero_restaure", {"label": label, "value": value, "fixed": padded})
    if len(value) != length:
        raise NormaliseError("identifiant_longueur", label=label, value=raw_display(raw), length=length, found=len(value))
    if not is_valid(value):
        if length == 14 and value.endswith(_LOST_DIGITS_ZEROS):  # shown as Excel shows it, and as read
            shown = f"{int(value):.5E}".replace(".", ",")
            raise NormaliseError("identifiant_notation_scientifique", label=label, value=f"{shown} ({value})")
        raise NormaliseError("identifiant_cle", label=label, value=value)
    return value, None


# A digit at an even place from the right (the key's is place 0) counts as itself; one at an odd
# place counts as the digit sum of its double: 5 -> 10 -> 1. As bytes, to be summed in C.
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def _luhn_ok(value: str) -> bool:
    """`stdnum.luhn.is_valid(value)`, for a non-empty string of ASCII digits.

    Why not `stdnum.luhn.checksum(value) == 0`, which gives the same verdict: it turns the
    number into a tuple of ints with a generator, then doubles and splits every other
    digit with `divmod` in another, 2.2 µs for a FINESS. 31k identifiers of a 20k-client
    list took 0.11 s of Luhn arithmetic, half of the whole normalisation. Here the same sum
    is three C calls on bytes (0.4 µs): the digits at even places from the right summed,
    those at odd places mapped through `_DOUBLED` then summed, less the 48s of ASCII "0".
    stdnum remains the reference: tests/core/test_speedups.py compares both on every
    1- to 5-digit string, on each digit at each place of 6- to 20-digit strings over random
    others, and on 50k random 9-, 11- and 14-digit numbers (FINESS, RPPS, SIRET), valid
    ones included; tests/core/normalise/test_identifiers.py compares `_luhn_ok` and
    `_siret_ok` with stdnum's `is_valid` functions.
    """
    digits = value.encode("ascii")
    return (sum(digits[-1::-2]) + sum(digits[-2::-2].translate(_DOUBLED)) - 48 * len(digits)) % 10 == 0


def _siret_ok(value: str) -> bool:
    """`stdnum.fr.siret.is_valid` for 14 ASCII digits: the SIRET's key, then its SIREN's."""
    if value.startswith(_LA_POSTE_SIREN) and value != _LA_POSTE_HEAD_OFFICE:
        key_ok = sum(map(int, value)) % 5 == 0
    else:
        key_ok = _luhn_ok(value)
    return key_ok and _luhn_ok(value[:9])


def _finess_digits_ok(value: str) -> bool:
    """A FINESS of 9 ASCII digits: a known numeric département and a Luhn key."""
    return value[:2] in _FINESS_NUMERIC_DEPARTMENTS and _luhn_ok(value)


# -- the same checks over a block of values (normalise/rows.py), at once ------------------------
# `_luhn_ok` still makes a few calls per value. Over a block of values of one length, the values
# joined are turned into each digit's part of the sum (`_PLAIN`, or `_DOUBLED_PART` at the places
# doubled) by two `translate`s and a slice assignment per doubled place; then one multiplication of
# big integers adds up each value's parts: the block read as one base-256 number, times 1 + 256 +
# ... + 256^(length-1), has at each byte the sum of the `length` bytes ending there (no carry: each
# part is at most 9, a sum at most 9 x 28 < 256), so every `length`-th byte is a value's sum.
# Issue #15: 20k SIRETs, 9.7 -> 2 ms; the former place-by-place sums (zip + sum) stay for longer values.

_PLAIN = bytes.maketrans(b"0123456789", bytes(range(10)))  # a digit's part when not doubled
_DOUBLED_PART = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))  # when doubled: 5 -> 10 -> 1
_MOD10_ZERO = bytes(int(total % 10 == 0) for total in range(256))  # a sum -> 1 when a multiple of 10
_LUHN_ZERO: dict[int, frozenset[int]] = {}  # width -> the sums of `width` ASCII digits that are 0 mod 10
_ONES: dict[int, int] = {}  # length -> 1 + 256 + ... + 256^(length-1)


def _luhn_oks(joined: bytes, length: int, width: int) -> Iterator[bool]:
    """`_luhn_ok(value[:width])` for each value of `joined`, ASCII digit strings of `length` back to back."""
    flags = _luhn_flags(joined, length, width)
    return map(bool, flags) if flags is not None else _luhn_oks_by_place(joined, length, width)


def _luhn_flags(joined: bytes, length: int, width: int) -> bytes | None:
    """`_luhn_oks` as one byte per value, 1 or 0; None when the values are too long for a byte's sum."""
    if not joined or 9 * length >= 256:
        return None
    count = len(joined) // length
    parts = bytearray(joined.translate(_PLAIN))
    doubled = joined.translate(_DOUBLED_PART)
    for place in range(width - 2, -1, -2):  # every other place left of the key's
        parts[place::length] = doubled[place::length]
    for place in range(width, length):  # beyond `width`: not part of the sum
        parts[place::length] = bytes(count)
    ones = _ONES.get(length)
    if ones is None:
        ones = _ONES[length] = int.from_bytes(b"\x01" * length, "little")
    windows = (int.from_bytes(parts, "little") * ones).to_bytes(len(parts) + length, "little")
    return windows[length - 1:len(parts):length].translate(_MOD10_ZERO)


def _both(a: bytes, b: bytes) -> list[bool]:
    """Where both flag bytes (1 or 0, as many) are 1, in one AND of two big integers."""
    return list(map(bool, (int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(len(a), "little")))


def _luhn_oks_by_place(joined: bytes, length: int, width: int) -> Iterator[bool]:
    """`_luhn_oks` for values too long for its sums to fit a byte: each place summed across the values."""
    zero = _LUHN_ZERO.get(width)
    if zero is None:
        zero = _LUHN_ZERO[width] = frozenset(range(48 * width, 57 * width + 1, 10))  # 48: ASCII "0"
    places = [joined[place::length] if (width - place) % 2 else joined[place::length].translate(_DOUBLED)
              for place in range(width)]  # the last of the `width` places is the key's, never doubled
    return map(zero.__contains__, map(sum, zip(*places, strict=True)))


def _luhn_block(values: list[str]) -> list[bool]:
    """`[_luhn_ok(v) for v in values]` for non-empty ASCII digit strings of one length."""
    length = len(values[0]) if values else 0
    return list(_luhn_oks("".join(values).encode("ascii"), length, length))


def _siret_block(values: list[str]) -> list[bool]:
    """`[_siret_ok(v) for v in values]` for strings of 14 ASCII digits."""
    if not values:
        return []
    joined = "".join(values).encode("ascii")
    found = _both(cast(bytes, _luhn_flags(joined, 14, 14)), cast(bytes, _luhn_flags(joined, 14, 9)))
    start = joined.find(_LA_POSTE_SIREN_BYTES)
    while start >= 0:  # usually none: one search of the block
        if start % 14 == 0:
            found[start // 14] = _siret_ok(values[start // 14])  # La Poste's establishments: their own rule
        start = joined.find(_LA_POSTE_SIREN_BYTES, start + 1)
    return found


# The first two digits of a FINESS read as a number (tens + units, added as big integers: no carry) -> 1 for a
# numeric département FINESS has (01-95 but 20).
_TENS = bytes.maketrans(b"0123456789", bytes(range(0, 100, 10)))
_NUMERIC_DEPARTMENT = bytes(int(f"{code:02d}" in _FINESS_NUMERIC_DEPARTMENTS) for code in range(256))


def _finess_block(values: list[str]) -> list[bool]:
    """`[_finess_digits_ok(v) for v in values]` for strings of 9 ASCII digits."""
    if not values:
        return []
    joined = "".join(values).encode("ascii")
    codes = (int.from_bytes(joined[0::9].translate(_TENS), "little")
             + int.from_bytes(joined[1::9].translate(_PLAIN), "little")).to_bytes(len(values), "little")
    return _both(codes.translate(_NUMERIC_DEPARTMENT), cast(bytes, _luhn_flags(joined, 9, 9)))


def finess(raw: object, label: str = "FINESS") -> tuple[str, Issue | None]:
    """9 characters `[0-9][0-9AB][0-9]{7}`; Luhn key when the département is numeric."""
    value = compact(raw, label)
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


def siret_valid(value: str) -> bool:
    """Whether `value` is a SIRET as written in workspace.json: 14 ASCII digits, both keys right.

    The vendor's SIRET (core/workspace.py, core/workspace_form.py) is judged by this same rule as the
    clients' (`_siret_ok`, La Poste's exception included), so the product has one SIRET rule;
    `stdnum.fr.siret.is_valid` gives the same verdict on any 14 digits (tests hold it to it).
    """
    return len(value) == 14 and value.isascii() and value.isdigit() and _siret_ok(value)


def rpps(raw: object) -> tuple[str, Issue | None]:
    return _digits(raw, "RPPS", 11, _luhn_ok)


def adeli(raw: object) -> tuple[str, Issue | None]:
    """9 digits. No published key: a Luhn mismatch is only a warning."""
    value = compact(raw, "ADELI")
    if not (value.isdigit() and value.isascii() and len(value) == 9):
        raise NormaliseError("identifiant_longueur", label="ADELI", value=raw_display(raw), length=9, found=len(value))
    if not _luhn_ok(value):
        return value, Issue("adeli_cle_douteuse", {"value": value})
    return value, None


def finess_any(raw: object) -> tuple[str, Issue | None]:
    """A FINESS that may be the site's (ET) or its legal entity's (EJ): a BDC list's « FINESS » column."""
    return finess(raw, "FINESS")


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
    finess_any: (9, _finess_digits_ok),
    siret: (14, _siret_ok),
    siren: (9, _luhn_ok),
    rpps: (11, _luhn_ok),
    adeli: (9, _luhn_ok),
}
# A check of DIGIT_KEYS -> the same check over a list of such texts, at once (tests compare them).
BLOCK_KEYS: dict[Callable[[str], bool], Callable[[list[str]], list[bool]]] = {
    _luhn_ok: _luhn_block, _siret_ok: _siret_block, _finess_digits_ok: _finess_block,
}
