"""Join each BDC row to its client row, by every key the row carries.

Real BDC lists seldom share a client code with the client list: a row names its
client by the identifiers the portal uses (FINESS, SIRET, RPPS...), next to its
name. So a row is joined by all of its keys at once, each compared in its
normalised form (`core/normalise/`: spaces, dots and lost leading zeros already
dealt with), through one dict per kind of key built once from the client list:
the join stays linear however long both lists are.

- All the keys that find a client find the same one: joined, and the demande says
  by which key (`Join.key`).
- They find two different clients, or a key of the row contradicts the joined
  client's own value: error `identifiants_contradictoires`, naming both rows.
- A shared key (FINESS EJ, SIREN) finds several clients and nothing narrows them:
  error `client_ambigu`.
- No key finds a client: `client_inconnu`, with close clients (one digit off, same
  name) as a suggestion only. Never a join on a near-miss: a one-digit typo whose
  name matches a real client is a trap, not a match.

A client listed twice under the same identifier, the other identifiers agreeing, is
one client (warning `client_fusionne`); two rows sharing an identifier and
contradicting each other on another are an error (`client_duplique`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter, methodcaller
from typing import Any, NamedTuple, cast

from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import MIXED, KeyCatalog, key_catalog
from segur_desktop.core.mapping import table_specs
from segur_desktop.core.normalise.text import fold_key
from segur_desktop.core.source import Record, Table

MAX_SUGGESTIONS = 3
_DIGITS = "0123456789"


class KeyValue(NamedTuple):
    """One reading of one cell: `value` as a key of kind `id_kind` ("FINESS_ET", "CODE"...), read from `field`."""

    id_kind: str
    value: str
    field: str
    sure: bool  # False for one of several readings of a cell (a 9-digit FINESS or SIREN, FINESS ET or EJ)


class _Client:
    """A client of the list: its first row, and the readings of its rows' key cells.

    Compared by identity: two rows of one name are still two clients. The readings, and
    the values they give for sure, are only needed to check a contradiction: a client
    indexed at once (`ClientIndex._index_at_once`) reads them when first asked.
    """

    __slots__ = ("record", "_readings", "_reader", "_sure")

    def __init__(self, record: Record, readings: list[KeyValue] | None,
                 reader: Callable[[Record], list[KeyValue]]) -> None:
        self.record = record
        self._readings = readings
        self._reader = reader
        self._sure: dict[str, set[str]] | None = None

    @property
    def readings(self) -> list[KeyValue]:
        if self._readings is None:
            self._readings = self._reader(self.record)
        return self._readings

    def add(self, readings: list[KeyValue]) -> None:
        self._readings = self.readings + readings
        self._sure = None

    @property
    def sure(self) -> dict[str, set[str]]:
        """kind of key -> the values its rows give for sure."""
        if self._sure is None:
            self._sure = {}
            for key in self.readings:
                if key.sure:
                    self._sure.setdefault(key.id_kind, set()).add(key.value)
        return self._sure

    def contradiction(self, keys: list[KeyValue]) -> KeyValue | None:
        """The first sure key of `keys` whose kind this client has, under another value."""
        sure = self.sure
        for key in keys:
            if key.sure and key.id_kind in sure and key.value not in sure[key.id_kind]:
                return key
        return None


class Join(NamedTuple):
    client: Record
    key: str  # the kind of key that found it ("FINESS_ET", "CODE"...)


def field_kinds(list_kind: str, catalog: KeyCatalog | None = None) -> dict[str, tuple[str, ...]]:
    """field -> the kinds of key its values may be, in the list `list_kind` ("clients" or "bdc")."""
    catalog = catalog or key_catalog()
    return {name: catalog.kinds_of(spec.join_key) for name, spec in table_specs()[list_kind].fields.items() if spec.join_key}


KeyFields = list[tuple[str, tuple[str, ...]]]  # (field, the kinds its values may be) of a table's mapped key columns
# `ClientIndex._quick`'s view of KeyFields: (field, [(kind, its index, unique?)], a plain value is sure of its kind)
_Plan = list[tuple[str, list[tuple[str, "dict[str, list[_Client]]", bool]], bool]]


def record_keys(record: Record, fields: KeyFields) -> list[KeyValue]:
    """Every reading of the record's key cells; a mixed cell's value is already a tuple of readings."""
    values = record.values
    keys: list[KeyValue] = []
    for name, possible in fields:
        value = values.get(name)
        if value is None:
            continue
        if value.__class__ is tuple:  # a mixed column: (kind of key, value) readings
            sure = len(value) == 1
            keys += [KeyValue(id_kind, text, name, sure) for id_kind, text in value]
        elif len(possible) == 1:
            keys.append(KeyValue(possible[0], value, name, True))
        else:
            keys += [KeyValue(id_kind, value, name, False) for id_kind in possible]
    return keys


def column_kinds(list_kind: str, columns: dict[str, int], headers: list[str],
                 catalog: KeyCatalog | None = None) -> dict[str, list[str]]:
    """kind of key -> the fields that carry it, in a `list_kind` table mapped as `columns` under `headers`.

    A mixed column carries the kinds its header allows (every kind when it names none).
    """
    catalog = catalog or key_catalog()
    found: dict[str, list[str]] = {}
    specs = table_specs()[list_kind].fields
    for name, index in columns.items():
        cle = specs[name].join_key if name in specs else None
        if not cle:
            continue
        if cle == MIXED:
            hints = catalog.hinted(headers[index])
            kinds = [k for k in catalog.kinds_of(MIXED) if not hints or k in hints]
        else:
            kinds = list(catalog.kinds_of(cle))
        for id_kind in kinds:
            found.setdefault(id_kind, []).append(name)
    if "SIRET" in found and list_kind == "clients":
        found.setdefault("SIREN", [])  # a client's SIRET begins with its SIREN: a BDC may give only the SIREN
    return found


def table_kinds(table: Table) -> dict[str, list[str]]:
    """`column_kinds` of a mapped table."""
    return column_kinds(table.list_kind, table.columns, table.headers)


@dataclass(frozen=True, slots=True)
class JoinKeys:
    """The kinds of key (French labels, in the catalogue's order) each list carries, and those both do."""

    shared: list[str]  # what the join can use: empty, and `validate` refuses the pair
    clients: list[str]
    bdc: list[str]


def join_keys(on_clients: dict[str, list[str]], on_bdc: dict[str, list[str]]) -> JoinKeys:
    """What two lists carrying these kinds of key (`column_kinds` of each) can be joined by."""
    labels = key_catalog().labels
    return JoinKeys([label for id_kind, label in labels.items() if id_kind in on_clients and id_kind in on_bdc],
                    [label for id_kind, label in labels.items() if id_kind in on_clients],
                    [label for id_kind, label in labels.items() if id_kind in on_bdc])


class ClientIndex:
    """The client list indexed by every kind of key the BDC lists carry: one dict per kind, built once.

    `kinds` (default: all) are the kinds the BDC lists can give (`table_kinds`): a list joined by
    client code is indexed by code alone, as 100k clients indexed by every identifier they carry
    would cost 40 MB for nothing. A client listed twice is found through these kinds too.
    """

    def __init__(self, clients: list[Record], kinds: Iterable[str] | None = None,
                 catalog: KeyCatalog | None = None) -> None:
        self.catalog = catalog or key_catalog()
        self.wanted = frozenset(self.catalog.labels if kinds is None else kinds)
        self.diagnostics: list[Diagnostic] = []
        self.by_key: dict[str, dict[str, list[_Client]]] = {id_kind: {} for id_kind in self.catalog.labels}
        self.clients: dict[int, _Client] = {}  # id(record) -> its client (a merged row: the first row's)
        self._by_name: dict[str, list[_Client]] | None = None  # for suggestions only, made when first needed
        self._by_body: dict[str, dict[str, list[tuple[str, _Client]]]] = {}  # the same, per kind of key
        self._by_siren: dict[str, list[_Client]] | None = None  # the same, by company
        self._kinds = {list_kind: field_kinds(list_kind, self.catalog) for list_kind in ("clients", "bdc")}
        self._fields: dict[int, KeyFields] = {}  # id(table) -> its mapped key fields
        self._plans: dict[int, tuple[KeyFields, _Plan]] = {}  # id(key fields) -> them, and `_quick`'s plan of them
        with gc_paused():  # a client object per row, none of them garbage (see core.gcpause)
            if not self._index_at_once(clients):
                for record in clients:
                    self._add(record, self._client_keys(record))

    def _client_keys(self, record: Record) -> list[KeyValue]:
        """A client row's readings, with the SIREN its SIRET begins with (a BDC may name the company)."""
        keys = [key for key in record_keys(record, self._key_fields(record.table)) if key.id_kind in self.wanted]
        if "siret" in record.values and "SIREN" in self.wanted:
            keys.append(KeyValue("SIREN", record.values["siret"][:9], "siret", False))
        return keys

    def _index_at_once(self, clients: list[Record]) -> bool:
        """Index the common list in a few C calls per column: one table, each key column of one kind,
        no identifier of a unique kind repeated (so no row to merge or report). False, having indexed
        nothing, for any other list: `_add` then takes it row by row.

        Row by row costs 4 µs a client (80 ms for 20k, a sixth of a whole validation).
        """
        if not clients or any(record.table is not clients[0].table for record in clients):
            return not clients
        fields = self._key_fields(clients[0].table)
        if any(len(kinds) != 1 for _name, kinds in fields):
            return False
        values = list(map(attrgetter("values"), clients))
        columns: list[tuple[str, list[str | None]]] = []
        for name, (id_kind,) in fields:
            derived = name == "siret" and "SIREN" in self.wanted  # a BDC may name the company by its SIREN
            if id_kind not in self.wanted and not derived:
                continue
            column = list(map(methodcaller("get", name), values))
            if id_kind in self.wanted:
                distinct = set(column)
                distinct.discard(None)
                if id_kind in self.catalog.unique and len(distinct) != len(column) - column.count(None):
                    return False
                columns.append((id_kind, column))
            if derived:
                columns.append(("SIREN", [value[:9] if value is not None else None for value in column]))
        reader = self._client_keys  # one bound method for all (each access makes a new one)
        entries = [_Client(record, None, reader) for record in clients]
        self.clients = dict(zip(map(id, clients), entries, strict=True))
        alone = list(map(list, zip(entries)))  # [entry] for each entry, made in C
        for id_kind, column in columns:
            index = self.by_key[id_kind]
            if id_kind in self.catalog.unique:  # no value repeated: one client each (the empty cells' None is dropped)
                with_none = cast("dict[str | None, list[_Client]]", index)  # None goes in with the rest, in C, then out
                with_none.update(zip(column, alone, strict=True))
                with_none.pop(None, None)
            else:
                for value, entry in zip(column, entries, strict=True):
                    if value is not None:
                        index.setdefault(value, []).append(entry)
        return True

    def _key_fields(self, table: Table) -> KeyFields:
        """The key fields a table maps, found once per table (records share their table)."""
        fields = self._fields.get(id(table))
        if fields is None:
            kinds = self._kinds[table.list_kind]
            fields = self._fields[id(table)] = [(name, kinds[name]) for name in table.columns if name in kinds]
        return fields

    def _add(self, record: Record, keys: list[KeyValue]) -> None:
        """Index a client row; one repeating a listed client's identifier is merged into it, or reported."""
        values = record.values
        same = self._same_client(keys)
        if not same:
            client = _Client(record, keys, self._client_keys)
        elif len(same) == 1 and same[0].contradiction(keys) is None:
            client = same[0]
            client.add(keys)
            self.diagnostics.append(make(
                "client_fusionne", record.cell("name") or record.row_cell(), first_row=client.record.row,
                name=values.get("name", "?"), first_name=client.record.values.get("name", "?")))
        else:
            self.diagnostics.append(self._duplicate(record, keys, same[0]))
            client = _Client(record, keys, self._client_keys)
        self.clients[id(record)] = client
        by_key = self.by_key
        for id_kind, value, _field, _sure in keys:
            entries = by_key[id_kind].get(value)
            if entries is None:
                by_key[id_kind][value] = [client]
            elif client not in entries:
                entries.append(client)

    def _duplicate(self, record: Record, keys: list[KeyValue], other: _Client) -> Diagnostic:
        """A client row sharing an identifier with a listed client and contradicting it on another."""
        unique = self.catalog.unique
        clash = other.contradiction(keys) or next(k for k in keys if k.sure and k.id_kind in unique)
        shared = next((k for k in keys if k.sure and k.id_kind in unique and k.value in other.sure.get(k.id_kind, ())),
                      clash)
        return make("client_duplique", record.cell(shared.field) or record.row_cell(),
                    key=self.catalog.labels[shared.id_kind], value=shared.value, first_row=other.record.row,
                    other=self.catalog.labels[clash.id_kind])

    def _same_client(self, keys: list[KeyValue]) -> list[_Client]:
        """The clients already listed that a sure unique key of `keys` designates."""
        found: list[_Client] = []
        for key in keys:
            if key.sure and key.id_kind in self.catalog.unique:
                for client in self.by_key[key.id_kind].get(key.value, ()):
                    if client not in found:
                        found.append(client)
        return found

    def find(self, bdc: Record) -> tuple[Join | None, Diagnostic | None]:
        """The client a BDC row designates, or the diagnostic saying why there is none.

        (None, None): the row's key cells are unreadable, which is already reported at those cells.
        """
        fields = self._key_fields(bdc.table)
        if len(fields) == 1 and len(fields[0][1]) == 1:  # one key column of one kind: a client code, a SIRET...
            clients = self.by_key[fields[0][1][0]].get(bdc.values.get(fields[0][0]))  # type: ignore[arg-type]
            if clients is not None and len(clients) == 1:
                return Join(clients[0].record, fields[0][1][0]), None
        join = self._quick(bdc.values, fields)
        if join is not None:
            return join, None
        keys = record_keys(bdc, fields)
        if not keys:
            if any(name in bdc.failed for name in self._kinds["bdc"]):
                return None, None
            return None, make("client_sans_identifiant", bdc.cell("client_name") or bdc.row_cell(),
                              keys=self._key_labels())
        strong: dict[int, tuple[_Client, KeyValue]] = {}
        weak: list[tuple[KeyValue, list[_Client]]] = []
        unmatched: list[KeyValue] = []  # sure keys no client has: they may contradict the one joined
        for key in keys:
            found = self.by_key[key.id_kind].get(key.value)
            if not found:
                if key.sure:
                    unmatched.append(key)
                continue
            if key.id_kind in self.catalog.unique:
                for client in found:
                    strong.setdefault(id(client), (client, key))
            else:
                weak.append((key, found))
        if len(strong) > 1:
            (a, key_a), (b, key_b) = list(strong.values())[:2]
            return None, self._contradiction(bdc, key_b, self._designates(a, key_a, b, key_b))
        if strong:
            client, by = next(iter(strong.values()))
            for key, found in weak:
                if client not in found:
                    return None, self._contradiction(bdc, key, self._designates(client, by, found[0], key))
        elif weak:
            common = [c for c in weak[0][1] if all(c in found for _key, found in weak[1:])]
            if not common:
                key_a, found_a = weak[0]
                key_b, found_b = next(((k, f) for k, f in weak[1:] if not any(c in found_a for c in f)), weak[1])
                return None, self._contradiction(bdc, key_b, self._designates(found_a[0], key_a, found_b[0], key_b))
            if len(common) > 1:
                key = weak[0][0]
                return None, make("client_ambigu", bdc.cell(key.field) or bdc.row_cell(),
                                  key=self.catalog.labels[key.id_kind], value=key.value,
                                  rows=", ".join(str(c.record.row) for c in common[:8]))
            client, by = common[0], weak[0][0]
        else:
            return None, self._unknown(bdc, keys)
        clash = client.contradiction(unmatched) if unmatched else None  # a matched key is the client's own
        if clash is not None:
            detail = _("la ligne désigne « {name} » (ligne {row} de la liste des clients) par son {by} « {value} », "
                       "mais donne le {kind} « {other} » alors que ce client a « {own} ».").format(
                name=client.record.values.get("name", "?"), row=client.record.row, by=self.catalog.labels[by.id_kind],
                value=by.value, kind=self.catalog.labels[clash.id_kind], other=clash.value,
                own=", ".join(sorted(client.sure[clash.id_kind])))
            return None, self._contradiction(bdc, clash, detail)
        return Join(client.record, by.id_kind), None

    def _quick(self, values: dict[str, Any], fields: KeyFields) -> Join | None:
        """The common case without building readings: the row's unique keys find one client, every
        shared one that finds anything finds it too, and no key of its own kind is left unfound
        (it might contradict the client). Anything else is for `find`'s full path: None then.
        """
        by_key, unique = self.by_key, self.catalog.unique
        found: _Client | None = None
        by = ""
        shared: list[list[_Client]] = []  # what the readings of shared kinds found: the client must be in each
        for name, plain, plain_sure in self._plan(fields):
            value = values.get(name)
            if value is None:
                continue
            if value.__class__ is tuple:  # a mixed cell's readings: (kind of key, key)
                sure = len(value) == 1
                for id_kind, text in value:
                    clients = by_key[id_kind].get(text)
                    if clients is None:
                        if sure:
                            return None
                    elif id_kind not in unique:
                        shared.append(clients)
                    elif len(clients) != 1 or (found is not None and clients[0] is not found):
                        return None
                    elif found is None:
                        found, by = clients[0], id_kind
                continue
            for id_kind, index, is_unique in plain:  # the same, for a plain cell read as each kind of its field
                clients = index.get(value)
                if clients is None:
                    if plain_sure:
                        return None
                elif not is_unique:
                    shared.append(clients)
                elif len(clients) != 1 or (found is not None and clients[0] is not found):
                    return None
                elif found is None:
                    found, by = clients[0], id_kind
        if found is None or (shared and any(found not in clients for clients in shared)):
            return None
        return Join(found.record, by)

    def _plan(self, fields: KeyFields) -> _Plan:
        """`fields` for `_quick`: each field with, for each kind of key, its index and whether the kind is unique,
        and whether a plain value of the field is sure of its kind (one kind). Made once per table's fields."""
        kept = self._plans.get(id(fields))
        if kept is None:
            unique = self.catalog.unique
            kept = self._plans[id(fields)] = (fields, [
                (name, [(id_kind, self.by_key[id_kind], id_kind in unique) for id_kind in kinds], len(kinds) == 1)
                for name, kinds in fields])
        return kept[1]

    def _designates(self, a: _Client, key_a: KeyValue, b: _Client, key_b: KeyValue) -> str:
        return _("le {kind_a} « {value_a} » désigne « {name_a} » (ligne {row_a} de la liste des clients), le "
                 "{kind_b} « {value_b} » désigne « {name_b} » (ligne {row_b}).").format(
            kind_a=self.catalog.labels[key_a.id_kind], value_a=key_a.value, name_a=a.record.values.get("name", "?"),
            row_a=a.record.row, kind_b=self.catalog.labels[key_b.id_kind], value_b=key_b.value,
            name_b=b.record.values.get("name", "?"), row_b=b.record.row)

    @staticmethod
    def _contradiction(bdc: Record, key: KeyValue, detail: str) -> Diagnostic:
        return make("identifiants_contradictoires", bdc.cell(key.field) or bdc.row_cell(), detail=detail)

    def _key_labels(self) -> str:
        return ", ".join(self.catalog.labels[id_kind] for id_kind in self.catalog.labels)

    def _unknown(self, bdc: Record, keys: list[KeyValue]) -> Diagnostic:
        said: list[str] = []
        for key in keys:
            text = _("{kind} « {value} »").format(
                kind=self.catalog.label([k.id_kind for k in keys if k.field == key.field]), value=key.value)
            if text not in said:
                said.append(text)
        close = self._suggestions(bdc, keys)
        hint = _(" Clients proches, à vérifier (jamais rapprochés d'office) : {close}.").format(
            close=" ; ".join(close)) if close else ""
        first = keys[0]
        return make("client_inconnu", bdc.cell(first.field) or bdc.row_cell(), keys=_(" ni ").join(said), hint=hint)

    def _suggestions(self, bdc: Record, keys: list[KeyValue]) -> list[str]:
        """Clients whose identifier is a near miss of a key of the row, then clients of the same name.

        A near miss is a number whose body (all but its check digit) differs from the row's by one
        digit or two swapped neighbours: a typo that a key still lets through has a new key too.
        """
        found: list[str] = []
        seen: set[int] = set()

        def say(client: _Client, why: str) -> None:
            if id(client) not in seen and len(found) < MAX_SUGGESTIONS:
                seen.add(id(client))
                found.append(_("« {name} » (ligne {row} : {why})").format(
                    name=client.record.values.get("name", "?"), row=client.record.row, why=why))

        for key in keys:
            bodies = self._bodies(key.id_kind)
            for variant in _near(key.value[:-1]):
                for value, client in bodies.get(variant, ()):
                    say(client, _("{kind} {value}, numéro très proche").format(
                        kind=self.catalog.labels[key.id_kind], value=value))
        for key in keys:
            if key.id_kind == "SIRET":  # an establishment of a company the list names by its SIREN, or by another SIRET
                for client in self._companies().get(key.value[:9], ()):
                    say(client, _("SIREN {siren}, l'entreprise de ce SIRET").format(siren=key.value[:9]))
        name = bdc.values.get("client_name")
        if name:
            for client in self._names().get(fold_key(name), ()):
                say(client, _("même nom"))
        return found

    def _bodies(self, id_kind: str) -> dict[str, list[tuple[str, _Client]]]:
        """A kind of key's values by their body (without the check digit), made when a row first needs it."""
        bodies = self._by_body.get(id_kind)
        if bodies is None:
            bodies = self._by_body[id_kind] = {}
            for value, clients in self.by_key[id_kind].items():
                for client in clients:
                    bodies.setdefault(value[:-1], []).append((value, client))
        return bodies

    def _companies(self) -> dict[str, list[_Client]]:
        """Clients by SIREN, declared or the first nine digits of a SIRET, whatever kinds the BDC lists give
        (the index holds only those): a suggestion for a SIRET no client has, made when a row first needs it."""
        if self._by_siren is None:
            self._by_siren = {}
            for client in {id(c): c for c in self.clients.values()}.values():
                record = client.record
                readings = record_keys(record, self._key_fields(record.table))
                for siren in {key.value if key.id_kind == "SIREN" else key.value[:9] for key in readings
                              if key.id_kind in ("SIREN", "SIRET")}:
                    self._by_siren.setdefault(siren, []).append(client)
        return self._by_siren

    def _names(self) -> dict[str, list[_Client]]:
        if self._by_name is None:
            self._by_name = {}
            for client in {id(c): c for c in self.clients.values()}.values():
                name = client.record.values.get("name")
                if name:
                    self._by_name.setdefault(fold_key(name), []).append(client)
        return self._by_name


def _near(value: str) -> Iterator[str]:
    """`value` itself, with one digit changed, or with two neighbouring digits swapped."""
    yield value
    for i, digit in enumerate(value):
        if digit in _DIGITS:
            for other in _DIGITS:
                if other != digit:
                    yield value[:i] + other + value[i + 1:]
    for i in range(len(value) - 1):
        if value[i] != value[i + 1]:
            yield value[:i] + value[i + 1] + value[i] + value[i + 2:]
