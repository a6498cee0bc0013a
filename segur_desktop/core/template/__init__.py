"""Excel templates generated from the schemas: a workbook a vendor fills, then imports with no mapping work.

Vendors without a clean CRM export ask "what exactly must I fill?". For a
couloir and request type (or all of them), `write_templates` writes a workbook
shaped by what the import reads and what the schema in force says (built-in,
user's or workspace's): one « Clients » sheet and one « Bons de commande »
sheet (with the solde's own columns for a solde) behind a short « Mode
d'emploi », and beside it the mapping profile that reads it back
(`<name>.profil.json`), for a workspace that wants to pin the columns.

- `columns`: which columns, titles, formats, obligations and lists (`plan_template`);
- `workbook`: the .xlsx itself (`xlsx_bytes`).

A filled template is never replaced unless asked: it would be lost to a blank one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from segur_desktop.core.atomic import write_atomic
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import advice_write, reason
from segur_desktop.core.profiles import save_profile
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.template.columns import Template, all_pairs, plan_template
from segur_desktop.core.template.workbook import xlsx_bytes
from segur_desktop.core.validate.schemas import SchemaEntry, SchemaRegistry

PROFILE_SUFFIX = ".profil.json"


@dataclass(frozen=True, slots=True)
class WrittenTemplate:
    couloir: str
    type: str
    schema: SchemaEntry
    workbook: Path
    profile: Path


def template_name(couloir: str, request_type: str) -> str:
    """`modele_HOP_avance.xlsx`: the name `--all` gives each workbook (and the GUI proposes)."""
    return f"modele_{couloir}_{request_type}.xlsx"


def profile_path(workbook: Path) -> Path:
    """The mapping profile written beside a workbook: `modele_HOP_avance.profil.json`."""
    return workbook.with_name(workbook.stem + PROFILE_SUFFIX)


def _targets(destination: Path, templates: list[Template], single: bool) -> list[tuple[Template, Path]]:
    """Where each template goes: `destination` itself for one, `destination/modele_….xlsx` for several."""
    if single:
        if destination.suffix.lower() != ".xlsx":
            raise InputError(_("Le modèle est un classeur Excel : donnez un nom de fichier en .xlsx (par exemple "
                               "« {name} »), pas « {path} ».").format(
                name=template_name(templates[0].couloir.code, templates[0].type), path=destination))
        return [(templates[0], destination)]
    if destination.exists() and not destination.is_dir():
        raise InputError(_("« {path} » est un fichier : pour plusieurs modèles, indiquez un dossier, où chacun sera "
                           "écrit sous son nom (« {name} »…).").format(
            path=destination, name=template_name("HOP", "avance")))
    return [(t, destination / template_name(t.couloir.code, t.type)) for t in templates]


class ExistingTemplates(InputError):
    """Files a template would replace: a filled one must not be lost to a new blank one. The message says what to
    do in any face; each face adds how it replaces them (the command line's --force, the window's question)."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        super().__init__(_("Ces fichiers existent déjà : {files}. Un modèle déjà rempli serait perdu : choisissez un "
                           "autre nom ou un autre dossier, ou remplacez-les si vous en êtes sûr.").format(
            files=", ".join(f"« {p} »" for p in files)))


def write_templates(
    destination: Path,
    pairs: list[tuple[str, str]] | None,
    *,
    workspace_folder: Path | None = None,
    overwrite: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[WrittenTemplate]:
    """Write the template (and its profile) of each (couloir, type) of `pairs`; `None`: every pair with a schema.

    One pair: `destination` is the .xlsx file. Several (or `None`): a folder,
    created if needed, where each is `modele_<COULOIR>_<type>.xlsx`. The schemas
    are the ones in force (built-in, user's, `workspace_folder`'s). Unless
    `overwrite`, an existing file is never replaced: a filled template must not
    be lost to a new blank one. Every file goes through a temporary file.
    """
    registry = SchemaRegistry.default(workspace_folder)
    wanted = all_pairs(registry) if pairs is None else pairs
    # every refusal before any write
    templates = [plan_template(couloir, request_type, registry) for couloir, request_type in wanted]
    targets = _targets(destination, templates, pairs is not None and len(pairs) == 1)
    existing = [path for _template, workbook in targets for path in (workbook, profile_path(workbook)) if path.exists()]
    if existing and not overwrite:
        raise ExistingTemplates(existing)
    stage = _("Création des modèles Excel")
    written = []
    for index, (template, workbook) in enumerate(targets):
        if cancel is not None:
            cancel.check()
        progress(Progress(stage, index, len(targets)))
        try:
            write_atomic(workbook, xlsx_bytes(template))
        except OSError as exc:
            raise InputError(_("Impossible d'écrire le modèle « {path} » ({reason}). {advice}").format(
                path=workbook, reason=reason(exc), advice=advice_write(exc))) from None
        save_profile(template.profile(), profile_path(workbook))
        written.append(WrittenTemplate(template.couloir.code, template.type, template.schema, workbook,
                                       profile_path(workbook)))
    progress(Progress(stage, len(targets), len(targets)))
    return written
