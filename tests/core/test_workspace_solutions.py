"""Editing the vendor, solutions, inputs and output of workspace.json as the « Dossier de travail » page does:
each wrong field told why, in French; nothing else in the file changes; a change load_workspace refuses is
never written."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from testdata import VENDOR_SIRET

from segur_desktop.core.errors import InputError
from segur_desktop.core.workspace import (
    WORKSPACE_FILE,
    Solution,
    Vendor,
    create_workspace,
    edit_workspace,
    load_workspace,
)
from segur_desktop.core.workspace_form import (
    SolutionForm,
    WorkspaceForm,
    check_form,
    check_solution,
    check_vendor,
    form_of,
    parse_date,
    save_form,
)

GOOD = SolutionForm("MédiCab", "4.2", "MDV", "LGC", "1", "REF-MDV-1", "02/05/2022", "08/04/2022")


def test_edit_replaces_the_solutions_and_keeps_everything_else(make_workspace) -> None:
    folder = make_workspace([], [], extra={"mapping": {"clients": {"name": "Nom"}}})
    before = json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))
    solution = Solution("cab", "MédiCab", None, "MDV", "LGC", "REF-9", date(2022, 5, 2), "2", date(2022, 4, 8))
    workspace = edit_workspace(folder, solutions=[solution], vendor=Vendor("Autre SAS", VENDOR_SIRET))
    after = json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))
    assert after["solutions"] == [{"id": "cab", "nom": "MédiCab", "couloir": "MDV", "type_logiciel": "LGC",
                                   "vague": "2", "referencement": {"id": "REF-9", "date": "2022-05-02",
                                                                   "depot_conformite": "2022-04-08"}}]
    assert workspace.solutions == (solution,)
    assert after["editeur"] == {"raison_sociale": "Autre SAS", "siret": VENDOR_SIRET}
    assert {k: v for k, v in after.items() if k not in ("solutions", "editeur")} == {
        k: v for k, v in before.items() if k not in ("solutions", "editeur")}


def test_edit_refuses_what_load_workspace_would_refuse_before_writing(make_workspace) -> None:
    folder = make_workspace([], [])
    before = (folder / WORKSPACE_FILE).read_bytes()
    wrong = Solution("x", "X", None, "HOP", "LGO", "R", date(2022, 1, 1))
    with pytest.raises(InputError, match="n'existe pas dans le couloir HOP"):
        edit_workspace(folder, solutions=[wrong])
    with pytest.raises(InputError, match="clé de contrôle"):
        edit_workspace(folder, vendor=Vendor("X", "12345678901234"))
    assert (folder / WORKSPACE_FILE).read_bytes() == before


def test_vendor_fields_say_why(tmp_path: Path) -> None:
    assert check_vendor("Éditeur", VENDOR_SIRET) == {}
    assert check_vendor("Éditeur", "732 829 320 00074") == {}  # spaces as on a Kbis
    assert check_vendor("", "")["vendor_name"].startswith("Indiquez la raison sociale")
    assert check_vendor("X", "")["vendor_siret"] == "Indiquez le SIRET de l'éditeur (14 chiffres)."
    assert check_vendor("X", "1234")["vendor_siret"] == "Un SIRET a 14 chiffres ; « 1234 » en a 4."
    assert "d'autres caractères" in check_vendor("X", "7328293200007A")["vendor_siret"]
    assert "clé de contrôle" in check_vendor("X", "73282932000075")["vendor_siret"]


def test_solution_fields_say_why() -> None:
    assert check_solution(GOOD) == {}
    assert check_solution(replace(GOOD, conformity_date="")) == {}  # optional
    problems = check_solution(SolutionForm(couloir="", referencing_date="31/02/2022", vague=""))
    assert set(problems) == {"name", "couloir", "vague", "referencing_id", "referencing_date"}
    assert problems["referencing_date"] == "Date de référencement : le 31/02/2022 n'existe pas."
    assert "Choisissez le couloir" in problems["couloir"]
    assert check_solution(replace(GOOD, software_kind="DPI"))["software_kind"] == (
        "Le type « DPI » n'est pas financé dans le couloir MDV (LGC).")
    assert check_solution(replace(GOOD, software_kind=""))["software_kind"] == "Choisissez le type de logiciel (LGC)."
    assert "JJ/MM/AAAA" in check_solution(replace(GOOD, referencing_date="mai 2022"))["referencing_date"]
    late = check_solution(replace(GOOD, conformity_date="03/05/2022"))["conformity_date"]
    assert late.startswith("Le dossier de conformité est déposé à l'ANS avant le référencement")
    assert parse_date("2022-05-02") == parse_date("2/5/2022") == date(2022, 5, 2)


def test_the_form_round_trips_and_saves(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace([], [], solutions=[])
    form = form_of(load_workspace(folder))
    assert (form.clients, form.bdc, form.pieces, form.output, form.solutions) == (
        "clients.xlsx", "bdc.xlsx", "pieces", "sortie", ())
    other = tmp_path / "ailleurs.xlsx"
    other.write_bytes((folder / "clients.xlsx").read_bytes())
    edited = replace(form, solutions=(GOOD, replace(GOOD, name="MédiCab", version="5", referencing_id="REF-2")),
                     clients=str(other), output="depots")
    assert check_form(folder, edited) == {}
    workspace = save_form(folder, edited)
    assert [s.id for s in workspace.solutions] == ["medicab", "medicab-2"]
    assert workspace.solutions[0].conformity_date == date(2022, 4, 8)
    assert workspace.clients == other.resolve() and workspace.output == folder / "depots"
    assert form_of(workspace).solutions[0] == replace(GOOD, id="medicab")
    data = json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))
    assert data["date_controle"] == "2022-11-28T10:00:00+01:00"  # untouched


def test_the_form_names_each_wrong_field(make_workspace) -> None:
    folder = make_workspace([], [], solutions=[])
    form = replace(form_of(load_workspace(folder)), vendor_siret="1", clients="absent.xlsx", bdc="",
                   pieces="clients.xlsx", output="clients.xlsx", solutions=(GOOD, GOOD))
    problems = check_form(folder, form)
    assert set(problems) == {"vendor_siret", "clients", "bdc", "pieces", "output", "solutions.1.name"}
    assert "introuvable" in problems["clients"] and problems["bdc"] == "Choisissez la liste des bons de commande."
    assert problems["solutions.1.name"].startswith("La solution 1 porte déjà ce nom")
    before = (folder / WORKSPACE_FILE).read_bytes()
    with pytest.raises(InputError, match="n'a pas été enregistré"):
        save_form(folder, form)
    assert (folder / WORKSPACE_FILE).read_bytes() == before


def test_a_new_workspace_then_its_solutions(tmp_path: Path) -> None:
    clients, bdc = tmp_path / "c.xlsx", tmp_path / "b.xlsx"
    clients.write_bytes(b"x")
    bdc.write_bytes(b"x")
    workspace = create_workspace(tmp_path / "ws", name="", vendor_name="É", vendor_siret=VENDOR_SIRET,
                                 clients=clients, bdc=bdc)
    form = form_of(workspace)
    assert form == WorkspaceForm("ws", "É", VENDOR_SIRET, (), str(clients.resolve()), str(bdc.resolve()), "", "",
                                 "sortie")
    saved = save_form(tmp_path / "ws", replace(form, solutions=(GOOD,)))
    assert saved.solutions[0].name == "MédiCab" and saved.clients == clients.resolve()
