"""recapitulatif.html: the bundle in one printable French page.

What to deposit (each JSON file with its attachments zip), per couloir the
demandes, amounts and guichet closing, any « hors délai » export, and every
demande or BDC row left out with the reason. Everything shown comes from the
user's files, so everything is escaped. No generation time inside: the same
inputs give the same page (only the manifest carries the instant).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from html import escape
from typing import Any

from segur_desktop import __version__
from segur_desktop.core.calendar import format_instant
from segur_desktop.core.export.plan import ExportPlan, GroupPlan, Reason
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_count, format_fr

STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0 1em; width: 100%; }
th, td { border: 1px solid #999; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; white-space: nowrap; } tr.total td { font-weight: bold; }
.ferme { color: #7f1d1d; font-weight: bold; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def reason_label(reason: Reason) -> str:
    return {Reason.INVALID: _("En erreur"), Reason.CLOSED: _("Guichet fermé"),
            Reason.NOT_CHOSEN: _("Non retenu"), Reason.NO_REQUEST: _("Ligne sans demande"),
            Reason.DEPOSITED: _("Déjà déposée"), Reason.EXPORTED: _("Déjà exportée")}[reason]


def state_label(group: GroupPlan) -> str:
    if not group.closed:
        return _("ouvert")
    return _("fermé — exporté hors délai") if group.hors_delai else _("fermé")


def _row(cells: Iterable[Any], numeric: Collection[int] = ()) -> str:
    """One table row; every cell escaped (`cells` are plain text, never markup)."""
    return "<tr>" + "".join(f"<td class=\"n\">{escape(str(c))}</td>" if i in numeric else f"<td>{escape(str(c))}</td>"
                            for i, c in enumerate(cells)) + "</tr>"


def _head(*titles: str) -> str:
    return "<thead><tr>" + "".join(f"<th>{escape(t)}</th>" for t in titles) + "</tr></thead>"


def render_recap(plan: ExportPlan, deposits: list[dict[str, Any]], sources: list[dict[str, Any]]) -> str:
    """The page, from the plan and the manifest's deposit and source entries."""
    result = plan.result
    workspace, vendor = result.workspace, result.workspace.vendor
    at = format_instant(result.at)
    title = _("Récapitulatif du dépôt — {name}").format(name=workspace.name)
    parts = [
        "<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">', f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>", "</head>", "<body>",
        f"<h1>{escape(_('Récapitulatif du dépôt Ségur numérique'))}</h1>",
        "<p>" + "<br>".join(escape(line) for line in (
            _("Éditeur : {name} (SIRET {siret})").format(name=vendor.name, siret=vendor.siret) if vendor else "",
            _("Dossier de travail : « {name} »").format(name=workspace.name),
            _("Contrôle au {at} (heure de Paris) · Segur Desktop {version}").format(at=at, version=__version__),
        ) if line) + "</p>",
    ]
    parts += _deposits(plan, deposits)
    parts += _couloirs(plan)
    parts += _left_out(plan)
    parts += [f"<h2>{escape(_('Fichiers sources'))}</h2>", "<table>",
              _head(_("Rôle"), _("Fichier"), _("SHA-256"), _("Taille (octets)")),
              "<tbody>", *(_row((s["role"], s["file"], s["sha256"], format_count(s["size"])), {3}) for s in sources),
              "</tbody></table>",
              "<p>" + escape(_("Le manifeste (manifest.json) donne l'empreinte SHA-256 de chaque fichier du paquet et de "
                               "chaque pièce ; « segur-desktop verify » les contrôle avant le dépôt.")) + "</p>",
              "</body>", "</html>", ""]
    return "\n".join(parts)


def _deposits(plan: ExportPlan, deposits: list[dict[str, Any]]) -> list[str]:
    closings = {g.key: g for g in plan.groups}
    parts = [f"<h2>{escape(_('À déposer sur le portail'))}</h2>",
             "<p>" + escape(_("Pour chaque ligne, déposez le fichier JSON puis l'archive de ses pièces justificatives : "
                              "l'archive contient exactement les PDF que le fichier nomme.")) + "</p>",
             "<table>", _head(_("Couloir"), _("Type"), _("Fichier JSON"), _("Archive des pièces"), _("Demandes"),
                              _("Pièces"), _("Montant demandé HT"), _("Clôture du guichet")), "<tbody>"]
    total_requests, total_members, total_amount = 0, 0, Decimal(0)
    for entry in deposits:
        group = closings[(entry["couloir"], entry["type"])]
        members = len(entry["attachments"]["members"])
        closing = group.closing.label() if group.closing else _("inconnue")
        if entry["hors_delai"]:
            closing += " — " + _("HORS DÉLAI")
        parts.append(_row((entry["couloir"], entry["type"], entry["json"]["file"], entry["attachments"]["file"],
                           format_count(entry["requests"]), format_count(members),
                           format_fr(entry["requested_amount_ht"]), closing), {4, 5, 6}))
        total_requests += entry["requests"]
        total_members += members
        total_amount += Decimal(entry["requested_amount_ht"])
    parts.append(_row((_("Total"), "", "", "", format_count(total_requests), format_count(total_members),
                       format_fr(total_amount), ""), {4, 5, 6}).replace("<tr>", '<tr class="total">', 1))
    parts.append("</tbody></table>")
    for group in plan.groups:
        if group.hors_delai:
            parts.append('<p class="ferme">' + escape(_(
                "Hors délai : {couloir} {type} — guichet fermé depuis le {closing} ; exporté à votre demande, "
                "le manifeste l'indique.").format(couloir=group.couloir, type=group.type,
                                                  closing=group.closing.label() if group.closing else "?")) + "</p>")
    return parts


def _couloirs(plan: ExportPlan) -> list[str]:
    parts = [f"<h2>{escape(_('Par couloir'))}</h2>", "<table>",
             _head(_("Couloir"), _("Type"), _("Demandes"), _("Exportées"), _("Écartées"),
                   _("Montant demandé HT (exportées)"), _("Clôture du guichet"), _("État du guichet")), "<tbody>"]
    for g in plan.groups:
        parts.append(_row((g.couloir, g.type, format_count(len(g.exported) + len(g.left_out)),
                           format_count(len(g.exported)), format_count(len(g.left_out)), format_fr(g.requested_ht),
                           g.closing.label() if g.closing else _("inconnue"), state_label(g)), {2, 3, 4, 5}))
    parts.append("</tbody></table>")
    return parts


def _left_out(plan: ExportPlan) -> list[str]:
    left_out = plan.left_out
    parts = [f"<h2>{escape(_('Écartées de ce dépôt ({n})').format(n=format_count(len(left_out))))}</h2>"]
    if not left_out:
        return [*parts, "<p>" + escape(_("Aucune : toutes les demandes sont dans le paquet.")) + "</p>"]
    parts += ["<p>" + escape(_("Les lignes en erreur sont aussi dans anomalies.xlsx, cellules en cause surlignées.")) + "</p>",
              "<table>", _head(_("Couloir"), _("Type"), _("Ligne source"), _("N° BDC"), _("Bénéficiaire"), _("Motif")),
              "<tbody>"]
    for item in left_out:
        reasons = "<br>".join(escape(text) for text in (reason_label(item.reason), *item.details))
        cells = (item.couloir or "—", item.type or "—", item.where(), item.bdc_number or "", item.beneficiary or "")
        parts.append(_row(cells)[:-len("</tr>")] + f"<td>{reasons}</td></tr>")
    parts.append("</tbody></table>")
    return parts
