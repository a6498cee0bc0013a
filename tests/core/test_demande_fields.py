"""A demande written straight from its rows (validation) is the JSON its canonical fields give (deposit, export)."""

import json
from pathlib import Path

import pytest

from segur_desktop.core.demande_fields import SOURCES
from segur_desktop.core.formats.canonical import canonical_catalog
from segur_desktop.core.formats.render import file_fields, render_demande
from segur_desktop.core.formats.template import compile_template
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

RESOURCES = Path(__file__).parents[2] / "resources"


# Each demo and fields some of its demandes fill (not vacuous: the demo has soldes with invoices and proofs, MSS
# counts; the other, identifiers read from a mixed column)
FILLED = {
    "demo": {"bdc.montant_ht", "pieces", "solution.version", "facture.fichier", "justificatif.type",
             "justificatif.fichier", "installation.date", "mss.bal_personnelles", "officine.forfait_ht"},
    "demo-identifiants": {"bdc.montant_ht", "beneficiaire.rpps", "beneficiaire.siret", "beneficiaire.finess_ej"},
}


@pytest.fixture(scope="module", params=sorted(FILLED))
def result(request: pytest.FixtureRequest):
    workspace = load_workspace(RESOURCES / request.param)
    return request.param, run_pipeline(workspace, workspace.judged_at)


def every_field_template():
    """A format writing every canonical field of a demande (amounts and dates formatted), its pieces with a demande's
    and a file's field inside, and the file's fields beside."""
    catalog = canonical_catalog()
    model = {}
    for known in catalog.top_level():
        spec = {"$champ": known.id}
        if known.type == "montant":
            spec["$format"] = "centimes"
        elif known.type == "date":
            spec["$format"] = "JJ/MM/AAAA"
        model[known.id] = spec
    model["chaque_piece"] = {"$chaque": "pieces", "$modele": {
        "nature": {"$champ": "type"}, "nom": {"$champ": "fichier"}, "de": {"$champ": "demande.id"},
        "editeur": {"$champ": "editeur.siret"}}}
    model["liste"] = [{"$champ": "bdc.numero"}, {"$champ": "facture.numero"}, {"$constante": 1}]
    return compile_template({"demandes": {"$chaque": "demandes", "$modele": model}})


def test_every_field_reads_the_same_from_the_rows_and_from_the_fields(result) -> None:
    name, result = result
    template = every_field_template()
    seen: set[str] = set()
    for d in result.demandes:
        context = file_fields(result.workspace.vendor, d.couloir.code, d.type)
        fields = d.fields
        direct = template.render_object(SOURCES, d, context)
        assert json.dumps(direct, default=str) == json.dumps(template.render_demande(fields, context), default=str)
        seen |= set(fields)
    assert FILLED[name] <= seen


def test_each_format_in_force_writes_the_same_json_both_ways(result) -> None:
    result = result[1]
    checked = 0
    for d in result.demandes:
        entry = result.registry.entry(d.couloir.code, d.type, d.solution.vague)
        if entry is None:
            continue
        context = file_fields(result.workspace.vendor, d.couloir.code, d.type)
        direct = render_demande(entry, d, context)
        assert json.dumps(direct) == json.dumps(entry.template.render_demande(d.fields, context))
        checked += 1
    assert checked == len(result.demandes) > 20


def test_the_canonical_fields_leave_absent_values_out(result) -> None:
    result = result[1]
    for d in result.demandes:
        fields = d.fields
        assert fields["demande.id"] == d.id and fields["bdc.numero"] == d.bdc.values["bdc_number"]
        assert ("bdc.montant_ht" in fields) == (d.amounts is not None)
        assert ("facture.numero" in fields) == (d.type == "solde" and "invoice_number" in d.bdc.values)
        assert [p["fichier"] for p in fields["pieces"]] == [p.name for p in d.pieces]


def test_a_solutions_part_is_written_once_per_solution(result) -> None:
    result = result[1]
    template = compile_template({"demandes": {"$chaque": "demandes", "$modele": {
        "id": {"$champ": "demande.id"},
        "solution": {"nom": {"$champ": "solution.nom"}, "version": {"$champ": "solution.version"}}}}})
    by_solution: dict[str, list] = {}
    for d in result.demandes:
        by_solution.setdefault(d.solution.id, []).append(template.render_object(SOURCES, d, {}))
    assert len(by_solution) >= 2
    parts = [rendered[0]["solution"] for rendered in by_solution.values()]
    assert all(r["solution"] is rendered[0]["solution"] for rendered in by_solution.values() for r in rendered)
    assert len({id(part) for part in parts}) == len(parts)  # each solution its own
