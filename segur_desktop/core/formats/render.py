"""Demandes written in the format in force: the one place canonical fields become the portal's JSON."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from segur_desktop.core.build import Demande
from segur_desktop.core.demande_fields import SOURCES
from segur_desktop.core.formats.template import Template
from segur_desktop.core.validate.schemas import SchemaEntry
from segur_desktop.core.workspace import Vendor


def file_fields(vendor: Vendor | None, couloir: str, kind: str, demandes: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The canonical fields of a deposit file: the vendor, its one couloir and type, its totals."""
    fields: dict[str, Any] = {"demande.couloir": couloir, "demande.type": kind,
                              "fichier.nombre_demandes": len(demandes),
                              "fichier.montant_demande_ht": sum((d.get("demande.montant_ht", Decimal(0)) for d in demandes),
                                                               Decimal("0.00"))}
    if vendor is not None:
        fields["editeur.raison_sociale"] = vendor.name
        fields["editeur.siret"] = vendor.siret
    return fields


def render_demande(entry: SchemaEntry, d: Demande, context: dict[str, Any]) -> dict[str, Any]:
    """One demande as its deposit format writes it (`context`: its file's fields), straight from its rows: the
    same JSON as from `d.fields` (one table, `core/demande_fields.py`), without making that dict."""
    return entry.template.render_object(SOURCES, d, context)


def render_file(entry: SchemaEntry, vendor: Vendor | None, fields: list[dict[str, Any]]) -> Any:
    """A whole deposit file of these demandes' fields."""
    return entry.template.render_file(file_fields(vendor, entry.couloir, entry.type, fields), fields)


def preview(template: Template, demandes: list[Demande], vendor: Vendor | None, couloir: str, kind: str) -> Any | None:
    """A deposit file holding the first demande of `couloir` and `kind` written with `template`; None: none."""
    fields = [d.fields for d in demandes if d.couloir.code == couloir and d.type == kind][:1]
    if not fields:
        return None
    return template.render_file(file_fields(vendor, couloir, kind, fields), fields)
