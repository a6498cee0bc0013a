"""Build the demo workspace without client codes in resources/demo-identifiants/ (deterministic).

Run from the repository root: `python -m tools.make_demo_identifiants`. Issue #15:
real vendors' BDC lists share no client code with their client list. Each BDC
row names its client by the identifier the portal uses (FINESS, SIRET, RPPS),
next to the client's name, sometimes in a mixed column (« SIRET / RPPS »). This
demo is such a vendor: a CRM export of accounts (title lines, a « Notes » sheet
first, identifiers written as people type them) and an ERP export of signed
orders (client by name and identifiers, product + version, the couloir in the
ERP's own words, a hidden row, a « Paramètres » sheet). The deliberate mistakes,
one diagnostic each, are listed in the README.md this script writes beside them
(tests/core/test_demo_identifiants.py checks the same list).
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tools import fakedata
from tools.make_demo import HOSPITALS, LABS, PHARMACIES, minimal_pdf

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo-identifiants"
CLIENTS_FILE = "clients.xlsx"
BDC_FILE = "bons_de_commande.xlsx"
CONTROL_DATE = "2022-11-28T10:00:00+01:00"
SEED = 15  # issue #15

SOLUTIONS = [
    {"id": "medicab", "nom": "MédiCab", "version": "4.2", "couloir": "MDV", "type_logiciel": "LGC",
     "referencement": {"id": "REF-MDV-LGC-2022-0411", "date": "2022-05-16"}},
    {"id": "offiplus", "nom": "OffiPlus", "version": "3", "couloir": "PHA", "type_logiciel": "LGO",
     "referencement": {"id": "REF-PHA-LGO-2022-0227", "date": "2022-07-18"}},
    {"id": "radiosys", "nom": "RadioSys", "version": "7.0", "couloir": "RAD", "type_logiciel": "RIS",
     "referencement": {"id": "REF-RAD-RIS-2022-0064", "date": "2022-06-20"}},
    {"id": "labonet", "nom": "LaboNet", "version": "5.1", "couloir": "BIO", "type_logiciel": "SGL",
     "referencement": {"id": "REF-BIO-SGL-2022-0071", "date": "2022-07-11"}},
    {"id": "labonet-loinc", "nom": "LaboNet LOINC", "version": "1.2", "couloir": "BIO", "type_logiciel": "LOINC",
     "referencement": {"id": "REF-BIO-LOINC-2022-0019", "date": "2022-08-01"}},
    {"id": "dpi", "nom": "Médilog DPI", "version": "4.2", "couloir": "HOP", "type_logiciel": "DPI",
     "referencement": {"id": "REF-HOP-DPI-2022-0117", "date": "2022-06-15"}},
]
REFERENCING = {s["id"]: date.fromisoformat(s["referencement"]["date"]) for s in SOLUTIONS}

# How the ERP writes each product: name then version, as the sales people typed it. Every cell
# starts with the solution's name (« LaboNet LOINC 1.2 » also starts with « LaboNet »: the longest wins).
PRODUCTS = {
    "medicab": ["MédiCab 4.2.1", "MédiCab 4.2", "MédiCab v4.2.1 (Ségur)", "MEDICAB 4.2.1"],
    "offiplus": ["OffiPlus V3 Ségur", "OffiPlus V3", "OffiPlus 3.0.4"],
    "radiosys": ["RadioSys 7.0.2", "RadioSys 7"],
    "labonet": ["LaboNet 5.1.3", "LaboNet 5.1"],
    "labonet-loinc": ["LaboNet LOINC 1.2", "LaboNet LOINC 1.2.0"],
    "dpi": ["Médilog DPI 4.2", "Médilog DPI 4.2 - lot Ségur"],
}
# The couloir as the ERP's drop-down list words it (its « Paramètres » sheet).
COULOIR_WORDS = {"medicab": "Médecine de ville", "offiplus": "Pharmacie d'officine", "radiosys": "Imagerie",
                 "labonet": "Biologie médicale", "labonet-loinc": "Biologie médicale", "dpi": "Hôpital"}
AMOUNTS = {"medicab": 1100, "radiosys": 9800, "labonet": 12000, "labonet-loinc": 3500, "dpi": 18500}
# Signatures: from a few days after the solution's referencing, over 60 days (all before the
# control date and the 30/11/2022 avance closure, none more than 120 days before referencing).
SIGNATURE_DAYS = 60

IMAGING = ["Cabinet de radiologie de {town}", "Centre d'imagerie médicale de {town}", "Imagerie du Parc ({town})",
           "Scanner IRM {town}", "Radiologie des Halles ({town})", "Centre de radiologie Saint-Roch ({town})"]
STREETS = ["rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "rue Pasteur", "place de la Mairie",
           "rue du Général de Gaulle", "avenue de la Gare", "rue des Écoles", "allée des Tilleuls", "quai du Port"]
SALES = ["Julie Moreau", "Karim Benali", "Sandrine Leclerc", "Thomas Girard"]
CORSICA = {"2A": ("20000", "Ajaccio"), "2B": ("20200", "Bastia")}

NBSP, NNBSP = "\u00a0", "\u202f"

CLIENT_HEADERS = ["Nom du client", "N° FINESS Géographique", "N° FINESS Juridique", "SIRET", "RPPS", "Adresse",
                  "Code postal", "Ville", "Téléphone", "Email", "Commercial"]
BDC_HEADERS = ["N° commande", "Date commande", "Client", "FINESS", "SIRET / RPPS", "Produit", "Couloir Ségur", "Type",
               "Montant HT", "PDF BDC", "Statut", "Commercial"]
CLIENT_COLUMN = dict(zip(["name", "finess_et", "finess_ej", "siret", "rpps"], "ABCDE", strict=True))
BDC_COLUMN = {"numero": "A", "date": "B", "name": "C", "finess": "D", "mixed": "E", "product": "F", "couloir": "G",
              "type": "H", "ht": "I", "pdf": "J"}
CLIENTS_TITLE_LINES = 3  # title, export date, blank: the header is on line 4
BDC_TITLE_LINES = 2  # title, period: the header is on line 3


@dataclass
class Client:
    kind: str  # the solution bought (dpi, medicab, radiosys, labonet, offiplus)
    name: str
    cp: str
    town: str
    finess_et: str | None = None
    finess_ej: str | None = None
    siret: str | None = None
    rpps: str | None = None
    written: dict[str, object] = field(default_factory=dict)  # identifier -> the cell as the CRM holds it
    row: int = 0  # Excel row in clients.xlsx


@dataclass
class Order:
    client: Client
    solution: str
    signed: date
    ht: int | str
    finess: object = None  # the « FINESS » cell
    mixed: object = None  # the « SIRET / RPPS » cell
    name: str = ""
    product: str | None = None
    couloir: str = ""
    type: str = "Avance"
    date_cell: object = None  # the « Date commande » cell, when not the date itself
    hidden: bool = False
    numero: str = ""
    row: int = 0  # Excel row in bons_de_commande.xlsx


@dataclass(frozen=True)
class Planted:
    file: str
    row: int
    column: str
    mistake: str
    code: str
    severity: str = "error"


def grouped(value: str, sizes: tuple[int, ...], sep: str) -> str:
    """« 030806731 » -> « 030 806 731 »: an identifier as people type it."""
    parts, start = [], 0
    for size in sizes:
        parts.append(value[start:start + size])
        start += size
    return sep.join(parts)


class Identifiers:
    """Fresh identifiers, none equal to another (nor a FINESS equal to a SIRET's SIREN)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def _fresh(self, draw) -> str:
        value = draw()
        while value in self.seen or value[:9] in self.seen:
            value = draw()
        self.seen.update({value, value[:9]})
        return value

    def finess(self, department: str) -> str:
        if department in CORSICA:  # no published key for 2A/2B: any 7 digits
            return self._fresh(lambda: department + f"{self.rng.randrange(10**7):07d}")
        return self._fresh(lambda: fakedata.finess(self.rng, department))

    def siret(self) -> str:
        return self._fresh(lambda: fakedata.siret(self.rng))

    def rpps(self) -> str:
        return self._fresh(lambda: fakedata.rpps(self.rng))


def _towns(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct towns: no two clients of a kind share a name."""
    return rng.sample(fakedata.TOWNS, count)


def clients(rng: random.Random, ids: Identifiers) -> list[Client]:
    rows: list[Client] = []
    # Hôpital: two sites of one CHU share their FINESS EJ (a legal entity, several establishments).
    chu_ej = ids.finess("35")
    for site in ("Hôpital Pontchaillou", "Hôpital Sud"):
        rows.append(Client("dpi", f"CHU de Rennes - {site}", "35000", "Rennes", finess_et=ids.finess("35"),
                           finess_ej=chu_ej, siret=ids.siret()))
    for template, (cp, town) in zip(HOSPITALS, [t for t in _towns(rng, 6) if t[1] != "Rennes"][:4], strict=True):
        rows.append(Client("dpi", template.format(town=town), cp, town, finess_et=ids.finess(cp[:2]),
                           finess_ej=ids.finess(cp[:2]), siret=ids.siret()))
    # Médecine de ville: doctors, known by their RPPS; some cabinets also by a SIRET.
    doctors: set[str] = set()
    for index, (cp, town) in enumerate(_towns(rng, 12)):
        doctor = fakedata.person(rng)
        while doctor in doctors:  # names stay distinct: the demo's story names its clients
            doctor = fakedata.person(rng)
        doctors.add(doctor)
        name = f"Cabinet du Dr {doctor}" if index % 3 else f"Dr {doctor}"
        rows.append(Client("medicab", name, cp, town, rpps=ids.rpps(), siret=ids.siret() if index % 4 == 1 else None))
    # Imagerie: cabinets known by their SIRET, the bigger centres by a FINESS too.
    for index, (template, (cp, town)) in enumerate(zip(IMAGING, _towns(rng, 6), strict=True)):
        rows.append(Client("radiosys", template.format(town=town), cp, town, siret=ids.siret(),
                           finess_et=ids.finess(cp[:2]) if index % 2 else None))
    # Biologie: labs with a FINESS ET and a SIRET; one in Haute-Corse (FINESS 2B...).
    for index, (template, (cp, town)) in enumerate(zip(LABS * 3, _towns(rng, 8), strict=False)):  # eight of the nine names
        if index == 7:
            cp, town = CORSICA["2B"]
        department = "2B" if cp.startswith("20") else cp[:2]
        rows.append(Client("labonet", template.format(town=town), cp, town, finess_et=ids.finess(department),
                           siret=ids.siret()))
    # Officine: pharmacies with a FINESS ET and a SIRET; one in Corse-du-Sud (2A...), one in the Allier.
    for index, (template, (cp, town)) in enumerate(zip(PHARMACIES * 3, _towns(rng, 12), strict=True)):
        if index == 5:
            cp, town = CORSICA["2A"]
        elif index == 9:
            cp, town = "03100", "Montluçon"
        department = "2A" if cp.startswith("20") else cp[:2]
        rows.append(Client("offiplus", template.format(town=town), cp, town, finess_et=ids.finess(department),
                           siret=ids.siret()))
    return rows


def write_styles(rows: list[Client]) -> None:
    """How the CRM holds each identifier: typed with spaces, NBSP, dots, or kept as a number."""
    for index, client in enumerate(rows):
        if client.finess_et:
            value = client.finess_et
            style = index % 5
            client.written["finess_et"] = (grouped(value, (3, 3, 3), NBSP) if style == 0 else
                                           grouped(value, (3, 3, 3), NNBSP) if style == 1 else
                                           grouped(value, (3, 3, 3), ".") if style == 2 else
                                           int(value) if style == 3 and value.isdigit() and value[0] != "0" else value)
        if client.finess_ej:
            client.written["finess_ej"] = client.finess_ej
        if client.siret:
            value = client.siret
            client.written["siret"] = (grouped(value, (3, 3, 3, 5), " ") if index % 3 == 0 else
                                       grouped(value, (3, 3, 3, 5), NBSP) if index % 3 == 1 else value)
        if client.rpps:
            client.written["rpps"] = int(client.rpps) if index % 2 else client.rpps


def orders(rng: random.Random, rows: list[Client]) -> list[Order]:
    """One avance per client, a LOINC transcoder for four labs; identifiers as the ERP holds them."""
    result = []
    for index, client in enumerate(rows):
        kinds = [client.kind]
        if client.kind == "labonet" and index % 2:
            kinds.append("labonet-loinc")
        for kind in kinds:
            start = REFERENCING[kind] + timedelta(days=5)
            order = Order(client, kind, fakedata.signature_date(rng, start, SIGNATURE_DAYS),
                          rng.choice((625, 875)) if kind == "offiplus" else AMOUNTS[kind])
            order.name = client.name.upper() if index % 7 == 3 else client.name  # the ERP's own spelling
            order.product = rng.choice(PRODUCTS[kind])
            order.couloir = COULOIR_WORDS[kind]
            order.type = "Demande d'avance" if index % 6 == 2 else "Avance"
            if client.kind == "medicab":
                order.mixed = int(client.rpps) if index % 5 == 0 else client.rpps
            else:
                if client.finess_et:
                    order.finess = grouped(client.finess_et, (3, 3, 3), " ") if index % 4 == 0 else client.finess_et
                if client.siret and (client.kind == "radiosys" or index % 3 == 0):
                    order.mixed = grouped(client.siret, (3, 3, 3, 5), " ") if index % 2 else client.siret
            result.append(order)
    return result


def main() -> None:
    rng = random.Random(SEED)
    ids = Identifiers(rng)
    pieces = DEMO / "pieces"
    if DEMO.exists():
        shutil.rmtree(DEMO)  # everything here is written by this script, the README included
    pieces.mkdir(parents=True)

    client_rows = clients(rng, ids)
    by_kind = {kind: [c for c in client_rows if c.kind == kind] for kind in PRODUCTS}
    lab_trap = by_kind["labonet"][2]
    lab_trap.finess_et = swapped_finess(rng, ids, lab_trap.cp[:2])  # holds "09": see mistake 1 below
    write_styles(client_rows)
    planted: list[Planted] = []

    # -- the client list: a FINESS that lost its leading zero, and one pharmacy listed twice ------
    montlucon = next(c for c in by_kind["offiplus"] if c.town == "Montluçon")
    montlucon.written["finess_et"] = int(montlucon.finess_et)  # Excel: 030806731 -> 30806731
    twice = by_kind["offiplus"][2]
    again = Client("offiplus", twice.name.upper().replace(" (", " - ").replace(")", "") + "   ", twice.cp, twice.town,
                   finess_et=twice.finess_et, siret=twice.siret,
                   written={"finess_et": twice.finess_et, "siret": grouped(twice.siret, (3, 3, 3, 5), " ")})
    client_rows.insert(len(client_rows) - 3, again)  # a second CRM account for the same pharmacy
    for number, client in enumerate(client_rows, start=CLIENTS_TITLE_LINES + 2):
        client.row = number

    # -- the BDC list -----------------------------------------------------------------------------
    order_rows = orders(rng, [c for c in client_rows if c is not again])
    order_by = {(o.client.name, o.solution): o for o in order_rows}

    # Deliberate mistakes (one diagnostic each: README.md, tests/core/test_demo_identifiants.py).
    # 1. Two digits swapped in a FINESS ("09" -> "90"): the key still holds, the name is a real
    #    client's. The join must not trust the name: client inconnu.
    trap = Order(lab_trap, "labonet-loinc", date(2022, 9, 14), AMOUNTS["labonet-loinc"], name=lab_trap.name,
                 finess=trap_finess(lab_trap.finess_et), product="LaboNet LOINC 1.2", couloir="Biologie médicale")
    order_rows.append(trap)
    # 2. FINESS of one pharmacy, SIRET of another.
    contradictory = order_by[(by_kind["offiplus"][6].name, "offiplus")]
    contradictory.finess = by_kind["offiplus"][6].finess_et
    contradictory.mixed = grouped(by_kind["offiplus"][7].siret, (3, 3, 3, 5), " ")
    # 3. A doctor's row with no identifier at all.
    no_key = order_by[(by_kind["medicab"][4].name, "medicab")]
    no_key.mixed = None
    # 4. A couloir the programme does not have.
    dentist = order_by[(by_kind["medicab"][8].name, "medicab")]
    dentist.couloir = "Dentaire"
    # 5. An officine product on a row whose couloir says « Hôpital ».
    lgo_hop = order_by[(by_kind["offiplus"][10].name, "offiplus")]
    lgo_hop.couloir = "Hôpital"
    # 6. An imaging cabinet's SIRET with a wrong key (last digit).
    radio = by_kind["radiosys"][2]
    bad_siret = order_by[(radio.name, "radiosys")]
    bad_siret.finess = None
    bad_siret.mixed = grouped(radio.siret[:-1] + str((int(radio.siret[-1]) + 1) % 10), (3, 3, 3, 5), " ")
    # 7. 31 September.
    impossible = order_by[(by_kind["dpi"][3].name, "dpi")]
    impossible.date_cell = "31/09/2022"

    # Readable without complaint: text amounts and dates, a hidden row, a product left out
    # (the couloir names one solution), identifiers written differently in the two files.
    order_by[(by_kind["dpi"][1].name, "dpi")].ht = "18 500,00 €"
    order_by[(by_kind["offiplus"][4].name, "offiplus")].ht = "875,00 €"
    order_by[(by_kind["medicab"][2].name, "medicab")].date_cell = "text"
    order_by[(by_kind["labonet"][5].name, "labonet")].date_cell = "text"
    order_by[(by_kind["radiosys"][4].name, "radiosys")].product = None
    order_by[(by_kind["offiplus"][1].name, "offiplus")].hidden = True
    order_by[(montlucon.name, "offiplus")].finess = grouped(montlucon.finess_et, (3, 3, 3), NBSP)
    order_by[(twice.name, "offiplus")].finess = grouped(twice.finess_et, (2, 3, 3, 1), " ")

    order_rows.sort(key=lambda o: (o.signed, o.client.name, o.solution))
    for number, order in enumerate(order_rows, start=BDC_TITLE_LINES + 2):
        order.row = number
        order.numero = f"CDE-22-{number + 380:04d}"

    planted += [
        Planted(CLIENTS_FILE, montlucon.row, CLIENT_COLUMN["finess_et"],
                "FINESS of a Montluçon pharmacy stored as a number: leading zero lost", "identifiant_zero_restaure",
                "warning"),
        Planted(CLIENTS_FILE, again.row, CLIENT_COLUMN["name"],
                f"the pharmacy of line {twice.row} listed again (same FINESS and SIRET, name in capitals with "
                f"trailing spaces): merged", "client_fusionne", "warning"),
        Planted(BDC_FILE, trap.row, BDC_COLUMN["finess"],
                f"FINESS {trap.finess}: « {lab_trap.finess_et} » with two digits swapped, key still valid, "
                f"name of a real lab (line {lab_trap.row}): never joined", "client_inconnu"),
        Planted(BDC_FILE, contradictory.row, BDC_COLUMN["mixed"],
                f"FINESS of line {by_kind['offiplus'][6].row}'s pharmacy, SIRET of line "
                f"{by_kind['offiplus'][7].row}'s", "identifiants_contradictoires"),
        Planted(BDC_FILE, no_key.row, BDC_COLUMN["name"], "a doctor's order with neither FINESS nor SIRET / RPPS",
                "client_sans_identifiant"),
        Planted(BDC_FILE, dentist.row, BDC_COLUMN["couloir"], "couloir « Dentaire »", "couloir_inconnu"),
        Planted(BDC_FILE, lgo_hop.row, BDC_COLUMN["couloir"], "OffiPlus (LGO, officine) on a row saying « Hôpital »",
                "couloir_incoherent"),
        Planted(BDC_FILE, bad_siret.row, BDC_COLUMN["mixed"], "SIRET with a wrong key in « SIRET / RPPS »",
                "identifiant_cle"),
        Planted(BDC_FILE, impossible.row, BDC_COLUMN["date"], "date « 31/09/2022 »", "date_impossible"),
    ]
    planted.sort(key=lambda p: (p.file != CLIENTS_FILE, p.row))

    write_notes_and_clients(client_rows, DEMO / CLIENTS_FILE)
    write_orders(order_rows, DEMO / BDC_FILE)
    for order in order_rows:
        (pieces / pdf_name(order)).write_bytes(minimal_pdf(f"Medilog Sante - {order.numero} - bon de commande signe"))
    write_workspace(DEMO / "workspace.json")
    hidden = next(o for o in order_rows if o.hidden)
    clean = len(order_rows) - sum(p.file == BDC_FILE and p.severity == "error" for p in planted)
    (DEMO / "README.md").write_text(readme(planted, len(client_rows), len(order_rows), clean, hidden.row),
                                    encoding="utf-8")


def swapped_finess(rng: random.Random, ids: Identifiers, department: str) -> str:
    """A fresh FINESS whose body starts with "09": swapped to "90", its Luhn key still holds (Luhn misses 09/90)."""
    while True:
        value = fakedata.with_luhn(department + "09" + f"{rng.randrange(10**4):04d}")
        if not {value, trap_finess(value)} & ids.seen:
            ids.seen.update({value, trap_finess(value)})
            return value


def trap_finess(value: str) -> str:
    """The FINESS `value` with its 3rd and 4th digits ("09") swapped."""
    return value[:2] + value[3] + value[2] + value[4:]


def pdf_name(order: Order) -> str:
    return f"{order.numero}_signe.pdf"


def write_notes_and_clients(rows: list[Client], path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "Export CRM — notes sur les colonnes"
    notes["A1"].font = Font(bold=True, size=13)
    for line in [
        [],
        ["Colonne", "Contenu"],
        ["Nom du client", "Raison sociale du compte, telle que saisie par le commercial"],
        ["N° FINESS Géographique", "FINESS de l'établissement (site), 9 caractères ; vide pour les cabinets"],
        ["N° FINESS Juridique", "FINESS de l'entité juridique, quand le compte en a une"],
        ["SIRET", "14 chiffres, tel que sur le Kbis (avec ou sans espaces)"],
        ["RPPS", "Médecins : 11 chiffres"],
        [],
        ["Attention : les identifiants sont saisis à la main, vérifiez FINESS et SIRET dans les annuaires."],
    ]:
        notes.append(line)
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 70

    ws = wb.create_sheet("Comptes")
    ws["A1"] = "Export CRM — Comptes clients"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = "Exporté le 25/11/2022 à 09:14 par s.leclerc"
    ws.append([])
    ws.append(CLIENT_HEADERS)
    for cell in ws[CLIENTS_TITLE_LINES + 1]:
        cell.font = Font(bold=True)
    for index, client in enumerate(rows):
        street = STREETS[index % len(STREETS)]
        phone = f"0{(index % 5) + 1} {index % 90 + 10:02d} {(index * 7) % 90 + 10:02d} {(index * 13) % 90 + 10:02d} 00"
        email = f"contact{index + 1}@" + client.town.lower().replace(" ", "-").replace("ç", "c").replace("é", "e") + ".fr"
        ws.append([client.name, client.written.get("finess_et"), client.written.get("finess_ej"),
                   client.written.get("siret"), client.written.get("rpps"), f"{index % 40 + 2} {street}", client.cp,
                   client.town, phone, email, SALES[index % len(SALES)]])
        assert ws.max_row == client.row
    for column, width in zip("ABCDEFGHIJK", (44, 22, 20, 20, 14, 28, 11, 18, 16, 28, 16), strict=True):
        ws.column_dimensions[column].width = width
    wb.save(path)


def write_orders(rows: list[Order], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Commandes"
    ws["A1"] = "Extraction ERP — Commandes signées Ségur numérique"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = "Période : 01/04/2022 - 25/11/2022 ; statut = Signée"
    ws.append(BDC_HEADERS)
    for cell in ws[BDC_TITLE_LINES + 1]:
        cell.font = Font(bold=True)
    for order in rows:
        signed: object = order.signed
        if order.date_cell == "text":
            signed = order.signed.strftime("%d/%m/%Y")
        elif order.date_cell is not None:
            signed = order.date_cell
        ws.append([order.numero, signed, order.name, order.finess, order.mixed, order.product, order.couloir,
                   order.type, order.ht, pdf_name(order), "Signée", SALES[order.row % len(SALES)]])
        assert ws.max_row == order.row
        ws[f"B{order.row}"].number_format = "DD/MM/YYYY"
        ws[f"I{order.row}"].number_format = '#,##0.00 "€"'
        if order.hidden:
            ws.row_dimensions[order.row].hidden = True
    for column, width in zip("ABCDEFGHIJKL", (14, 14, 44, 14, 22, 26, 20, 18, 13, 22, 10, 16), strict=True):
        ws.column_dimensions[column].width = width

    params = wb.create_sheet("Paramètres")  # the ERP's lists of values
    params.append(["Couloir Ségur", "Type"])
    for couloir, kind in zip(["Hôpital", "Médecine de ville", "Biologie médicale", "Imagerie", "Pharmacie d'officine"],
                             ["Avance", "Demande d'avance", "Solde", None, None], strict=True):
        params.append([couloir, kind])
    wb.save(path)


def write_workspace(path: Path) -> None:
    workspace = {
        "schema_version": 1,
        "nom": "Démo — identifiants sans code client",
        "editeur": {"raison_sociale": "Médilog Santé SAS", "siret": "73282932000074"},
        "solutions": SOLUTIONS,
        "entrees": {"clients": CLIENTS_FILE, "bdc": BDC_FILE, "pieces": "pieces"},
        "mapping": {"clients": {}, "bdc": {}},
        "sortie": "sortie",
        "date_controle": CONTROL_DATE,
    }
    path.write_text(json.dumps(workspace, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def readme(planted: list[Planted], n_clients: int, n_orders: int, clean: int, hidden_row: int) -> str:
    table = "\n".join(f"| {p.file} | {p.column}{p.row} | {p.mistake} | {p.severity} `{p.code}` |" for p in planted)
    return f"""# Demo workspace without client codes — Médilog Santé (fictional)

Issue #15: a vendor whose order list shares no client code with its client list. Each order names
its client the way the portal does, by FINESS (pharmacies, labs, hospitals), SIRET (imaging
cabinets) or RPPS (doctors), in a « FINESS » column and a mixed « SIRET / RPPS » column, next to
the client's name. Six solutions over five couloirs (MédiCab MDV LGC, OffiPlus PHA LGO, RadioSys
RAD RIS, LaboNet BIO SGL, LaboNet LOINC BIO LOINC, Médilog DPI HOP DPI), {n_clients} client lines,
{n_orders} order lines (all avances) and their PDFs. The control instant is fixed in
`workspace.json` (`date_controle`: 28/11/2022 10:00). This whole folder, this file included, is
written by `python -m tools.make_demo_identifiants` (deterministic).

The files look like real exports and read without complaint:
- `clients.xlsx` (CRM): a « Notes » sheet first, explaining the columns; the accounts on the
  « Comptes » sheet under three title lines; no client code; identifiers as people type them
  (« 330 123 456 » with non-breaking or narrow non-breaking spaces, dots, SIRETs in groups,
  numbers, Corsican FINESS « 2A… » and « 2B… »); two sites of the CHU de Rennes share their
  FINESS EJ (one legal entity), which is no duplicate.
- `bons_de_commande.xlsx` (ERP): two title lines; the client by name (some in capitals) and by
  identifiers, written otherwise than in the CRM; the product with its version (« MédiCab 4.2.1 »,
  « OffiPlus V3 Ségur », « LaboNet LOINC 1.2 » which also starts with « LaboNet »: the longest
  name wins); the couloir in the ERP's words (« Pharmacie d'officine », « Imagerie »…); « Avance »
  or « Demande d'avance »; amounts as numbers and as text (« 18 500,00 € »); dates as Excel dates
  and as text; one imaging order without a product (its couloir names one solution); line
  {hidden_row} hidden, valid, imported with the information `ligne_masquee`; a « Paramètres » sheet
  (the ERP's lists of values).

The deliberate mistakes, one diagnostic each (`tests/core/test_demo_identifiants.py` checks this
list):

| file | cell | mistake | diagnostic |
|---|---|---|---|
{table}

Every other order line is valid at the control date: {clean} demandes out of {n_orders} lines.
"""


if __name__ == "__main__":
    main()
