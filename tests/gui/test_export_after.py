"""After « Exporter », the page plans again against the register: what was just exported is not offered again."""

from PySide6.QtCore import Qt
from windowjobs import export_page_settled as settled
from windowjobs import run_job as run

from segur_desktop.gui.main_window import MainWindow

EXPORT_TIMEOUT = 30000


def test_after_an_export_nothing_is_left_to_export_and_the_button_is_disabled(qtbot, demo_window: MainWindow) -> None:
    page = settled(qtbot, demo_window)
    assert page.plan.exported == 29 and page.export_button.isEnabled()
    with qtbot.waitSignal(demo_window.session.validated, timeout=EXPORT_TIMEOUT):  # the register changed: checked again
        run(qtbot, demo_window, lambda: qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton))
    settled(qtbot, demo_window)
    model = page.groups_model
    assert model.rowCount() > 0
    assert {model.index(r, 2).data() for r in range(model.rowCount())} == {"0"}  # « À exporter »
    assert page.plan.exported == 0
    assert not page.export_button.isEnabled()
    assert page.summary.text().startswith("0 demande(s) à exporter")
    assert "Dont 29 déjà exportée(s), sans statut du portail" in page.summary.text()
    reasons = [page.left_out_model.index(r, 0).data() for r in range(page.left_out_model.rowCount())]
    assert reasons.count("Déjà exportée") == 29
    assert page.result.text().startswith(f"Paquet écrit et vérifié : {page.bundle}")  # the export's report stays


def test_exporting_again_is_a_deliberate_choice(qtbot, demo_window: MainWindow) -> None:
    page = settled(qtbot, demo_window)
    with qtbot.waitSignal(demo_window.session.validated, timeout=EXPORT_TIMEOUT):
        run(qtbot, demo_window, page.export)
    settled(qtbot, demo_window)
    assert page.again.isVisibleTo(page) and not page.again.isChecked()
    page.again.setChecked(True)
    qtbot.waitUntil(lambda: page.plan is not None and not page.planning, timeout=EXPORT_TIMEOUT)
    assert page.plan.exported == 29 and page.export_button.isEnabled()
    first = page.bundle
    with qtbot.waitSignal(demo_window.session.validated, timeout=EXPORT_TIMEOUT):
        run(qtbot, demo_window, page.export)
    settled(qtbot, demo_window)
    assert page.bundle != first and not page.again.isChecked()  # ticked for one export only
    assert page.plan.exported == 0 and not page.export_button.isEnabled()
