"""The Demandes table model and its filters, on the demo workspace."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.lifecycle import load_lifecycle
from segur_desktop.core.register.store import Entry
from segur_desktop.core.workspace import load_workspace
from segur_desktop.gui.models.demandes_model import (
    AMOUNT,
    DEMANDE_ROLE,
    ERRORS,
    IDENTIFIER,
    STATUS,
    TRACKING,
    VALID,
    WARNINGS,
    DemandesFilter,
    DemandesModel,
)


@pytest.fixture(scope="module")
def demandes():
    workspace = load_workspace(Path(__file__).parents[2] / "resources" / "demo")
    return run_pipeline(workspace, workspace.judged_at).demandes


def test_model_passes_qt_model_tester(qtmodeltester, demandes) -> None:
    model = DemandesModel(demandes)
    qtmodeltester.check(model)
    proxy = DemandesFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_rows_show_the_demande_in_french(demandes) -> None:
    model = DemandesModel(demandes)
    assert model.rowCount() == 38 and model.columnCount() == 8
    assert model.headerData(AMOUNT, Qt.Orientation.Horizontal) == "Montant demandé HT"
    first = demandes[0]
    assert model.data(model.index(0, AMOUNT)).endswith(" €")
    assert model.data(model.index(0, 0, )) == first.couloir.code
    assert model.data(model.index(0, 0), DEMANDE_ROLE) is first
    labels = {model.data(model.index(r, STATUS)) for r in range(model.rowCount())}
    assert labels == {"valide", "avertissements", "erreurs"}


def test_identifiers_are_named_as_the_user_says_them(demandes) -> None:
    """« FINESS ET 130185028 », never the data's key « FINESS_ET »."""
    model = DemandesModel(demandes)
    shown = {model.data(model.index(r, IDENTIFIER)).rsplit(" ", 1)[0] for r in range(model.rowCount())}
    assert "FINESS ET" in shown and not any("_" in kind for kind in shown)


def test_filters_by_couloir_status_and_text(demandes) -> None:
    model = DemandesModel(demandes)
    proxy = DemandesFilter()
    proxy.setSourceModel(model)
    proxy.set_filters(couloirs={"MDV"}, types={"solde"})
    assert proxy.rowCount() == 3
    proxy.set_filters(statuses={ERRORS})
    assert proxy.rowCount() == 6
    proxy.set_filters(statuses={VALID, WARNINGS})
    assert proxy.rowCount() == 32
    proxy.set_filters(text="bdc-2022-0029")  # case-insensitive, on the BDC number
    assert proxy.rowCount() == 1
    proxy.set_filters()
    assert proxy.rowCount() == 38


def test_amounts_sort_as_numbers_and_errors_first(demandes) -> None:
    model = DemandesModel(demandes)
    proxy = DemandesFilter()
    proxy.setSourceModel(model)
    proxy.sort(AMOUNT, Qt.SortOrder.DescendingOrder)
    amounts = [proxy.data(proxy.index(r, AMOUNT), DEMANDE_ROLE).fields.get("demande.montant_ht") for r in range(38)]
    numbers = [float(a) for a in amounts]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == 7924.79  # the MSSanté operator: 26 415,97 € × 30 %
    proxy.sort(STATUS, Qt.SortOrder.AscendingOrder)
    assert proxy.data(proxy.index(0, STATUS)) == "erreurs"


def test_reset_with_new_demandes(qtbot, demandes) -> None:
    model = DemandesModel(demandes)
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_demandes(demandes[:5])
    assert model.rowCount() == 5


def test_the_suivi_column_says_where_a_demande_stands_in_the_register(demandes) -> None:
    first = demandes[0]
    at = datetime(2022, 12, 1, tzinfo=PARIS)
    entry = Entry(first.id, first.couloir.code, first.type, "FINESS_ET", "x", "y", "DPI", "s", "B", Decimal(1),
                  Decimal(1), None, "validee", at, "depot", at)
    model = DemandesModel(demandes, register=RegisterIndex.from_entries([entry], load_lifecycle()))
    assert model.headerData(TRACKING, Qt.Orientation.Horizontal) == "Suivi"
    assert model.data(model.index(0, TRACKING)) == "Validée"
    assert model.data(model.index(1, TRACKING)) == ""
    assert DemandesModel(demandes).data(model.index(0, TRACKING)) == ""
