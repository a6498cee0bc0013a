"""What a template holds: for a couloir and request type, each sheet's columns, decided from the schema in force.

Which columns: what the import reads (`resources/mappings/fields.json`), the
identifiers the couloir accepts (`resources/couloirs.json`, preferred first)
and, for a solde, the solde's own columns. Each title is the schema's `title`
when the synonyms read it as its field, else the field's usual title: either
way the import recognises it with no profile. Nothing here writes a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from segur_desktop.core.couloirs import REQUEST_TYPES, Couloir, load_catalog
from segur_desktop.core.demande_fields import IDENTIFIER_FIELDS
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.mapping import TableSpec, table_specs
from segur_desktop.core.normalise.amounts import format_fr
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.profiles import MappingProfile
from segur_desktop.core.validate.schemas import SchemaEntry, SchemaRegistry


class Obligation(Enum):
    """Whether a column must be filled; the value is its header's fill (the « Mode d'emploi » names the colours)."""

    REQUIRED = "BDD7EE"  # « fond bleu »
    ONE_OF = "DDEBF7"  # « fond bleu clair »: the client identifiers, at least one per client
    OPTIONAL = "EDEDED"


class CellFormat(Enum):
    """How a column's cells are typed in Excel; the value is the number format."""

    TEXT = "@"  # identifiers, codes, numbers: Excel must never turn "010012345" into 10012345
    DATE = "DD/MM/YYYY"  # as French users type dates
    AMOUNT = "#,##0.00"
    INTEGER = "0"  # counts (mailboxes)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column a template may have: the field it fills, where the schema titles it, how it is typed."""

    field: str
    canonical: str | None  # the canonical field it fills (core/formats/canonical.py); None: none of its own
    format: CellFormat
    help: str  # French (N_), formatted with the couloir's facts (`_facts`); its obligation is said before it
    solde_only: bool = False
    required_for_solde: bool = False  # beyond fields.json's `required`: what a solde cannot do without
    required_always: bool = False  # what the couloir's funding is computed from


_IDENTIFIER_HELP = {
    "FINESS_ET": N_("N° FINESS géographique (ET), 9 caractères."),
    "FINESS_EJ": N_("N° FINESS juridique (EJ), 9 caractères."),
    "SIRET": N_("SIRET, 14 chiffres."),
    "SIREN": N_("SIREN, 9 chiffres."),
    "RPPS": N_("N° RPPS, 11 chiffres."),
    "ADELI": N_("N° ADELI, 9 chiffres."),
}

CLIENT_COLUMNS = (
    ColumnSpec("client_code", None, CellFormat.TEXT,
               N_("Le code du client dans votre gestion, repris tel quel dans la feuille « {bdc_sheet} ».")),
    ColumnSpec("name", "beneficiaire.raison_sociale", CellFormat.TEXT,
               N_("Nom de l'établissement, du cabinet ou de la structure, tel qu'il figure sur le bon de commande.")),
    # the identifiers the couloir accepts come here, preferred first (`_client_columns`)
    ColumnSpec("postal_code", "beneficiaire.code_postal", CellFormat.TEXT, N_("5 chiffres.")),
    ColumnSpec("city", "beneficiaire.commune", CellFormat.TEXT, N_("Commune du client.")),
)
BDC_COLUMNS = (
    ColumnSpec("bdc_number", "bdc.numero", CellFormat.TEXT,
               N_("Numéro du bon de commande signé, une ligne par bon de commande.")),
    ColumnSpec("client_code", None, CellFormat.TEXT, N_("Le code du client, tel que dans la feuille « {clients_sheet} ».")),
    ColumnSpec("request_type", "demande.type", CellFormat.TEXT,
               N_("« {type} » ; une cellule vide vaut « avance »."), required_for_solde=True),
    ColumnSpec("signature_date", "bdc.date_signature", CellFormat.DATE,
               N_("Date de signature du bon de commande par le client (JJ/MM/AAAA).")),
    ColumnSpec("amount_ht", "bdc.montant_ht", CellFormat.AMOUNT,
               N_("Montant hors taxes du bon de commande, en euros (ex. 12 500,00).")),
    ColumnSpec("amount_ttc", "bdc.montant_ttc", CellFormat.AMOUNT,
               N_("Le montant HT × 1,20 si la cellule est vide.")),
    ColumnSpec("bdc_file", None, CellFormat.TEXT,
               N_("Nom du PDF du bon de commande signé dans le dossier des pièces ; par défaut "
                  "« <numéro du bon de commande>.pdf ».")),
    ColumnSpec("solution", "solution.nom", CellFormat.TEXT,
               N_("Nom de la solution référencée, tel que dans le dossier de travail (inutile s'il n'en décrit "
                  "qu'une dans ce couloir).")),
    ColumnSpec("couloir", "demande.couloir", CellFormat.TEXT, N_("« {couloir} » ({couloir_label}).")),
    ColumnSpec("software_kind", "solution.type_logiciel", CellFormat.TEXT,
               N_("Sans dossier de travail décrivant la solution : {kinds}.")),
    ColumnSpec("solution_version", "solution.version", CellFormat.TEXT,
               N_("Sans dossier de travail décrivant la solution : version référencée.")),
    ColumnSpec("referencing_id", "solution.id_referencement", CellFormat.TEXT,
               N_("Sans dossier de travail décrivant la solution : identifiant du référencement (ANS).")),
    ColumnSpec("conformity_date", "solution.date_depot_conformite", CellFormat.DATE,
               N_("Sans dossier de travail décrivant la solution : date de dépôt du dossier complet des preuves de "
                  "conformité à l'ANS (JJ/MM/AAAA) ; les BDC peuvent être signés jusqu'à 120 jours avant.")),
    ColumnSpec("referencing_date", "solution.date_referencement", CellFormat.DATE,
               N_("Sans dossier de travail décrivant la solution : date du référencement (JJ/MM/AAAA).")),
    ColumnSpec("installation_date", "installation.date", CellFormat.DATE,
               N_("Date d'installation chez le client (JJ/MM/AAAA)."), solde_only=True, required_for_solde=True),
    ColumnSpec("invoice_number", "facture.numero", CellFormat.TEXT, N_("Numéro de la facture adressée au client."),
               solde_only=True, required_for_solde=True),
    ColumnSpec("invoice_date", "facture.date", CellFormat.DATE, N_("Date de la facture (JJ/MM/AAAA)."),
               solde_only=True, required_for_solde=True),
    ColumnSpec("invoice_file", "facture.fichier", CellFormat.TEXT,
               N_("Nom du PDF de la facture dans le dossier des pièces."), solde_only=True, required_for_solde=True),
    ColumnSpec("proof_type", "justificatif.type", CellFormat.TEXT,
               N_("{proofs} : mise en ordre de marche (MOM) ou vérification d'aptitude (VA) signée par le client."),
               solde_only=True, required_for_solde=True),
    ColumnSpec("proof_file", "justificatif.fichier", CellFormat.TEXT,
               N_("Nom du PDF de la MOM ou de la VA dans le dossier des pièces."), solde_only=True,
               required_for_solde=True),
    ColumnSpec("mss_address", "mss.adresse", CellFormat.TEXT,
               N_("L'adresse MSSanté réellement utilisée, que montre la MOM ou la VA (ex. secretariat@ch-x.mssante.fr)."),
               solde_only=True, required_for_solde=True),
    ColumnSpec("mss_deployment", "mss.indicateur_deploiement", CellFormat.TEXT,
               N_("« Cas 1 » ou « Cas 2 » : l'indicateur Déploiement MSS des soldes de ce couloir."), solde_only=True,
               required_for_solde=True),
)


SOLDE_FIELDS_OF_SOME = frozenset({"mss_deployment", "mss_address"})


@dataclass(frozen=True, slots=True)
class Column:
    """One column of one template, decided."""

    field: str
    title: str
    format: CellFormat
    obligation: Obligation
    help: str  # French, after its obligation: the header's comment, and a line of the « Mode d'emploi »
    choices: tuple[str, ...] = ()  # a drop-down list of the only accepted values; () for free input


@dataclass(frozen=True, slots=True)
class Template:
    """What one workbook holds: its schema, and per table (clients, bdc) its sheet and columns."""

    couloir: Couloir
    type: str
    schema: SchemaEntry
    sheets: dict[str, str]  # list kind (clients, bdc) -> sheet name
    columns: dict[str, tuple[Column, ...]]  # list kind -> columns, left to right

    @property
    def title(self) -> str:
        """The workbook's title, in its properties and atop its « Mode d'emploi »."""
        return _("Modèle Segur Desktop — {type_label}, couloir {couloir} ({label})").format(
            type_label=_type_label(self.type), couloir=self.couloir.code, label=self.couloir.label)

    def profile(self) -> MappingProfile:
        """The mapping profile that reads this workbook back: each table's sheet and column titles."""
        return MappingProfile(
            _("Modèle {couloir} {type}").format(couloir=self.couloir.code, type=self.type), None,
            {list_kind: {column.field: column.title for column in columns}
             for list_kind, columns in self.columns.items()},
            dict(self.sheets))


def _type_label(request_type: str) -> str:
    return _("demandes d'avance") if request_type == "avance" else _("demandes de solde")


def identifier_labels(couloir: Couloir) -> str:
    """"FINESS ET, FINESS EJ": the identifiers the couloir accepts, preferred first."""
    fields = table_specs()["clients"].fields
    return ", ".join(fields[IDENTIFIER_FIELDS[t]].label for t in couloir.identifier_types)


def _facts(couloir: Couloir, request_type: str, sheets: dict[str, str]) -> dict[str, str]:
    """What the columns' help texts say about this couloir and type."""
    return {"couloir": couloir.code, "couloir_label": couloir.label, "type": request_type,
            "kinds": ", ".join(couloir.software_kinds), "proofs": _(" ou ").join(couloir.solde_proofs),
            "clients_sheet": sheets["clients"], "bdc_sheet": sheets["bdc"],
            "forfaits": _(" ou ").join(format_fr(rate) for rate in couloir.funding.flat_rates)}


def _title(spec: TableSpec, field: str, schema_title: str | None, taken: set[str]) -> str:
    """The schema's title if the synonyms read it as this field, else the field's usual title.

    Either way the import recognises it with no profile; the field's own title
    is the last resort even if a user override of fields.json no longer
    recognises it (the profile written beside the workbook then pins it).
    """
    label = spec.fields[field].label
    for title in (schema_title, label):
        if title and spec.field_for(title) == field and match_key(title) not in taken:
            taken.add(match_key(title))
            return title
    return label


def _columns(list_kind: str, specs: Iterable[ColumnSpec], couloir: Couloir, request_type: str,
             titles: dict[str, str],
             facts: dict[str, str]) -> tuple[Column, ...]:
    table = table_specs()[list_kind]
    choices = {"couloir": (couloir.code,), "request_type": (request_type,), "software_kind": couloir.software_kinds,
               "proof_type": couloir.solde_proofs}
    taken: set[str] = set()
    columns = []
    for spec in specs:
        if spec.solde_only and request_type != "solde":
            continue
        if spec.field in SOLDE_FIELDS_OF_SOME and spec.field not in couloir.solde_fields:
            continue  # a column only some couloirs' soldes have (couloirs.json « solde_champs »)
        required = (table.fields[spec.field].required or spec.required_always
                    or (request_type == "solde" and spec.required_for_solde))
        if spec.field == "proof_type" and len(couloir.solde_proofs) == 1:
            required = False  # the only proof the couloir has is taken when the cell is empty
        if required:
            obligation = Obligation.REQUIRED
        elif any(spec.field in group for group in table.one_of_required):
            obligation = Obligation.ONE_OF
        else:
            obligation = Obligation.OPTIONAL
        columns.append(Column(
            spec.field, _title(table, spec.field, titles.get(spec.canonical) if spec.canonical else None, taken),
            spec.format, obligation, _(spec.help).format(**facts), choices.get(spec.field, ())))
    return tuple(columns)


FUNDING_COLUMNS = {  # what a couloir's funding is computed from (couloirs.json « financement »), on the client sheet
    "forfait_client": (ColumnSpec("officine_forfait", "officine.forfait_ht", CellFormat.AMOUNT,
                                  N_("Le forfait Ségur de la pharmacie selon sa tranche de chiffre d'affaires "
                                     "({forfaits} HT) ; le bon de commande doit être de ce montant."),
                                  required_always=True),),
    "formule_mss": tuple(ColumnSpec(field, canonical, CellFormat.INTEGER, help_text, required_always=True)
                         for field, canonical, help_text in (
        ("mss_bal_app", "mss.bal_applicatives", N_("Nombre de BAL MSSanté applicatives déclarées à l'Annuaire Santé.")),
        ("mss_bal_org", "mss.bal_organisationnelles",
         N_("Nombre de BAL MSSanté organisationnelles déclarées à l'Annuaire Santé.")),
        ("mss_bal_perso", "mss.bal_personnelles", N_("Nombre de BAL MSSanté personnelles déclarées à l'Annuaire Santé.")),
    )),
}


def _client_specs(couloir: Couloir) -> list[ColumnSpec]:
    """The client columns with the identifiers the couloir accepts, preferred first, after the name, then what
    its funding is computed from."""
    identifiers = [ColumnSpec(IDENTIFIER_FIELDS[t], None, CellFormat.TEXT, _IDENTIFIER_HELP[t])
                   for t in couloir.identifier_types]
    return [*CLIENT_COLUMNS[:2], *identifiers, *CLIENT_COLUMNS[2:], *FUNDING_COLUMNS.get(couloir.funding.mode, ())]


def plan_template(couloir_code: str, type_text: str, registry: SchemaRegistry) -> Template:
    """The template of a couloir and request type (`type_text` as the user wrote it: « Avance », an alias), from the
    schema in force; a French InputError if there is none."""
    catalog = load_catalog()
    couloir = catalog.couloir(couloir_code)
    request_type = catalog.request_type(type_text)
    entry = registry.entry(couloir.code, request_type) if couloir is not None and request_type else None
    if couloir is None or request_type is None or entry is None:
        known = ", ".join(f"{c} {t}" for c, t in all_pairs(registry))
        raise InputError(_("Aucun schéma en vigueur pour le couloir « {couloir} » et le type « {type} » : pas de "
                           "modèle possible. Couloirs et types connus : {known}.").format(
            couloir=couloir_code, type=type_text, known=known or _("aucun")))
    sheets = {"clients": _("Clients"), "bdc": _("Bons de commande")}
    facts = _facts(couloir, request_type, sheets)
    titles = registry.field_titles(couloir.code, request_type)
    return Template(couloir, request_type, entry, sheets, {
        "clients": _columns("clients", _client_specs(couloir), couloir, request_type, titles, facts),
        "bdc": _columns("bdc", BDC_COLUMNS, couloir, request_type, titles, facts),
    })


def all_pairs(registry: SchemaRegistry) -> list[tuple[str, str]]:
    """Every (couloir, type) with a schema in force whose couloir the import knows (couloirs.json)."""
    couloirs = load_catalog().couloirs
    return sorted((c, t) for c, t in registry.entries if c in couloirs and t in REQUEST_TYPES
                  and couloirs[c].funding.mode != "forfait_editeur")  # SAS: a forfait per vendor, no client BDC


