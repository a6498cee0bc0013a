"""The dossier de travail as the window edits it: texts as typed, each wrong one told why, in French.

`form_of` fills the « Dossier de travail » page from a loaded workspace; `check_form` returns, for
each field that cannot be saved, the reason to show next to it (the SIRET's key checked as
`load_workspace` does, couloir and software kind from `resources/couloirs.json`, dates that
exist, files that are there, a shared register's URL without a password); `save_form` writes
workspace.json through `edit_workspace` once nothing is wrong. The « Nouveau dossier de travail » dialog
uses `check_vendor` for its fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from segur_desktop.core.couloirs import CouloirCatalog, load_catalog
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.identifiers import siret_valid
from segur_desktop.core.register.setting import check_setting, setting_of
from segur_desktop.core.workspace import (
    Solution,
    Vendor,
    Workspace,
    edit_workspace,
    load_workspace,
    relative_to_workspace,
)

Problems = dict[str, str]  # field -> why it cannot be saved: "vendor_siret", "clients", "solutions.0.couloir"…

SOLUTION_FIELDS = ("name", "version", "couloir", "software_kind", "vague", "referencing_id", "referencing_date",
                   "conformity_date")
NAME_MAX = 200  # as workspace.schema.json


@dataclass(frozen=True, slots=True)
class SolutionForm:
    """One solution as typed: couloir and software kind are codes, dates JJ/MM/AAAA (AAAA-MM-JJ also read)."""

    name: str = ""
    version: str = ""
    couloir: str = ""
    software_kind: str = ""
    vague: str = "1"
    referencing_id: str = ""
    referencing_date: str = ""
    conformity_date: str = ""  # optional: the 120 days then count from the referencing date, with a warning
    id: str = ""  # kept from workspace.json; a new solution's is made from its name


@dataclass(frozen=True, slots=True)
class WorkspaceForm:
    """The « Dossier de travail » page's fields; paths as typed, relative to the workspace folder or absolute."""

    name: str = ""
    vendor_name: str = ""
    vendor_siret: str = ""
    solutions: tuple[SolutionForm, ...] = field(default_factory=tuple)
    clients: str = ""
    bdc: str = ""
    soldes: str = ""
    pieces: str = ""
    output: str = "sortie"
    shared: bool = False  # « Registre de suivi » : the team's PostgreSQL register rather than this computer's
    registre: str = ""  # its URL, kept as typed even while « local » is chosen


def _date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def form_of(workspace: Workspace) -> WorkspaceForm:
    """The page's fields for a loaded workspace: paths as workspace.json would name them."""
    folder = workspace.folder

    def shown(path: Path | None) -> str:
        if path is None:
            return ""
        return relative_to_workspace(folder, path) if folder is not None else str(path)

    register = setting_of(folder) if folder is not None else ""

    return WorkspaceForm(
        name=workspace.name,
        vendor_name=workspace.vendor.name if workspace.vendor else "",
        vendor_siret=workspace.vendor.siret if workspace.vendor else "",
        solutions=tuple(SolutionForm(
            s.name, s.version or "", s.couloir, s.software_kind, s.vague, s.referencing_id,
            _date_text(s.referencing_date), _date_text(s.conformity_date), s.id) for s in workspace.solutions),
        clients=shown(workspace.clients), bdc=shown(workspace.bdc), soldes=shown(workspace.soldes),
        pieces=shown(workspace.pieces), output=shown(workspace.output) or "sortie",
        shared=bool(register), registre=register)


def parse_date(text: str) -> date:
    """JJ/MM/AAAA (or AAAA-MM-JJ); ValueError with a French reason otherwise."""
    text = text.strip()
    for pattern, shape in ((r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"), (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d")):
        if re.fullmatch(pattern, text):
            try:
                return datetime.strptime(text, shape).date()
            except ValueError:
                raise ValueError(_("le {text} n'existe pas.").format(text=text)) from None
    raise ValueError(_("« {text} » n'est pas une date : écrivez-la JJ/MM/AAAA (ex. 15/06/2022).").format(text=text))


def check_vendor(name: str, siret: str) -> Problems:
    """The vendor's name and SIRET, as `load_workspace` will accept them (spaces in the SIRET are dropped)."""
    problems: Problems = {}
    if not name.strip():
        problems["vendor_name"] = _("Indiquez la raison sociale de l'éditeur, comme sur son extrait Kbis.")
    elif len(name.strip()) > NAME_MAX:
        problems["vendor_name"] = _("{n} caractères : la raison sociale en a {max} au plus.").format(
            n=len(name.strip()), max=NAME_MAX)
    digits = "".join(siret.split())
    if not digits:
        problems["vendor_siret"] = _("Indiquez le SIRET de l'éditeur (14 chiffres).")
    elif not digits.isdigit():
        problems["vendor_siret"] = _("Un SIRET n'a que des chiffres (14) ; « {siret} » a d'autres caractères.").format(
            siret=siret.strip())
    elif len(digits) != 14:
        problems["vendor_siret"] = _("Un SIRET a 14 chiffres ; « {siret} » en a {n}.").format(
            siret=siret.strip(), n=len(digits))
    elif not siret_valid(digits):
        problems["vendor_siret"] = _("La clé de contrôle de ce SIRET est fausse : un chiffre est mal recopié. "
                                     "Recopiez-le depuis l'extrait Kbis ou l'annuaire des entreprises.")
    return problems


def check_solution(solution: SolutionForm, catalog: CouloirCatalog | None = None) -> Problems:
    """What is wrong with one solution, field by field (keys: SOLUTION_FIELDS)."""
    catalog = catalog or load_catalog()
    problems: Problems = {}
    if not solution.name.strip():
        problems["name"] = _("Indiquez le nom commercial de la solution, tel que les bons de commande le citent.")
    elif len(solution.name.strip()) > NAME_MAX:
        problems["name"] = _("Nom trop long ({n} caractères, {max} au plus).").format(n=len(solution.name.strip()),
                                                                                     max=NAME_MAX)
    if len(solution.version.strip()) > NAME_MAX:
        problems["version"] = _("Version trop longue ({n} caractères, {max} au plus).").format(
            n=len(solution.version.strip()), max=NAME_MAX)
    couloir = catalog.couloirs.get(solution.couloir)
    if couloir is None:
        problems["couloir"] = _("Choisissez le couloir de la solution ({known}).").format(known=", ".join(catalog.couloirs))
    elif solution.software_kind not in couloir.software_kinds:
        problems["software_kind"] = (
            _("Choisissez le type de logiciel ({known}).") if not solution.software_kind else
            _("Le type « {kind} » n'est pas financé dans le couloir {couloir} ({known}).")).format(
            kind=solution.software_kind, couloir=couloir.code, known=", ".join(couloir.software_kinds))
    if not solution.vague.strip():
        problems["vague"] = _("Indiquez la vague du programme (1, 2…).")
    if not solution.referencing_id.strip():
        problems["referencing_id"] = _("Indiquez le numéro de référencement donné par l'ANS.")
    elif len(solution.referencing_id.strip()) > NAME_MAX:
        problems["referencing_id"] = _("Numéro trop long ({n} caractères, {max} au plus).").format(
            n=len(solution.referencing_id.strip()), max=NAME_MAX)
    referenced = deposited = None
    if not solution.referencing_date.strip():
        problems["referencing_date"] = _("Indiquez la date de référencement (JJ/MM/AAAA).")
    else:
        try:
            referenced = parse_date(solution.referencing_date)
        except ValueError as error:
            problems["referencing_date"] = _("Date de référencement : {reason}").format(reason=error)
    if solution.conformity_date.strip():
        try:
            deposited = parse_date(solution.conformity_date)
        except ValueError as error:
            problems["conformity_date"] = _("Date de dépôt du dossier de conformité : {reason}").format(reason=error)
    if referenced is not None and deposited is not None and deposited > referenced:
        problems["conformity_date"] = _(
            "Le dossier de conformité est déposé à l'ANS avant le référencement : cette date ({deposited}) ne peut "
            "pas suivre celle du référencement ({referenced}).").format(
            deposited=_date_text(deposited), referenced=_date_text(referenced))
    return problems


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


def _path(folder: Path, text: str) -> Path:
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else folder / path


def _check_file(folder: Path, text: str, what: str, *, required: bool) -> str | None:
    if not text.strip():
        return _("Choisissez {what}.").format(what=what) if required else None
    path = _path(folder, text)
    if path.is_dir():
        return _("« {path} » est un dossier : choisissez le classeur lui-même.").format(path=path)
    if not path.is_file():
        return _("« {path} » est introuvable : vérifiez le chemin, ou choisissez le fichier avec « Choisir… ».").format(
            path=path)
    return None


def check_form(folder: Path, form: WorkspaceForm) -> Problems:
    """Every field that cannot be saved, with why (keys: WorkspaceForm's names, `solutions.<row>.<field>`)."""
    problems = check_vendor(form.vendor_name, form.vendor_siret)
    catalog = load_catalog()
    seen: dict[str, int] = {}
    for row, solution in enumerate(form.solutions):
        found = check_solution(solution, catalog)
        key = _fold(f"{solution.name} {solution.version}")
        if key and key in seen and "name" not in found:
            found["name"] = _("La solution {n} porte déjà ce nom et cette version : un bon de commande ne saurait "
                              "laquelle désigner.").format(n=seen[key] + 1)
        seen.setdefault(key, row)
        problems |= {f"solutions.{row}.{name}": text for name, text in found.items()}
    for name, what, required in (("clients", _("la liste des clients"), True),
                                 ("bdc", _("la liste des bons de commande"), True),
                                 ("soldes", _("la liste des soldes"), False)):
        problem = _check_file(folder, getattr(form, name), what, required=required)
        if problem:
            problems[name] = problem
    if form.pieces.strip() and not _path(folder, form.pieces).is_dir():
        problems["pieces"] = _("« {path} » n'est pas un dossier existant : choisissez le dossier des PDF.").format(
            path=_path(folder, form.pieces))
    if form.output.strip() and _path(folder, form.output).is_file():
        problems["output"] = _("« {path} » est un fichier : choisissez un dossier (il sera créé s'il n'existe "
                               "pas).").format(path=_path(folder, form.output))
    if form.shared:
        problem = check_setting(form.registre)
        if problem:
            problems["registre"] = problem
    return problems


def _solution_id(name: str, taken: set[str]) -> str:
    base = _fold(name).replace(" ", "-") or "solution"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    return found


def solutions_of(form: WorkspaceForm) -> list[Solution]:
    """The form's solutions, checked (`check_form` says nothing about them); new ones get an id from their name."""
    taken = {s.id for s in form.solutions if s.id}
    solutions = []
    for s in form.solutions:
        ident = s.id or _solution_id(s.name, taken)
        taken.add(ident)
        solutions.append(Solution(
            ident, s.name.strip(), s.version.strip() or None, s.couloir, s.software_kind, s.referencing_id.strip(),
            parse_date(s.referencing_date), s.vague.strip(),
            parse_date(s.conformity_date) if s.conformity_date.strip() else None))
    return solutions


def save_form(folder: Path, form: WorkspaceForm) -> Workspace:
    """Write the form to workspace.json (nothing else in it changes) and reload it; an InputError listing the
    problems when `check_form` finds any. A list whose file changed loses its sheet name, which was that file's."""
    problems = check_form(folder, form)
    if problems:
        raise InputError(_("Le dossier de travail n'a pas été enregistré : {problems}").format(
            problems=" ".join(problems.values())))
    before = load_workspace(folder)
    inputs: dict[str, Path | str | None] = {}
    for name in ("clients", "bdc", "soldes"):
        text = getattr(form, name).strip()
        path = _path(folder, text).resolve() if text else None
        previous = getattr(before, name)
        if path != (previous.resolve() if previous is not None else None):
            inputs[name] = path
            inputs[f"{name}_feuille"] = None
    inputs["pieces"] = _path(folder, form.pieces).resolve() if form.pieces.strip() else None
    return edit_workspace(
        folder, inputs=inputs, name=form.name, vendor=Vendor(form.vendor_name.strip(), "".join(form.vendor_siret.split())),
        solutions=solutions_of(form), output=_path(folder, form.output or "sortie"),
        register=form.registre.strip() if form.shared else None)
