"""The vendor's SIRET is judged by the core's one SIRET rule (`identifiers.siret_valid`), held to python-stdnum's.

workspace.json, `create_workspace` and the Dossier de travail form (`check_vendor`) used to call
`stdnum.fr.siret.is_valid`, which imported stdnum (and ssl, pydoc, socket) on every start of
`validate` for this one check. They now share the clients' rule; stdnum stays the reference.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from stdnum import luhn
from stdnum.fr import siret as stdnum_siret

from segur_desktop.core.errors import InputError
from segur_desktop.core.normalise.identifiers import siret_valid
from segur_desktop.core.workspace import load_workspace
from segur_desktop.core.workspace_form import check_vendor

LA_POSTE = "35600000049837"  # valid by La Poste's digit sum only


def test_siret_valid_is_stdnums_on_14_digit_numbers() -> None:
    rng = random.Random(1415)
    heads = ["".join(rng.choices("0123456789", k=8)) for _ in range(3_000)]
    values = ["".join(rng.choices("0123456789", k=14)) for _ in range(3_000)]
    values += [(siren := head + luhn.calc_check_digit(head)) + (nic := "".join(rng.choices("0123456789", k=4)))
               + luhn.calc_check_digit(siren + nic) for head in heads]
    values += ["356000000" + "".join(rng.choices("0123456789", k=5)) for _ in range(1_000)]
    verdicts = [siret_valid(v) for v in values]
    assert verdicts == [stdnum_siret.is_valid(v) for v in values]
    assert sum(verdicts) > 3_000  # the valid ones are there, La Poste's among them
    assert siret_valid(LA_POSTE) and not luhn.is_valid(LA_POSTE)


@pytest.mark.parametrize("value", ["", "7328293200007", "732829320000740", "73282932000074 ", "732.829.320.00074",
                                   "\u0667" + "3282932000074", "７3282932000074"])
def test_siret_valid_wants_exactly_14_ascii_digits(value: str) -> None:
    assert not siret_valid(value)


def test_check_vendor_accepts_la_postes_siret_and_refuses_a_wrong_key() -> None:
    assert check_vendor("La Poste", "356 000 000 49837") == {}
    assert "vendor_siret" in check_vendor("La Poste", "35600000049838")


def test_workspace_json_vendor_siret_uses_the_same_rule(make_workspace) -> None:
    folder = make_workspace([], [])
    path = folder / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["editeur"]["siret"] = LA_POSTE
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_workspace(folder).vendor.siret == LA_POSTE
    data["editeur"]["siret"] = LA_POSTE[:-1] + "8"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="clé de contrôle fausse"):
        load_workspace(folder)


def test_validate_imports_no_stdnum() -> None:
    code = ("import sys\n"
            "from segur_desktop.cli import build_parser\n"
            "build_parser('validate')\n"
            "import segur_desktop.core.pipeline, segur_desktop.core.workspace_form\n"
            "from segur_desktop.core.paths import demo_workspace\n"
            "from segur_desktop.core.workspace import load_workspace\n"
            "load_workspace(demo_workspace())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'stdnum'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
