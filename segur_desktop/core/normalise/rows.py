"""The normalisation stage: a mapped `Table` -> typed `Record`s + diagnostics.

Each field has one normaliser. A repaired value is kept with a warning at its
cell; a value that cannot be repaired marks the record not ok (it will not
become a request) with an error at its cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from segur_desktop.core.couloirs import CouloirCatalog, load_catalog
from segur_desktop.core.diagnostics import Diagnostic, from_issue, make
from segur_desktop.core.i18n import _
from segur_desktop.core.mapping import table_specs
from segur_desktop.core.normalise import Issue, NormaliseError, identifiers
from segur_desktop.core.normalise.amounts import parse_amount
from segur_desktop.core.normalise.dates import parse_date
from segur_desktop.core.normalise.text import clean_text
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.source import Record, Table

Normaliser = Callable[[Any], tuple[Any, Issue | None]]
PROGRESS_EVERY = 2000


def _text(raw: Any) -> tuple[str, None]:
    return clean_text(raw), None  # type: ignore[return-value]


def _code(raw: Any) -> tuple[str, None]:
    """Join keys (client codes): case-insensitive."""
    return clean_text(raw).upper(), None  # type: ignore[union-attr]


def _postal_code(raw: Any) -> tuple[str, Issue | None]:
    text = clean_text(raw) or ""
    if text.isdigit() and len(text) == 4:
        padded = "0" + text
        return padded, Issue("identifiant_zero_restaure", {"label": _("Code postal"), "value": text, "fixed": padded})
    return text, None


def _couloir(catalog: CouloirCatalog) -> Normaliser:
    def normalise(raw: Any) -> tuple[str, None]:
        text = clean_text(raw) or ""
        couloir = catalog.couloir(text)
        if couloir is None:
            raise NormaliseError("couloir_inconnu", value=text, known=", ".join(catalog.couloirs))
        return couloir.code, None
    return normalise


def _request_type(catalog: CouloirCatalog) -> Normaliser:
    def normalise(raw: Any) -> tuple[str, None]:
        text = clean_text(raw) or ""
        kind = catalog.request_type(text)
        if kind is None:
            raise NormaliseError("type_demande_inconnu", value=text)
        return kind, None
    return normalise


def _upper(raw: Any) -> tuple[str, None]:
    """Codes such as MOM/VA or DPI/LGC."""
    return (clean_text(raw) or "").upper(), None


def normalisers(kind: str) -> dict[str, Normaliser]:
    catalog = load_catalog()
    if kind == "clients":
        return {
            "client_code": _code, "name": _text,
            "finess_et": identifiers.NORMALISERS["FINESS_ET"], "finess_ej": identifiers.NORMALISERS["FINESS_EJ"],
            "siret": identifiers.siret, "siren": identifiers.siren,
            "rpps": identifiers.rpps, "adeli": identifiers.adeli,
            "postal_code": _postal_code, "city": _text,
        }
    return {
        "bdc_number": _text, "client_code": _code, "signature_date": parse_date,
        "amount_ht": parse_amount, "amount_ttc": parse_amount,
        "request_type": _request_type(catalog), "solution": _text, "couloir": _couloir(catalog),
        "bdc_file": _text, "installation_date": parse_date, "invoice_number": _text,
        "invoice_date": parse_date, "invoice_file": _text, "proof_type": _upper, "proof_file": _text,
        "software_kind": _upper, "solution_version": _text, "referencing_id": _text,
        "referencing_date": parse_date,
    }


def normalise_table(
    table: Table,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[list[Record], list[Diagnostic]]:
    spec = table_specs()[table.kind]
    functions = normalisers(table.kind)
    fields = [(name, column, functions[name], spec.fields[name]) for name, column in table.columns.items()]
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    stage = _("Contrôle des valeurs de {name}").format(name=table.path.name)
    total = len(table.rows)
    for count, (row, raw) in enumerate(table.rows, start=1):
        record = Record(table, row, raw)
        values = record.values
        for name, column, normalise, field_spec in fields:
            value = raw[column] if column < len(raw) else None
            if value is None or value == "" or (isinstance(value, str) and not value.strip()):
                if field_spec.required:
                    record.failed.add(name)
                    diagnostics.append(make("valeur_obligatoire", record.cell(name), field=field_spec.label))
                continue
            try:
                clean, repair = normalise(value)
            except NormaliseError as error:
                record.failed.add(name)
                diagnostics.append(from_issue(error.issue, record.cell(name)))
                continue
            values[name] = clean
            if repair is not None:
                diagnostics.append(from_issue(repair, record.cell(name)))
        records.append(record)
        if count % PROGRESS_EVERY == 0:
            if cancel:
                cancel.check()
            progress(Progress(stage, count, total))
    progress(Progress(stage, total, total))
    return records, diagnostics
