"""Column mapping profiles: map an export's columns once, reuse it every month.

A vendor's CRM or ERP export keeps the same odd column titles from one batch
to the next. A profile (`resources/mapping-profile.schema.json`) records, for
each table, the sheet and the header of each field, so a workspace (or
`--mapping` on the command line) names it instead of repeating the mapping.
`suggest` reads only the first rows of a spreadsheet and proposes a profile:
what the synonyms recognise, the closest header for each missing field, and
the kinds of key (client code, FINESS, SIRET…) by which this list can be joined
to the other one, since a list the other shares no key with is useless.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.datafiles import format_problem, load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import MIXED, key_catalog
from segur_desktop.core.join import column_kinds
from segur_desktop.core.mapping import (
    HEADER_SCAN_ROWS,
    MIN_HEADER_SCORE,
    TableSpec,
    choose_sheet,
    closest_columns,
    find_header,
    header_titles,
    map_columns,
    missing_fields,
    refuse_twin_columns,
    table_specs,
)
from segur_desktop.core.oserrors import advice_write, reason
from segur_desktop.core.paths import user_data_dir
from segur_desktop.core.read import read_sheet, sheet_label, sheet_names
from segur_desktop.core.source import column_letter

PROFILES_FOLDER = "mappings"  # under the workspace folder and under the user-data folder
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class MappingProfile:
    name: str
    path: Path | None  # None until saved
    columns: dict[str, dict[str, str]]  # list_kind -> field -> header
    sheets: dict[str, str]  # list_kind -> sheet name

    def merged(self, other: MappingProfile) -> MappingProfile:
        """This profile with `other`'s tables replacing its own: one file can hold both tables."""
        kinds = set(other.columns) | set(other.sheets)
        return MappingProfile(
            self.name, self.path,
            {k: v for k, v in self.columns.items() if k not in kinds} | other.columns,
            {k: v for k, v in self.sheets.items() if k not in kinds} | other.sheets)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "nom": self.name}
        for list_kind in table_specs():
            if list_kind in self.columns or list_kind in self.sheets:
                table = {"feuille": self.sheets[list_kind]} if list_kind in self.sheets else {}
                data[list_kind] = table | {"colonnes": self.columns.get(list_kind, {})}
        return data


def unknown_fields(columns: dict[str, dict[str, str]]) -> str | None:
    """A French sentence about the first unknown table or field name in `columns`, else None.

    Shared with inline workspace mappings: a misspelt field would otherwise be
    reported later as a missing column, which sends the user to the wrong file.
    """
    specs = table_specs()
    for list_kind, fields in columns.items():
        if list_kind not in specs:
            return _("« {kind} » n'est pas une table connue ({known}).").format(kind=list_kind, known=", ".join(specs))
        unknown = [name for name in fields if name not in specs[list_kind].fields]
        if unknown:
            known = ", ".join(f"{name} ({spec.label})" for name, spec in specs[list_kind].fields.items())
            return _("champ(s) inconnu(s) pour la {label} : {unknown}. Champs possibles : {known}.").format(
                label=specs[list_kind].label, unknown=", ".join(unknown), known=known)
    return None


def _profile_error(path: Path, detail: str) -> InputError:
    return InputError(
        _("Le profil de correspondance « {path} » est mal formé : {detail} Corrigez le fichier, ou recréez-le avec "
          "« segur-desktop mapping suggest FICHIER --save {name} ».").format(path=path, detail=detail, name=path.name))


def load_profile(path: Path) -> MappingProfile:
    """Read and check a profile file; every problem is a French InputError naming it."""
    data = load_json(path)
    problem = format_problem(data, "mapping-profile.schema.json")
    if problem is not None:
        raise _profile_error(path, problem)
    tables = {list_kind: data[list_kind] for list_kind in table_specs() if list_kind in data}
    columns = {list_kind: dict(table.get("colonnes", {})) for list_kind, table in tables.items()}
    detail = unknown_fields(columns)
    if detail is not None:
        raise _profile_error(path, detail[:1].upper() + detail[1:])
    sheets = {list_kind: table["feuille"] for list_kind, table in tables.items() if "feuille" in table}
    return MappingProfile(data.get("nom") or path.stem, path, columns, sheets)


def save_profile(profile: MappingProfile, path: Path) -> None:
    """Write the profile through a temporary file: a crash never leaves half a profile."""
    try:
        write_atomic(path, dump_json(profile.as_json()))
    except OSError as exc:
        raise InputError(
            _("Impossible d'écrire le profil « {path} » ({reason}). {advice}").format(
                path=path, reason=reason(exc), advice=advice_write(exc))) from None


def _profile_folders(workspace_folder: Path | None) -> list[Path]:
    folders = [workspace_folder / PROFILES_FOLDER] if workspace_folder is not None else []
    return [*folders, user_data_dir() / PROFILES_FOLDER]


def _is_path(name_or_path: str) -> bool:
    return "/" in name_or_path or "\\" in name_or_path or name_or_path.lower().endswith(".json")


def find_profile(name_or_path: str, workspace_folder: Path | None) -> Path:
    """The profile file for a path (absolute, or relative to the workspace) or a bare name.

    A bare name is looked up in the workspace's `mappings/` folder first (the
    profile travels with the workspace), then in the user-data `mappings/`
    folder (one profile shared by all the vendor's workspaces).
    """
    folders = _profile_folders(workspace_folder)
    if _is_path(name_or_path):  # written on Windows (« mappings\\crm.json »), it is read as well on macOS
        path = Path(name_or_path if os.name == "nt" else name_or_path.replace("\\", "/")).expanduser()
        if not path.is_absolute() and workspace_folder is not None:
            path = workspace_folder / path
        looked = [path]
    else:
        looked = [folder / f"{name_or_path}.json" for folder in folders]
    found = next((path for path in looked if path.is_file()), None)
    if found is not None:
        return found
    available = sorted({p.stem for folder in folders if folder.is_dir() for p in folder.glob("*.json")})
    raise InputError(
        _("Le profil de correspondance « {name} » est introuvable. Cherché : {looked}. Profils disponibles : "
          "{available}. Vérifiez le nom, ou créez le profil avec « segur-desktop mapping suggest FICHIER --save "
          "PROFIL.json ».").format(
            name=name_or_path, looked=", ".join(f"« {p} »" for p in looked), available=", ".join(available) or _("aucun")))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the synonyms make of a spreadsheet's header, and what is left to map."""

    path: Path
    list_kind: str  # "clients" | "bdc"
    sheet: str
    sheet_matters: bool  # the workbook has several sheets: a profile should name this one
    header_row: int  # Excel row number
    headers: list[str]
    columns: dict[str, int]  # field -> column index, recognised by synonyms
    unmapped: list[int]  # indices of the columns with a header and no field
    missing: list[tuple[str, ...]]  # required fields not found; a tuple of several is "one of"
    candidates: dict[str, list[int]]  # missing field -> closest unmapped columns, best first
    proposed: dict[str, int]  # missing field -> its best candidate, no column proposed twice
    keys: dict[str, list[str]]  # kind of key -> the recognised fields carrying it (`join.column_kinds`)

    @property
    def spec(self) -> TableSpec:
        return table_specs()[self.list_kind]

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_profile(self, name: str) -> MappingProfile:
        """A profile for this one table: every recognised field and every proposal, pinned by header."""
        chosen = self.columns | self.proposed
        columns = {field: self.headers[chosen[field]] for field in self.spec.fields if field in chosen}
        sheets = {self.list_kind: self.sheet} if self.sheet_matters else {}
        return MappingProfile(name, None, {self.list_kind: columns}, sheets)

    def as_json(self) -> dict[str, Any]:
        def column(index: int) -> dict[str, Any]:
            return {"column": column_letter(index), "header": self.headers[index]}

        return {
            "file": str(self.path), "kind": self.list_kind, "sheet": self.sheet, "header_row": self.header_row,
            "complete": self.complete,
            "fields": [{"field": name, "label": spec.label, "required": spec.required,
                        **(column(self.columns[name]) if name in self.columns else {"column": None, "header": None})}
                       for name, spec in self.spec.fields.items()],
            "unmapped": [column(i) for i in self.unmapped],
            "missing": [{"fields": list(group), "candidates": [column(i) for i in self.group_candidates(group)],
                         "proposed": {name: column(self.proposed[name]) for name in group if name in self.proposed}}
                        for group in self.missing],
            "cles": {id_kind: {"label": label, "columns": [
                column(self.columns[name]) | {"field": name, "mixed": self.spec.fields[name].join_key == MIXED}
                for name in self.keys[id_kind]]}
                for id_kind, label in key_catalog().labels.items() if id_kind in self.keys},
        }

    def group_candidates(self, group: tuple[str, ...]) -> list[int]:
        """The closest columns for any field of a missing group, best field first."""
        return list(dict.fromkeys(i for name in group for i in self.candidates.get(name, [])))


def _detect_kind(path: Path, sheet: str | None) -> str:
    """The table whose fields some sheet's header names most (a tie goes to the client list)."""
    specs = table_specs()
    firsts = [read_sheet(path, name, max_rows=HEADER_SCAN_ROWS)
              for name in ([sheet] if sheet is not None else sheet_names(path))]
    return max(specs, key=lambda list_kind: max(find_header(first.rows, specs[list_kind], groups=first.groups)[1]
                                                for first in firsts))


def suggest(path: Path, list_kind: str | None = None, sheet: str | None = None,
            pinned: dict[str, str] | None = None) -> Suggestion:
    """Read the first rows of `path` and say how its columns map, and what is missing.

    Without `list_kind`, the table is the one whose fields a header names most.
    Without `sheet`, it is chosen as `load_table` chooses it, and `pinned`
    (field -> header, from a workspace's mapping) counts as `load_table`
    counts it, so the suggestion describes what `validate` will read.
    """
    several_sheets = len(sheet_names(path)) > 1
    spec = table_specs()[list_kind or _detect_kind(path, sheet)]
    raw = read_sheet(path, sheet if sheet is not None else choose_sheet(path, spec), max_rows=HEADER_SCAN_ROWS)
    index, score = find_header(raw.rows, spec, pinned, raw.groups)
    if score < MIN_HEADER_SCORE:
        labels = spec.label if list_kind else _(" ou ").join(other.label for other in table_specs().values())
        raise InputError(
            _("Aucune ligne d'en-têtes reconnue dans « {file} » ({sheet}) : aucune des {n} premières "
              "lignes ne nomme au moins deux colonnes d'une {labels}. Vérifiez le fichier et la feuille (--sheet), "
              "ou donnez à deux de ses colonnes leur intitulé usuel (par exemple « Code client »).").format(
                file=path.name, sheet=sheet_label(path, raw.name), n=HEADER_SCAN_ROWS, labels=labels))
    headers, levels = header_titles(raw, index)  # two-level titles joined, as validate reads them
    columns = map_columns(headers, spec, pinned, levels)
    refuse_twin_columns(raw, raw.first_row + index, headers, spec, columns)  # as validate refuses them
    taken = set(columns.values())
    unmapped = [i for i, header in enumerate(headers) if header and i not in taken]
    missing = missing_fields(spec, columns)
    candidates: dict[str, list[int]] = {}
    proposed: dict[str, int] = {}
    for name in (name for group in missing for name in group):
        candidates[name] = closest_columns(spec, name, headers, unmapped)
        choice = next((i for i in candidates[name] if i not in proposed.values()), None)
        if choice is not None:
            proposed[name] = choice
    return Suggestion(path, spec.list_kind, raw.name, several_sheets or sheet is not None, raw.first_row + index,
                      headers, columns, unmapped, missing, candidates, proposed,
                      column_kinds(spec.list_kind, columns, headers))
