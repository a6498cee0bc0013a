"""The Demandes page's layout (#18): long texts whole in their tooltips, columns sized to content, and
splitters that are where the user left them when the window is opened again with the same settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from windowjobs import close_window, open_window

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.diagnostics_model import FIX, PLACE, PROBLEM
from segur_desktop.gui.models.source_model import COLUMN, FIELD, FILE, ROW, SHEET, VALUE

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def show_demandes(window: MainWindow, size: QSize | None = None) -> None:
    window.resize(size or QSize(1280, 800))
    window.navigation.setCurrentRow(window.stack.indexOf(window.demandes))


def first_problem(window: MainWindow):
    model = window.demandes.diagnostics_model
    group = model.index(0, 0)
    return model.index(0, PROBLEM, group)


def test_problem_and_fix_cells_give_their_whole_text_as_tooltip(qtbot, demo_window: MainWindow) -> None:
    show_demandes(demo_window)
    index = first_problem(demo_window)
    diagnostic = index.data(Qt.ItemDataRole.UserRole + 1)
    assert index.data(TOOLTIP) == diagnostic.message
    assert index.siblingAtColumn(FIX).data(TOOLTIP) == diagnostic.fix
    assert index.siblingAtColumn(PLACE).data(TOOLTIP) == index.siblingAtColumn(PLACE).data()
    group = index.parent()
    assert group.siblingAtColumn(FIX).data(TOOLTIP) == group.siblingAtColumn(FIX).data()


def test_problem_columns_leave_room_for_the_fix_at_1280(qtbot, demo_window: MainWindow) -> None:
    show_demandes(demo_window)
    page = demo_window.demandes
    qtbot.waitUntil(lambda: page.tree.columnWidth(PROBLEM) > 100)
    width = page.tree.viewport().width()
    assert page.tree.columnWidth(PROBLEM) + page.tree.columnWidth(PLACE) <= width - 200  # the fix's first words
    assert page.tree.textElideMode() == Qt.TextElideMode.ElideRight


def test_source_cells_show_their_place_in_one_line_rows(qtbot, demo_window: MainWindow) -> None:
    show_demandes(demo_window, QSize(1920, 1080))
    page = demo_window.demandes
    page.tree.setCurrentIndex(first_problem(demo_window))
    qtbot.waitUntil(lambda: page.source_model.rowCount() > 0)
    view = page.source_view
    assert not view.wordWrap()
    assert view.verticalHeader().defaultSectionSize() == 22
    # Sheet, row and column are never cut: the field, value and file give way first (tooltips hold them).
    right = sum(view.columnWidth(c) for c in range(COLUMN))
    assert right < view.viewport().width()
    for column in (SHEET, ROW):
        view.resizeColumnToContents(column)
    value = page.source_model.index(1, VALUE)
    assert value.data(TOOLTIP) in (value.data(), None)
    assert page.source_model.index(0, FIELD).data(TOOLTIP) == page.source_model.index(0, FIELD).data()


def test_source_values_are_not_cut_to_widen_the_last_column_at_1280(qtbot, demo_window: MainWindow) -> None:
    """The last column (Colonne) stretches to the view's edge: read back as wide as that, it once left the value
    and the file a few letters (« 951678… », « client… ») though every column fitted."""
    show_demandes(demo_window)
    page = demo_window.demandes
    page.tree.setCurrentIndex(first_problem(demo_window))
    qtbot.waitUntil(lambda: page.source_model.rowCount() > 0)
    view = page.source_view
    natural = {column: max(view.sizeHintForColumn(column), view.horizontalHeader().sectionSizeHint(column))
               for column in range(COLUMN + 1)}
    place = sum(natural[column] for column in (SHEET, ROW, COLUMN))
    assert all(view.columnWidth(column) >= natural[column] for column in (SHEET, ROW))
    # What the place leaves goes to the field, the value and the file: none is cut while room is left unused.
    given = sum(view.columnWidth(column) for column in (FIELD, VALUE, FILE))
    assert given >= min(view.viewport().width() - place - 8, sum(natural[column] for column in (FIELD, VALUE, FILE)))
    assert view.columnWidth(VALUE) > 60


def test_splitters_are_where_the_user_left_them(qtbot, tmp_path: Path, demo_folder: Path) -> None:
    settings_path = tmp_path / "layout.ini"

    def open_demandes() -> MainWindow:
        window = open_window(qtbot, settings_path, demo_folder)
        show_demandes(window)
        qtbot.waitExposed(window)
        return window

    first = open_demandes()
    page = first.demandes
    top_before = page.splitter.sizes()[0]
    page.splitter.moveSplitter(top_before - 120, 1)  # as the user drags the handle
    page.bottom_splitter.moveSplitter(300, 1)
    moved, bottom = page.splitter.sizes(), page.bottom_splitter.sizes()
    assert moved[0] < top_before - 100
    close_window(first)

    second = open_demandes()
    assert second.demandes.splitter.sizes() == moved
    assert second.demandes.bottom_splitter.sizes() == bottom
    close_window(second)
