"""Several columns of a status file naming one field (issue #17): the most specific title gives it, wherever the
columns sit (« Date de mise à jour » over a « Date » left of it); two titles as specific as each other are refused,
both columns named, never one picked by its place. Run on both register backends (`conftest.new_register`)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.register.statusfile import Verdict, plan_status_file
from segur_desktop.core.register.store import DepositItem, ExportRecord, Register

AT = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def register(new_register) -> Register:
    register = new_register()
    text = json.dumps({"idDemande": "HOP-AV-1"})
    item = DepositItem("HOP-AV-1", "HOP", "avance", "FINESS", "750000001", "Clinique", "DPI", "Élan", "BDC-1",
                       "1000.00", "300.00", "HOP_avance.json", _sha("f"), text, _sha(text), ())
    register.record(ExportRecord("/d/depot_1", "depot_1", _sha("m1"), "depot", AT.isoformat(), "/d", (item,)), at=AT)
    return register


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "statuts.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("order", ["generic first", "specific first"])
def test_a_specific_date_title_gives_the_status_date_over_a_generic_date(register: Register, tmp_path: Path,
                                                                         order: str) -> None:
    """The generic « Date » is the deposit's (01/10/2025): read as the status date, the line of 01/10 saying
    « Rejetée » would pass for the latest, over « Validée » updated on 03/12."""
    header, first, second = ("Date;N° de demande;Statut;Date de mise à jour", "01/10/2025;HOP-AV-1;Validée;03/12/2025",
                             "01/10/2025;HOP-AV-1;Rejetée;02/11/2025")
    if order == "specific first":
        header, first, second = ("Date de mise à jour;N° de demande;Statut;Date", "03/12/2025;HOP-AV-1;Validée;01/10/2025",
                                 "02/11/2025;HOP-AV-1;Rejetée;01/10/2025")
    plan = plan_status_file(register, _csv(tmp_path, header, first, second))
    assert plan.columns["status_date"] == "Date de mise à jour"
    assert "« Date de mise à jour » (Date du statut)" in plan.read_columns()
    assert "« Date » (Date du statut)" not in plan.read_columns()
    assert [(line.verdict, line.new_status) for line in plan.lines] == [(Verdict.CHANGE, "validee"),
                                                                        (Verdict.SUPERSEDED, "rejetee")]
    assert plan.lines[0].comment == "statut du portail au 03/12/2025"


def test_a_specific_status_title_gives_the_status_over_a_generic_one(register: Register, tmp_path: Path) -> None:
    """« État » (the vendor's own: « Facturé ») left of the portal's « Statut ASP »."""
    plan = plan_status_file(register, _csv(tmp_path, "N° de demande;État;Statut ASP", "HOP-AV-1;Facturé;Validée"))
    assert plan.columns["status"] == "Statut ASP"
    assert [(line.verdict, line.new_status) for line in plan.lines] == [(Verdict.CHANGE, "validee")]


@pytest.mark.parametrize(("header", "columns"), [
    ("N° de demande;Date du statut;Statut;Date de décision;Date", "B « Date du statut » et D « Date de décision »"),
    ("N° de demande;Date;Statut;État", "C « Statut » et D « État »"),
])
def test_two_titles_as_specific_as_each_other_are_refused_naming_both_columns(register: Register, tmp_path: Path,
                                                                            header: str, columns: str) -> None:
    path = _csv(tmp_path, header, "HOP-AV-1;" + ";".join(["Validée"] * (header.count(";"))))
    with pytest.raises(InputError) as refused:
        plan_status_file(register, path)
    text = str(refused.value)
    assert f"les colonnes {columns} peuvent chacune donner" in text
    assert "« statuts.csv »" in text and "en-têtes ligne 1" in text


def test_two_comment_titles_alike_read_the_first_and_the_preview_names_it(register: Register, tmp_path: Path) -> None:
    """No status depends on the comment: a portal export with « Motif » and « Commentaire instructeur » is not refused
    over a remark; the first is read and the preview says which."""
    plan = plan_status_file(register, _csv(tmp_path, "N° de demande;Statut;Motif;Commentaire instructeur",
                                           "HOP-AV-1;Rejetée;Pièce illisible;Voir courriel"))
    assert plan.columns["comment"] == "Motif"
    assert "« Motif » (Commentaire)" in plan.read_columns()
    assert [(line.verdict, line.new_status) for line in plan.lines] == [(Verdict.CHANGE, "rejetee")]
