"""`ClientIndex._quick`, the join's common case made without building readings, answers only as the full path
would (issue #15: it now runs from a plan of each table's key fields made once)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from test_join import BDC_HEADERS, CLIENT_HEADERS, FINESS_EJ, FINESS_NEAR, SIRET_A, SIRET_B, clients
from testdata import FINESS_A, FINESS_B, RPPS_A, luhn_complete

from segur_desktop.core.join import ClientIndex, table_kinds
from segur_desktop.core.mapping import load_table
from segur_desktop.core.normalise.rows import normalise_table
from segur_desktop.core.workspace import load_workspace

SIRET_UNLISTED = luhn_complete(luhn_complete("87654321") + "0001")
# A BDC list with one column per kind: a plain value of a one-kind column is sure of its kind.
BY_KIND_HEADERS = ["N° commande", "Client", "FINESS", "SIRET", "RPPS", "Produit", "Couloir Ségur", "Type",
                   "Date commande", "Montant HT", "PDF BDC"]


@pytest.mark.parametrize("mixed_column", [True, False])
def test_quick_answers_as_the_full_path(make_workspace, monkeypatch, mixed_column: bool) -> None:
    both = luhn_complete("75000123")  # a FINESS and a SIREN
    client_rows = [*clients(), ["Société E", None, None, luhn_complete(both + "0001"), None, "69003", "Lyon"],
                   ["Centre F", both, FINESS_EJ, None, None, "75011", "Paris"]]
    finess = [None, FINESS_A, FINESS_B, FINESS_EJ, FINESS_NEAR, both, "2A0000000"]
    if mixed_column:
        others = [(m,) for m in (None, SIRET_A, SIRET_B, SIRET_UNLISTED, RPPS_A, int(RPPS_A), both, FINESS_A,
                                 f"{SIRET_A[:3]} {SIRET_A[3:]}", "12")]
    else:
        others = list(itertools.product([None, SIRET_A, SIRET_B, SIRET_UNLISTED], [None, RPPS_A]))
    rows = [[f"B{i}", "?", f, *other, "Test DPI 1.0.3", "Hôpital", "Avance", date(2022, 9, 1), 1000, f"B{i}.pdf"]
            for i, (f, other) in enumerate(itertools.product(finess, others))]
    folder = make_workspace(client_rows, rows, client_headers=CLIENT_HEADERS,
                            bdc_headers=BDC_HEADERS if mixed_column else BY_KIND_HEADERS)
    workspace = load_workspace(folder)
    client_table, bdc_table = load_table(workspace.clients, "clients"), load_table(workspace.bdc, "bdc")
    records, _ = normalise_table(client_table)
    bdcs, _ = normalise_table(bdc_table)
    index = ClientIndex(records, set(table_kinds(bdc_table)))
    fast = [index.find(bdc) for bdc in bdcs]
    quick_joins = sum(1 for bdc in bdcs if index._quick(bdc.values, index._key_fields(bdc.table)) is not None)
    monkeypatch.setattr(index, "_quick", lambda values, fields: None)
    slow = [index.find(bdc) for bdc in bdcs]
    assert [(j and (j.client.row, j.key), d and (d.code, d.row, d.column)) for j, d in fast] == \
        [(j and (j.client.row, j.key), d and (d.code, d.row, d.column)) for j, d in slow]
    assert quick_joins > 10 and sum(j is None for j, _d in fast) > 10  # both sides of the question are asked
