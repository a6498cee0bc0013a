"""Build the demo workspace in resources/demo/ (deterministic).

Run from the repository root: `python -m tools.make_demo`. The demo is a
vendor with five solutions over five couloirs, a CRM-style client list and an
ADV-style BDC list (title lines, text dates, "€" amounts), small PDFs, and a
handful of deliberate mistakes listed in resources/demo/README.md.
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tools import fakedata

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"

SOLUTIONS = [  # « depot_conformite »: the conformity dossier's submission to the ANS, where the 120 days count from
    {"id": "dpi", "nom": "Médilog DPI", "version": "4.2", "couloir": "HOP", "type_logiciel": "DPI",
     "referencement": {"id": "REF-HOP-DPI-2022-0117", "date": "2022-06-15", "depot_conformite": "2022-05-20"}},
    {"id": "cabinet", "nom": "Médilog Cabinet", "version": "3.1", "couloir": "MDV", "type_logiciel": "LGC",
     "referencement": {"id": "REF-MDV-LGC-2022-0342", "date": "2022-05-02", "depot_conformite": "2022-04-08"}},
    {"id": "labo", "nom": "Médilog Labo", "version": "2.0", "couloir": "BIO", "type_logiciel": "SGL",
     "referencement": {"id": "REF-BIO-SGL-2022-0058", "date": "2022-07-01", "depot_conformite": "2022-06-20"}},
    {"id": "officine", "nom": "Médilog Officine", "version": "8.4", "couloir": "PHA", "type_logiciel": "LGO",
     "referencement": {"id": "REF-PHA-LGO-2022-0203", "date": "2022-09-20", "depot_conformite": "2022-08-25"}},
    {"id": "esms", "nom": "Médilog ESMS", "version": "1.5", "couloir": "MS1", "type_logiciel": "DUI",
     "referencement": {"id": "REF-MS1-DUI-2022-0091", "date": "2022-10-10", "depot_conformite": "2022-09-12"}},
    {"id": "mss", "nom": "Médilog Messagerie", "version": "2.0", "couloir": "MSS", "type_logiciel": "MSS",
     "referencement": {"id": "REF-MSS-2022-0014", "date": "2022-10-03", "depot_conformite": "2022-09-05"}},
]

HOSPITALS = ["Centre hospitalier de {town}", "Clinique Saint-Joseph de {town}", "Hôpital privé de {town}",
             "Polyclinique du Parc ({town})"]
LABS = ["Laboratoire BioSanté {town}", "Labo Analyses Médicales de {town}", "Biolab {town}"]
PHARMACIES = ["Pharmacie du Centre ({town})", "Pharmacie de la Gare ({town})", "Grande Pharmacie de {town}",
              "Pharmacie des Halles ({town})"]
EHPADS = ["EHPAD Les Tilleuls ({town})", "EHPAD Résidence du Lac ({town})", "Foyer d'accueil médicalisé de {town}"]

AMOUNTS = {"dpi": 18500, "cabinet": 1100, "labo": 12000, "officine": 875, "esms": 4800,
           "mss": 26415.97}  # MSSanté: 58,33 × 10 + 20,83 × 200 + 5,00 × 3 000 + 6 666,67 (couloirs.json)
MSS_MAILBOXES = (10, 200, 3000)  # applicative, organisational, personal (the operator's Annuaire Santé)
VAT = {"972": 1.085}  # Martinique (couloirs.json « tva »); 1.20 elsewhere


def minimal_pdf(title: str) -> bytes:
    """A tiny valid one-page PDF (header, objects, xref, trailer)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 50 750 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def clients(rng: random.Random) -> list[dict]:
    rows = []

    def add(kind: str, **values) -> None:
        rows.append({"code": f"C{len(rows) + 1:04d}", "kind": kind, **values})

    for template in HOSPITALS * 2:
        cp, town = fakedata.town(rng)
        add("dpi", name=template.format(town=town), finess=fakedata.finess(rng, cp[:2]), siret=fakedata.siret(rng),
            cp=cp, town=town)
    for _ in range(10):
        cp, town = fakedata.town(rng)
        add("cabinet", name=f"Cabinet du Dr {fakedata.person(rng)}", rpps=fakedata.rpps(rng), cp=cp, town=town)
    for template in LABS * 2:
        cp, town = fakedata.town(rng)
        add("labo", name=template.format(town=town), finess=fakedata.finess(rng, cp[:2]), siret=fakedata.siret(rng),
            cp=cp, town=town)
    for template in PHARMACIES + PHARMACIES[:3]:
        cp, town = fakedata.town(rng)
        add("officine", name=template.format(town=town), finess=fakedata.finess(rng, cp[:2]), siret=fakedata.siret(rng),
            cp=cp, town=town)
    for template in EHPADS + EHPADS[:2]:
        cp, town = fakedata.town(rng)
        add("esms", name=template.format(town=town), finess=fakedata.finess(rng, cp[:2]), cp=cp, town=town)
    return rows


def write_clients(rows: list[dict], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Clients"
    ws["A1"] = "Export CRM — clients Ségur numérique (extrait du 25/11/2022)"
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells("A1:G1")
    headers = ["Code client", "Raison sociale", "N° FINESS ET", "SIRET", "RPPS", "Code postal", "Ville",
               "Forfait officine", "BAL applicatives", "BAL organisationnelles", "BAL personnelles"]
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        mailboxes = row.get("mailboxes", (None, None, None))
        ws.append([row["code"], row["name"], row.get("finess"), row.get("siret"), row.get("rpps"), row["cp"], row["town"],
                   row.get("forfait"), *mailboxes])
    for column, width in zip("ABCDEFGHIJK", (12, 42, 14, 17, 14, 11, 18, 10, 10, 10, 10), strict=True):
        ws.column_dimensions[column].width = width
    wb.save(path)


PORTAL_STATUSES = [  # N° BDC, status as the portal words it, date, ASP comment
    ("BDC-2022-0001", "En cours", "02/12/2022", ""),
    ("BDC-2022-0009", "Validée", "15/12/2022", "Décision d'attribution envoyée"),
    ("BDC-2022-0011", "VALIDEE", "15/12/2022", ""),
    ("BDC-2022-0019", "Validée", "16/12/2022", ""),
    ("BDC-2022-0003", "À modifier", "19/12/2022", "Montant HT différent du BDC signé"),
    ("BDC-2022-0006", "Conflit", "19/12/2022", "Demande en doublon avec un autre éditeur"),
    ("BDC-2022-0005", "En attente de pièces-jointes complémentaires", "20/12/2022", "BDC illisible : joindre une copie lisible"),
    ("BDC-2022-0999", "En cours", "20/12/2022", ""),  # not a demande of this vendor: reported as unknown
]


def write_statuses(path: Path) -> None:
    """The portal's list of requests as a vendor copies it: semicolons, UTF-8 with BOM (Excel's French CSV)."""
    lines = ["N° BDC;Statut;Date de mise à jour;Commentaire ASP"]
    lines += [";".join(row) for row in PORTAL_STATUSES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def main() -> None:
    rng = random.Random(2022)
    pieces = DEMO / "pieces"
    if pieces.exists():
        shutil.rmtree(pieces)  # the demo's README.md, written by hand, stays
    pieces.mkdir(parents=True)
    client_rows = clients(rng)

    # Deliberate mistakes on the client list (see README.md).
    bourg = next(r for r in client_rows if r["kind"] == "labo")
    bourg.update(cp="01000", town="Bourg-en-Bresse", name="Laboratoire BioSanté Bourg-en-Bresse",
                 finess=int(fakedata.finess(rng, "01")))  # stored as a number: Excel lost the leading zero
    typo = [r for r in client_rows if r["kind"] == "dpi"][3]
    typo["finess"] = typo["finess"][:-1] + str((int(typo["finess"][-1]) + 1) % 10)  # wrong key
    short = [r for r in client_rows if r["kind"] == "cabinet"][6]
    short["rpps"] = short["rpps"][:-1]  # one digit missing
    # Issue #21: an overseas client (VAT 8,5 %) and an MSSanté operator-buyer funded by its mailboxes, drawn
    # from their own generator so that every other row stays as it was.
    extra = random.Random(21)
    client_rows.append({"code": f"C{len(client_rows) + 1:04d}", "kind": "dpi", "name": "CHU de Martinique",
                        "finess": f"9B{extra.randrange(10**7):07d}", "siret": fakedata.siret(extra), "cp": "97200",
                        "town": "Fort-de-France"})
    client_rows.append({"code": f"C{len(client_rows) + 1:04d}", "kind": "mss", "name": "GCS e-Santé Occitanie",
                        "siret": fakedata.siret(extra), "cp": "31000", "town": "Toulouse", "mailboxes": MSS_MAILBOXES})

    bdc_rows = []
    start = {"dpi": date(2022, 7, 1), "cabinet": date(2022, 5, 10), "labo": date(2022, 7, 5),
             "officine": date(2022, 9, 25), "esms": date(2022, 10, 12), "mss": date(2022, 10, 5)}
    for number, client in enumerate(client_rows, start=1):
        kind = client["kind"]
        signed = fakedata.signature_date(extra if "mailboxes" in client or client["cp"] == "97200" else rng,
                                         start[kind], 40)
        bdc_rows.append({
            "numero": f"BDC-2022-{number:04d}", "client": client["code"], "solution": next(
                s["nom"] for s in SOLUTIONS if s["id"] == kind),
            "type": "Avance", "date": signed, "ht": AMOUNTS[kind] if kind != "officine" else rng.choice((625, 875)),
            "vat": VAT.get(client["cp"][:3], 1.2),
        })
        if kind == "officine":
            client["forfait"] = bdc_rows[-1]["ht"]  # the pharmacy's forfait, by its turnover band
    write_clients(client_rows, DEMO / "clients.xlsx")
    # Soldes for three médecine de ville BDCs installed since.
    for row in [r for r in bdc_rows if r["solution"] == "Médilog Cabinet"][:3]:
        bdc_rows.append(dict(row, type="Solde", installed=date(2022, 10, 3), facture=f"FA-{row['numero'][4:]}",
                             facture_date=date(2022, 10, 5)))
    # Deliberate mistakes on the BDC list (see README.md).
    bdc_rows[1]["date"] = "31/02/2022"  # impossible date
    bdc_rows[4]["date"] = bdc_rows[4]["date"].strftime("%d/%m/%Y")  # a date typed as text: fine
    bdc_rows[5]["ht"] = "18 500,00 €"  # an amount typed as text: fine
    bdc_rows[9]["client"] = "C0999"  # unknown client
    bdc_rows[12]["numero"] = bdc_rows[11]["numero"]  # the same BDC number twice
    pha = [r for r in bdc_rows if r["solution"] == "Médilog Officine"]
    pha[2]["ht"] = 950  # above the LGO ceiling (875 € HT)
    ms1 = [r for r in bdc_rows if r["solution"] == "Médilog ESMS"]
    ms1[1]["date"] = date(2022, 12, 5)  # after the control date: in the future
    labo = [r for r in bdc_rows if r["solution"] == "Médilog Labo"]
    labo[3]["date"] = date(2022, 2, 14)  # more than 120 days before the SGL referencing
    missing_pdf = [r for r in bdc_rows if r["solution"] == "Médilog Cabinet"][5]["numero"]
    case_pdf = pha[4]["numero"]

    wb = Workbook()
    ws = wb.active
    ws.title = "BDC signés"
    ws["A1"] = "Bons de commande signés — suivi ADV Médilog Santé"
    ws["A1"].font = Font(bold=True, size=13)
    headers = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT",
               "Montant TTC", "Fichier BDC", "Date d'installation", "N° facture", "Date facture",
               "Fichier facture", "Justificatif", "Fichier MOM/VA"]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in bdc_rows:
        ht = row["ht"]
        ttc = round(ht * row["vat"], 2) if isinstance(ht, (int, float)) else None
        solde = row["type"] == "Solde"
        ws.append([
            row["numero"], row["client"], row["solution"], row["type"], row["date"], ht, ttc,
            f"{row['numero']}.pdf", row.get("installed"), row.get("facture"), row.get("facture_date"),
            f"{row['facture']}.pdf" if solde else None, "VA" if solde else None,
            f"VA-{row['numero'][4:]}.pdf" if solde else None,
        ])
        for column in ("E", "I", "K"):
            ws[f"{column}{ws.max_row}"].number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJKLMN", (16, 12, 18, 15, 16, 12, 12, 22, 16, 14, 13, 18, 12, 20), strict=True):
        ws.column_dimensions[column].width = width
    wb.save(DEMO / "bons_de_commande.xlsx")

    names = set()
    for row in bdc_rows:
        names.add(f"{row['numero']}.pdf")
        if row["type"] == "Solde":
            names |= {f"{row['facture']}.pdf", f"VA-{row['numero'][4:]}.pdf"}
    names.discard(f"{missing_pdf}.pdf")
    for name in sorted(names):
        shown = name.lower() if name == f"{case_pdf}.pdf" else name
        (pieces / shown).write_bytes(minimal_pdf(f"Médilog Santé - {name[:-4]} - document signé"))

    # The Suivi cycle (issue #8): a readable copy the ASP asked for, and the portal's statuses after instruction.
    (pieces / "BDC-2022-0005-copie-lisible.pdf").write_bytes(minimal_pdf("Médilog Santé - BDC-2022-0005 - copie lisible"))
    write_statuses(DEMO / "statuts_portail.csv")

    workspace = {
        "schema_version": 1,
        "nom": "Démo — Médilog Santé",
        "editeur": {"raison_sociale": "Médilog Santé SAS", "siret": "73282932000074"},
        "solutions": SOLUTIONS,
        "entrees": {"clients": "clients.xlsx", "bdc": "bons_de_commande.xlsx", "pieces": "pieces"},
        "mapping": {"clients": {}, "bdc": {}},
        "sortie": "sortie",
        "date_controle": "2022-11-28T10:00:00+01:00",
    }
    (DEMO / "workspace.json").write_text(json.dumps(workspace, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
