"""Test data shared across the suite: valid identifiers, default headers, a minimal PDF, a demande.

A plain module (not conftest.py), so `from testdata import ...` means the same file from any
test folder, whatever conftest.py files the folders have.
"""

from stdnum import luhn


def luhn_complete(body: str) -> str:
    """`body` plus its Luhn check digit: valid FINESS (9), RPPS (11) and SIRET (14) for tests."""
    return body + luhn.calc_check_digit(body)


FINESS_A = luhn_complete("75000001")   # Paris
FINESS_B = luhn_complete("69000002")   # Lyon
FINESS_ZERO = luhn_complete("01000003")  # Ain: Excel drops its leading zero
RPPS_A = luhn_complete("1000000001")
VENDOR_SIRET = "73282932000074"

CLIENT_HEADERS = ["Code client", "Raison sociale", "N° FINESS ET", "RPPS", "Code postal", "Ville"]
BDC_HEADERS = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT", "Fichier BDC"]
SOLUTIONS = [
    {"id": "dpi", "nom": "Test DPI", "version": "1.0", "couloir": "HOP", "type_logiciel": "DPI",
     "referencement": {"id": "REF-1", "date": "2022-06-15", "depot_conformite": "2022-06-15"}},
    {"id": "lgc", "nom": "Test Cabinet", "couloir": "MDV", "type_logiciel": "LGC",
     "referencement": {"id": "REF-2", "date": "2022-05-02", "depot_conformite": "2022-05-02"}},
]
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
               b"startxref\n9\n%%EOF\n")


def sample_demande() -> dict:
    """A valid HOP avance demande, as the deposit JSON holds it."""
    return {
        "idDemande": "HOP-AV-ABCDEFGHIJ", "typeDemande": "avance", "couloir": "HOP",
        "beneficiaire": {"raisonSociale": "CH", "typeIdentifiant": "FINESS_ET", "identifiant": "750000019"},
        "solution": {"nom": "DPI", "typeLogiciel": "DPI", "idReferencement": "R", "dateReferencement": "2022-06-15"},
        "bonDeCommande": {"numero": "B1", "dateSignature": "2022-09-01", "montantHT": "10.00", "montantTTC": "12.00"},
        "montantDemandeHT": "3.00",
        "piecesJustificatives": [{"type": "BDC", "nomFichier": "B1.pdf"}],
    }


def rendered(result, d) -> dict:
    """The demande `d` of a pipeline result as the deposit format in force writes it."""
    from segur_desktop.core.formats.render import file_fields

    entry = result.registry.entry(d.couloir.code, d.type)
    return entry.template.render_demande(d.fields, file_fields(result.workspace.vendor, d.couloir.code, d.type))
