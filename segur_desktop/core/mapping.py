"""Headers -> fields: find the header row, choose the sheet, map the columns.

The fields each table needs, and the many ways vendors title their columns,
are data (`resources/mappings/fields.json`). A workspace may pin a field to a
header explicitly; otherwise synonyms decide, compared with `match_key`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from segur_desktop.core.datafiles import load_resource, well_formed
from segur_desktop.core.errors import InputError
from segur_desktop.core.extra_rows import footer_notes, total_rows
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.header_levels import Levels, group_heads, two_level
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import MIXED, key_catalog
from segur_desktop.core.normalise.text import clean_text, match_key
from segur_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from segur_desktop.core.read import read_sheet, sheet_label, sheet_names
from segur_desktop.core.source import Sheet, Table, column_letter

HEADER_SCAN_ROWS = 30
MIN_HEADER_SCORE = 2  # a header row names at least two known fields
CANDIDATE_CUTOFF = 0.6  # difflib ratio above which a header is "close" to a field's title
MAX_CANDIDATES = 3


# « N° », « No », « Numéro de » before a title: « N° FINESS Géographique » is « FINESS géographique ».
_NUMBERING = re.compile(r"^(?:n|no|num|numero|nr)(?: (?:de|du|d))? ")
# A note in brackets after a title that says how to write the value, not what it is: « Date de signature
# [JJ/MM/AAAA] », « N° BDC (obligatoire) », « Montant HT (en euros) ». Any other note may change the meaning
# (« Montant (TVA comprise) », « Bon de commande (PDF) »): the title keeps it, and must be recognised whole.
_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NEUTRAL_NOTE_WORDS = frozenset(
    {"en", "eur", "euro", "euros", "jj", "mm", "aa", "aaaa", "dd", "yyyy", "obligatoire", "facultatif", "optionnel",
     "format", "texte", "a", "remplir", "saisir"})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    required: bool
    keys: frozenset[str]
    join_key: str | None = None  # the kind of client key its values are (`core/identity.py`), if any


@dataclass(frozen=True, slots=True)
class TableSpec:
    list_kind: str  # "clients" | "bdc" (or a status file's)
    label: str
    fields: dict[str, FieldSpec]
    one_of_required: tuple[tuple[str, ...], ...]
    by_key: dict[str, str]  # match_key(synonym) -> field
    mixed_field: str | None = None  # the field of a column naming several kinds of identifier (« SIRET / RPPS »)
    by_fold: dict[str, str] = field(default_factory=dict)  # synonym without spaces -> field

    def field_for(self, header: object) -> str | None:
        """The field a header names: by synonym, then without its numbering (« N° »), then as a mixed column."""
        if header in (None, ""):
            return None
        key = match_key(header)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key.get(_NUMBERING.sub("", key))
        if found is None:  # « Montant H.T. » is « Montant HT »: the words' letters, without their spaces
            found = self.by_fold.get(key.replace(" ", "")) or self.by_fold.get(_NUMBERING.sub("", key).replace(" ", ""))
        if found is None and self.mixed_field and key_catalog().is_mixed_header(key):
            found = self.mixed_field
        if found is None and isinstance(header, str) and (bare := _NOTE.sub(" ", header)) != header and all(
                set(match_key(note).split()) <= _NEUTRAL_NOTE_WORDS for note in _NOTE.findall(header)):
            found = self.field_for(bare)  # the title without its notes, when they only say how to write the value
        return found

    def field_for_levels(self, group: str, sub: str) -> str | None:
        """The field a two-level header names (`header_levels`): « Montant HT » or « SIRET client » as written either
        way round; under a group naming the client (« Client », « Bénéficiaire »), its identifier or name alone. Else
        none: « SIRET » under « Fournisseur » is no client's."""
        found = self.field_for(f"{group} {sub}") or self.field_for(f"{sub} {group}")
        client = self.field_for("client")
        if found is None and client is not None and self.field_for(group) == client:
            found = self.field_for(f"{sub} client")
            alone = self.field_for(sub)
            if found is None and alone is not None and (alone == client or self.fields[alone].join_key):
                found = alone
        return found


@cache
def table_specs(relative: str = "mappings/fields.json") -> dict[str, TableSpec]:
    """The tables a data file describes: the workspace inputs by default, or another file of the same shape."""
    data_file = load_resource(relative)
    return well_formed(data_file.path, lambda: _table_specs(data_file.data))


def _table_specs(data: dict[str, Any]) -> dict[str, TableSpec]:
    specs = {}
    for list_kind, table in data["tables"].items():
        fields = {
            name: FieldSpec(name, entry["libelle"], entry.get("required", False),
                            frozenset(match_key(s) for s in [entry["libelle"], *entry["synonyms"]]), entry.get("cle"))
            for name, entry in table["fields"].items()
        }
        by_key: dict[str, str] = {}
        for spec in fields.values():
            for key in spec.keys:
                by_key.setdefault(key, spec.name)
        mixed = next((spec.name for spec in fields.values() if spec.join_key == MIXED), None)
        by_fold: dict[str, str] = {}
        for key, name in by_key.items():
            by_fold.setdefault(key.replace(" ", ""), name)
        specs[list_kind] = TableSpec(list_kind, table["libelle"], fields,
                                tuple(tuple(group) for group in table.get("one_of_required", [])), by_key, mixed,
                                by_fold)
    return specs


def header_score(row: list[object], spec: TableSpec, pinned: dict[str, str] | None = None, levels: Levels | None = None,
                 skipped: set[int] | None = None) -> int:
    """How many fields a row names, by synonym or by a header the user pinned (`levels`: its two-level columns;
    `skipped`: columns that name nothing, group titles over the row below)."""
    pinned_keys = {match_key(header): name for name, header in (pinned or {}).items()}
    return len({f for column, cell in enumerate(row) if cell not in (None, "") and column not in (skipped or ())
                and (f := pinned_keys.get(match_key(cell)) or (
                    spec.field_for_levels(*levels[column]) if levels and column in levels else spec.field_for(cell)))})


def _header_at(rows: list[list[object]], groups: tuple[tuple[int, int, int], ...], index: int, spec: TableSpec,
               pinned: dict[str, str] | None) -> tuple[int, Levels]:
    """(score, levels) of row `index` as a header: under the group titles merged over it, if any
    (`header_levels`: never read alone, « SIRET » under « Fournisseur » would be the client's), else as written, its
    group titles over the row below not counted."""
    titles, levels = two_level(rows, groups, index)
    if levels:
        return header_score(titles, spec, pinned, levels), levels
    return header_score(titles, spec, pinned, skipped=group_heads(rows, groups, index)), {}


def find_header(rows: list[list[object]], spec: TableSpec, pinned: dict[str, str] | None = None,
                groups: tuple[tuple[int, int, int], ...] = ()) -> tuple[int, int]:
    """(index in rows, score) of the row naming the most known fields among the first rows (`groups`: the cells
    merged across a row, `Sheet.groups`; a two-level header is the index of its lower row, and wins a tie with its
    upper row)."""
    best_index, best_score = -1, 0
    for index in range(min(len(rows), HEADER_SCAN_ROWS)):
        score, levels = _header_at(rows, groups, index, spec, pinned)
        if score > best_score or (levels and score == best_score and best_index == index - 1):
            best_index, best_score = index, score
    return best_index, best_score


def header_titles(sheet: Sheet, index: int) -> tuple[list[str], Levels]:
    """The titles of the header at row `index` of `sheet` (`find_header`), as the user names the columns (« Montant
    HT » for « HT » under « Montant »), and their levels for `map_columns`."""
    titles, levels = two_level(sheet.rows, sheet.groups, index)
    return [clean_text(cell) or "" for cell in titles], levels


def map_columns(headers: list[str], spec: TableSpec, pinned: dict[str, str] | None = None,
                levels: Levels | None = None) -> dict[str, int]:
    """field -> column index. Pinned headers win; each column serves one field (`levels`: the two-level columns)."""
    columns: dict[str, int] = {}
    taken: set[int] = set()
    header_keys = [match_key(h) if h else "" for h in headers]
    for field_name, header in (pinned or {}).items():
        key = match_key(header)
        if key in header_keys:
            columns[field_name] = header_keys.index(key)
            taken.add(columns[field_name])
    for index, header in enumerate(headers):
        named = spec.field_for_levels(*levels[index]) if levels and index in levels else spec.field_for(header)
        if named and named not in columns and index not in taken:
            columns[named] = index
            taken.add(index)
    return columns


SHEET_CHOICE_ROWS = 1000  # rows read per sheet to choose one; a sheet that fills them is a list, never notes


@cache
def annex_sheet_keys() -> frozenset[str]:
    """`match_key`s of the sheet names that designate notes, settings or drop-down lists (fields.json).

    Kept in fields.json whatever table is read (a status file too): a notes sheet is one whatever it explains.
    An override of fields.json written before the list existed has none.
    """
    data_file = load_resource("mappings/fields.json")
    return well_formed(data_file.path, lambda: frozenset(
        match_key(name) for name in data_file.data.get("feuilles_annexes", [])))


def is_annex_sheet(name: str) -> bool:
    """Whether a sheet's name is a notes name, alone or followed by more words (« Notes de version »)."""
    key = match_key(name)
    return any(key == annex or key.startswith(annex + " ") for annex in annex_sheet_keys())


def _sheet_standing(path: Path, name: str, spec: TableSpec) -> tuple[int, int]:
    """(header score, filled rows under the header) from the sheet's first SHEET_CHOICE_ROWS rows.

    calamine parses the whole sheet whatever is asked, so taking a thousand rows rather than
    the header's thirty costs a millisecond, and no sheet is read twice to count its rows.
    A sheet that fills them counts SHEET_CHOICE_ROWS, wherever its header is.
    """
    first = read_sheet(path, name, max_rows=SHEET_CHOICE_ROWS)
    rows = first.rows
    index, score = find_header(rows, spec, groups=first.groups)  # two-level headers scored as load_table reads them
    if score < MIN_HEADER_SCORE:
        return score, 0
    if len(rows) == SHEET_CHOICE_ROWS:
        return score, SHEET_CHOICE_ROWS
    return score, len(_filled_rows(rows[index + 1:], 0))


def choose_sheet(path: Path, spec: TableSpec) -> str | None:
    """The sheet that holds the list (None: the only one).

    The header that names the most fields wins. A notes sheet often repeats the
    column titles to explain them (« Code client : identifiant interne »), so a
    sheet named like one (`annex_sheet_keys`) loses to any other with a header;
    and between headers that name as many fields, the sheet with more rows under
    its header is the list: explanations take a few lines. Two sheets still alike
    (as many rows, or both long: two real lists) are not guessed between: the user
    names one (`--clients-sheet`, `--bdc-sheet`, or the workspace).
    """
    names = sheet_names(path)
    if len(names) <= 1:
        return None
    standing = {name: _sheet_standing(path, name, spec) for name in names}
    headed = [name for name in names if standing[name][0] >= MIN_HEADER_SCORE]
    candidates = [name for name in headed if not is_annex_sheet(name)] or headed
    if not candidates:
        return max(names, key=lambda name: standing[name][0])  # no header anywhere: load_table says so
    best = max(standing[name] for name in candidates)
    tied = [name for name in candidates if standing[name] == best]
    if len(tied) > 1:
        raise InputError(
            _("Le classeur « {file} » a plusieurs feuilles qui ressemblent à une {label} : {sheets}. Indiquez laquelle "
              "utiliser (option --{kind}-sheet, ou « {kind}_feuille » dans le dossier de travail).").format(
                file=path.name, label=spec.label, sheets=", ".join(f"« {n} »" for n in tied),
                kind="clients" if spec.list_kind == "clients" else "bdc"))
    return tied[0]


def _headers_listing(headers: list[str]) -> str:
    return ", ".join(f"{column_letter(i)} « {h} »" for i, h in enumerate(headers) if h)


def missing_fields(spec: TableSpec, columns: dict[str, int]) -> list[tuple[str, ...]]:
    """Required fields with no column; a tuple of several means "at least one of these"."""
    required = [(name,) for name, field in spec.fields.items() if field.required and name not in columns]
    return required + [group for group in spec.one_of_required if not any(name in columns for name in group)]


def closest_columns(spec: TableSpec, field: str, headers: list[str], among: list[int]) -> list[int]:
    """The columns (of `among`) whose header is closest to one of the field's titles, best first."""
    scores = {}
    for index in among:
        key = match_key(headers[index])
        score = max(difflib.SequenceMatcher(None, known, key).ratio() for known in spec.fields[field].keys)
        if score >= CANDIDATE_CUTOFF:
            scores[index] = score
    return sorted(scores, key=lambda i: -scores[i])[:MAX_CANDIDATES]


def _missing_field_error(sheet: Sheet, header_row: int, headers: list[str], spec: TableSpec,
                         columns: dict[str, int], missing: list[tuple[str, ...]]) -> InputError:
    names = [name for group in missing for name in group]
    labels = ", ".join(f"« {spec.fields[n].label} »" for n in names)
    free = [i for i, header in enumerate(headers) if header and i not in columns.values()]
    close = sorted({i for name in names for i in closest_columns(spec, name, headers, free)})
    hint = _(" Colonnes les plus proches : {close}.").format(
        close=", ".join(f"« {headers[i]} »" for i in close)) if close else ""
    fix = (_("Renommez la colonne dans le tableur, ou indiquez la correspondance dans le dossier de travail "
             "(rubrique « mapping »).") if spec.list_kind in table_specs() else _("Renommez la colonne dans le tableur."))
    return InputError(
        _("Dans « {file} » ({sheet}, en-têtes ligne {row}), aucune colonne ne correspond à {labels}. "
          "Colonnes présentes : {headers}.{hint} {fix}").format(
            file=sheet.path.name, sheet=sheet_label(sheet.path, sheet.name), row=header_row, labels=labels,
            headers=_headers_listing(headers) or _("aucune"), hint=hint, fix=fix)
    )


def refuse_twin_columns(sheet: Sheet, header_row: int, headers: list[str], spec: TableSpec,
                         columns: dict[str, int]) -> None:
    """Two columns of one title (« Montant » twice: HT and TTC) for a field: taking the first would read the
    other's values silently (a TTC amount as HT), so the user names them apart."""
    keys = [match_key(header) for header in headers]
    for name, column in columns.items():
        twins = [index for index, key in enumerate(keys) if key == keys[column]]
        if len(twins) > 1:
            raise InputError(
                _("Dans « {file} » ({sheet}, en-têtes ligne {row}), les colonnes {columns} portent le même "
                  "titre « {header} » : impossible de savoir laquelle donne « {label} ». Donnez-leur des titres différents "
                  "dans le tableur, puis recommencez.").format(
                    file=sheet.path.name, sheet=sheet_label(sheet.path, sheet.name), row=header_row, header=headers[column],
                    columns=_(" et ").join([", ".join(map(column_letter, twins[:-1])), column_letter(twins[-1])]),
                    label=spec.fields[name].label))


def load_table(
    path: Path,
    list_kind: str,
    *,
    sheet: str | None = None,
    pinned: dict[str, str] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    spec: TableSpec | None = None,
) -> Table:
    """Read `path` and return its rows under a mapped header, or a French InputError.

    `spec` describes a table that is not a workspace input (a status file); by default, `list_kind`'s in fields.json.
    """
    spec = spec or table_specs()[list_kind]
    raw = read_sheet(path, sheet or choose_sheet(path, spec), progress=progress, cancel=cancel)
    if not any(cell not in (None, "") for row in raw.rows for cell in row):
        raise InputError(
            _("« {file} » ({sheet}) est vide. Vérifiez que vous avez choisi le bon fichier "
              "(ou la bonne feuille) et qu'il a bien été enregistré.").format(sheet=sheet_label(path, raw.name), file=path.name))
    index, score = find_header(raw.rows, spec, pinned, raw.groups)
    if score < MIN_HEADER_SCORE:
        raise InputError(
            _("Aucune ligne d'en-têtes reconnue dans « {file} » ({sheet}) : ce fichier ne ressemble pas "
              "à une {label}. Vérifiez que vous avez choisi le bon fichier, et que la ligne des titres de colonnes "
              "figure dans les {n} premières lignes.").format(
                file=path.name, sheet=sheet_label(path, raw.name), label=spec.label, n=HEADER_SCAN_ROWS)
        )
    headers, levels = header_titles(raw, index)
    header_row = raw.first_row + index
    columns = map_columns(headers, spec, pinned, levels)
    for field_name, header in (pinned or {}).items():
        column = columns.get(field_name)
        if field_name not in spec.fields or column is None or match_key(headers[column]) != match_key(header):
            raise InputError(
                _("Le dossier de travail associe « {field} » à la colonne « {header} », mais « {file} » ({sheet}) "
                  "n'a pas de colonne de ce nom. Colonnes présentes : {headers}. Corrigez la rubrique "
                  "« mapping » du dossier de travail.").format(
                    field=spec.fields[field_name].label if field_name in spec.fields else field_name, header=header,
                    file=path.name, sheet=sheet_label(path, raw.name), headers=_headers_listing(headers) or _("aucune")))
    refuse_twin_columns(raw, header_row, headers, spec, columns)
    missing = missing_fields(spec, columns)
    if missing:
        raise _missing_field_error(raw, header_row, headers, spec, columns, missing)
    with gc_paused():  # a tuple per row, none of them garbage (see core.gcpause)
        rows = _filled_rows(raw.rows[index + 1:], raw.first_row + index + 1)
    totals = total_rows(rows, [index for name, index in columns.items()
                               if spec.fields[name].join_key or name == "bdc_number"])
    if totals:
        rows = [row for row in rows if row[0] not in totals]
    notes = footer_notes(rows)
    if notes:
        rows = rows[:-len(notes)]
    mapped = set(columns.values())
    uncached = frozenset((raw.first_row + r, c) for r, c in raw.uncached if r > index and c in mapped)
    hidden = frozenset(row for row in raw.hidden if row > header_row)
    return Table(list_kind, path, raw.name, header_row, headers, columns, rows, uncached, hidden, totals, notes)


def _filled_rows(body: list[list[object]], first: int) -> list[tuple[int, list[object]]]:
    """(Excel row number, cells) of the rows of `body` that have a cell other than None or "".

    A row with a truthy cell has one (None and "" are falsy): `any` says so in C, usually at
    the row's first cell. Only a row without one (empty, or holding only zeros or False) is
    looked at cell by cell. When every row has one, the pairs are made in C by `zip`: the
    cell-by-cell filter (a generator per row) took 9 ms per 20k-row table, this 2 ms.
    """
    numbers = range(first, first + len(body))
    if all(map(any, body)):
        return list(zip(numbers, body, strict=True))
    return [(number, row) for number, row in zip(numbers, body, strict=True)
            if any(row) or any(cell not in (None, "") for cell in row)]
