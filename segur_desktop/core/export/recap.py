"""recapitulatif.html: the bundle in one printable French page.

What to deposit (each JSON file with its attachments zip), per couloir the
demandes, amounts and guichet closing, any « hors délai » export, and every
demande or BDC row left out with the reason. Everything shown comes from the
user's files, so everything is escaped: the page is stdlib `string.Template`s,
and every value goes in through one escaping function (`html`); only fragments
rendered here from those templates (`Markup`) go in as they are. The standard
library suffices for one page (Jinja2 would be a dependency for this alone).
No generation time inside: the same inputs give the same page (only the
manifest carries the instant).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from html import escape
from string import Template
from typing import Any

from segur_desktop import __version__
from segur_desktop.core.calendar import format_instant
from segur_desktop.core.export.plan import ExportPlan, GroupPlan, Reason
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_count, format_fr

PAGE = Template("""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
body { font-family: "Segoe UI", Arial, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0 1em; width: 100%; }
th, td { border: 1px solid #999; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; white-space: nowrap; } tr.total td { font-weight: bold; }
.ferme { color: #7f1d1d; font-weight: bold; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>$heading</h1>
<p>$about</p>
$deposits
$couloirs
$left_out
<h2>$sources_title</h2>
$sources
<p>$manifest_note</p>
</body>
</html>
""")
SECTION = Template("""<h2>$title</h2>
<p>$intro</p>
$table""")
BARE_SECTION = Template("<h2>$title</h2>\n$table")
EMPTY_SECTION = Template("<h2>$title</h2>\n<p>$intro</p>")
TABLE = Template("""<table>
<thead><tr>$head</tr></thead>
<tbody>
$rows</tbody></table>""")
ROW = Template("<tr>$cells</tr>\n")
TOTAL_ROW = Template('<tr class="total">$cells</tr>\n')
HEAD_CELL = Template("<th>$text</th>")
CELL = Template("<td>$text</td>")
NUMBER_CELL = Template('<td class="n">$text</td>')
LATE = Template('\n<p class="ferme">$text</p>')


class Markup(str):
    """HTML this module rendered from its own templates: substituted as it is, where any other value is escaped."""


def html(value: Any) -> str:
    """The one escaping function: every value put into a template goes through it. Everything shown comes from
    the user's files (a client named `<script>` stays text); only this module's own `Markup` passes unchanged."""
    return value if isinstance(value, Markup) else escape(str(value))


def fill(template: Template, **values: Any) -> Markup:
    return Markup(template.substitute({name: html(value) for name, value in values.items()}))


def lines(texts: Iterable[Any]) -> Markup:
    """Several texts in one cell or paragraph, one per line."""
    return Markup("<br>".join(html(text) for text in texts))


def reason_label(reason: Reason) -> str:
    return {Reason.INVALID: _("En erreur"), Reason.CLOSED: _("Guichet fermé"),
            Reason.NOT_CHOSEN: _("Non retenu"), Reason.NO_REQUEST: _("Ligne sans demande"),
            Reason.DEPOSITED: _("Déjà déposée"), Reason.EXPORTED: _("Déjà exportée")}[reason]


def state_label(group: GroupPlan) -> str:
    if not group.closed:
        return _("ouvert")
    return _("fermé — exporté hors délai") if group.hors_delai else _("fermé")


def _row(cells: Iterable[Any], numeric: Collection[int] = (), template: Template = ROW) -> Markup:
    """One table row; the cells at the `numeric` positions right-aligned."""
    return fill(template, cells=Markup("".join(fill(NUMBER_CELL if i in numeric else CELL, text=cell)
                                               for i, cell in enumerate(cells))))


def _table(titles: Iterable[str], rows: Iterable[Markup]) -> Markup:
    return fill(TABLE, head=Markup("".join(fill(HEAD_CELL, text=title) for title in titles)), rows=Markup("".join(rows)))


def render_recap(plan: ExportPlan, deposits: list[dict[str, Any]], sources: list[dict[str, Any]]) -> str:
    """The page, from the plan and the manifest's deposit and source entries."""
    result = plan.result
    workspace, vendor = result.workspace, result.workspace.vendor
    about = (_("Éditeur : {name} (SIRET {siret})").format(name=vendor.name, siret=vendor.siret) if vendor else "",
             _("Dossier de travail : « {name} »").format(name=workspace.name),
             _("Contrôle au {at} (heure de Paris) · Segur Desktop {version}").format(
                 at=format_instant(result.at), version=__version__))
    return fill(
        PAGE, title=_("Récapitulatif du dépôt — {name}").format(name=workspace.name),
        heading=_("Récapitulatif du dépôt Ségur numérique"), about=lines(line for line in about if line),
        deposits=_deposits(plan, deposits), couloirs=_couloirs(plan), left_out=_left_out(plan),
        sources_title=_("Fichiers sources"),
        sources=_table((_("Rôle"), _("Fichier"), _("SHA-256"), _("Taille (octets)")),
                       (_row((s["role"], s["file"], s["sha256"], format_count(s["size"])), {3}) for s in sources)),
        manifest_note=_("Le manifeste (manifest.json) donne l'empreinte SHA-256 de chaque fichier du paquet et de "
                        "chaque pièce ; « segur-desktop verify » les contrôle avant le dépôt."))


def _deposits(plan: ExportPlan, deposits: list[dict[str, Any]]) -> Markup:
    closings = {g.key: g for g in plan.groups}
    rows = []
    total_requests, total_members, total_amount = 0, 0, Decimal(0)
    for entry in deposits:
        group = closings[(entry["couloir"], entry["type"])]
        members = len(entry["attachments"]["members"])
        closing = group.closing.label() if group.closing else _("inconnue")
        if entry["hors_delai"]:
            closing += " — " + _("HORS DÉLAI")
        rows.append(_row((entry["couloir"], entry["type"], entry["json"]["file"], entry["attachments"]["file"],
                          format_count(entry["requests"]), format_count(members),
                          format_fr(entry["requested_amount_ht"]), closing), {4, 5, 6}))
        total_requests += entry["requests"]
        total_members += members
        total_amount += Decimal(entry["requested_amount_ht"])
    rows.append(_row((_("Total"), "", "", "", format_count(total_requests), format_count(total_members),
                      format_fr(total_amount), ""), {4, 5, 6}, TOTAL_ROW))
    late = "".join(fill(LATE, text=_("Hors délai : {couloir} {type} — guichet fermé depuis le {closing} ; exporté à "
                                      "votre demande, le manifeste l'indique.").format(
        couloir=group.couloir, type=group.type, closing=group.closing.label() if group.closing else "?"))
        for group in plan.groups if group.hors_delai)
    table = _table((_("Couloir"), _("Type"), _("Fichier JSON"), _("Archive des pièces"), _("Demandes"), _("Pièces"),
                    _("Montant demandé HT"), _("Clôture du guichet")), rows)
    return Markup(fill(SECTION, title=_("À déposer sur le portail"), table=table, intro=_(
        "Pour chaque ligne, déposez le fichier JSON puis l'archive de ses pièces justificatives : l'archive contient "
        "exactement les PDF que le fichier nomme.")) + late)


def _couloirs(plan: ExportPlan) -> Markup:
    rows = (_row((g.couloir, g.type, format_count(len(g.exported) + len(g.left_out)), format_count(len(g.exported)),
                  format_count(len(g.left_out)), format_fr(g.requested_ht),
                  g.closing.label() if g.closing else _("inconnue"), state_label(g)), {2, 3, 4, 5})
            for g in plan.groups)
    table = _table((_("Couloir"), _("Type"), _("Demandes"), _("Exportées"), _("Écartées"),
                    _("Montant demandé HT (exportées)"), _("Clôture du guichet"), _("État du guichet")), rows)
    return fill(BARE_SECTION, title=_("Par couloir"), table=table)


def _left_out(plan: ExportPlan) -> Markup:
    left_out = plan.left_out
    title = _("Écartées de ce dépôt ({n})").format(n=format_count(len(left_out)))
    if not left_out:
        return fill(EMPTY_SECTION, title=title, intro=_("Aucune : toutes les demandes sont dans le paquet."))
    rows = (_row((item.couloir or "—", item.type or "—", item.where(), item.bdc_number or "", item.beneficiary or "",
                  lines((reason_label(item.reason), *item.details)))) for item in left_out)
    table = _table((_("Couloir"), _("Type"), _("Ligne source"), _("N° BDC"), _("Bénéficiaire"), _("Motif")), rows)
    return fill(SECTION, title=title, table=table,
                intro=_("Les lignes en erreur sont aussi dans anomalies.xlsx, cellules en cause surlignées."))
