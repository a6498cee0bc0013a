"""A column of identifiers of several kinds (« SIRET / RPPS », « Identifiant »), classified value by value.

Back offices often keep one column for "the client's number", whatever it is: a
SIRET for an imaging cabinet, an RPPS for a doctor, a FINESS for a pharmacy. Each
value is classified by its shape (14 digits: SIRET; 11: RPPS; 9 characters: FINESS,
SIREN...; `core/identity.py` has the table) and must pass that kind's own check
(key, département) to count. A 9-digit number may be both a valid FINESS and a
valid SIREN: it is then kept as both, and only the join decides (it is an error only
if the two readings designate different clients). The words of the header narrow
the kinds: in « N° FINESS / SIRET », 9 characters are a FINESS.

The clean value is a tuple of (kind, identifier) pairs, most likely first.

Most cells of such a column are plain ASCII digits of one kind's length (an RPPS, a SIRET): over a
block of rows, `MixedNormaliser.readings` finds theirs a length at a time, the keys checked for all
the values at once (`identifiers.BLOCK_KEYS`), and leaves the others to the cell-by-cell normaliser
(issue #15: 20 ms -> 6 ms for the 20k rows of the bench's « SIRET / RPPS » column).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress, repeat
from typing import Any

from segur_desktop.core.identity import KeyCatalog
from segur_desktop.core.normalise import Issue, NormaliseError
from segur_desktop.core.normalise.identifiers import BLOCK_KEYS, DIGIT_KEYS, NORMALISERS, compact
from segur_desktop.core.normalise.text import raw_display

MixedValue = tuple[tuple[str, str], ...]


class MixedNormaliser:
    """The normaliser of one mixed column (called on a cell), and its block shortcut (`readings`)."""

    __slots__ = ("normalise", "kinds_of")

    def __init__(self, normalise: Callable[[Any], tuple[MixedValue, Issue | None]],
                 kinds_of: Callable[[int], tuple[str, ...]]) -> None:
        self.normalise = normalise
        self.kinds_of = kinds_of  # what a value of that many characters may be

    def __call__(self, raw: Any) -> tuple[MixedValue, Issue | None]:
        return self.normalise(raw)

    def readings(self, cells: list[str]) -> list[MixedValue | None]:
        """For each text cell, `self(cell)[0]` when it is ASCII digits whose every possible kind has that
        length and a key that holds (then the normaliser would return them in that order, without repair);
        None for any other cell, which is left to `self(cell)`."""
        found: list[MixedValue | None] = [None] * len(cells)
        lengths = list(map(len, cells))
        rows = range(len(cells))
        for length in set(lengths):
            kinds = self.kinds_of(length) if length else ()
            if not kinds or any(DIGIT_KEYS[NORMALISERS[id_kind]][0] != length for id_kind in kinds):
                continue
            where = list(compress(rows, map(length.__eq__, lengths)))
            values = list(map(cells.__getitem__, where))
            joined = "".join(values)
            if not (joined.isascii() and joined.isdigit()):
                digits = list(map(str.isdigit, values)) if joined.isascii() else [
                    value.isascii() and value.isdigit() for value in values]
                where, values = list(compress(where, digits)), list(compress(values, digits))
                if not values:
                    continue
            oks = [BLOCK_KEYS[DIGIT_KEYS[NORMALISERS[id_kind]][1]](values) for id_kind in kinds]
            held = oks[0] if len(oks) == 1 else list(map(all, zip(*oks, strict=True)))
            kept = list(compress(values, held))
            readings = zip(*(zip(repeat(id_kind), kept) for id_kind in kinds), strict=True)  # ((kind, value), ...)
            list(map(found.__setitem__, compress(where, held), readings))  # in C, not a loop over the cells
        return found


def mixed_normaliser(header: str, catalog: KeyCatalog) -> MixedNormaliser:
    """The normaliser of the mixed column titled `header` (its words narrow the kinds)."""
    hints = catalog.hinted(header)
    label = catalog.label([id_kind for kinds in catalog.by_length.values() for id_kind in kinds
                           if not hints or id_kind in hints]) or "Identifiant"
    kinds_by_length: dict[int, tuple[str, ...]] = {}
    digit_checks = {id_kind: DIGIT_KEYS[NORMALISERS[id_kind]] for id_kind in NORMALISERS}

    def kinds_of(length: int) -> tuple[str, ...]:
        kinds = kinds_by_length.get(length)
        if kinds is None:
            kinds = kinds_by_length[length] = catalog.mixed_kinds(length, hints)
        return kinds

    def normalise(raw: Any) -> tuple[MixedValue, Issue | None]:
        value = compact(raw, label)
        length = len(value)
        kinds = kinds_of(length)
        if not value.isdigit() or not value.isascii():  # only a FINESS has letters (2A, 2B, 9A...)
            kinds = tuple(id_kind for id_kind in kinds if id_kind.startswith("FINESS"))
        if not kinds:
            raise NormaliseError("identifiant_non_reconnu", value=raw_display(raw), label=label)
        found: list[tuple[str, str]] = []
        repair: Issue | None = None
        errors: list[NormaliseError] = []
        for id_kind in kinds:
            size, check = digit_checks[id_kind]
            if length == size and value.isdigit() and check(value):  # the common case, without the normaliser
                found.append((id_kind, value))
                continue
            try:
                clean, issue = NORMALISERS[id_kind](raw)
            except NormaliseError as error:
                errors.append(error)
                continue
            if id_kind == "ADELI" and issue is not None:
                continue  # an ADELI without its usual key is no reading of a mixed value
            found.append((id_kind, clean))
            repair = repair or issue
        if found:
            return tuple(found), repair
        first = errors[0] if errors else NormaliseError("identifiant_non_reconnu", value=raw_display(raw), label=label)
        if len({error.issue.code for error in errors}) == 1 and len(errors) > 1:
            first.issue.params["label"] = catalog.label(list(kinds))
        raise first

    return MixedNormaliser(normalise, kinds_of)
