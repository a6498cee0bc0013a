"""The Suivi page shows an avance's avenants and their status: a column, its tooltip, the details pane (#21)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from windowjobs import settle_tracking as settle

from segur_desktop.core.register.avenants import NewAvenant
from segur_desktop.core.register.store import StatusChange
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.register_model import AVENANTS

TIMEOUT = 30000


def test_an_avances_avenants_are_shown_with_their_status(qtbot, qtmodeltester, tracked: MainWindow) -> None:
    page = tracked.tracking
    register = page.tracking.register
    avance = next(e for e in page.tracking.entries if e.bdc_number == "BDC-2022-0009")
    assert page.model.headerData(AVENANTS, Qt.Orientation.Horizontal) == "Dernier avenant"
    row = page.model.row_of(avance.id)
    assert page.model.index(row, AVENANTS).data() == ""  # no avenant yet
    register.set_status([StatusChange(avance.id, "validee")], source="test")
    register.add_avenants([NewAvenant(avance.id, 1, "decidee_payee"), NewAvenant(avance.id, 2, "en_cours")],
                          source="test")
    with qtbot.waitSignal(tracked.session.tracked, timeout=TIMEOUT):
        tracked.session.register_changed.emit()
    settle(qtbot, tracked)
    index = page.model.index(page.model.row_of(avance.id), AVENANTS)
    assert index.data() == "n° 2 : En cours"
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Avenant n° 1 : Décidée et payée (depuis le ") and "\nAvenant n° 2 : En cours" in tooltip
    assert page.select_demandes([avance.id]) == 1
    settle(qtbot, tracked)
    label = page.history_label.text()
    assert "Avenant n° 1 : Décidée et payée" in label and "Avenant n° 2 : En cours" in label
    history = page.history_model
    comments = [history.index(r, c).data() for r in range(history.rowCount()) for c in range(history.columnCount())]
    assert "avenant n° 2 enregistré : « En cours »" in comments
    # the demo's solde of this BDC now waits for avenant n° 2
    codes = [d.code for d in tracked.session.validation.result.diagnostics if d.code == "solde_avenant_non_paye"]
    assert codes == ["solde_avenant_non_paye"]
    qtmodeltester.check(page.model)
