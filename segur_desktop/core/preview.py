"""The Import page's questions to the core: how a spreadsheet looks and maps, by which keys the two lists
would be joined, where a dropped file goes, and saving the columns the user chose as the workspace's mapping
profile.

Each function reads or writes files, so the window runs it in a worker; each
builds on `profiles.suggest` and `mapping`, so the page shows exactly what
`mapping suggest` and `validate` would make of the same file. Nothing here
knows about Qt, and nothing here decides a mapping the core would not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.join import JoinKeys, column_kinds, join_keys
from segur_desktop.core.mapping import table_specs
from segur_desktop.core.normalise.text import raw_display
from segur_desktop.core.profiles import (
    PROFILES_FOLDER,
    MappingProfile,
    Suggestion,
    find_profile,
    load_profile,
    save_profile,
    suggest,
)
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.read import read_sheet
from segur_desktop.core.read.limits import CSV_SUFFIXES, WORKBOOK_SUFFIXES
from segur_desktop.core.workspace import WORKSPACE_FILE

PREVIEW_ROWS = 20  # data rows shown under the header row: enough to recognise the file, cheap on 100k rows
DEFAULT_PROFILE = "correspondance"  # the profile name when the workspace names none yet
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES


@dataclass(frozen=True, slots=True)
class Preview:
    """A spreadsheet's first rows, its header, and the columns the pipeline reads from it today."""

    suggestion: Suggestion
    rows: list[list[str]]  # cells as the user would quote them; rows[0] is Excel row `first_row`; all as wide
    first_row: int
    in_use: dict[str, int]  # field -> column: the workspace's pinned headers first, then the synonyms

    @property
    def initial(self) -> dict[str, int]:
        """What the page shows first: the columns in use, then the closest free column for each missing field.

        A proposal is shown, never used silently: it differs from `in_use`, so
        the page offers to save it once the user has checked it.
        """
        columns = dict(self.in_use)
        for name, index in self.suggestion.proposed.items():
            if name not in columns and index not in columns.values():
                columns[name] = index
        return columns


def preview(path: Path, list_kind: str, sheet: str | None = None, pinned: dict[str, str] | None = None, *,
            progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> Preview:
    """Suggest a mapping for `path` as a `list_kind` table and read its first rows, with the workspace's pins applied."""
    progress(Progress(_("Aperçu de {name}").format(name=path.name), 0, None))
    suggestion = suggest(path, list_kind, sheet, pinned)
    if cancel is not None:
        cancel.check()
    raw = read_sheet(path, suggestion.sheet, max_rows=suggestion.header_row + PREVIEW_ROWS, cancel=cancel)
    width = max((len(row) for row in raw.rows), default=0)
    rows = [[raw_display(cell) for cell in row] + [""] * (width - len(row)) for row in raw.rows]
    return Preview(suggestion, rows, raw.first_row, suggestion.columns)


def assign(columns: dict[str, int], field: str, index: int | None) -> dict[str, int]:
    """`columns` with `field` read from column `index` (None: from none).

    A column serves one field, as in `mapping.map_columns`: the field that had
    it before loses it, rather than two fields silently reading the same cells.
    """
    changed = {name: i for name, i in columns.items() if name != field and i != index}
    if index is not None:
        changed[field] = index
    return changed


def shared_keys(clients: tuple[Suggestion, dict[str, int]], bdc: tuple[Suggestion, dict[str, int]]) -> JoinKeys:
    """By which keys the lists would be joined with these columns (each list: its suggestion, field -> column).

    The columns are the user's pending choice, not the ones in use: the page
    says at once what a change in a dropdown does to the join, reading the
    columns as `validate` would (`join.column_kinds` and `join.join_keys`).
    Pure and cheap: the key catalogue was read when the lists were suggested.
    """
    return join_keys(*(column_kinds(suggestion.list_kind, columns, suggestion.headers) for suggestion, columns in (clients, bdc)))


@dataclass(frozen=True, slots=True)
class Dropped:
    """Where files dropped on the window go: each input at most once, and a French sentence for the rest."""

    inputs: dict[str, Path]  # "clients" | "bdc" | "pieces" -> path
    refused: list[str]


def sort_dropped(paths: list[Path], *, progress: ProgressCallback = no_progress,
                 cancel: CancelToken | None = None) -> Dropped:
    """A folder is the PDFs' folder; a spreadsheet is the client or the BDC list, by what its header names
    (as `mapping suggest` tells them apart); an unusable spreadsheet gets the CLI's message."""
    labels = {role: spec.label for role, spec in table_specs().items()} | {"pieces": _("dossier des pièces")}
    inputs: dict[str, Path] = {}
    refused: list[str] = []
    for done, path in enumerate(paths):
        progress(Progress(_("Examen de {name}").format(name=path.name), done, len(paths)))
        if cancel is not None:
            cancel.check()
        if path.is_dir():
            role = "pieces"
        elif path.suffix.lower() in SPREADSHEET_SUFFIXES:
            try:
                role = suggest(path).list_kind
            except InputError as error:
                refused.append(str(error))
                continue
        else:
            refused.append(_("« {name} » n'est ni un tableur ({suffixes}) ni un dossier : déposez la liste des "
                             "clients, celle des bons de commande ou le dossier des pièces (PDF).").format(
                name=path.name, suffixes=", ".join(sorted(SPREADSHEET_SUFFIXES))))
            continue
        if role in inputs:
            refused.append(_("« {name} » et « {other} » ressemblent tous deux à une {label} : « {other} » est "
                             "gardé. Déposez l'autre seul s'il est le bon.").format(
                name=path.name, other=inputs[role].name, label=labels[role]))
            continue
        inputs[role] = path
    return Dropped(inputs, refused)


def save_mapping(folder: Path, tables: dict[str, tuple[Suggestion, dict[str, int]]]) -> str:
    """Save the columns chosen for each table (list_kind -> (suggestion, field -> column)) as the workspace's
    profile, in `<folder>/mappings/`; return the name workspace.json must give as its "mapping".

    The profile the workspace already names keeps its name and its other table;
    one found in the user-data folder is copied into the workspace rather than
    changed under every other workspace that uses it. An inline mapping becomes
    the profile « correspondance ».
    """
    value = load_json(folder / WORKSPACE_FILE).get("mapping", {})
    if isinstance(value, str):
        path = find_profile(value, folder)
        profile = load_profile(path)
        name = PureWindowsPath(path).stem  # reads both / and \ paths, on every OS
    else:
        name = DEFAULT_PROFILE
        profile = MappingProfile(name, None, {list_kind: fields for list_kind, fields in value.items() if fields}, {})
    for list_kind, (suggestion, chosen) in tables.items():
        columns = {field: suggestion.headers[chosen[field]] for field in suggestion.spec.fields if field in chosen}
        sheets = {list_kind: suggestion.sheet} if suggestion.sheet_matters else {}
        profile = profile.merged(MappingProfile(name, None, {list_kind: columns}, sheets))
    save_profile(profile, folder / PROFILES_FOLDER / f"{name}.json")
    return name
