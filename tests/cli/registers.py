"""A register with demandes already exported, for the `register` commands' tests."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register

AT = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)  # when the bundle was recorded


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def exported_register(path: Path, count: int = 1) -> Register:
    """A SQLite register at `path` holding one bundle « depot_1 » of `count` HOP avances HOP-AV-1…, of BDC-1…,
    each with one piece, recorded at `AT` (status « exportee »)."""
    register = Register(path)
    items = []
    for n in range(1, count + 1):
        text = json.dumps({"idDemande": f"HOP-AV-{n}"})
        items.append(DepositItem(f"HOP-AV-{n}", "HOP", "avance", "FINESS", f"75000000{n}", "Clinique", "DPI", "Élan",
                                 f"BDC-{n}", "1000.00", "300.00", "HOP_avance.json", sha(f"f{n}"), text, sha(text),
                                 (Attachment(f"a{n}.pdf", sha(f"a{n}"), 1, "a"),)))
    register.record(ExportRecord("/d/depot_1", "depot_1", sha("m1"), "depot", AT.isoformat(), "/d", tuple(items)), at=AT)
    return register
