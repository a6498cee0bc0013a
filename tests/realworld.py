"""Vendor exports as they really come (issue #15): a corpus of workspaces for tests.

Real BDC lists share no client code with the client list. Each row names its client by the
identifier the portal uses, next to the client's name: SIRET for imaging cabinets, RPPS for
doctors, FINESS EJ for MSSanté operators, FINESS ET for pharmacies, labs and hospitals,
sometimes all in one column (« N° FINESS / SIRET », « Identifiant »). Headers vary from one
vendor to the next, files are .xlsx or semicolon CSV (Windows-1252 from Excel, or UTF-8 with a
BOM), identifiers are typed with spaces, NBSP and dots, or kept as numbers that lost a zero.

Each function below writes one such workspace (workspace.json, the two lists, a PDF per BDC
row) into a folder and returns a `Variant`: the paths, the BDC rows that must give a valid
demande, and the (code, row) of each defective row, computed from the rows as they are
written (never counted by hand). A plain module, like testdata.py: `from realworld import
VARIANTS`.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from stdnum import luhn
from stdnum.fr import siret as stdnum_siret
from testdata import MINIMAL_PDF, VENDOR_SIRET

from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.workspace import load_workspace

CONTROL_DATE = "2022-11-28T10:00:00+01:00"
NBSP, NNBSP = "\u00a0", "\u202f"


def _solution(ident: str, name: str, version: str, couloir: str, kind: str, ref: str, day: str) -> dict:
    return {"id": ident, "nom": name, "version": version, "couloir": couloir, "type_logiciel": kind,
            "referencement": {"id": ref, "date": day}}


MEDICAB = _solution("medicab", "MédiCab", "4.2", "MDV", "LGC", "REF-MDV-LGC-2022-0411", "2022-05-16")
OFFIPLUS = _solution("offiplus", "OffiPlus", "3", "PHA", "LGO", "REF-PHA-LGO-2022-0227", "2022-07-18")
RADIOSYS = _solution("radiosys", "RadioSys", "7.0", "RAD", "RIS", "REF-RAD-RIS-2022-0064", "2022-06-20")
LABONET = _solution("labonet", "LaboNet", "5.1", "BIO", "SGL", "REF-BIO-SGL-2022-0071", "2022-07-11")
LABONET_LOINC = _solution("labonet-loinc", "LaboNet LOINC", "1.2", "BIO", "LOINC", "REF-BIO-LOINC-2022-0019",
                          "2022-08-01")
DPI = _solution("dpi", "Médilog DPI", "4.2", "HOP", "DPI", "REF-HOP-DPI-2022-0117", "2022-06-15")
MAILO = _solution("mailo", "MailoSanté", "2.0", "MSS", "MSS", "REF-MSS-2022-0008", "2022-09-01")
# One product referenced in two couloirs: the same name, two referencings; the couloir tells them apart.
SOCIO_MS1 = _solution("socio-ms1", "SocioDossier", "2.1", "MS1", "DUI", "REF-MS1-DUI-2022-0091", "2022-09-12")
SOCIO_PDE = _solution("socio-pde", "SocioDossier", "2.1", "MS2-PDE", "DUI", "REF-MS2PDE-DUI-2022-0014", "2022-09-26")


@dataclass
class Variant:
    name: str
    folder: Path  # the workspace folder (workspace.json inside)
    clients: Path
    bdc: Path
    valid_rows: list[int]  # rows of the BDC list (Excel row, CSV line) that must give a valid demande
    defects: list[tuple[str, int]]  # (code, row) of each defective row of the BDC list
    client_defects: list[tuple[str, int]] = field(default_factory=list)  # (code, row) in the client list


# -- identifiers -------------------------------------------------------------------------------


def keyed(body: str) -> str:
    """`body` and its Luhn key."""
    return body + luhn.calc_check_digit(body)


def wrong_key(value: str) -> str:
    """The same identifier with its last digit (the key) changed: a typo the key catches."""
    return value[:-1] + str((int(value[-1]) + 1) % 10)


def shortened(value: str, is_valid: Callable[[str], bool]) -> str:
    """`value` with one digit lost, such that no lost leading zero explains it (nothing to restore)."""
    return next(short for i in range(len(value) - 1, 1, -1)
                if not is_valid((short := value[:i] + value[i + 1:]).zfill(len(value))))


def groups(value: str, sizes: Sequence[int], sep: str = " ") -> str:
    """« 030806731 » -> « 030 806 731 »."""
    parts, start = [], 0
    for size in sizes:
        parts.append(value[start:start + size])
        start += size
    return sep.join(parts)


def finess_typed(value: str, sep: str = " ") -> str:
    return groups(value, (3, 3, 3), sep)


def siret_typed(value: str, sep: str = " ") -> str:
    return groups(value, (3, 3, 3, 5), sep)


class Ids:
    """Fresh, valid identifiers: none equal to another, no FINESS equal to a SIRET's SIREN (unless asked)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def _fresh(self, draw: Callable[[], str], company: str | None = None) -> str:
        value = draw()
        while value in self.seen or (value[:9] != company and value[:9] in self.seen) or value.startswith("356000000"):
            value = draw()  # (La Poste's SIREN, 356000000, has its own SIRET rule: left out)
        self.seen |= {value, value[:9]}
        return value

    def finess(self, department: str) -> str:
        if department in ("2A", "2B"):  # no published key for Corsica: any 7 digits
            return self._fresh(lambda: department + f"{self.rng.randrange(10**7):07d}")
        return self._fresh(lambda: keyed(department + f"{self.rng.randrange(10**6):06d}"))

    def siren(self) -> str:
        return self._fresh(self._siren)

    def _siren(self) -> str:
        return keyed(f"{self.rng.randrange(10**7, 10**8):08d}")

    def siret(self, siren: str | None = None) -> str:
        """A SIRET of a new company, or another establishment of `siren`'s company."""
        if siren is not None:
            return self._fresh(lambda: keyed(siren + f"{self.rng.randrange(10**4):04d}"), company=siren)
        return self._fresh(lambda: keyed(self._siren() + f"{self.rng.randrange(10**4):04d}"))

    def rpps(self) -> str:
        return self._fresh(lambda: keyed("10" + f"{self.rng.randrange(10**8):08d}"))


# -- writing -----------------------------------------------------------------------------------


@dataclass
class Rows:
    """BDC rows under their header, each with the diagnostic it must give (None: a valid demande)."""

    first_row: int  # the row (Excel row, CSV line) of the first data row
    cells: list[list[Any]] = field(default_factory=list)
    expected: list[str | None] = field(default_factory=list)

    def add(self, expect: str | None, *cells: Any) -> int:
        self.cells.append(list(cells))
        self.expected.append(expect)
        return self.first_row + len(self.cells) - 1

    def valid_rows(self) -> list[int]:
        return [self.first_row + i for i, code in enumerate(self.expected) if code is None]

    def defects(self) -> list[tuple[str, int]]:
        return [(code, self.first_row + i) for i, code in enumerate(self.expected) if code is not None]


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], hidden: dict[str, set[int]] | None = None) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        for number in (hidden or {}).get(name, ()):
            sheet.row_dimensions[number].hidden = True
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str) -> Path:
    """Semicolons and CRLF, as French Excel saves « CSV (séparateur : point-virgule) »."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell.strftime("%d/%m/%Y") if isinstance(cell, date) else cell
                         for cell in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def workspace(folder: Path, name: str, solutions: list[dict], clients: str, bdc: str, pdfs: list[str]) -> None:
    pieces = folder / "pieces"
    pieces.mkdir(parents=True, exist_ok=True)
    for pdf in pdfs:
        (pieces / pdf).write_bytes(MINIMAL_PDF)
    data = {
        "schema_version": 1,
        "nom": name,
        "editeur": {"raison_sociale": "Médilog Santé SAS", "siret": VENDOR_SIRET},
        "solutions": solutions,
        "entrees": {"clients": clients, "bdc": bdc, "pieces": "pieces"},
        "mapping": {"clients": {}, "bdc": {}},
        "sortie": "sortie",
        "date_controle": CONTROL_DATE,
    }
    (folder / "workspace.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _variant(name: str, folder: Path, solutions: list[dict], clients: Path, bdc: Path, rows: Rows,
             pdf_column: int, client_defects: list[tuple[str, int]] | None = None) -> Variant:
    workspace(folder, f"Corpus — {name}", solutions, clients.name, bdc.name,
              [str(cells[pdf_column]) for cells in rows.cells if cells[pdf_column]])
    return Variant(name, folder, clients, bdc, rows.valid_rows(), rows.defects(), client_defects or [])


def d(month: int, day: int) -> date:
    return date(2022, month, day)


def run(folder: Path) -> PipelineResult:
    """The pipeline over the workspace in `folder`, judged at its control date."""
    workspace_ = load_workspace(folder)
    return run_pipeline(workspace_, workspace_.judged_at)


def mapped(path: Path, list_kind: str) -> dict[str, str]:
    """field -> the header of its column, as load_table maps the list."""
    table = load_table(path, list_kind)
    return {name: table.headers[index] for name, index in table.columns.items()}


def errors(result: PipelineResult) -> list[tuple[str, int | None, str]]:
    """(file name, row, code) of each error, sorted."""
    return sorted((Path(d.file).name if d.file else "", d.row, d.code)
                  for d in result.diagnostics if d.severity is Severity.ERROR)


# -- the variants ------------------------------------------------------------------------------


def imagerie_siret_cp1252(folder: Path) -> Variant:
    """Imaging cabinets named by SIRET only; both lists CSV from Windows Excel (cp1252, « ; »)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(101)
    cabinets = [("Cabinet de radiologie du Parc", "69003", "Lyon"), ("Centre d'imagerie Saint-Éloi", "34000", "Montpellier"),
                ("Imagerie médicale des Tilleuls", "59000", "Lille"), ("SELARL Radiologie Côte d'Opale", "62100", "Calais"),
                ("Scanner et IRM de l'Estuaire", "44600", "Saint-Nazaire")]
    sirets = [ids.siret() for _ in cabinets]
    typed = [sirets[0], siret_typed(sirets[1]), siret_typed(sirets[2], NBSP), sirets[3], groups(sirets[4], (3, 3, 3, 5), ".")]
    clients = [["Raison sociale", "SIRET du cabinet", "Finess géo", "Adresse", "Code postal", "Ville", "Téléphone"]]
    for index, ((name, cp, town), siret) in enumerate(zip(cabinets, typed, strict=True)):
        finess = ids.finess(cp[:2]) if index == 1 else ""
        clients.append([name, siret, finess, f"{index + 3} rue Pasteur", cp, town, f"04 7{index} 00 00 00"])
    write_csv(folder / "clients.csv", clients, "cp1252")

    short = shortened(sirets[3], stdnum_siret.is_valid)  # a digit lost: 13 digits
    rows = Rows(first_row=2)
    header = ["N° BDC", "Date de signature", "Raison sociale", "SIRET du cabinet", "Logiciel", "Secteur",
              "Montant H.T.", "Fichier BDC"]
    rows.add(None, "IMG-001", d(7, 4), cabinets[0][0], siret_typed(sirets[0]), "RadioSys 7.0.2", "Imagerie",
             "9 800,00 €", "IMG-001.pdf")
    rows.add(None, "IMG-002", d(7, 12), cabinets[1][0], sirets[1], "RadioSys 7", "Radiologie", "9800",
             "IMG-002.pdf")
    rows.add(None, "IMG-003", d(7, 19), cabinets[2][0].upper(), siret_typed(sirets[2], NBSP), "RADIOSYS 7.0",
             "Imagerie médicale", "9 800,00", "IMG-003.pdf")
    rows.add(None, "IMG-004", d(8, 2), cabinets[3][0], sirets[3], "RadioSys", "RIS", "9 800,00 €", "IMG-004.pdf")
    rows.add(None, "IMG-005", d(9, 6), cabinets[4][0], sirets[4], "RadioSys 7.0.2", "Imagerie", "9 800,00 €",
             "IMG-005.pdf")
    # A SIRET that is valid but nobody's, next to a real cabinet's name: never joined on the name.
    rows.add("client_inconnu", "IMG-006", d(9, 13), cabinets[0][0], siret_typed(ids.siret()), "RadioSys 7",
             "Imagerie", "9 800,00 €", "IMG-006.pdf")
    rows.add("identifiant_cle", "IMG-007", d(9, 20), cabinets[1][0], wrong_key(sirets[1]), "RadioSys 7",
             "Imagerie", "9 800,00 €", "IMG-007.pdf")
    rows.add("identifiant_longueur", "IMG-008", d(10, 3), cabinets[3][0], short, "RadioSys 7", "Imagerie",
             "9 800,00 €", "IMG-008.pdf")
    bdc = write_csv(folder / "bdc.csv", [header, *rows.cells], "cp1252")
    return _variant("imagerie_siret_cp1252", folder, [RADIOSYS], folder / "clients.csv", bdc, rows, 7)


def generalistes_rpps(folder: Path) -> Variant:
    """GPs named by RPPS only, in a column of their own; .xlsx, RPPS as numbers on one side."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(202)
    doctors = [("Dr Claire Martin", "75011", "Paris"), ("Dr Julien Dubois", "31000", "Toulouse"),
               ("Cabinet médical des Lilas - Dr Sophie Petit", "33000", "Bordeaux"),
               ("Dr Hugo Lefèvre", "67000", "Strasbourg"), ("Dr Amélie Roux", "14000", "Caen")]
    rpps = [ids.rpps() for _ in doctors]
    clients = [["Liste des médecins équipés — export du 21/11/2022"], [],
               ["Nom du praticien", "RPPS du médecin", "Spécialité", "CP", "Ville", "Téléphone"]]
    for index, ((name, cp, town), number) in enumerate(zip(doctors, rpps, strict=True)):
        clients.append([name, int(number) if index % 2 == 0 else number, "Médecine générale", cp, town,
                        f"01 4{index} 00 00 00"])
    write_xlsx(folder / "medecins.xlsx", {"Médecins": clients})

    rows = Rows(first_row=2)
    header = ["N° de BDC", "Signé le", "Nom du client", "RPPS du médecin", "Solution Ségur", "Type de demande",
              "Total HT (€)", "Fichier BDC"]
    rows.add(None, "2022-MDV-101", d(6, 1), doctors[0][0], rpps[0], "MédiCab 4.2.1", "Avance", 1100,
             "2022-MDV-101.pdf")
    rows.add(None, "2022-MDV-102", d(6, 8), doctors[1][0], int(rpps[1]), "MédiCab 4.2.1", "Demande d'avance", 1100,
             "2022-MDV-102.pdf")
    rows.add(None, "2022-MDV-103", d(6, 21), "Dr Sophie Petit", groups(rpps[2], (2, 3, 3, 3)), "MédiCab v4.2",
             "Avance", 1100, "2022-MDV-103.pdf")
    rows.add(None, "2022-MDV-104", d(7, 5), doctors[3][0], rpps[3], "Medicab 4.2", "AV", "1 100,00",
             "2022-MDV-104.pdf")
    rows.add(None, "2022-MDV-105", "12/07/2022", doctors[4][0], f" {rpps[4]} ", "MédiCab 4.2.1", "Avance", 1100,
             "2022-MDV-105.pdf")
    rows.add("identifiant_cle", "2022-MDV-106", d(7, 18), doctors[0][0], wrong_key(rpps[0]), "MédiCab 4.2.1",
             "Avance", 1100, "2022-MDV-106.pdf")
    rows.add("identifiant_longueur", "2022-MDV-107", d(7, 25), doctors[1][0], shortened(rpps[1], luhn.is_valid),
             "MédiCab 4.2.1",
             "Avance", 1100, "2022-MDV-107.pdf")
    rows.add("client_inconnu", "2022-MDV-108", d(8, 1), "Dr Paul Garnier", ids.rpps(), "MédiCab 4.2.1", "Avance",
             1100, "2022-MDV-108.pdf")
    bdc = write_xlsx(folder / "bdc.xlsx", {"BDC": [header, *rows.cells]})
    return _variant("generalistes_rpps", folder, [MEDICAB], folder / "medecins.xlsx", bdc, rows, 7)


def mssante_finess_ej(folder: Path) -> Variant:
    """MSSanté operator-buyers named by their FINESS EJ only; two establishments share one EJ."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(303)
    ej = [ids.finess("51"), ids.finess("38"), ids.finess("29"), ids.finess("05")]
    siren_fondation = ids.siren()
    # The mailboxes each operator declared in the Annuaire Santé: its funding's formula (issue #21).
    mailboxes = ["4", "120", "1 850"]
    clients = [["Raison sociale", "FINESS EJ", "SIRET", "Code postal", "Commune", "Nb BAL applicatives",
                "Nb BAL organisationnelles", "Nb BAL personnelles"],
               ["GHT Cœur Grand Est", ej[0], None, "51100", "Reims", *mailboxes],
               ["Groupe Hospitalier Mutualiste de Grenoble", ej[1], ids.siret(), "38000", "Grenoble", *mailboxes],
               ["Fondation Santé Bretagne - site de Brest", ej[2], ids.siret(siren_fondation), "29200", "Brest",
                *mailboxes],
               ["Fondation Santé Bretagne - site de Quimper", ej[2], ids.siret(siren_fondation), "29000", "Quimper",
                *mailboxes],
               ["Centre hospitalier intercommunal Alpes-Sud", finess_typed(ej[3], NBSP), None, "05000", "Gap",
                *mailboxes]]
    write_xlsx(folder / "operateurs.xlsx", {"Opérateurs": clients})

    rows = Rows(first_row=2)
    header = ["N° bon de commande", "Date de signature", "Bénéficiaire", "FINESS EJ", "Solution", "Couloir",
              "Type de demande", "Montant HT", "Fichier BDC"]
    rows.add(None, "MSS-0001", d(9, 15), "GHT Coeur Grand Est", ej[0], "MailoSanté 2.0", "Opérateurs MSSanté",
             "Demande d'avance", 12500, "MSS-0001.pdf")
    rows.add(None, "MSS-0002", d(9, 29), "GHM Grenoble", finess_typed(ej[1]), "MailoSanté 2.0", "MSSanté",
             "Avance", 9800, "MSS-0002.pdf")
    rows.add(None, "MSS-0003", d(10, 11), "CHI Alpes-Sud", ej[3], "MailoSanté", "Opérateur MSSanté", "Avance",
             7300, "MSS-0003.pdf")
    rows.add("client_ambigu", "MSS-0004", d(10, 20), "Fondation Santé Bretagne", ej[2], "MailoSanté 2.0",
             "Opérateurs MSSanté", "Avance", 15000, "MSS-0004.pdf")
    rows.add("client_inconnu", "MSS-0005", d(11, 2), "Clinique de l'Anjou", ids.finess("49"), "MailoSanté 2.0",
             "Opérateurs MSSanté", "Avance", 7000, "MSS-0005.pdf")
    bdc = write_xlsx(folder / "bdc.xlsx", {"Commandes MSS": [header, *rows.cells]})
    return _variant("mssante_finess_ej", folder, [MAILO], folder / "operateurs.xlsx", bdc, rows, 8)


def finess_ou_siren_utf8(folder: Path) -> Variant:
    """Labs named in one « Identifiant » column; a 9-digit value is a FINESS of one lab and the SIREN of
    another. CSV in UTF-8 with BOM (Excel's « CSV UTF-8 »)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(404)
    both = ids.finess("69")  # a valid FINESS (Rhône) and, being 9 digits with a Luhn key, a valid SIREN
    siret_b = ids.siret(both)  # ... the SIREN of another lab's company
    siren_f = ids.siren()  # one company, two labs
    labs = {
        "A": ("Laboratoire Bio Lyon Confluence", both, None, "69002", "Lyon"),
        "B": ("Biolab Villeurbanne", ids.finess("69"), siret_b, "69100", "Villeurbanne"),
        "C": ("Laboratoire des Brotteaux", ids.finess("69"), ids.siret(), "69006", "Lyon"),
        "D": ("LBM Saint-Étienne Centre", ids.finess("42"), ids.siret(), "42000", "Saint-Étienne"),
        "E": ("Labo Analyses Roanne", ids.finess("42"), ids.siret(), "42300", "Roanne"),
        "F1": ("Cerballiance Annecy", ids.finess("74"), ids.siret(siren_f), "74000", "Annecy"),
        "F2": ("Cerballiance Chambéry", ids.finess("73"), ids.siret(siren_f), "73000", "Chambéry"),
    }
    clients = [["Établissement", "FINESS ET", "SIRET", "CP", "Commune"]]
    clients += [[name, finess, siret or "", cp, town] for name, finess, siret, cp, town in labs.values()]
    write_csv(folder / "clients.csv", clients, "utf-8-sig")

    rows = Rows(first_row=2)
    header = ["N° BDC", "Établissement", "Identifiant", "Date de signature", "Montant HT", "Solution", "Couloir",
              "Fichier BDC"]

    def order(expect: str | None, number: int, lab: str, identifier: str, signed: date) -> None:
        rows.add(expect, f"LAB-{number:03d}", labs[lab][0] if lab in labs else lab, identifier, signed,
                 "12 000,00", "LaboNet 5.1", "Biologie médicale", f"LAB-{number:03d}.pdf")

    order(None, 1, "C", labs["C"][1], d(7, 20))  # 9 digits: a FINESS here, nobody's SIREN
    order(None, 2, "D", labs["D"][2], d(7, 27))  # 14 digits: a SIRET
    order(None, 3, "E", labs["E"][2][:9], d(8, 3))  # the company's SIREN: one lab has it
    order(None, 4, "F1", finess_typed(labs["F1"][1]), d(8, 10))
    order(None, 5, "B", siret_typed(siret_b), d(8, 17))
    order("identifiants_contradictoires", 6, "A", both, d(8, 24))  # FINESS of A, SIREN of B: which one?
    order("client_ambigu", 7, "Cerballiance", siren_f, d(8, 31))  # the SIREN of F1 and F2
    order("client_inconnu", 8, "Laboratoire du Rhône", ids.finess("69"), d(9, 7))
    order("identifiant_non_reconnu", 9, "LBM Saint-Étienne Centre", "42817", d(9, 14))  # the vendor's own code
    bdc = write_csv(folder / "bdc.csv", [header, *rows.cells], "utf-8-sig")
    return _variant("finess_ou_siren_utf8", folder, [LABONET], folder / "clients.csv", bdc, rows, 7)


def ecritures_differentes(folder: Path) -> Variant:
    """Pharmacies whose identifiers are written otherwise in each file: « 030 806 731 », 30806731, "030806731",
    dots, narrow NBSP, a SIRET kept as a number; a « Notes » sheet first and title lines above the header."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(505)
    f = [ids.finess("03"), ids.finess("01"), ids.finess("07"), ids.finess("2A"), ids.finess("26"), ids.finess("84")]
    s5, s6 = ids.siret(), ids.siret()
    names = ["Pharmacie de l'Allier", "Pharmacie du Bugey", "Pharmacie de l'Ardèche", "Pharmacie du Golfe (Ajaccio)",
             "Pharmacie Drôme Provençale", "Pharmacie du Palais (Avignon)"]
    towns = [("03100", "Montluçon"), ("01100", "Oyonnax"), ("07000", "Privas"), ("20000", "Ajaccio"),
             ("26200", "Montélimar"), ("84000", "Avignon")]
    written = [int(f[0]), finess_typed(f[1], NBSP), groups(f[2], (3, 3, 3), "."), f[3], f[4],
               finess_typed(f[5], NNBSP)]
    sirets: list[Any] = [None, None, None, None, int(s5), siret_typed(s6, NBSP)]
    notes = [["Notes"], ["Nom de l'établissement : raison sociale de l'officine"],
             ["Finess géo : FINESS de l'établissement ; SIRET : 14 chiffres"]]
    clients = [["Clients officines — Ségur"], [], ["Nom de l'établissement", "Finess géo", "SIRET", "Code postal", "Ville"]]
    clients += [[name, finess, siret, cp, town]
                for name, finess, siret, (cp, town) in zip(names, written, sirets, towns, strict=True)]
    write_xlsx(folder / "clients.xlsx", {"Notes": notes, "Clients": clients})

    rows = Rows(first_row=2)
    header = ["N° BDC", "Date de signature", "Nom de l'établissement", "N° FINESS/SIRET", "Logiciel", "Secteur",
              "Montant HT", "Fichier BDC"]
    cells = [f[0], int(f[1]), finess_typed(f[2], NNBSP), groups(f[3], (2, 3, 4)), siret_typed(s5), s6]
    couloirs = ["Pharmacie", "Officine", "Pharmacie d'officine", "PHA", "Pharmacie d'officine", "Officine"]
    for index, (name, cell, couloir) in enumerate(zip(names, cells, couloirs, strict=True)):
        rows.add(None, f"OFF-{index + 1:02d}", d(8, 1 + 4 * index), name, cell, "OffiPlus V3 Ségur", couloir,
                 625 if index % 2 else 875, f"OFF-{index + 1:02d}.pdf")
    # A SIRET saved as text from a column Excel showed in scientific notation: digits lost for good.
    rows.add("identifiant_notation_scientifique", "OFF-07", d(9, 2), names[4], f"{int(s5) / 10**13:.5f}E+13"
             .replace(".", ","), "OffiPlus V3 Ségur", "Officine", 875, "OFF-07.pdf")
    bdc = write_xlsx(folder / "bdc.xlsx", {"Export": [header, *rows.cells]})
    return _variant("ecritures_differentes", folder, [OFFIPLUS], folder / "clients.xlsx", bdc, rows, 7)


def hopitaux_finess_siret(folder: Path) -> Variant:
    """Hospitals named in « N° FINESS / SIRET »: a site's FINESS ET, its SIRET, or its entity's FINESS EJ
    (fine when the entity has one site in the list, ambiguous when it has two)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(606)
    chu_ej = ids.finess("44")
    hospitals = [
        ("CHU de Nantes - Hôtel-Dieu", ids.finess("44"), chu_ej, ids.siret(), "44000", "Nantes"),
        ("CHU de Nantes - Hôpital Nord Laennec", ids.finess("44"), chu_ej, ids.siret(), "44800", "Saint-Herblain"),
        ("Centre hospitalier de Cholet", ids.finess("49"), ids.finess("49"), ids.siret(), "49300", "Cholet"),
        ("Clinique Jules Verne", ids.finess("44"), ids.finess("44"), ids.siret(), "44300", "Nantes"),
    ]
    clients = [["Raison sociale", "FINESS ET", "FINESS EJ", "SIRET de l'établissement", "Code postal", "Ville"]]
    clients += [list(h) for h in hospitals]
    write_xlsx(folder / "etablissements.xlsx", {"Etablissements": clients})

    rows = Rows(first_row=3)  # a title line above the header
    header = ["N° BDC", "Établissement", "N° FINESS / SIRET", "Signé le", "Total HT (€)", "Logiciel", "Secteur",
              "Type de demande", "Fichier BDC"]
    rows.add(None, "DPI-22-01", hospitals[0][0], hospitals[0][1], d(7, 4), 18500, "Médilog DPI 4.2", "Hôpital",
             "Avance", "DPI-22-01.pdf")
    rows.add(None, "DPI-22-02", hospitals[1][0], siret_typed(hospitals[1][3]), d(7, 11), 18500, "Médilog DPI 4.2",
             "Établissement de santé", "Avance 30 %", "DPI-22-02.pdf")
    rows.add(None, "DPI-22-03", "CH Cholet", hospitals[2][2], d(7, 18), "18 500,00 €", "Médilog DPI",
             "Centre hospitalier", "Avance", "DPI-22-03.pdf")  # the EJ of an entity with one site listed
    rows.add(None, "DPI-22-04", hospitals[3][0], finess_typed(hospitals[3][1], NBSP), d(8, 1), 18500,
             "Médilog DPI 4.2", "ES", "Demande d'avance", "DPI-22-04.pdf")
    rows.add("client_ambigu", "DPI-22-05", "CHU de Nantes", chu_ej, d(8, 8), 37000, "Médilog DPI 4.2", "Hôpital",
             "Avance", "DPI-22-05.pdf")
    rows.add("finess_departement", "DPI-22-06", "Centre hospitalier de Corte", "201234567", d(8, 15), 18500,
             "Médilog DPI 4.2", "Hôpital", "Avance", "DPI-22-06.pdf")  # « 20 »: Corsica is 2A or 2B
    title = [["Suivi ADV — commandes DPI Ségur (vague 1)"]]
    bdc = write_xlsx(folder / "bdc.xlsx", {"Commandes": [*title, header, *rows.cells]})
    return _variant("hopitaux_finess_siret", folder, [DPI], folder / "etablissements.xlsx", bdc, rows, 8)


def officines_cp1252(folder: Path) -> Variant:
    """Pharmacies, CSV cp1252 on both sides, FINESS and SIRET in two columns; a pharmacy listed twice
    (merged), two listed with one SIRET and two FINESS (a duplicate), and the usual mistakes."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(707)
    pharmacies = [("Pharmacie du Marché", "13005", "Marseille"), ("Pharmacie des Arènes", "30000", "Nîmes"),
                  ("Pharmacie Saint-Roch", "34000", "Montpellier"), ("Pharmacie de la Cathédrale", "66000", "Perpignan"),
                  ("Grande Pharmacie Mistral", "83000", "Toulon"), ("Pharmacie du Cours", "06000", "Nice"),
                  ("Pharmacie Bellevue", "11000", "Carcassonne")]
    finess = [ids.finess(cp[:2]) for _name, cp, _town in pharmacies]
    sirets = [ids.siret() for _ in pharmacies]
    shared_siret = sirets[6]
    finess_other = ids.finess("11")
    clients = [["Pharmacie", "N° FINESS", "SIRET", "CP", "Ville", "Titulaire"]]
    for index, ((name, cp, town), number, siret) in enumerate(zip(pharmacies, finess, sirets, strict=True)):
        clients.append([name, number, siret_typed(siret) if index % 2 else siret, cp, town, f"Titulaire {index + 1}"])
    clients.insert(5, ["PHARMACIE  DU MARCHÉ ", finess_typed(finess[0]), sirets[0], "13005", "Marseille", "Titulaire 1"])
    clients.append(["Pharmacie Bellevue (ancienne adresse)", finess_other, shared_siret, "11000", "Carcassonne",
                    "Titulaire 7"])
    duplicate_row = len(clients)  # one SIRET, two FINESS ET: which is the pharmacy?
    write_csv(folder / "clients.csv", clients, "cp1252")

    rows = Rows(first_row=2)
    header = ["Réf. BDC", "Date de signature", "Pharmacie", "Finess", "SIRET", "Logiciel", "Couloir", "Type",
              "Montant H.T.", "Fichier"]

    def order(expect: str | None, number: int, name: str, fin: str | None, siret: str | None, amount: str,
              couloir: str = "Pharmacie d'officine") -> None:
        rows.add(expect, f"BC{number:05d}", d(8, number % 28 + 1), name, fin, siret, "OffiPlus V3", couloir,
                 "Avance", amount, f"BC{number:05d}.pdf")

    order(None, 101, pharmacies[0][0], finess[0], None, "875,00")
    order(None, 102, pharmacies[1][0], finess[1], siret_typed(sirets[1], NBSP), "875,00 €")
    order(None, 103, pharmacies[2][0], None, sirets[2], "625,00", "Officine")  # a SIRET alone
    order(None, 104, pharmacies[3][0], finess_typed(finess[3]), None, "625,00 €", "Pharmacie")
    order(None, 105, pharmacies[4][0].upper(), finess[4], sirets[4], "875")
    order("plafond_depasse", 106, pharmacies[5][0], finess[5], None, "950,00")
    order("identifiants_contradictoires", 107, pharmacies[0][0], finess[0], sirets[1], "875,00")
    order("client_sans_identifiant", 108, pharmacies[2][0], None, None, "875,00")
    order("identifiant_cle", 109, pharmacies[4][0], wrong_key(finess[4]), None, "875,00")
    order("client_inconnu", 110, "Pharmacie de la Plage", ids.finess("34"), None, "625,00")
    bdc = write_csv(folder / "bdc.csv", [header, *rows.cells], "cp1252")
    return _variant("officines_cp1252", folder, [OFFIPLUS], folder / "clients.csv", bdc, rows, 9,
                    client_defects=[("client_duplique", duplicate_row)])


def medico_social_identifiant(folder: Path) -> Variant:
    """Social-care structures: the client list has one « Identifiant » column (a FINESS, 2B included);
    one product referenced in MS1 and MS2-PDE, told apart by the couloir's wording (« MS2_PDE »)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(808)
    structures = [("EHPAD Les Calanques", ids.finess("13"), "EHPAD", "13008", "Marseille"),
                  ("EHPAD U Serenu", ids.finess("2B"), "EHPAD", "20200", "Bastia"),
                  ("MECS La Passerelle", ids.finess("69"), "MECS", "69007", "Lyon"),
                  ("Foyer départemental de l'enfance", ids.finess("21"), "Foyer de l'enfance", "21000", "Dijon"),
                  ("SAAD Aide et Vie", ids.finess("35"), "SAAD", "35000", "Rennes"),
                  ("Résidence Autonomie Les Glycines", ids.finess("45"), "Résidence autonomie", "45000", "Orléans")]
    params = [["Paramètres de l'export"], ["Catégorie", "Couloir"], ["EHPAD", "MS1"], ["MECS", "MS2 PDE"]]
    clients = [["Nom de la structure", "Identifiant", "Catégorie", "Code postal", "Ville"]]
    clients += [[name, finess_typed(number) if index == 4 else number, kind, cp, town]
                for index, (name, number, kind, cp, town) in enumerate(structures)]
    write_xlsx(folder / "structures.xlsx", {"Paramètres": params, "Structures": clients})

    rows = Rows(first_row=2)
    header = ["N° commande", "Date commande", "Structure", "FINESS", "Produit", "Secteur", "Demande", "Montant HT",
              "PDF BDC"]
    couloirs = ["MS1", "Médico-social MS1", "MS2_PDE", "Protection de l'enfance", "ESMS PA/PH/DOM"]
    # Five couloir wordings for six structures: the sixth's BDC, with a couloir that says neither, is added below.
    for index, ((name, number, *_rest), couloir) in enumerate(zip(structures, couloirs, strict=False)):
        signed = d(10, 3 + 5 * index) if "MS1" in couloir or "PA/PH" in couloir else d(10, 28 + index)
        rows.add(None, f"CMD-{index + 1:03d}", signed, name, number, "SocioDossier 2.1", couloir, "Avance", 4800,
                 f"CMD-{index + 1:03d}.pdf")
    rows.add("couloir_inconnu", "CMD-006", d(10, 20), structures[5][0], structures[5][1], "SocioDossier 2.1",
             "Médico-social", "Avance", 4800, "CMD-006.pdf")  # MS1 or MS2: « Médico-social » alone says neither
    bdc = write_xlsx(folder / "bdc.xlsx", {"Commandes": [header, *rows.cells]})
    return _variant("medico_social_identifiant", folder, [SOCIO_MS1, SOCIO_PDE], folder / "structures.xlsx", bdc,
                    rows, 8)


def labos_type_de_logiciel(folder: Path) -> Variant:
    """Labs' orders with no product column: the software kind (« SGL », « Transcodeur LOINC ») names the
    solution; one lab buys both, which is no duplicate."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(909)
    labs = [("Laboratoire Bio Côte Basque", ids.finess("64"), ids.siret(), "64100", "Bayonne"),
            ("LBM Pau Pyrénées", ids.finess("64"), ids.siret(), "64000", "Pau"),
            ("Biolab Landes", ids.finess("40"), ids.siret(), "40000", "Mont-de-Marsan")]
    clients = [["Raison sociale", "FINESS ET", "SIRET", "Code postal", "Ville"]]
    clients += [[name, finess, siret_typed(siret), cp, town] for name, finess, siret, cp, town in labs]
    write_xlsx(folder / "clients.xlsx", {"Clients": clients})

    rows = Rows(first_row=2)
    header = ["N° BDC", "Date de signature", "Raison sociale", "FINESS ET", "Type de logiciel", "Couloir",
              "Montant HT", "Fichier BDC"]
    rows.add(None, "BIO-01", d(8, 2), labs[0][0], labs[0][1], "SGL", "LBM", 12000, "BIO-01.pdf")
    rows.add(None, "BIO-02", d(8, 9), labs[0][0], labs[0][1], "Transcodeur LOINC", "Laboratoire", 3500, "BIO-02.pdf")
    rows.add(None, "BIO-03", d(8, 16), labs[1][0], labs[1][1], "Système de gestion de laboratoire",
             "Biologie médicale", 12000, "BIO-03.pdf")
    rows.add(None, "BIO-04", d(8, 23), labs[2][0], labs[2][1], "Transcodeurs LOINC", "Biologie", 3500, "BIO-04.pdf")
    rows.add("type_logiciel_inconnu", "BIO-05", d(8, 30), labs[1][0], labs[1][1], "PACS", "Biologie médicale", 8000,
             "BIO-05.pdf")
    rows.add("type_logiciel_incoherent", "BIO-06", d(9, 6), labs[2][0], labs[2][1], "RIS", "Biologie médicale", 9000,
             "BIO-06.pdf")
    bdc = write_xlsx(folder / "bdc.xlsx", {"BDC": [header, *rows.cells]})
    return _variant("labos_type_de_logiciel", folder, [LABONET, LABONET_LOINC], folder / "clients.xlsx", bdc, rows, 7)


# -- shapes read by the whole pipeline, outside the corpus of variants --------------------------------

TITLE = "MÉDILOG SANTÉ SAS — Commandes Ségur, extraction du 05/12/2022"


def two_level_export(folder: Path, *, merged_singles: bool = True) -> tuple[list[int], int]:
    """A formatted ERP export: a title merged over the list, a blank row, then a two-level header: « Client » merged
    over « Code », « Nom » and « SIRET », « Montant » over « HT » and « TTC »; the one-level titles merged down over
    both rows (or, `merged_singles` False, written in the upper row alone); an order's SIRET has a wrong key. Returns the
    valid orders' rows and the wrong one's."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(1530)
    sirets = [ids.siret() for _ in range(3)]
    names = ["Cabinet de radiologie du Parc", "Imagerie des Tilleuls", "Scanner de l'Estuaire"]
    write_xlsx(folder / "clients.xlsx", {"Clients": [["Code client", "Raison sociale", "SIRET"], *(
        [f"CLT0{i + 1}", name, siret] for i, (name, siret) in enumerate(zip(names, sirets, strict=True)))]})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Commandes"
    sheet.merge_cells("A1:L1")
    sheet["A1"] = TITLE
    upper = ["№ BDC", "Date de signature", "Client", None, None, "Logiciel", "Couloir", "Type", "Montant", None,
             "Fichier BDC", "Commentaire"]
    lower = [None, None, "Code", "Nom", "SIRET", None, None, None, "HT", "TTC", None, None]
    for column, (top, bottom) in enumerate(zip(upper, lower, strict=True), 1):
        sheet.cell(3, column, top)
        sheet.cell(4, column, bottom)
    sheet.merge_cells("C3:E3")
    sheet.merge_cells("I3:J3")
    if merged_singles:
        for letter in "ABFGHKL":
            sheet.merge_cells(f"{letter}3:{letter}4")
    orders = []
    for i, siret in enumerate(sirets[:2]):
        sheet.append([f"BC{i}", d(8, 1 + i), f"CLT0{i + 1}", names[i], siret, "RadioSys 7", "Imagerie", "Avance", 9800,
                      11760, f"BC{i}.pdf", None])
        orders.append(sheet.max_row)
    sheet.append(["BC2", d(8, 3), "CLT03", names[2], wrong_key(sirets[2]), "RadioSys 7", "Imagerie", "Avance", 9800,
                  11760, "BC2.pdf", None])
    workbook.save(folder / "commandes.xlsx")
    workspace(folder, "Deux niveaux", [RADIOSYS], "clients.xlsx", "commandes.xlsx", [f"BC{i}.pdf" for i in range(3)])
    return orders, sheet.max_row


FOOTER = ["Source : ERP Cegid, extraction du 05/12/2022", "Page 1 / 1", "Édité le 05/12/2022 à 10:42 par j.martin",
          "* montants en euros"]


def footer_export(folder: Path, *, extra: list[list[object]] | None = None) -> list[tuple[str, str]]:
    """Two lists as an ERP prints them: the rows, a total, an empty row, then the footer (`extra` rows between the
    orders and the total). Returns the pharmacies (name, FINESS)."""
    ids = Ids(1540)
    pharmacies = [("Pharmacie du Port", ids.finess("13")), ("Pharmacie Centrale", ids.finess("83"))]
    footer = [[note] for note in FOOTER]
    write_xlsx(folder / "clients.xlsx", {"Clients": [["Raison sociale", "FINESS"], *map(list, pharmacies),
                                                     ["Total : 2 clients"], [], *footer]})
    orders = [[f"BC{i}", d(8, 1 + i), finess, "OffiPlus V3", "Officine", "Avance", 875, f"BC{i}.pdf"]
              for i, (_name, finess) in enumerate(pharmacies)]
    write_xlsx(folder / "bdc.xlsx", {"BDC": [
        ["N° BDC", "Date de signature", "FINESS", "Logiciel", "Couloir", "Type", "Montant HT", "Fichier BDC"],
        *orders, *(extra or []), [None, None, None, None, None, "Total", 1750], [], *footer]})
    workspace(folder, "Pied de page", [OFFIPLUS], "clients.xlsx", "bdc.xlsx", ["BC0.pdf", "BC1.pdf"])
    return pharmacies


# Every column title the variants use, and the field it must map to (None: a column the product ignores).
CLIENT_HEADERS: dict[str, str | None] = {
    "Raison sociale": "name", "Nom du praticien": "name", "Établissement": "name", "Nom de l'établissement": "name",
    "Pharmacie": "name", "Nom de la structure": "name",
    "FINESS ET": "finess_et", "Finess géo": "finess_et", "N° FINESS": "finess_et",
    "FINESS EJ": "finess_ej",
    "SIRET": "siret", "SIRET du cabinet": "siret", "SIRET de l'établissement": "siret",
    "RPPS du médecin": "rpps",
    "Identifiant": "identifier",
    "Code postal": "postal_code", "CP": "postal_code", "Ville": "city", "Commune": "city",
    "Adresse": None, "Téléphone": None, "Spécialité": None, "Catégorie": None,
    "Titulaire": None,  # a name synonym too, but the pharmacy's name comes first
    "Nb BAL applicatives": "mss_bal_app", "Nb BAL organisationnelles": "mss_bal_org",
    "Nb BAL personnelles": "mss_bal_perso",
}
BDC_HEADERS: dict[str, str | None] = {
    "N° BDC": "bdc_number", "N° de BDC": "bdc_number", "N° bon de commande": "bdc_number", "Réf. BDC": "bdc_number",
    "N° commande": "bdc_number",
    "Date de signature": "signature_date", "Signé le": "signature_date", "Date commande": "signature_date",
    "Raison sociale": "client_name", "Nom du client": "client_name", "Bénéficiaire": "client_name",
    "Établissement": "client_name", "Nom de l'établissement": "client_name", "Pharmacie": "client_name",
    "Structure": "client_name",
    "FINESS": "finess", "Finess": "finess", "FINESS ET": "finess_et", "FINESS EJ": "finess_ej", "SIRET": "siret",
    "SIRET du cabinet": "siret", "RPPS du médecin": "rpps",
    "Identifiant": "identifier", "N° FINESS/SIRET": "identifier", "N° FINESS / SIRET": "identifier",
    "Logiciel": "solution", "Solution Ségur": "solution", "Solution": "solution", "Produit": "solution",
    "Type de logiciel": "software_kind",
    "Secteur": "couloir", "Couloir": "couloir",
    "Type de demande": "request_type", "Type": "request_type", "Demande": "request_type",
    "Montant H.T.": "amount_ht", "Total HT (€)": "amount_ht", "Montant HT": "amount_ht",
    "Fichier BDC": "bdc_file", "Fichier": "bdc_file", "PDF BDC": "bdc_file",
}

VARIANTS: list[Callable[[Path], Variant]] = [
    imagerie_siret_cp1252, generalistes_rpps, mssante_finess_ej, finess_ou_siren_utf8, ecritures_differentes,
    hopitaux_finess_siret, officines_cp1252, medico_social_identifiant, labos_type_de_logiciel,
]
