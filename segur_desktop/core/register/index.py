"""The register as validation and the dashboards need it: looked up by request, beneficiary and BDC, and totalled.

Validation takes a snapshot (`RegisterIndex.of`) before it starts, so a check
running in a worker never holds the database open, and 20k demandes are
compared with the register through dictionaries, not 20k queries. Each
avance's entry carries its avenants (`Entry.avenants`), so the snapshot holds
them too: a solde waits for its avance's last avenant (`last_avenant`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from segur_desktop.core.errors import InputError
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.register.avenants import Avenant, reference
from segur_desktop.core.register.lifecycle import Lifecycle
from segur_desktop.core.register.store import Entry, Register

BeneficiaryKey = tuple[str, str, str, str, str]  # type, couloir, software kind, identifier type, identifier


@dataclass(frozen=True, slots=True)
class RegisterIndex:
    lifecycle: Lifecycle
    by_id: dict[str, Entry]
    by_beneficiary: dict[BeneficiaryKey, list[Entry]]
    by_bdc: dict[tuple[str, str], list[Entry]]  # (type, match_key(BDC number))

    @classmethod
    def of(cls, register: Register) -> RegisterIndex:
        return cls.from_entries(register.entries(), register.lifecycle)

    @classmethod
    def from_entries(cls, entries: list[Entry], lifecycle: Lifecycle) -> RegisterIndex:
        """The index; a status outside the lifecycle is a French InputError naming its demandes (validation
        could not tell whether they are deposited)."""
        unknown: dict[str, list[str]] = {}
        for e in entries:
            if e.status not in lifecycle.statuses:
                unknown.setdefault(e.status, []).append(e.id)
            for a in e.avenants:
                if a.status not in lifecycle.statuses:
                    unknown.setdefault(a.status, []).append(reference(e.id, a.numero))
        if unknown:
            code, ids = next(iter(unknown.items()))
            raise InputError(lifecycle.unknown_in_register(code, ids))
        by_beneficiary: dict[BeneficiaryKey, list[Entry]] = {}
        by_bdc: dict[tuple[str, str], list[Entry]] = {}
        for e in entries:
            by_beneficiary.setdefault((e.type, e.couloir, e.software_kind, e.beneficiary_type, e.beneficiary_id),
                                      []).append(e)
            by_bdc.setdefault((e.type, match_key(e.bdc_number)), []).append(e)
        return cls(lifecycle, {e.id: e for e in entries}, by_beneficiary, by_bdc)

    def last_avenant(self, avance_id: str) -> Avenant | None:
        """The avance's avenant of the highest number (the one the portal's solde waits for), if any."""
        entry = self.by_id.get(avance_id)
        return entry.last_avenant if entry is not None else None

    def deposited(self, demande_id: str) -> Entry | None:
        """The register's entry for this very demande when the portal holds it (depositing it again is a doublon)."""
        entry = self.by_id.get(demande_id)
        return entry if entry is not None and self.lifecycle.status(entry.status).deposited else None


@dataclass(frozen=True, slots=True)
class Total:
    status: str
    couloir: str
    type: str
    count: int
    requested_ht: Decimal


def totals(entries: list[Entry]) -> list[Total]:
    """Counts and requested amounts by status, couloir and type (the Suivi page and the dashboard)."""
    found: dict[tuple[str, str, str], list[Any]] = {}  # -> [count, requested amount]
    for e in entries:
        total = found.setdefault((e.status, e.couloir, e.type), [0, Decimal(0)])
        total[0] += 1
        total[1] += e.requested_ht
    return [Total(status, couloir, kind, count, amount)
            for (status, couloir, kind), (count, amount) in sorted(found.items())]
