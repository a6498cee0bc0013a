"""The shortcuts taken for speed (issues #3 and #4) give exactly what the plain code gives.

- `identifiers._luhn_ok` redoes stdnum's Luhn sum in C calls: same verdict as
  `stdnum.luhn` on every short number, on each digit at each place of longer ones, and on
  many random identifiers, valid ones included;
- `identifiers.BLOCK_KEYS` checks a block of identifiers at once: same verdicts as the check
  of each value;
- `mapping._filled_rows` keeps the rows that have a cell other than None or "", as the
  cell-by-cell filter did, whatever falsy values the other cells hold;
- `build.Builder` finds a workspace's solution JSON by identity: same demandes as by value.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import product

import pytest
from stdnum import luhn
from stdnum.fr import siret as stdnum_siret
from testdata import FINESS_A, RPPS_A

from segur_desktop.core import mapping
from segur_desktop.core.build import Builder
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.join import ClientIndex
from segur_desktop.core.mapping import load_table
from segur_desktop.core.normalise import identifiers
from segur_desktop.core.normalise.rows import normalise_table
from segur_desktop.core.workspace import load_workspace


def stdnum_ok(value: str) -> bool:
    return luhn.checksum(value) == 0


@pytest.mark.parametrize("length", [1, 2, 3, 4, 5])
def test_luhn_is_stdnums_on_every_short_number(length: int) -> None:
    values = ["".join(digits) for digits in product("0123456789", repeat=length)]
    assert list(map(identifiers._luhn_ok, values)) == list(map(stdnum_ok, values))


@pytest.mark.parametrize("length", range(6, 21))
def test_luhn_is_stdnums_for_each_digit_at_each_place(length: int) -> None:
    # The sum is one term per place: every digit at every place, over zeros and over random digits.
    rng = random.Random(length)
    for background in ["0" * length, *("".join(rng.choices("0123456789", k=length)) for _ in range(5))]:
        for place, digit in product(range(length), "0123456789"):
            value = background[:place] + digit + background[place + 1:]
            assert identifiers._luhn_ok(value) == stdnum_ok(value), value


@pytest.mark.parametrize("length", [9, 11, 14])
def test_luhn_is_stdnums_on_random_identifiers(length: int) -> None:
    rng = random.Random(length)
    bodies = ["".join(rng.choices("0123456789", k=length - 1)) for _ in range(25_000)]
    values = [*(body + rng.choice("0123456789") for body in bodies),  # one in ten valid
              *(body + luhn.calc_check_digit(body) for body in bodies)]  # all valid
    assert list(map(identifiers._luhn_ok, values)) == list(map(stdnum_ok, values))
    assert sum(map(identifiers._luhn_ok, values)) > len(bodies)


def test_siret_is_stdnums_on_random_numbers() -> None:
    rng = random.Random(14)
    bodies = ["".join(rng.choices("0123456789", k=13)) for _ in range(10_000)]
    sirens = ["".join(rng.choices("0123456789", k=8)) for _ in range(10_000)]
    values = [*(body + rng.choice("0123456789") for body in bodies),
              *(body + luhn.calc_check_digit(body) for body in bodies),
              *((siren := head + luhn.calc_check_digit(head)) + (nic := "".join(rng.choices("0123456789", k=4)))
                + luhn.calc_check_digit(siren + nic) for head in sirens),  # valid SIREN and key
              *("356000000" + "".join(rng.choices("0123456789", k=5)) for _ in range(2_000))]  # La Poste
    assert [identifiers._siret_ok(v) for v in values] == [stdnum_siret.is_valid(v) for v in values]


def random_digits(rng: random.Random, length: int, count: int) -> list[str]:
    """`count` strings of `length` digits, a third with a valid Luhn key, some of La Poste's SIREN."""
    values = ["".join(rng.choices("0123456789", k=length)) for _ in range(count)]
    values += [(body := "".join(rng.choices("0123456789", k=length - 1))) + luhn.calc_check_digit(body)
               for _ in range(count // 2)]
    if length == 14:
        values += ["356000000" + "".join(rng.choices("0123456789", k=5)) for _ in range(count // 10)]
        values += ["35600000000048", "35600000000049"]
    rng.shuffle(values)
    return values


@pytest.mark.parametrize("check", list(identifiers.BLOCK_KEYS))
def test_block_keys_give_the_check_of_each_value(check) -> None:
    lengths = {length for length, key in identifiers.DIGIT_KEYS.values() if key is check}
    rng = random.Random(7)
    for length in sorted(lengths | ({1, 2, 8, 9, 11, 14, 16} if check is identifiers._luhn_ok else set())):
        for count in (0, 1, 2, 3, 2000):
            values = random_digits(rng, length, count)
            assert identifiers.BLOCK_KEYS[check](values) == list(map(check, values)), (length, count)


def test_every_digit_key_has_its_block_check() -> None:
    assert {check for _length, check in identifiers.DIGIT_KEYS.values()} == set(identifiers.BLOCK_KEYS)


CELLS = [None, "", " ", "\u00a0", 0, 0.0, -0.0, False, True, 1, 2.5, math.nan, Decimal(0), Decimal("0.00"), "0", "x",
         timedelta(0), timedelta(1), time(0, 0), date(2022, 1, 1), datetime(2022, 1, 1)]


def plain_filter(body: list[list[object]], first: int) -> list[tuple[int, list[object]]]:
    """What load_table did before `_filled_rows`."""
    return [(first + i, row) for i, row in enumerate(body) if any(cell not in (None, "") for cell in row)]


def test_filled_rows_are_the_plain_filters() -> None:
    rng = random.Random(3)
    falsy = [cell for cell in CELLS if not cell]
    for _ in range(300):
        width = rng.randint(0, 6)
        body = [[rng.choice(rng.choice([CELLS, falsy, [None, ""]])) for _ in range(width)]
                for _ in range(rng.randint(0, 30))]
        first = rng.randint(1, 40)
        assert mapping._filled_rows(body, first) == plain_filter(body, first)
    every_row_filled = [["a", None], [0, "b"], [None, 1]]
    assert mapping._filled_rows(every_row_filled, 4) == plain_filter(every_row_filled, 4)
    zeros_only = [[0, None], ["", False], [None, None], [], [Decimal(0)]]
    assert mapping._filled_rows(zeros_only, 2) == [(2, [0, None]), (3, ["", False]), (6, [Decimal(0)])]


def test_solution_json_by_identity_is_the_same_as_by_value(make_workspace) -> None:
    folder = make_workspace([["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
                             ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]],
                            [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 100, "B1.pdf"],
                             ["B2", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 200, "B2.pdf"],
                             ["B3", "C1", "Test DPI", "Solde", date(2022, 9, 3), 300, "B3.pdf"]])
    workspace = load_workspace(folder)
    clients, _ = normalise_table(load_table(workspace.clients, "clients"))
    bdcs, _ = normalise_table(load_table(workspace.bdc, "bdc"))
    index = ClientIndex(clients)
    by_identity = Builder(load_catalog(), workspace.solutions, index)
    by_value = Builder(load_catalog(), workspace.solutions, index)
    by_value.workspace_software.clear()  # every solution found by value, as before
    built = [by_identity.build_one(bdc) for bdc in bdcs]
    assert [d.fields for d in built] == [by_value.build_one(bdc).fields for bdc in bdcs]
    assert [d.fields["solution.nom"] for d in built] == ["Test DPI", "Test Cabinet", "Test DPI"]
    assert built[0].fields is not built[2].fields  # each demande has its own
    assert not by_identity.software_fields and len(by_value.software_fields) == 2
