"""The Export and Suivi pages' layout (#18): left-out rows and history cells whole in their tooltips, columns
sized to content, splitters remembered between two windows with the same settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from windowjobs import close_window, open_window

from segur_desktop.core.register.store import HistoryItem
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.export_models import DEMANDE, DETAILS, WHERE
from segur_desktop.gui.models.register_model import COMMENT, NEW, OLD, SOURCE, HistoryModel
from segur_desktop.gui.widgets.layout import fit_columns

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def show(window: MainWindow, page, size: QSize | None = None) -> None:
    window.resize(size or QSize(1280, 800))
    window.navigation.setCurrentRow(window.stack.indexOf(page))


def test_left_out_detail_and_demande_give_their_whole_text(qtbot, demo_window: MainWindow) -> None:
    page = demo_window.export
    show(demo_window, page)
    qtbot.waitUntil(lambda: page.plan is not None and page.left_out_model.rowCount() > 0, timeout=10000)
    model = page.left_out_model
    for row in range(model.rowCount()):
        assert model.index(row, DETAILS).data(TOOLTIP).replace("\n", " ") == model.index(row, DETAILS).data()
        assert model.index(row, DEMANDE).data(TOOLTIP) == model.index(row, DEMANDE).data()
    # The source line is whole at 1280×800 (its line number is what the user looks for); the detail keeps room.
    view = page.left_out
    natural = view.sizeHintForColumn(WHERE)
    assert view.columnWidth(WHERE) >= min(natural, int(view.viewport().width() * 0.3))
    assert view.columnWidth(DETAILS) >= 250


def test_fit_columns_caps_long_text_and_keeps_what_fits(qtbot) -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView
    model = QStandardItemModel(1, 3)
    for column, text in enumerate(("court", "x" * 300, "fin")):
        model.setItem(0, column, QStandardItem(text))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    fit_columns(view, [0, 1], share=0.4, reserve=100)
    assert view.columnWidth(0) == view.sizeHintForColumn(0) or view.columnWidth(0) >= 40
    assert view.columnWidth(1) <= view.viewport().width() - 100 - view.columnWidth(0) + 1


def test_history_cells_have_their_whole_text_as_tooltip(qtbot) -> None:
    history = HistoryModel()
    item = HistoryItem(datetime(2022, 12, 5, 8, 41, tzinfo=UTC), "en_cours", "attente_pieces",
                       "BDC illisible : joindre une copie lisible — statut du portail", "root",
                       "fichier de statuts statuts_portail.csv", False)
    history.set_items([item], None)
    for column in (OLD, NEW, COMMENT, SOURCE):
        index = history.index(0, column)
        assert index.data(TOOLTIP) == index.data()


def test_suivi_and_export_splitters_are_remembered(qtbot, tmp_path: Path, demo_folder: Path) -> None:
    settings_path = tmp_path / "layout.ini"

    first = open_window(qtbot, settings_path, demo_folder)
    show(first, first.export)
    first.export.splitter.moveSplitter(first.export.splitter.sizes()[0] - 80, 1)
    export_sizes = first.export.splitter.sizes()
    show(first, first.tracking)
    first.tracking.panels.moveSplitter(250, 1)
    history_sizes = first.tracking.panels.sizes()
    close_window(first)

    second = open_window(qtbot, settings_path, demo_folder)
    show(second, second.export)
    assert second.export.splitter.sizes() == export_sizes
    show(second, second.tracking)
    assert second.tracking.panels.sizes() == history_sizes
    close_window(second)
