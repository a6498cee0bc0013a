"""The block key checks (`identifiers.BLOCK_KEYS`, one big-integer sum for a whole block) on the values
that their shortcuts could get wrong: La Poste's SIREN straddling two values, every département's two
digits, keys at every sum, long values that fall back to the place-by-place sums (issue #15)."""

from __future__ import annotations

import random

from stdnum import luhn

from segur_desktop.core.normalise import identifiers


def test_la_poste_siren_across_two_values_is_not_la_postes() -> None:
    values = ["12345678356000", "00000000000000", "35600000000001", "99356000000000", "00000356000000"]
    assert identifiers._siret_block(values) == list(map(identifiers._siret_ok, values))
    assert identifiers._siret_block(values)[2]  # La Poste's, by its digit sum


def test_every_two_first_digits_of_a_finess() -> None:
    rng = random.Random(95)
    values = [(body := f"{code:02d}" + "".join(rng.choices("0123456789", k=6))) + luhn.calc_check_digit(body)
              for code in range(100) for _ in range(3)]
    found = identifiers._finess_block(values)
    assert found == list(map(identifiers._finess_digits_ok, values))
    assert not any(found[i] for i, v in enumerate(values) if v[:2] in ("00", "20", "96", "97", "98", "99"))
    assert sum(found) == 3 * 94


def test_every_key_and_lengths_up_to_the_fallback() -> None:
    rng = random.Random(28)
    for length in (1, 9, 11, 14, 27, 28, 29, 40):
        values = ["".join(rng.choices("0123456789", k=length)) for _ in range(300)]
        values += [(body := "".join(rng.choices("0123456789", k=length - 1))) + luhn.calc_check_digit(body)
                   for _ in range(300)] if length > 1 else ["0"]
        values += ["9" * length, "0" * length]  # the largest and smallest sums
        assert identifiers._luhn_block(values) == list(map(luhn.is_valid, values)), length
