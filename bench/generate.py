"""Generate an N-row benchmark workspace: client list, BDC list, workspace.json.

The pipeline benchmark (bench/pipeline.py) needs inputs that look like a real
vendor's exports at 1k to 100k rows, so that every stage does the work it does
in production: header mapping from the demo's French column titles, a title
line above the header, Luhn-checked identifiers, real Excel dates and numeric
amounts. Unlike the demo there are no deliberate mistakes and no attachments
folder, so almost every request is valid and attachment checks are skipped.

Workbooks are written with openpyxl in write-only mode, which streams rows to
disk: 100k rows take seconds and little memory. Run from the repository root:
`python -m bench.generate --rows 20000 --out bench/out/20000`.

With `--par-identifiants` (issue #15) the lists share no client code, as real
vendors' exports: the client list has no code column, and each BDC row names its
client by name and identifiers, a FINESS column and a mixed « SIRET / RPPS »
column (RPPS for doctors, SIRET for some establishments), with the product and
its version in one cell (« Médilog Cabinet 3.1.2 ») and the couloir in an ERP's
words (« Pharmacie d'officine »). The join then goes through every key instead of
one code.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tools import fakedata
from tools.make_demo import AMOUNTS, EHPADS, HOSPITALS, LABS, PHARMACIES, SOLUTIONS

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CONTROL_DATE = "2022-11-28T10:00:00+01:00"

# Share of clients per solution (and so per couloir): HOP, MDV, BIO, PHA, MS1.
KIND_WEIGHTS = {"dpi": 15, "cabinet": 35, "labo": 10, "officine": 30, "esms": 10}
NAME_TEMPLATES = {"dpi": HOSPITALS, "labo": LABS, "officine": PHARMACIES, "esms": EHPADS}
# Signatures fall in the 40 days after each start: after the solution's
# referencing, before the control date and every avance window's close.
SIGNATURE_START = {"dpi": date(2022, 7, 1), "cabinet": date(2022, 5, 10), "labo": date(2022, 7, 5),
                   "officine": date(2022, 9, 25), "esms": date(2022, 10, 12)}
SIGNATURE_DAYS = 40

CLIENT_HEADERS = ["Code client", "Raison sociale", "N° FINESS ET", "SIRET", "RPPS", "Code postal", "Ville"]
BDC_HEADERS = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT",
               "Montant TTC", "Fichier BDC", "Date d'installation", "N° facture", "Date facture",
               "Fichier facture", "Justificatif", "Fichier MOM/VA"]
SOLUTION_NAMES = {solution["id"]: solution["nom"] for solution in SOLUTIONS}

# --par-identifiants: no client code on either side (issue #15).
ID_CLIENT_HEADERS = ["Raison sociale", "N° FINESS ET", "SIRET", "RPPS", "Code postal", "Ville"]
ID_BDC_HEADERS = ["N° commande", "Date commande", "Client", "FINESS", "SIRET / RPPS", "Produit", "Couloir Ségur",
                  "Type de demande", "Montant HT", "PDF BDC"]
PRODUCTS = {s["id"]: [f"{s['nom']} {s['version']}", f"{s['nom']} {s['version']}.2", f"{s['nom']} v{s['version']}"]
            for s in SOLUTIONS}
COULOIR_WORDS = {"dpi": "Hôpital", "cabinet": "Médecine de ville", "labo": "Biologie médicale",
                 "officine": "Pharmacie d'officine", "esms": "Médico-social MS1"}


def _unique(draw: Callable[[], str], seen: set[str]) -> str:
    """A value from `draw` not in `seen`: two clients sharing an identifier would be duplicate beneficiaries."""
    value = draw()
    while value in seen:
        value = draw()
    seen.add(value)
    return value


def _bold_line(ws: WriteOnlyWorksheet, values: list[str], size: int | None = None) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = Font(bold=True, size=size)
        cells.append(cell)
    return cells


def _date_cell(ws: WriteOnlyWorksheet, value: date) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def _clients(n: int, rng: random.Random) -> list[dict[str, str | None]]:
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=n)
    seen: set[str] = set()
    rows = []
    for number, kind in enumerate(kinds, start=1):
        cp, town = fakedata.town(rng)
        row: dict[str, str | None] = {"code": f"C{number:06d}", "kind": kind, "cp": cp, "town": town,
                                      "finess": None, "siret": None, "rpps": None}
        if kind == "cabinet":
            row["name"] = f"Cabinet du Dr {fakedata.person(rng)}"
            row["rpps"] = _unique(partial(fakedata.rpps, rng), seen)
        else:
            row["name"] = rng.choice(NAME_TEMPLATES[kind]).format(town=town)
            row["finess"] = _unique(partial(fakedata.finess, rng, cp[:2]), seen)
            if kind != "esms":
                row["siret"] = _unique(partial(fakedata.siret, rng), seen)
        rows.append(row)
    return rows


def _write_clients(rows: list[dict[str, str | None]], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Clients")
    ws.append(_bold_line(ws, ["Export CRM — clients Ségur numérique (extrait du 25/11/2022)"], size=13))
    ws.append([])
    ws.append(_bold_line(ws, CLIENT_HEADERS))
    for row in rows:
        ws.append([row["code"], row["name"], row["finess"], row["siret"], row["rpps"], row["cp"], row["town"]])
    wb.save(path)


def _write_bdc(clients: list[dict[str, str | None]], rng: random.Random, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("BDC signés")
    ws.append(_bold_line(ws, ["Bons de commande signés — suivi ADV Médilog Santé"], size=13))
    ws.append(_bold_line(ws, BDC_HEADERS))
    for number, client in enumerate(clients, start=1):
        kind = str(client["kind"])
        signed = fakedata.signature_date(rng, SIGNATURE_START[kind], SIGNATURE_DAYS)
        ht = rng.choice((625, 875)) if kind == "officine" else AMOUNTS[kind]
        bdc_number = f"BDC-2022-{number:06d}"
        ws.append([bdc_number, client["code"], SOLUTION_NAMES[kind], "Avance", _date_cell(ws, signed), ht,
                   round(ht * 1.2, 2), f"{bdc_number}.pdf"])
    wb.save(path)


def _write_clients_without_code(rows: list[dict[str, str | None]], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Comptes")
    ws.append(_bold_line(ws, ["Export CRM — Comptes clients (extrait du 25/11/2022)"], size=13))
    ws.append([])
    ws.append(_bold_line(ws, ID_CLIENT_HEADERS))
    for row in rows:
        ws.append([row["name"], row["finess"], row["siret"], row["rpps"], row["cp"], row["town"]])
    wb.save(path)


def _spaced_siret(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def _write_bdc_by_identifiers(clients: list[dict[str, str | None]], rng: random.Random, path: Path) -> None:
    """One Avance per client, named by FINESS, or by SIRET or RPPS in the mixed « SIRET / RPPS » column."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Commandes")
    ws.append(_bold_line(ws, ["Extraction ERP — Commandes signées Ségur numérique"], size=13))
    ws.append(_bold_line(ws, ID_BDC_HEADERS))
    for number, client in enumerate(clients, start=1):
        kind = str(client["kind"])
        signed = fakedata.signature_date(rng, SIGNATURE_START[kind], SIGNATURE_DAYS)
        ht = rng.choice((625, 875)) if kind == "officine" else AMOUNTS[kind]
        bdc_number = f"CDE-{number:06d}"
        finess, mixed = client["finess"], client["rpps"]
        if client["siret"] and number % 3 == 0:  # the SIRET too, sometimes typed in groups
            mixed = _spaced_siret(client["siret"]) if number % 10 == 0 else client["siret"]
            if kind == "labo" and number % 2 == 0:
                finess = None  # a lab named by its SIRET alone
        ws.append([bdc_number, _date_cell(ws, signed), client["name"], finess, mixed, rng.choice(PRODUCTS[kind]),
                   COULOIR_WORDS[kind], "Avance" if number % 4 else "Demande d'avance", ht, f"{bdc_number}.pdf"])
    wb.save(path)


def _workspace(n: int) -> dict[str, object]:
    return {
        "schema_version": 1,
        "nom": f"Banc d'essai — Médilog Santé ({n} lignes)",
        "editeur": {"raison_sociale": "Médilog Santé SAS", "siret": "73282932000074"},
        "solutions": SOLUTIONS,
        "entrees": {"clients": "clients.xlsx", "bdc": "bons_de_commande.xlsx"},
        "mapping": {"clients": {}, "bdc": {}},
        "sortie": "sortie",
        "date_controle": CONTROL_DATE,
    }


def generate(n: int, out_dir: Path, seed: int = 1, *, par_identifiants: bool = False) -> Path:
    """Write n clients, one Avance BDC each, and a workspace.json into `out_dir`; return `out_dir`.

    `par_identifiants`: no client code, BDC rows name their client by FINESS, SIRET or RPPS (issue #15).
    """
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    clients = _clients(n, rng)
    if par_identifiants:
        _write_clients_without_code(clients, out_dir / "clients.xlsx")
        _write_bdc_by_identifiers(clients, rng, out_dir / "bons_de_commande.xlsx")
    else:
        _write_clients(clients, out_dir / "clients.xlsx")
        _write_bdc(clients, rng, out_dir / "bons_de_commande.xlsx")
    workspace = _workspace(n)
    if par_identifiants:
        workspace["nom"] = f"Banc d'essai par identifiants — Médilog Santé ({n} lignes)"
    text = json.dumps(workspace, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "workspace.json").write_text(text, encoding="utf-8")
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate an N-row benchmark workspace.")
    parser.add_argument("--rows", type=int, required=True, help="number of clients and of BDCs")
    parser.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--par-identifiants", action="store_true",
                        help="no client code: BDC rows name their client by FINESS, SIRET or RPPS (issue #15)")
    args = parser.parse_args()
    print(generate(args.rows, args.out, args.seed, par_identifiants=args.par_identifiants))


if __name__ == "__main__":
    main()
