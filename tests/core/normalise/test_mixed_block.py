"""A mixed identifier column's block shortcut gives what its cell-by-cell normaliser gives (issue #15).

`MixedNormaliser.readings` answers for the cells it can judge a block at a time (digits of a length
whose every possible kind has that length, keys holding) and leaves the others (None) to the normaliser;
`normalise/rows.py` then normalises those one by one. What it answers must be exactly the normaliser's
value, without a repair, for every header's kinds.
"""

from __future__ import annotations

import random

import pytest
from stdnum import luhn

from segur_desktop.core.identity import key_catalog
from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.mixed import MixedNormaliser, mixed_normaliser
from segur_desktop.core.normalise.rows import _ABSENT, _Column, _Flagged


def keyed(rng: random.Random, length: int) -> str:
    body = "".join(rng.choices("0123456789", k=length - 1))
    return body + luhn.calc_check_digit(body)


def column(rng: random.Random, size: int) -> list[str]:
    """Cells as such columns hold them: valid and wrong keys of every length, La Poste's SIRETs, FINESS of
    Corsica, spaced numbers, non-ASCII digits, words, empty cells."""
    makers = [
        lambda: keyed(rng, 11), lambda: keyed(rng, 14), lambda: keyed(rng, 9),
        lambda: "".join(rng.choices("0123456789", k=rng.choice((9, 11, 14)))),  # mostly wrong keys
        lambda: (lambda s: s + luhn.calc_check_digit(s))(keyed(rng, 9) + "".join(rng.choices("0123456789", k=4))),
        lambda: "356000000" + "".join(rng.choices("0123456789", k=5)),
        lambda: "2A" + "".join(rng.choices("0123456789", k=7)),
        lambda: " ".join((keyed(rng, 9)[:3], "456", "789")),
        lambda: "\u0661" * 11, lambda: "inconnu", lambda: "", lambda: "",
        lambda: keyed(rng, 8), lambda: keyed(rng, 10),
    ]
    return [rng.choice(makers)() for _ in range(size)]


HEADERS = ["SIRET / RPPS", "Identifiant", "N° FINESS / SIRET", "FINESS ou SIREN", "RPPS / ADELI", "SIREN / SIRET"]


@pytest.mark.parametrize("header", HEADERS)
def test_readings_are_the_normalisers_values(header: str) -> None:
    normaliser = mixed_normaliser(header, key_catalog())
    assert isinstance(normaliser, MixedNormaliser)
    cells = column(random.Random(header), 4_000)
    answered = 0
    for cell, reading in zip(cells, normaliser.readings(cells), strict=True):
        if reading is None:
            continue
        answered += 1
        assert normaliser(cell) == (reading, None), cell
    assert answered > 600  # the shortcut does answer for the well-formed cells (about a quarter of these)


def test_a_column_block_is_the_cell_by_cell_outcome() -> None:
    normaliser = mixed_normaliser("SIRET / RPPS", key_catalog())
    cells = column(random.Random(15), 2_000)
    field = _Column.__new__(_Column)  # an optional field: what `outcome` reads
    field.normalise, field.missing = normaliser, _ABSENT
    done = field.mixed_block(cells, normaliser)
    assert done is not None
    outs, absent, flagged = done
    for i, (cell, out) in enumerate(zip(cells, outs, strict=True)):
        if not cell:
            assert out is _ABSENT and i in absent
            continue
        try:
            expected = normaliser(cell)
        except NormaliseError as error:
            assert out.__class__ is _Flagged and out.failed and out.issue == error.issue and i in flagged
            continue
        if expected[1] is None:
            assert out == expected[0]
        else:
            assert out.__class__ is _Flagged and (out.value, out.issue) == expected and i in flagged
