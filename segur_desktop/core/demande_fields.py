"""Where each canonical field of a demande comes from: one table of Python expressions.

`Demande.fields` (the canonical dict: deposit files, exports, the register) and the deposit
formats' direct renderers (validation writes every demande in the format in force to check it
against its schema) are both generated from `SOURCES` (`core/formats/template.py`), so the two
cannot disagree on a value. The direct renderer reads the demande's rows where the values are:
making 20k dicts of 30 fields only to read them once cost as much as writing the JSON.

Each expression is evaluated with `d` the demande and the prelude's names; `A` (absent) leaves
the field out, as a missing key leaves it out of `Demande.fields`.
"""

from __future__ import annotations

from typing import Any

from segur_desktop.core.formats.template import ABSENT, Sources, generate_fields

IDENTIFIER_FIELDS = {
    "FINESS_ET": "finess_et", "FINESS_EJ": "finess_ej", "SIRET": "siret",
    "SIREN": "siren", "RPPS": "rpps", "ADELI": "adeli",
}
MSS_COUNTS = {"mss_bal_app": "mss.bal_applicatives", "mss_bal_org": "mss.bal_organisationnelles",
              "mss_bal_perso": "mss.bal_personnelles"}
SOFTWARE = ("solution.nom", "solution.version", "solution.type_logiciel", "solution.id_referencement",
            "solution.date_referencement", "solution.vague", "solution.date_depot_conformite")


# Extensions of what a scan or a document is saved as instead of a PDF: a cell naming one names that file, whose
# name the diagnostics must show (« BDC-1.jpg » is not a PDF), not « BDC-1.jpg.pdf », which exists nowhere.
_OTHER_DOCUMENTS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".gif", ".bmp", ".webp", ".doc", ".docx",
                    ".odt", ".rtf", ".txt", ".xls", ".xlsx", ".zip")
_KEPT_SUFFIXES = (".pdf", *_OTHER_DOCUMENTS)


def pdf_name(name: str) -> str:
    """A piece's file name as a demande names it: with its .pdf, unless it names another kind of document.

    Trailing dots and spaces go, as Windows drops them from every file name (« BDC-1.pdf. » is « BDC-1.pdf »)."""
    if name[-1:] in (" ", "."):  # rare: most cells hold a BDC number or a clean file name
        name = name.rstrip(" .") or name
    return name if name.lower().endswith(_KEPT_SUFFIXES) else name + ".pdf"


def file_name(name: str) -> str:
    """A piece as the deposit file names it: without the subfolder a cell may give (« 2022-11/BDC-1.pdf », or with
    Windows' backslash), since the portal's nomFichier is a bare file name; the pieces check finds the file by the
    whole path (validate/piecefolder.py)."""
    if "/" not in name and "\\" not in name:  # the common case: a bare name
        return name
    return name.rpartition("/")[2].rpartition("\\")[2]


def proof_type(d: Any) -> Any:
    """A solde's proof: the BDC row's, else the couloir's only one; absent otherwise."""
    proof = d.bdc.values.get("proof_type")
    if proof is None and len(d.couloir.solde_proofs) == 1:
        proof = d.couloir.solde_proofs[0]
    return ABSENT if proof is None else proof


def _if_solde(expression: str) -> str:
    return f"({expression}) if solde else A"


SOURCES = Sources(
    # b: the BDC row's values, w: the client's, s: the solution's canonical fields, m: the amounts (None: unread)
    prelude=("b = d.bdc.values", "w = d.client.values", "s = d.software", "m = d.amounts", "solde = d.type == 'solde'"),
    fields={
        "demande.id": "d.id",
        "demande.type": "d.type",
        "demande.couloir": "d.couloir.code",
        **{name: f"s.get({name!r}, A)" for name in SOFTWARE},
        "beneficiaire.raison_sociale": "w.get('name', A)",
        "beneficiaire.type_identifiant": "d.id_type",
        "beneficiaire.identifiant": "d.identifier",
        # the client's own identifier of that kind, else the one deposited (read from a mixed column)
        **{f"beneficiaire.{name}": f"w.get({name!r}, d.identifier if d.id_type == {id_type!r} else A)"
           for id_type, name in IDENTIFIER_FIELDS.items()},
        "beneficiaire.code_postal": "w.get('postal_code', A)",
        "beneficiaire.commune": "w.get('city', A)",
        "bdc.numero": "b['bdc_number']",
        "bdc.date_signature": "b.get('signature_date', A)",
        "bdc.montant_ht": "A if m is None else m.ht",
        "bdc.montant_ttc": "A if m is None else m.ttc",
        "demande.montant_ht": "A if m is None else m.requested",
        "mss.indicateur_deploiement": "b.get('mss_deployment', A)",
        "mss.adresse": "b.get('mss_address', A)",
        "officine.forfait_ht": "w.get('officine_forfait', A)",
        # the BDC row's count, else the client's
        **{field_id: f"b.get({name!r}, w.get({name!r}, A))" for name, field_id in MSS_COUNTS.items()},
        "installation.date": _if_solde("b.get('installation_date', A)"),
        "facture.numero": _if_solde("b.get('invoice_number', A)"),
        "facture.date": _if_solde("b.get('invoice_date', A)"),
        "facture.fichier": _if_solde("file_name(pdf_name(b['invoice_file'])) if 'invoice_file' in b else A"),
        "justificatif.type": _if_solde("proof_type(d)"),
        "justificatif.fichier": _if_solde("file_name(pdf_name(b['proof_file'])) if 'proof_file' in b else A"),
        "pieces": "[{'type': p.role, 'fichier': file_name(p.name)} for p in d.pieces]",
    },
    shared="s",  # one dict per solution (`Builder._software`)
    shared_fields=frozenset(SOFTWARE),
    pieces="d.pieces",
    piece_fields={"type": "{p}.role", "fichier": "file_name({p}.name)"},
    helpers={"pdf_name": pdf_name, "file_name": file_name, "proof_type": proof_type},
)

demande_fields = generate_fields(SOURCES)
