"""The normalisation stage: a mapped `Table` -> typed `Record`s + diagnostics.

Each field has one normaliser. A repaired value is kept with a warning at its
cell; a value that cannot be repaired marks the record not ok (it will not
become a request) with an error at its cell.

Speed (issue #3; figures in README, "Performance"). The result is exactly what a
cell-by-cell loop gives, but the work is organised for 100k-row exports:
- rows go by blocks of PROGRESS_EVERY, and each block column by column, so that
  picking a column, looking values up and building records run in C (map, zip);
  a block of plain ASCII text, or of identifiers written as digits, is checked
  in a few calls (`_Column.text_block`, `_Column.digits_block`);
- a normaliser is a pure function of the raw value, and most columns repeat a few
  values (dates, amounts, request type, solution, city...): each field remembers the
  outcome per distinct raw value (clean value, repair, or error) and replays it, so
  every cell still gets its own diagnostic. A field whose values are mostly new
  (identifiers, BDC numbers) stops remembering: at most MEMO_LIMIT values per field;
- records share one clean object per distinct value, and `Record.failed` stays
  the shared empty frozenset unless a field fails;
- the cyclic garbage collector is paused while records are built (see `core.gcpause`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import Any

from segur_desktop.core.couloirs import CouloirCatalog, load_catalog
from segur_desktop.core.diagnostics import Diagnostic, from_issue, make
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import key_catalog
from segur_desktop.core.mapping import FieldSpec, table_specs
from segur_desktop.core.normalise import Issue, NormaliseError, identifiers
from segur_desktop.core.normalise.amounts import parse_amount_ht, parse_amount_ttc
from segur_desktop.core.normalise.dates import month_first_column, parse_date, swappable
from segur_desktop.core.normalise.mixed import MixedNormaliser, mixed_normaliser
from segur_desktop.core.normalise.text import clean_text, fold_key
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.source import Cell, Record, Table, column_letter

Normaliser = Callable[[Any], tuple[Any, Issue | None]]
PROGRESS_EVERY = 2000  # rows per block: progress and cancellation come between blocks
MEMO_LIMIT = 4096  # distinct raw values remembered per field


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


def _aliased(catalog: CouloirCatalog, code: str, section: str, lookup: Callable[[str], str | None],
             codes: tuple[str, ...], known: str) -> Normaliser:
    """A value's code from any of its aliases (`lookup`); an unknown value is error `code`, which lists the
    `known` values and gives the entry of the user's aliases file (section `section`) that would name it."""
    def normalise(raw: Any) -> tuple[str, None]:
        text = clean_text(raw) or ""
        found = lookup(text)
        if found is None:
            raise NormaliseError(code, value=text, known=known, aliases_file=catalog.user_aliases,
                                 example_code=codes[0], example=catalog.alias_example(section, codes[0], text))
        return found, None
    return normalise


def _couloir(catalog: CouloirCatalog) -> Normaliser:
    """A couloir's code from any of its aliases."""
    return _aliased(catalog, "couloir_inconnu", "couloirs",
                    lambda text: couloir.code if (couloir := catalog.couloir(text)) else None, tuple(catalog.couloirs),
                    ", ".join(f"{c.code} ({c.label})" for c in catalog.couloirs.values()))


def _request_type(catalog: CouloirCatalog) -> Normaliser:
    """"avance" or "solde" from any of their aliases."""
    kinds = tuple(dict.fromkeys(catalog.type_aliases.values()))
    return _aliased(catalog, "type_demande_inconnu", "types_demande", catalog.request_type, kinds, ", ".join(kinds))


def _software_kind(catalog: CouloirCatalog) -> Normaliser:
    """A software kind's code ("LOINC" for "Transcodeur LOINC").

    Whether the kind belongs to the row's couloir is checked once the row is built: the couloir is another cell.
    """
    kinds = catalog.software_kinds
    return _aliased(catalog, "type_logiciel_inconnu", "types_logiciel", catalog.software_kind, kinds, ", ".join(kinds))


def _upper(raw: Any) -> tuple[str, None]:
    """Codes such as MOM/VA or DPI/LGC."""
    return (clean_text(raw) or "").upper(), None


def _count(raw: Any) -> tuple[int, None]:
    """A number of mailboxes: a whole number, 0 or more (« 1 200 » too); anything else is an error at the cell."""
    if isinstance(raw, bool):
        raise NormaliseError("nombre_invalide", value=str(raw))
    if isinstance(raw, int) and raw >= 0:
        return raw, None
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        return int(raw), None
    text = (clean_text(raw) or "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if text.isdigit() and len(text) <= 9:
        return int(text), None
    raise NormaliseError("nombre_invalide", value=clean_text(raw) or "")


def _mss_address(raw: Any) -> tuple[str, None]:
    """An e-mail address, compared case-insensitively: written in lower case (the schema checks its shape)."""
    return (clean_text(raw) or "").replace(" ", "").lower(), None


def _mss_case(raw: Any) -> tuple[str, None]:
    """The « indicateur Déploiement MSS » of MS1/MS2 soldes: « Cas 1 » or « Cas 2 » however written (« cas1 », « 2 »);
    anything else is kept as written, for the schema to refuse at its cell."""
    text = clean_text(raw) or ""
    folded = fold_key(text).removeprefix("cas")
    return (f"Cas {folded}" if folded in ("1", "2") else text), None


def normalisers(list_kind: str) -> dict[str, Normaliser]:
    """field -> normaliser, for the fields of a list (`list_kind`: "clients" or "bdc"); a mixed identifier column's
    depends on its header (`mixed_normaliser`, made per table)."""
    catalog = load_catalog()
    keys = {
        "client_code": _code, "finess_et": identifiers.NORMALISERS["FINESS_ET"],
        "finess_ej": identifiers.NORMALISERS["FINESS_EJ"], "siret": identifiers.siret, "siren": identifiers.siren,
        "rpps": identifiers.rpps, "adeli": identifiers.adeli,
    }
    counts = {"mss_bal_app": _count, "mss_bal_org": _count, "mss_bal_perso": _count}
    if list_kind == "clients":
        return keys | counts | {"name": _text, "postal_code": _postal_code, "city": _text,
                                "officine_forfait": parse_amount_ht}
    return keys | {
        "client_name": _text, "finess": identifiers.finess_any,
        "bdc_number": _text, "signature_date": parse_date,
        "amount_ht": parse_amount_ht, "amount_ttc": parse_amount_ttc,  # « TTC » in the HT column is an error
        "request_type": _request_type(catalog), "solution": _text, "couloir": _couloir(catalog),
        "bdc_file": _text, "installation_date": parse_date, "invoice_number": _text,
        "invoice_date": parse_date, "invoice_file": _text, "proof_type": _upper, "proof_file": _text,
        "software_kind": _software_kind(catalog), "solution_version": _text, "referencing_id": _text,
        "referencing_date": parse_date, "conformity_date": parse_date, "mss_deployment": _mss_case,
        "mss_address": _mss_address, "avenant_number": _count, **counts,
    }


def table_normalisers(table: Table) -> dict[str, Normaliser]:
    """`normalisers(table.list_kind)`, with the normaliser of a mixed identifier column made for its header."""
    functions = normalisers(table.list_kind)
    spec = table_specs()[table.list_kind]
    if spec.mixed_field in table.columns:
        header = table.headers[table.columns[spec.mixed_field]]
        functions[spec.mixed_field] = mixed_normaliser(header, key_catalog())
    return functions


class _Flagged:
    """A cell outcome with something to say: a repair (value kept) or a failure."""

    __slots__ = ("value", "issue", "failed")

    def __init__(self, value: Any, issue: Issue, failed: bool) -> None:
        self.value = value
        self.issue = issue
        self.failed = failed


class _Absent:
    """The outcome of an empty optional cell: nothing stored, nothing said."""

    __slots__ = ()


_ABSENT = _Absent()
# Raw values of these types are their own memo keys. Values of different types never
# compare equal, except numbers (True == 1 == 1.0): a field's memo holds one number
# type at most, and a block that would add another is normalised without the memo.
_KEY_TYPES = frozenset({str, type(None), int, float, bool, Decimal, date, datetime, time, timedelta})
_NUMBER_TYPES = frozenset({int, float, bool, Decimal})
# Text normalisers that a block of plain ASCII strings can skip (see `_Column.text_block`):
# the value is the stripped cell, upper-cased for codes.
_TEXT_NORMALISERS: dict[Normaliser, bool] = {_text: False, _code: True, _upper: True}


class _Column:
    """One mapped field while a table is normalised, with its memo of outcomes.

    `block(cells)` gives, for one block of rows, each cell's outcome: its clean value,
    `_ABSENT` (empty optional cell) or a `_Flagged` repair or failure.
    """

    __slots__ = ("name", "index", "normalise", "missing", "upper", "digits", "mixed", "memo", "memo_types",
                 "absent_keys", "flagged_keys")

    def __init__(self, name: str, index: int, normalise: Normaliser, spec: FieldSpec) -> None:
        self.name = name
        self.index = index
        self.normalise = normalise
        self.missing = _Flagged(None, Issue("valeur_obligatoire", {"field": spec.label}), True) if spec.required else _ABSENT
        self.upper = _TEXT_NORMALISERS.get(normalise)  # None: not a plain text field
        self.digits = identifiers.DIGIT_KEYS.get(normalise)  # None: not an identifier field
        self.mixed = normalise if isinstance(normalise, MixedNormaliser) else None  # a mixed identifier column
        self.memo: dict[Any, Any] | None = {}  # raw value -> outcome; None once given up
        self.memo_types: frozenset[type] = frozenset()  # types of the values in the memo
        self.absent_keys: set[Any] = set()
        self.flagged_keys: set[Any] = set()

    def outcome(self, value: Any) -> Any:
        """One cell: exactly what the cell-by-cell loop did."""
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            return self.missing
        try:
            clean, repair = self.normalise(value)
        except NormaliseError as error:
            return _Flagged(None, error.issue, True)
        return clean if repair is None else _Flagged(clean, repair, False)

    def block(self, cells: list[Any]) -> tuple[list[Any], list[int], list[int]] | None:
        """Outcomes of one block of cells, the rows (block indices) that are absent and those
        flagged; None when every cell of the block is absent (the field is then skipped)."""
        if cells[0] == "" and self.missing is _ABSENT and cells.count("") == len(cells):
            return None  # an empty optional column (cells[0] first: count() is wasted on others)
        if self.upper is not None and (done := self.text_block(cells)) is not None:
            return done
        if self.digits is not None and (done := self.digits_block(cells, self.digits)) is not None:
            return done
        if self.mixed is not None and (done := self.mixed_block(cells, self.mixed)) is not None:
            return done
        memo = self.memo
        if memo is not None:
            types = self.memo_types.union(map(type, cells))
            if types <= _KEY_TYPES and len(types & _NUMBER_TYPES) <= 1:
                distinct = set(cells)
                new = [value for value in distinct if value not in memo]
                if len(memo) + len(new) <= MEMO_LIMIT and 2 * len(new) <= len(cells):
                    self.memo_types = types
                    return self.replay(memo, cells, distinct, new)
                self.memo = None  # mostly new values, or too many: remembering would cost more than it saves
        outs = list(map(self.outcome, cells))
        absent = list(compress(range(len(cells)), map(is_, outs, repeat(_ABSENT))))
        if len(absent) == len(cells):
            return None
        return outs, absent, list(compress(range(len(cells)), map(isinstance, outs, repeat(_Flagged))))

    def replay(self, memo: dict[Any, Any], cells: list[Any], distinct: set[Any], new: list[Any]
               ) -> tuple[list[Any], list[int], list[int]] | None:
        """Outcomes from the memo, after adding the block's new values to it."""
        for value in new:
            out = memo[value] = self.outcome(value)
            if out is _ABSENT:
                self.absent_keys.add(value)
            elif out.__class__ is _Flagged:
                self.flagged_keys.add(value)
        absent_keys = self.absent_keys & distinct
        if len(absent_keys) == len(distinct):
            return None
        flagged_keys = self.flagged_keys & distinct
        rows = range(len(cells))
        return (
            list(map(memo.__getitem__, cells)),
            list(compress(rows, map(absent_keys.__contains__, cells))) if absent_keys else [],
            list(compress(rows, map(flagged_keys.__contains__, cells))) if flagged_keys else [],
        )

    def text_block(self, cells: list[Any]) -> tuple[list[Any], list[int], list[int]] | None:
        """A text field's block in a few C calls, when every cell is a plain ASCII string.

        Then clean_text is the stripped cell (its fast path), so the whole block is
        checked at once: "|" is printable, not a space and has no case. None otherwise.
        """
        if set(map(type, cells)) != {str}:
            return None
        joined = "|".join(cells)
        if not (joined.isascii() and joined.isprintable()) or "  " in joined:
            return None
        outs: list[Any] = list(map(str.strip, cells))  # then `missing` where a cell is blank
        if self.upper and joined.upper() != joined:
            outs = list(map(str.upper, outs))
        absent = list(compress(range(len(cells)), map(operator.not_, outs)))  # "" or spaces only
        if not absent:
            return outs, [], []
        if len(absent) == len(cells) and self.missing is _ABSENT:
            return None
        for i in absent:
            outs[i] = self.missing
        return (outs, [], absent) if self.missing is not _ABSENT else (outs, absent, [])

    def mixed_block(self, cells: list[Any], mixed: MixedNormaliser) -> tuple[list[Any], list[int], list[int]] | None:
        """A mixed identifier column's block, when every cell is a string: the cells `mixed.readings` finds
        (digits of one kind's length, keys holding) are their readings, the others go through `outcome`.
        None otherwise."""
        if set(map(type, cells)) != {str}:
            return None
        outs: list[Any] = mixed.readings(cells)
        for i in compress(range(len(cells)), map(is_, outs, repeat(None))):
            outs[i] = self.outcome(cells[i])
        absent = list(compress(range(len(cells)), map(is_, outs, repeat(_ABSENT))))
        if len(absent) == len(cells):
            return None
        return outs, absent, list(compress(range(len(cells)), map(isinstance, outs, repeat(_Flagged))))

    def digits_block(self, cells: list[Any], digits: tuple[int, Callable[[str], bool]]
                     ) -> tuple[list[Any], list[int], list[int]] | None:
        """An identifier field's block, when every cell is "" or ASCII digits of the identifier's length.

        Identifiers are mostly distinct, so the memo cannot help, and calling the normaliser
        cell by cell added a fifth to the cost of the keys themselves. Such a cell is its own
        clean value when its key holds (`identifiers.DIGIT_KEYS`, checked for the whole block at once by
        `identifiers.BLOCK_KEYS`); only the others go through `outcome`, for their error or warning.
        None otherwise.
        """
        length, key_ok = digits
        if set(map(type, cells)) != {str}:
            return None
        indices = range(len(cells))
        filled = list(compress(indices, cells))  # non-empty cells
        present = list(map(cells.__getitem__, filled))
        joined = "".join(present)
        if not (joined.isascii() and joined.isdigit()) or not set(map(len, present)) <= {length}:
            return None
        empty = list(compress(indices, map(operator.not_, cells)))
        if len(empty) == len(cells) and self.missing is _ABSENT:
            return None
        outs = list(cells)
        failed = list(compress(filled, map(operator.not_, identifiers.BLOCK_KEYS[key_ok](present))))
        for i in failed:
            outs[i] = self.outcome(cells[i])
        for i in empty:
            outs[i] = self.missing
        if self.missing is _ABSENT:
            return outs, empty, failed
        return outs, [], failed + empty


def normalise_table(
    table: Table,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[list[Record], list[Diagnostic]]:
    spec = table_specs()[table.list_kind]
    functions = table_normalisers(table)
    columns = [_Column(name, index, functions[name], spec.fields[name]) for name, index in table.columns.items()]
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    stage = _("Contrôle des valeurs de {name}").format(name=table.path.name)
    total = len(table.rows)
    with gc_paused():
        for start in range(0, total, PROGRESS_EVERY):
            end = min(start + PROGRESS_EVERY, total)
            _normalise_block(table, table.rows[start:end], columns, records, diagnostics)
            if end % PROGRESS_EVERY == 0:
                if cancel:
                    cancel.check()
                progress(Progress(stage, end, total))
    progress(Progress(stage, total, total))
    if table.uncached:
        diagnostics = _report_uncached_formulas(table, records, diagnostics)
    if any(d.code == "date_impossible" for d in diagnostics):  # « 11/28/2022 »: is the column month first?
        _refuse_month_first_dates(table, functions, records, diagnostics)
    diagnostics.extend(make("ligne_total", Cell(table.path, table.sheet, row, "", "", None), row=row, total=label)
                       for row, label in table.totals.items())  # left out of the rows: said, never silently
    diagnostics.extend(make("ligne_note", Cell(table.path, table.sheet, row, "", "", None), row=row, note=text)
                       for row, text in table.notes.items())
    if table.hidden:  # read like any row, but the user who hid it may think it left out (core/read/hidden.py)
        diagnostics.extend(make("ligne_masquee", record.row_cell(), row=record.row)
                           for record in records if record.row in table.hidden)
    return records, diagnostics


def _refuse_month_first_dates(table: Table, functions: dict[str, Normaliser], records: list[Record],
                              diagnostics: list[Diagnostic]) -> None:
    """Fail the dates that could be read either way in a column written month first (`dates.month_first_column`)."""
    for name, index in table.columns.items():
        if functions[name] is not parse_date:
            continue
        raws = [record.raw[index] if index < len(record.raw) else None for record in records]
        shown = month_first_column(raws)
        if shown is None:
            continue
        for record, raw in zip(records, raws, strict=True):
            readings = swappable(raw) if name in record.values else None
            if readings is not None:
                del record.values[name]
                record.fail(name)
                diagnostics.append(make("date_mois_jour", record.cell(name), value=clean_text(raw),
                                        day_first=readings[0], month_first=readings[1], example=shown[1],
                                        example_row=records[shown[0]].row))


def _report_uncached_formulas(table: Table, records: list[Record], diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A formula without a stored result read as an empty cell: say so, never treat it as empty.

    It replaces the "required value missing" that the empty cell produced, and
    fails the field even where the field is optional (an amount TTC, say).
    """
    field_of = {index: name for name, index in table.columns.items()}
    cells = {(row, column_letter(column)) for row, column in table.uncached}
    kept = [d for d in diagnostics if not (d.code == "valeur_obligatoire" and (d.row, d.column) in cells)]
    by_row = {record.row: record for record in records}
    for row, column in sorted(table.uncached):
        record = by_row.get(row)
        if record is None:
            continue
        name = field_of[column]
        record.values.pop(name, None)
        record.fail(name)
        kept.append(make("formule_sans_valeur", record.cell(name)))
    return kept


def _normalise_block(table: Table, rows: list[tuple[int, list[Any]]], columns: list[_Column],
                     records: list[Record], diagnostics: list[Diagnostic]) -> None:
    """Normalise `rows` column by column, then build their records in order."""
    count = len(rows)
    numbers = list(map(itemgetter(0), rows))
    raws = list(map(itemgetter(1), rows))
    width = min(map(len, raws))
    by_column = list(zip(*raws, strict=False))  # the block transposed, up to its shortest row: each row is visited once
    names: list[str] = []
    outcomes: list[list[Any]] = []
    absent: list[tuple[str, list[int]]] = []  # (field, rows where it is absent)
    flagged: set[int] = set()
    for column in columns:
        index = column.index
        if index < width:
            cells = list(by_column[index])
        else:
            cells = [raw[index] if index < len(raw) else None for raw in raws]
        block = column.block(cells)
        if block is None:  # every cell absent: the field is left out of this block
            continue
        outs, absent_rows, flagged_rows = block
        names.append(column.name)
        outcomes.append(outs)
        if absent_rows:
            absent.append((column.name, absent_rows))
        flagged.update(flagged_rows)
    by_row = list(zip(*outcomes, strict=True)) if outcomes else [()] * count
    values = list(map(dict, map(zip, repeat(names), by_row)))
    for name, where in absent:  # then absent values out: cheaper than filtering each row, same key order
        for i in where:
            del values[i][name]
    first = len(records)
    records.extend(map(Record, repeat(table, count), numbers, raws, values))
    for i in sorted(flagged):
        _flagged_row(records[first + i], names, by_row[i], diagnostics)


def _flagged_row(record: Record, names: list[str], outs: tuple[Any, ...], diagnostics: list[Diagnostic]) -> None:
    """Redo the values of a row with repairs or failures, and report each at its cell."""
    values = record.values = {}
    for name, out in zip(names, outs, strict=True):
        if out.__class__ is _Flagged:
            if out.failed:
                record.fail(name)
            else:
                values[name] = out.value
            diagnostics.append(from_issue(out.issue, record.cell(name)))
        elif out is not _ABSENT:
            values[name] = out
