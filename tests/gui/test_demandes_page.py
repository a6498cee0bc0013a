"""The Demandes page driven as a user would: filter, click a problem, see its cell, open the file."""

from pathlib import Path

from PySide6.QtCore import Qt

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.demandes_model import DEMANDE_ROLE
from segur_desktop.gui.models.diagnostics_model import DIAGNOSTIC_ROLE
from segur_desktop.gui.models.source_model import FILE, ROW, SourceModel


def page(window: MainWindow):
    window.navigation.setCurrentRow(2)
    return window.demandes


def test_table_lists_every_demande_and_filters(qtbot, demo_window: MainWindow) -> None:
    requests = page(demo_window)
    total = len(demo_window.session.validation.result.demandes)
    assert requests.proxy.rowCount() == total
    assert requests.shown_label.text() == f"{total} demandes affichées sur {total}"
    requests.couloir_filter.setCurrentIndex(requests.couloir_filter.findData("MDV"))
    shown = requests.proxy.rowCount()
    assert 0 < shown < total
    assert all(requests.proxy.index(r, 0).data() == "MDV" for r in range(shown))
    requests.status_filter.setCurrentIndex(1)  # En erreur
    assert all(requests.proxy.index(r, 6).data() == "erreurs" for r in range(requests.proxy.rowCount()))
    requests.clear_filters()
    qtbot.keyClicks(requests.search, "bdc-2022-0029")
    assert requests.proxy.rowCount() == 1
    assert requests.shown_label.text() == f"1 demandes affichées sur {total}"


def first_occurrence(requests, with_request: bool):
    model = requests.diagnostics_model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, 0, group)
            diagnostic = index.data(DIAGNOSTIC_ROLE)
            if bool(diagnostic.request) == with_request:
                return index, diagnostic
    raise AssertionError("no such diagnostic in the demo")




def test_clicking_a_problem_selects_its_demande_and_shows_the_cell(qtbot, demo_window: MainWindow) -> None:
    requests = page(demo_window)
    requests.couloir_filter.setCurrentIndex(requests.couloir_filter.findData("PHA"))  # may hide the demande
    index, diagnostic = first_occurrence(requests, with_request=True)
    requests.tree.scrollTo(index)
    qtbot.mouseClick(requests.tree.viewport(), Qt.MouseButton.LeftButton, pos=requests.tree.visualRect(index).center())
    selected = requests.selected_demande()
    assert selected is not None and selected.id == diagnostic.request
    assert diagnostic.message in requests.detail.text()
    assert diagnostic.fix in requests.detail.text()
    row = requests.source_model.highlighted_row()
    assert row is not None  # the diagnostic's own cell, in bold, selected
    value = requests.source_model.value(row)
    assert (str(value.file), value.row, value.column) == (diagnostic.file, diagnostic.row, diagnostic.column or "")
    assert requests.source_view.selectionModel().currentIndex().row() == row
    assert requests.source_model.index(row, ROW).data() == str(diagnostic.row)


def test_a_problem_without_demande_shows_its_own_cell(qtbot, demo_window: MainWindow) -> None:
    requests = page(demo_window)
    index, diagnostic = first_occurrence(requests, with_request=False)
    requests.tree.setCurrentIndex(index)
    assert requests.selected_demande() is None
    assert requests.source_model.rowCount() == 1
    assert requests.source_model.index(0, FILE).data() == Path(diagnostic.file).name


def test_keyboard_walks_the_problems(qtbot, demo_window: MainWindow) -> None:
    requests = page(demo_window)
    requests.tree.setFocus()
    requests.tree.setCurrentIndex(requests.diagnostics_model.index(0, 0))
    qtbot.keyClick(requests.tree, Qt.Key.Key_Down)  # first occurrence of the first code
    diagnostic = requests.tree.currentIndex().data(DIAGNOSTIC_ROLE)
    assert diagnostic is not None
    assert diagnostic.message in requests.detail.text()


def test_open_source_file_button(qtbot, demo_window: MainWindow, monkeypatch) -> None:
    requests = page(demo_window)
    opened = []
    monkeypatch.setattr(demo_window, "open_path", opened.append)
    requests.open_source.disconnect()
    requests.open_source.connect(demo_window.open_path)
    assert not requests.open_button.isEnabled()
    index, diagnostic = first_occurrence(requests, with_request=True)
    requests.tree.setCurrentIndex(index)
    qtbot.mouseClick(requests.open_button, Qt.MouseButton.LeftButton)
    assert opened == [Path(diagnostic.file)]


def test_selecting_a_demande_lists_its_problems(qtbot, demo_window: MainWindow) -> None:
    requests = page(demo_window)
    requests.status_filter.setCurrentIndex(1)  # En erreur
    requests.table.selectRow(0)
    demande = requests.proxy.index(0, 0).data(DEMANDE_ROLE)
    assert demande.id in requests.detail.text()
    assert "•" in requests.detail.text()
    assert requests.source_model.rowCount() > 4  # client row and BDC row cells


def test_source_model_passes_the_model_tester(qtmodeltester, demo_window: MainWindow) -> None:
    model = SourceModel()
    model.show_demande(demo_window.session.validation.result.demandes[0])
    qtmodeltester.check(model)
