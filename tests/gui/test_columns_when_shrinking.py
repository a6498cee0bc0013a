"""The window shrunk from 1920 to 1024 px, then widened to 1280 (#18): every table still shows its last column. Qt's
stretched last section kept its 1920 px width once the other columns filled the view (the Demandes table's last
column as wide as the whole table, the others out of sight), and the Suivi tables' columns, capped by shares adding
up to more than the view, filled it and left the bundle, the « forcé » mark and the deposit's bundle past the edge."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView
from windowjobs import export_page_settled, settle_tracking

from segur_desktop.gui.main_window import MainWindow

WIDE, NARROW, MIDDLE = QSize(1920, 1080), QSize(1024, 700), QSize(1280, 800)
SEEN = 50  # px of the last column at least within the view
MINIMUM = 100  # the last column's width when the others fill the view (`stretch_last_column`)


def _header(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def _no_column_fills(view: QTableView | QTreeView) -> bool:
    """The last column takes the room the others leave, or its minimum: never the view's whole width, the others
    then out of sight (a table of fixed widths may still scroll)."""
    header = _header(view)
    last = header.logicalIndex(header.count() - 1)
    others = sum(view.columnWidth(column) for column in range(header.count()) if column != last)
    return view.columnWidth(last) <= max(MINIMUM, view.viewport().width() - others)


def _last_column_shows(view: QTableView | QTreeView) -> bool:
    """Columns fitted to the view: the last one starts within it."""
    header = _header(view)
    last = header.logicalIndex(header.count() - 1)
    return _no_column_fills(view) and header.sectionPosition(last) <= view.viewport().width() - SEEN


def _resized(qtbot, window: MainWindow, views: list[QTableView | QTreeView], check) -> dict[str, list[bool]]:
    shown: dict[str, list[bool]] = {view.objectName(): [] for view in views}
    for size in (NARROW, MIDDLE):
        window.resize(size)
        qtbot.wait(50)
        for view in views:
            shown[view.objectName()].append(check(view))
    return shown


def test_the_demandes_and_export_tables_give_back_their_last_column_s_room(qtbot, demo_window: MainWindow) -> None:
    demo_window.resize(WIDE)
    page = demo_window.demandes
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(page))
    page.table.selectRow(0)  # its source cells shown
    qtbot.wait(50)
    shown = _resized(qtbot, demo_window, [page.table, page.tree, page.source_view], _no_column_fills)
    demo_window.resize(WIDE)
    export = export_page_settled(qtbot, demo_window)
    qtbot.wait(50)
    shown.update(_resized(qtbot, demo_window, [export.groups], _no_column_fills))
    demo_window.resize(WIDE)
    qtbot.wait(50)
    shown.update(_resized(qtbot, demo_window, [export.left_out], _last_column_shows))  # fitted again: the detail shows
    assert shown == {name: [True, True] for name in ("demandes_table", "diagnostics_tree", "source_view",
                                                     "export_groups", "export_left_out")}


def test_the_suivi_tables_keep_their_last_column_in_sight(qtbot, tracked: MainWindow) -> None:
    tracked.resize(WIDE)
    page = tracked.tracking
    page.table.selectRow(0)  # its history and deposits shown
    settle_tracking(qtbot, tracked)
    qtbot.wait(50)
    shown = _resized(qtbot, tracked, [page.table, page.history, page.deposits], _last_column_shows)
    assert shown == {"followup_table": [True, True], "followup_history": [True, True],
                     "followup_deposits": [True, True]}
