"""What a backup holds: its format's name and version, the register's tables and columns, the sheets' names.

The JSON backup, the XLSX one and their checks all read this one description,
so a column added to the register is added here once. Sheet names and
technical column names are part of the format: never translated (the French
headers of XLSX row 1 are).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _

FORMAT = "segur-desktop-registre"
SCHEMA_VERSION = 2  # 2: the avenants table (#21); a version-1 backup has none, and still imports
SCHEMA_FILE = "register-backup.schema.json"
SUFFIXES = (".json", ".xlsx")
ABOUT_SHEET = "À propos"  # sheet names are part of the format: never translated
FIRST_DATA_ROW = 3  # XLSX: row 1 French headers, row 2 technical names

INT, TEXT, NULLABLE = "int", "text", "nullable"  # a column's kind: how an XLSX cell is read back


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # as in the database and the JSON backup
    header: str  # French, for people (XLSX row 1)
    kind: str


@dataclass(frozen=True, slots=True)
class Table:
    sheet: str  # French sheet name in the XLSX backup (part of the format: not translated)
    columns: tuple[Column, ...]


# The tables in dependency order (a row's references come from the tables before it), with
# the columns of `SELECT *` in the database's order.
TABLES: dict[str, Table] = {
    "exports": Table("Dépôts", (
        Column("id", N_("N° d'export"), INT),
        Column("bundle", N_("Emplacement du paquet"), TEXT),
        Column("bundle_name", N_("Paquet"), TEXT),
        Column("manifest_sha256", N_("Empreinte du manifeste (SHA-256)"), TEXT),
        Column("kind", N_("Nature"), TEXT),
        Column("generated_at", N_("Généré le"), TEXT),
        Column("recorded_at", N_("Enregistré le"), TEXT),
        Column("workspace", N_("Dossier de travail"), TEXT),
    )),
    "demandes": Table("Demandes", (
        Column("id", N_("Identifiant de la demande"), TEXT),
        Column("couloir", N_("Couloir"), TEXT),
        Column("type", N_("Type"), TEXT),
        Column("beneficiary_type", N_("Type d'identifiant du bénéficiaire"), TEXT),
        Column("beneficiary_id", N_("Identifiant du bénéficiaire"), TEXT),
        Column("beneficiary_name", N_("Raison sociale"), TEXT),
        Column("software_kind", N_("Type de logiciel"), TEXT),
        Column("solution", N_("Solution"), TEXT),
        Column("bdc_number", N_("N° de bon de commande"), TEXT),
        Column("bdc_amount_ht", N_("Montant HT du bon de commande"), TEXT),
        Column("requested_ht", N_("Montant demandé HT"), TEXT),
        Column("avance_id", N_("Avance de ce solde"), NULLABLE),
        Column("status", N_("Statut (code)"), TEXT),
        Column("status_at", N_("Statut depuis le"), TEXT),
        Column("last_export", N_("Dernier export (N°)"), INT),
    )),
    "deposits": Table("Contenus déposés", (
        Column("export_id", N_("N° d'export"), INT),
        Column("demande_id", N_("Identifiant de la demande"), TEXT),
        Column("json_file", N_("Fichier JSON"), TEXT),
        Column("json_file_sha256", N_("Empreinte du fichier JSON"), TEXT),
        Column("request_sha256", N_("Empreinte de la demande"), TEXT),
        Column("request_json", N_("Demande déposée (JSON)"), TEXT),
    )),
    "attachments": Table("Pièces", (
        Column("export_id", N_("N° d'export"), INT),
        Column("demande_id", N_("Identifiant de la demande"), TEXT),
        Column("name", N_("Pièce (nom dans le zip)"), TEXT),
        Column("sha256", N_("Empreinte (SHA-256)"), TEXT),
        Column("size", N_("Taille (octets)"), INT),
        Column("source", N_("Fichier d'origine"), TEXT),
    )),
    "history": Table("Historique", (
        Column("id", N_("N°"), INT),
        Column("demande_id", N_("Identifiant de la demande"), TEXT),
        Column("at", N_("Le"), TEXT),
        Column("old_status", N_("Ancien statut"), NULLABLE),
        Column("new_status", N_("Nouveau statut"), TEXT),
        Column("comment", N_("Commentaire"), TEXT),
        Column("author", N_("Par"), TEXT),
        Column("source", N_("Origine"), TEXT),
        Column("forced", N_("Forcé (1 = oui)"), INT),
    )),
    "avenants": Table("Avenants", (
        Column("avance_id", N_("Avance modifiée"), TEXT),
        Column("numero", N_("N° d'avenant"), INT),
        Column("status", N_("Statut (code)"), TEXT),
        Column("status_at", N_("Statut depuis le"), TEXT),
    )),
}
LATER_TABLES = {"avenants": 2}  # tables a backup of an earlier format lacks: read as empty (format that added them)


def not_a_backup(path: Path) -> InputError:
    return InputError(_("« {path} » n'est pas une sauvegarde du registre de suivi Segur Desktop (format « {format} » "
                        "attendu). Choisissez le fichier .json ou .xlsx écrit par « segur-desktop register export » "
                        "ou par la page Suivi.").format(path=path, format=FORMAT))
