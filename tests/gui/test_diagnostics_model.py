"""The grouped diagnostics tree, on the demo workspace."""

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex

from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace
from segur_desktop.gui.models.diagnostics_model import DIAGNOSTIC_ROLE, PLACE, DiagnosticsModel


@pytest.fixture(scope="module")
def diagnostics():
    workspace = load_workspace(Path(__file__).parents[2] / "resources" / "demo")
    return run_pipeline(workspace, workspace.judged_at).diagnostics


def test_passes_qt_model_tester(qtmodeltester, diagnostics) -> None:
    qtmodeltester.check(DiagnosticsModel(diagnostics))


def test_groups_by_code_errors_first_with_counts(diagnostics) -> None:
    model = DiagnosticsModel(diagnostics)
    titles = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert len(titles) == 12  # 9 error codes, 2 warning codes, 1 information code
    assert titles[0].startswith("1 × ") and titles[-1] == "4 × Plafond non vérifié"
    group_row = next(r for r, t in enumerate(titles) if "Client introuvable" in t)
    group = model.index(group_row, 0)
    assert model.rowCount(group) == 1
    child = model.index(0, PLACE, group)
    assert model.data(child) == "bons_de_commande.xlsx › BDC signés, ligne 12, colonne B (Code client)"
    assert model.data(child, DIAGNOSTIC_ROLE).code == "client_inconnu"
    assert model.parent(child) == model.index(group_row, 0)
    assert model.parent(group) == QModelIndex()


def test_empty_then_filled(qtbot, diagnostics) -> None:
    model = DiagnosticsModel()
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_diagnostics(diagnostics)
    assert model.rowCount() == 12


def test_groups_come_errors_then_warnings_then_infos(diagnostics) -> None:
    """The order is the core's (`core.report.group`): 9 error codes, then 2 warnings, then 1 information."""
    model = DiagnosticsModel(diagnostics)
    severities = [model.data(model.index(0, 0, model.index(r, 0)), DIAGNOSTIC_ROLE).severity
                  for r in range(model.rowCount())]
    assert severities == [Severity.ERROR] * 9 + [Severity.WARNING] * 2 + [Severity.INFO]
    codes = [model.data(model.index(0, 0, model.index(r, 0)), DIAGNOSTIC_ROLE).code for r in range(9)]
    assert codes == sorted(codes)
