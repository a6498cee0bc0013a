"""Which column of a status file gives a field when several titles name it: the most specific one, wherever it sits.

The mapping gives a field the leftmost column whose title names it. A portal export or a vendor's tracking sheet
may put a generic « Date » (of the deposit? of the export?) before « Date de mise à jour »: read first, it would
date every status wrongly, and an older status could pass for the latest. So the titles a field lists under
« generiques » in `resources/mappings/status-file.json` give it only when no more specific title does; two titles
alike in specificity (« Date du statut » and « Date de décision ») are refused, both columns named: which one is
read must never depend on their order in the file. The comment, which no status depends on, is the exception.
"""

from __future__ import annotations

from functools import cache

from segur_desktop.core.datafiles import load_resource
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.mapping import TableSpec
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.read import sheet_label
from segur_desktop.core.register.statusplan import KIND, SPEC_FILE
from segur_desktop.core.source import Table, column_letter

# A field no status depends on: of two titles alike (« Motif » and « Commentaire instructeur »), the first is read
# and the preview names it, rather than a whole portal export refused over a remark.
_FIRST_WILL_DO = frozenset({"comment"})


@cache
def _generic_titles() -> dict[str, str]:
    """match_key(generic title) -> the field it names, from `status-file.json` (the user's copy, if any)."""
    fields = load_resource(SPEC_FILE).data["tables"][KIND]["fields"]
    return {match_key(title): name for name, entry in fields.items() for title in entry.get("generiques", [])}


def _generic(spec: TableSpec) -> TableSpec:
    """The status file's table reduced to its generic titles: a title it maps to a field names that field only
    generically (matched as the mapping matches titles: case, accents, « N° », notes like « (JJ/MM/AAAA) »)."""
    by_key = _generic_titles()
    return TableSpec(spec.list_kind, spec.label, spec.fields, (), by_key, None,
                     {key.replace(" ", ""): name for key, name in by_key.items()})


def specific_columns(table: Table, spec: TableSpec) -> dict[str, int]:
    """field -> column, each field from its most specific title (see the module's docstring); a French `InputError`
    when two columns of one specificity give the same field."""
    generic = _generic(spec)
    columns = dict(table.columns)
    for name, mapped in table.columns.items():
        named = sorted({mapped, *(i for i, header in enumerate(table.headers) if spec.field_for(header) == name)})
        if len(named) == 1:
            continue
        specific = [i for i in named if generic.field_for(table.headers[i]) != name]
        best = specific or named
        if len(best) > 1 and name not in _FIRST_WILL_DO:
            named_columns = [f"{column_letter(i)} « {table.headers[i]} »" for i in best]
            raise InputError(_(
                "Dans « {file} » ({sheet}, en-têtes ligne {row}), les colonnes {columns} peuvent chacune donner "
                "« {label} » : impossible de savoir laquelle lire. Gardez-en une seule dans le fichier (supprimez ou "
                "renommez les autres), puis importez-le de nouveau.").format(
                file=table.path.name, sheet=sheet_label(table.path, table.sheet), row=table.header_row,
                columns=_("{first} et {last}").format(first=", ".join(named_columns[:-1]), last=named_columns[-1]),
                label=spec.fields[name].label))
        columns[name] = best[0]
    return dict(sorted(columns.items(), key=lambda item: item[1]))  # in the file's order, as the preview lists them
