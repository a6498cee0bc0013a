"""`match_key`'s ASCII shortcuts give the key the full path gives (issue #15).

ASCII text has nothing to decompose and folds as lower() folds it; the combining marks NFKD leaves
are never ASCII, so an ASCII decomposition has none to drop: what the shortcuts skip must change
nothing. The full path is restated here as the reference.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from segur_desktop.core.normalise.text import match_key

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def reference(text: object) -> str:
    numbered = str(text).replace("№", "N°").replace("º", "°")
    decomposed = unicodedata.normalize("NFKD", numbered.upper().casefold()).lower()
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", ascii_only.replace("°", " ")).strip()


HEADERS = ["N° FINESS-ET", "Raison sociale", "Couloir Ségur", "SIRET / RPPS", "ﬁnancement", "Ⅻ", "ı", "Œuvre",
           "Code\u00a0postal", "MS2_PDE", "S.A.S.", "", "  ", "№ 12", "ß", "İstanbul", "ǅ", 12.5, None]


def test_known_headers() -> None:
    assert [match_key(h) for h in HEADERS] == [reference(h) for h in HEADERS]
    assert match_key("N° FINESS-ET") == "n finess et"
    assert match_key("Couloir Ségur") == "couloir segur"


def test_the_numero_sign_reads_as_n_degree() -> None:
    """« № » decomposes to « No », whose capital the key dropped when the case was folded first (« o bdc »)."""
    assert match_key("№ BDC") == match_key("N° BDC") == "n bdc"
    assert match_key("№BDC") == match_key("N°BDC") == match_key("NºBDC") == "n bdc"
    assert match_key("№ FINESS géographique") == "n finess geographique"
    assert match_key("Ⅻ") == "xii"  # another compatibility form decomposing to capitals


@settings(max_examples=3_000)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.text(alphabet="AbZé°º№Ⅻ-_ /.1ﬁ", max_size=30))
def test_any_text(text: str) -> None:
    assert match_key(text) == reference(text)
