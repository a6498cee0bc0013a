"""A template as an .xlsx workbook: « Mode d'emploi », then the client and BDC sheets, typed and listed.

The workbook guards the user's data against Excel: identifiers, codes and
numbers are formatted as text (a FINESS keeps its leading zero), dates and
amounts get their formats, enumerations (couloir, type, software kind, MOM/VA)
are drop-down lists, the header row is frozen and each header's comment says
what goes in the column. The schema's `$id`, version and origin are in the
workbook's properties (core and custom).

What it must never hold: a sample row (it would be imported as a BDC), a cell
of the « Mode d'emploi » equal to a column title (the sheet would look like a
list to `mapping.choose_sheet`), or text a spreadsheet would run as a formula
(every text goes through `core.xlsx_safe.set_value`).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from segur_desktop import __version__
from segur_desktop.core.i18n import _
from segur_desktop.core.template.columns import Column, Obligation, Template, identifier_labels
from segur_desktop.core.xlsx_safe import set_value

LAST_ROW = 1_048_576  # Excel's last row: formats and lists cover whole columns, however long the list
AUTHOR = "Segur Desktop"


def xlsx_bytes(template: Template) -> bytes:
    """The template as an .xlsx file's bytes (saved to memory, so the caller writes it atomically)."""
    book = Workbook()
    guide = book.active
    assert isinstance(guide, Worksheet), "a new workbook's one sheet"
    guide.title = _("Mode d'emploi")
    _write_guide(guide, template)
    identifiers = identifier_labels(template.couloir)
    for list_kind in ("clients", "bdc"):
        _write_table(book.create_sheet(template.sheets[list_kind]), template.columns[list_kind], identifiers)
    book.active = 0
    schema, properties = template.schema, book.properties
    properties.title = template.title
    properties.subject = properties.identifier = schema.id
    properties.version = schema.version
    properties.creator = f"{AUTHOR} {__version__}"
    properties.keywords = f"segur {template.couloir.code} {template.type} {schema.version}"
    properties.description = _("Généré depuis le schéma {id}, version {version} ({origin}).").format(
        id=schema.id, version=schema.version, origin=schema.origin)
    properties.language = "fr-FR"
    for name, value in (("segur_schema_id", schema.id), ("segur_schema_version", schema.version),
                        ("segur_schema_origin", schema.origin), ("segur_couloir", template.couloir.code),
                        ("segur_type", template.type), ("segur_desktop_version", __version__)):
        book.custom_doc_props.append(StringProperty(name=name, value=value))  # type: ignore[attr-defined]  # stubs miss it
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet: Worksheet, columns: tuple[Column, ...], identifiers: str) -> None:
    """Header row (frozen, coloured by obligation, commented), and each whole column typed and, for an
    enumeration, listed."""
    bold = Font(bold=True)
    obligations = {Obligation.REQUIRED: _("Obligatoire."), Obligation.OPTIONAL: _("Facultatif."),
                   Obligation.ONE_OF: _("Au moins un identifiant par client parmi {identifiers} : le premier "
                                        "renseigné, dans cet ordre, est celui déposé.").format(identifiers=identifiers)}
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        set_value(cell, column.title)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=column.obligation.value)
        cell.alignment = Alignment(vertical="top")
        cell.comment = Comment(f"{obligations[column.obligation]} {column.help}", AUTHOR, width=320, height=110)
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(14, len(column.title) + 4)
        dimension.number_format = column.format.value  # what Excel applies to every cell typed in the column
        if column.choices:
            listed = DataValidation(type="list", formula1=_list_formula(column.choices), allow_blank=True,
                                    showErrorMessage=True, errorTitle=_("Valeur non acceptée"),
                                    error=_("Choisissez une valeur de la liste : {values}.").format(
                                        values=", ".join(column.choices)))
            listed.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(listed)
    sheet.freeze_panes = "A2"


def _list_formula(values: tuple[str, ...]) -> str:
    """An explicit list for Excel's data validation: `"DPI,RI,PFI"` (a quote inside is doubled).

    The codes come from couloirs.json and never hold a comma (Excel's separator here).
    """
    return '"' + ",".join(values).replace('"', '""') + '"'


def _guide_lines(template: Template) -> list[tuple[str, bool]]:
    """The « Mode d'emploi », one (text, is_heading) per row: whole sentences, never a bare column title."""
    clients, bdc, entry = template.sheets["clients"], template.sheets["bdc"], template.schema
    solde = template.type == "solde"
    lines = [
        (template.title, True),
        (_("Généré depuis le schéma {id}, version {version} ({origin}).").format(
            id=entry.id, version=entry.version, origin=entry.origin), False),
        ("", False),
        (_("Comment remplir ce classeur"), True),
        (_("1. Feuille « {clients} » : une ligne par client (établissement, cabinet, structure). Feuille « {bdc} » : "
           "une ligne par bon de commande signé, reliée à son client par le code client.").format(
            clients=clients, bdc=bdc), False),
        (_("2. Gardez la ligne des titres telle quelle : Segur Desktop reconnaît ces colonnes sans réglage. Les "
           "colonnes sur fond bleu sont obligatoires, celles sur fond bleu clair sont les identifiants (au moins un "
           "par client) ; une colonne ajoutée à droite est ignorée. Ne mettez pas de ligne d'exemple : toute ligne "
           "remplie est importée."), False),
        (_("3. Chaque client a au moins un identifiant parmi {identifiers} : le premier renseigné, dans cet ordre, "
           "est celui déposé.").format(identifiers=identifier_labels(template.couloir)), False),
        (_("4. Les identifiants, codes et numéros sont au format Texte : Excel garde leurs zéros initiaux. Saisissez "
           "les dates en JJ/MM/AAAA et les montants en euros, avec deux décimales."), False),
        (_("5. Les listes déroulantes donnent les seules valeurs acceptées (couloir, type de demande, type de "
           "logiciel{proofs}).").format(proofs=_(", justificatif MOM ou VA") if solde else ""), False),
        (_("6. Les PDF (bon de commande signé{pieces}) vont dans le dossier des pièces du dossier de travail.").format(
            pieces=_(", facture, MOM ou VA") if solde else ""), False),
        (_("7. Si votre dossier de travail décrit vos solutions, le nom de la solution suffit : les colonnes du "
           "type de logiciel, de la version et du référencement ne servent que sans dossier de travail (ligne de "
           "commande segur-desktop validate --clients … --bdc …)."), False),
        (_("8. Puis choisissez ce classeur comme liste des clients et comme liste des bons de commande (page Import "
           "de Segur Desktop). Le profil de correspondance enregistré à côté (même nom, terminé par « .profil.json ») "
           "décrit les mêmes feuilles et colonnes, pour qui veut les imposer (rubrique « mapping » du dossier de "
           "travail)."), False),
        ("", False),
        (_("Les colonnes"), True),
    ]
    obligations = {Obligation.REQUIRED: _("obligatoire"), Obligation.ONE_OF: _("au moins un identifiant"),
                   Obligation.OPTIONAL: _("facultatif")}
    for list_kind in ("clients", "bdc"):
        for column in template.columns[list_kind]:
            obligation = obligations[column.obligation]
            lines.append((_("{sheet} › « {title} » ({obligation}) : {help}").format(
                sheet=template.sheets[list_kind], title=column.title, obligation=obligation, help=column.help), False))
    return lines


def _write_guide(sheet: Worksheet, template: Template) -> None:
    sheet.column_dimensions["A"].width = 120
    wrap = Alignment(wrap_text=True, vertical="top")
    heading = Font(bold=True, size=12)
    for row, (text, is_heading) in enumerate(_guide_lines(template), start=1):
        cell = sheet.cell(row=row, column=1)
        set_value(cell, text or None)
        cell.alignment = wrap
        if is_heading:
            cell.font = heading
