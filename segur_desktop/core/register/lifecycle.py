"""The life of a deposited demande: its statuses, their French labels, the allowed changes.

Seed 000 gives the portal's lifecycle (« en cours », validée, « en attente de
pièces-jointes complémentaires », « à modifier », conflit), the portal adds
« décidée et payée », rejections and « incomplète » (the JSON passed, its
attachments' zip did not: segurnum FAQ); Segur Desktop adds « exportée » for a
demande written into a bundle but not yet seen on the portal. The statuses,
the labels the portal writes for each and the allowed changes are data
(`resources/statuses.json`, overridable like every resource): when the ASP
renames a status, no code changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from segur_desktop.core.datafiles import load_resource, well_formed
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.text import match_key

STATUSES_FILE = "statuses.json"
QUOTED = 80  # characters of an unknown status quoted back
# A note in brackets after a status, as the portal or a person adds one: « Validée (cas 1) », « Rejetée [doublon] ».
_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


@dataclass(frozen=True, slots=True)
class Status:
    code: str
    label: str  # French, as the product shows it
    description: str
    color: str  # "#rrggbb", the Suivi page's colour for it
    deposited: bool  # the portal holds it: depositing it again makes a doublon
    allows_solde: bool  # an avance in this status may have its solde
    closes_avenant: bool = False  # an avenant in this status no longer holds back its avance's solde


@dataclass(frozen=True, slots=True)
class Lifecycle:
    statuses: dict[str, Status]  # in the file's order
    initial: str
    transitions: dict[str, frozenset[str]]
    by_label: dict[str, str]  # match_key(any label) -> code
    by_fold: dict[str, str]  # gender_fold(match_key(any label)) -> code, for the keys of one status only

    def status(self, code: str) -> Status:
        """The status `code`; one the lifecycle does not know (a register edited by hand, or written under
        another statuses.json) is a French InputError, never a KeyError."""
        found = self.statuses.get(code)
        if found is None:
            raise InputError(self.unknown_in_register(code))
        return found

    def unknown_in_register(self, code: str, demandes: Sequence[str] = ()) -> str:
        """Why a status read from the register cannot be used, in French, with the way out."""
        shown = ", ".join(demandes[:10]) + (" …" if len(demandes) > 10 else "")
        which = _(" (demande(s) {ids})").format(ids=shown) if demandes else ""
        return _("Le registre de suivi contient le statut « {code} »{which}, que cette version de Segur Desktop ne "
                 "connaît pas (statuts : {known}) : il a été modifié hors de l'application, ou écrit avec un autre "
                 "fichier statuses.json. Sans savoir si ces demandes sont déposées, rien n'est vérifié ni exporté. "
                 "Corrigez leur statut (segur-desktop register set-status ID_DEMANDE STATUT --force --comment "
                 "\"…\"), ou restaurez une sauvegarde (segur-desktop register import).").format(
            code=code, which=which, known=", ".join(self.statuses))

    def label(self, code: str | None) -> str:
        if code is None:
            return "—"
        status = self.statuses.get(code)
        return status.label if status else code

    def allowed(self, old: str | None, new: str) -> bool:
        """Whether `old` may become `new` (None: a demande entering the register)."""
        if old is None:
            return new == self.initial
        return new in self.transitions.get(old, frozenset())

    def parse(self, text: object) -> str | None:
        """The code of a status written by a person or the portal: its code, label or a known portal label,
        whatever the case, accents and punctuation; then whatever its gender and number (a « dossier validé »,
        « rejeté », « transmis » is a demande « validée »…) and without a note in brackets (« Validée (cas 1) »).
        A text two statuses could be read as is none: it is said illegible, never guessed."""
        if text is None:
            return None
        key = match_key(text)
        found = self.by_label.get(key) or self.by_fold.get(gender_fold(key))
        if found is None and (bare := match_key(_NOTE.sub(" ", str(text)))) and bare != key:
            found = self.by_label.get(bare) or self.by_fold.get(gender_fold(bare))
        return found

    def unknown(self, text: str) -> str:
        """Why `text` is not a status, in French, with the statuses there are (a cell of pages of text quoted by its
        start: the reason stays one line of the preview)."""
        shown = text if len(text) <= QUOTED else text[:QUOTED - 1] + "…"
        return _("Statut « {text} » inconnu (statuts : {known}).").format(
            text=shown, known=", ".join(s.label for s in self.statuses.values()))

    def refusal(self, old: str, new: str) -> str:
        """Why `old` cannot become `new`, in French, with what can."""
        possible = ", ".join(f"« {self.label(code)} »" for code in self.statuses if code in self.transitions.get(old, ()))
        return _("Une demande « {old} » ne peut pas passer à « {new} » (possible : {possible}). S'il s'agit de "
                 "corriger une erreur de saisie, forcez le changement avec un commentaire.").format(
            old=self.label(old), new=self.label(new), possible=possible or _("aucun, c'est un statut final"))


@cache
def load_lifecycle() -> Lifecycle:
    """The lifecycle in force (the user's `statuses.json` if any)."""
    source = load_resource(STATUSES_FILE)
    return well_formed(source.path, lambda: _lifecycle(source.data))


def _lifecycle(data: dict[str, Any]) -> Lifecycle:
    statuses = {s["code"]: Status(s["code"], s["label"], s.get("description", ""), s.get("color", "#6b7280"),
                                  bool(s["deposited"]), bool(s["allows_solde"]), bool(s.get("closes_avenant", False)))
                for s in data["statuses"]}
    by_label: dict[str, str] = {}
    for s in data["statuses"]:
        for text in (s["code"], s["label"], *s.get("portal_labels", ())):
            by_label.setdefault(match_key(text), s["code"])
    folds: dict[str, set[str]] = {}
    for key, code in by_label.items():
        folds.setdefault(gender_fold(key), set()).add(code)
    by_fold = {key: next(iter(codes)) for key, codes in folds.items() if len(codes) == 1}
    transitions = {old: frozenset(new) for old, new in data["transitions"].items()}
    unknown = {data["initial"], *transitions, *(code for new in transitions.values() for code in new)} - set(statuses)
    if unknown:
        raise ValueError(f"unknown status {sorted(unknown)[0]!r}")
    return Lifecycle(statuses, data["initial"], transitions, by_label, by_fold)


def gender_fold(key: str) -> str:
    """A `match_key` without the endings of gender and number: « validee », « valide », « validees » give « valid »,
    « transmise » and « transmis » give « transmi ». Words of three letters or fewer are kept whole."""
    return " ".join(_fold_word(word) for word in key.split())


def _fold_word(word: str) -> str:
    for strip in ("s", "e", "s"):
        while len(word) > 3 and word.endswith(strip):
            word = word[:-1]
            if strip == "s":
                break
    return word
