"""Realistic French test data: valid identifiers, names, towns, BDC rows.

Shared by the demo workspace builder (tools/make_demo.py) and the benchmark
generator (bench/generate.py). Deterministic for a given `random.Random`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum import luhn

TOWNS = [
    ("01000", "Bourg-en-Bresse"), ("06000", "Nice"), ("13005", "Marseille"), ("14000", "Caen"),
    ("21000", "Dijon"), ("29200", "Brest"), ("31000", "Toulouse"), ("33000", "Bordeaux"),
    ("34000", "Montpellier"), ("35000", "Rennes"), ("38000", "Grenoble"), ("44000", "Nantes"),
    ("45000", "Orléans"), ("51100", "Reims"), ("54000", "Nancy"), ("59000", "Lille"),
    ("63000", "Clermont-Ferrand"), ("67000", "Strasbourg"), ("69003", "Lyon"), ("75011", "Paris"),
    ("76000", "Rouen"), ("80000", "Amiens"), ("84000", "Avignon"), ("86000", "Poitiers"), ("87000", "Limoges"),
]
SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
            "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand"]
FIRST_NAMES = ["Claire", "Julien", "Sophie", "Nicolas", "Camille", "Thomas", "Élodie", "Antoine", "Hélène",
               "Mathieu", "Aurélie", "Pierre", "Céline", "François", "Amélie", "Benoît", "Léa", "Hugo"]


def with_luhn(body: str) -> str:
    """`body` followed by its Luhn check digit."""
    return body + luhn.calc_check_digit(body)


def finess(rng: random.Random, department: str) -> str:
    return with_luhn(department + f"{rng.randrange(10**6):06d}")


def siret(rng: random.Random) -> str:
    siren = with_luhn(f"{rng.randrange(1, 10**8):08d}".replace("356000000", "356000001"))
    return with_luhn(siren + f"{rng.randrange(10**4):04d}")


def rpps(rng: random.Random) -> str:
    return with_luhn("10" + f"{rng.randrange(10**8):08d}")


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def town(rng: random.Random) -> tuple[str, str]:
    return rng.choice(TOWNS)


def signature_date(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))
