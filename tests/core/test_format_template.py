"""Output templates (core/formats/template.py): written, read back, and traced to the canonical field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from segur_desktop.core.formats.template import TemplateError, compile_template

TEMPLATE = {
    "v": "1",
    "qui": {"siret": {"$champ": "editeur.siret"}},
    "type": {"$champ": "demande.type", "$valeurs": {"avance": "AV", "solde": "SO"}},
    "dossier": {"lignes": {"$chaque": "demandes", "$modele": {
        "id": {"$champ": "demande.id"},
        "date": {"$champ": "bdc.date_signature", "$format": "JJ/MM/AAAA"},
        "montants": {"bdc": {"$champ": "bdc.montant_ht", "$format": "nombre"},
                     "demande": {"$champ": "demande.montant_ht", "$format": "virgule"},
                     "centimes": {"$champ": "bdc.montant_ttc", "$format": "centimes"}},
        "facture": {"numero": {"$champ": "facture.numero"}},
        "editeur": {"$champ": "editeur.siret"},
        "canal": {"$constante": "EDI"},
        "pj": {"$chaque": "pieces", "$modele": {"t": {"$champ": "type"}, "f": {"$champ": "fichier"}}},
    }}},
}
FIELDS = {"demande.id": "HOP-AV-X", "bdc.date_signature": date(2022, 9, 1), "bdc.montant_ht": Decimal("10000.00"),
          "demande.montant_ht": Decimal("3000.00"), "bdc.montant_ttc": Decimal("12000.00"),
          "pieces": [{"type": "BDC", "fichier": "a.pdf"}, {"type": "VA", "fichier": "b.pdf"}]}
FILE = {"editeur.siret": "73282932000074", "demande.type": "avance", "demande.couloir": "HOP"}


def test_a_file_is_written_with_its_formats_and_absent_objects_left_out() -> None:
    template = compile_template(TEMPLATE)
    written = template.render_file(FILE, [FIELDS])
    assert written == {"v": "1", "qui": {"siret": "73282932000074"}, "type": "AV", "dossier": {"lignes": [{
        "id": "HOP-AV-X", "date": "01/09/2022",
        "montants": {"bdc": 10000.0, "demande": "3000,00", "centimes": 1200000},
        "editeur": "73282932000074", "canal": "EDI",
        "pj": [{"t": "BDC", "f": "a.pdf"}, {"t": "VA", "f": "b.pdf"}]}]}}  # no invoice: no "facture" object
    assert template.demandes_path == ("dossier", "lignes")


def test_a_written_file_reads_back_into_the_same_fields() -> None:
    template = compile_template(TEMPLATE)
    file_fields, demandes = template.read_file(template.render_file(FILE, [FIELDS]))
    assert file_fields == {"editeur.siret": "73282932000074", "demande.type": "avance"}
    back = template.read_demande(demandes[0])
    assert {key: back[key] for key in FIELDS} == FIELDS


def test_a_json_pointer_leads_to_its_canonical_field_and_back() -> None:
    template = compile_template(TEMPLATE)
    assert template.field_at(["montants", "demande"]) == ("demande.montant_ht", None)
    assert template.field_at(["pj", "1", "f"]) == ("pieces[].fichier", 1)
    assert template.field_at(["canal"]) == (None, None)
    assert template.pointer_of("bdc.date_signature") == "/date"
    assert template.pointer_of("pieces[].fichier", 2) == "/pj/2/f"
    assert template.pointer_of("beneficiaire.commune") is None


@pytest.mark.parametrize("spec, message", [
    ({"a": {"$champ": "bdc.inconnu"}, "l": {"$chaque": "demandes", "$modele": {}}}, "bdc.inconnu"),
    ({"a": {"$champ": "editeur.siret"}}, "pas de liste"),
    ({"l": {"$chaque": "demandes", "$modele": {"d": {"$champ": "bdc.numero", "$format": "nombre"}}}},
     "ne s'applique qu'aux dates"),
    ({"l": {"$chaque": "demandes", "$modele": {"d": {"$champ": "bdc.date_signature", "$format": "jour"}}}},
     "AAAA, MM et JJ"),
    ({"n": {"$champ": "bdc.numero"}, "l": {"$chaque": "demandes", "$modele": {}}}, "valeur par demande"),
    ({"l": {"$chaque": "lignes", "$modele": {}}}, "porte sur"),
], ids=["unknown-field", "no-demandes", "format-on-text", "bad-date-pattern", "demande-field-at-file-level",
        "unknown-list"])
def test_a_wrong_template_is_a_french_error(spec, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        compile_template(spec)


def test_a_gap_is_listed_and_left_out() -> None:
    template = compile_template({"l": {"$chaque": "demandes", "$modele": {"x": {"$a_renseigner": "?"},
                                                                          "id": {"$champ": "demande.id"}}}})
    assert [g.path for g in template.gaps] == ["l[].x"]
    assert template.render_demande({"demande.id": "A"}, {}) == {"id": "A"}
