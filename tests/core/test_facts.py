"""docs/facts.md and the data files say the same thing, and every fact in the data carries its source (issue #21)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from segur_desktop.core.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]
COULOIRS = json.loads((resources_dir() / "couloirs.json").read_text(encoding="utf-8"))
# « `path` = value » in the « data » column of docs/facts.md
_DATA = re.compile(r"`(?P<path>[^`]+)` = (?P<value>[^|]+?)\s*\|")


def _at(path: str):
    node = COULOIRS
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(node, list):
            node = next(c for c in node if c.get("code") == part)
        else:
            node = node[part]
    return node


def documented() -> list[tuple[str, str]]:
    return [(m["path"], m["value"]) for m in _DATA.finditer((ROOT / "docs" / "facts.md").read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path, value", documented())
def test_the_facts_table_and_couloirs_json_agree(path: str, value: str) -> None:
    found = _at(path)
    if isinstance(found, list):
        assert [str(v) for v in found] == [v.strip() for v in value.split(",")]
    elif isinstance(found, int) and not isinstance(found, bool):
        assert found == int(value)
    elif re.fullmatch(r"[0-9.]+", value):
        assert Decimal(str(found)) == Decimal(value)
    else:
        assert str(found) == value


def test_the_table_covers_the_sourced_values() -> None:
    paths = {path for path, _value in documented()}
    assert {"couloirs[MSS].financement.bareme_ht.applicative", "couloirs[MSS].financement.plafond_ht",
            "couloirs[PHA].financement.forfaits_ht", "couloirs[SAS].financement.montant_ht",
            "tva.par_departement.972", "tva.par_departement.976", "anticipation.jours",
            "couloirs[MS1].arrete.publie_le"} <= paths


def _sourced(sources: list[dict]) -> bool:
    return bool(sources) and all(s.get("titre") and (s.get("url") or s.get("fichier")) and s.get("vu_le")
                                 for s in sources)


def test_every_funding_vat_and_decree_value_carries_its_source() -> None:
    for couloir in COULOIRS["couloirs"]:
        assert _sourced(couloir["financement"]["sources"]), couloir["code"]
        if "arrete" in couloir:
            assert _sourced(couloir["arrete"]["sources"]), couloir["code"]
    assert _sourced(COULOIRS["tva"]["sources"]) and _sourced(COULOIRS["anticipation"]["sources"])


def test_every_calendar_event_cites_its_source() -> None:
    for path in sorted((resources_dir() / "calendar").glob("*.json")):
        for event in json.loads(path.read_text(encoding="utf-8"))["evenements"]:
            assert event.get("source"), (path.name, event)
