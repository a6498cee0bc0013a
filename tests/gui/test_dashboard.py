"""The Tableau de bord page on the demo workspace: figures, table, chart and the nearest closing."""

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.normalise.amounts import format_fr
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.summary_model import AMOUNT, COULOIR, DEMANDES, INVALID, TYPE, VALID, SummaryModel
from segur_desktop.gui.widgets.bar_chart import ERROR_COLOUR, VALID_COLOUR, Bar, BarChart, ticks

DEMO_ROWS = [  # the demo's summary with an empty Suivi register: its soldes wait for their avances
    ("BIO", "avance", "6", "5", "1", "18\u202f000,00 €"),
    ("HOP", "avance", "8", "7", "1", "38\u202f850,00 €"),  # the CHU de Martinique (issue #21) is valid
    ("MDV", "avance", "8", "6", "2", "1\u202f980,00 €"),
    ("MDV", "solde", "3", "0", "3", "0,00 €"),
    ("MS1", "avance", "5", "4", "1", "5\u202f760,00 €"),
    ("MSS", "avance", "1", "1", "0", "7\u202f924,79 €"),  # 30 % of the operator's 26 415,97 € (its mailboxes)
    ("PHA", "avance", "7", "6", "1", "1\u202f350,00 €"),
]


def test_empty_state_until_a_workspace_is_validated(window: MainWindow) -> None:
    page = window.dashboard
    assert page.stack.currentWidget() is page.empty
    assert "Ouvrez un dossier de travail (Fichier → Ouvrir, Ctrl+O)" in page.empty.text()


def test_a_failed_validation_empties_the_page_and_says_why(qtbot, window: MainWindow, demo_folder: Path) -> None:
    (demo_folder / "clients.xlsx").unlink()
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    page = window.dashboard
    assert page.stack.currentWidget() is page.empty
    assert "« Démo — Médilog Santé » n'a pas pu être vérifié" in page.empty.text()


def test_header_and_cards_show_the_demo_figures(demo_window: MainWindow) -> None:
    page = demo_window.dashboard
    summary = demo_window.session.validation.summary
    assert page.stack.currentWidget() is page.content
    assert page.header.text() == "Démo — Médilog Santé — contrôle au 28/11/2022 10:00 (heure de Paris)"
    shown = {key: card.value.text() for key, card in page.cards.items()}
    assert shown == {"demandes": "38", "valid": "29", "invalid": "9", "amount": "73\u202f864,79 €"}
    assert (shown["demandes"], shown["valid"], shown["invalid"]) == tuple(
        str(n) for n in (summary.requests, summary.valid, summary.invalid))
    assert shown["amount"] == format_fr(sum(row.valid_amount_ht for row in summary.by_couloir))


def test_table_has_a_row_per_couloir_and_type_and_a_total(demo_window: MainWindow) -> None:
    model = demo_window.dashboard.table.model()
    summary = demo_window.session.validation.summary
    assert model.rowCount() == len(summary.by_couloir) + 1 == len(DEMO_ROWS) + 1
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Couloir", "Type", "Demandes", "Valides", "En erreur", "Montant valide HT"]
    shown = [tuple(model.data(model.index(r, c)) for c in range(6)) for r in range(model.rowCount())]
    assert shown[:-1] == DEMO_ROWS
    assert shown[-1] == ("Total", "", "38", "29", "9", "73\u202f864,79 €")
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert all(model.data(model.index(0, c), Qt.ItemDataRole.TextAlignmentRole) == right
               for c in (DEMANDES, VALID, INVALID, AMOUNT))
    assert model.data(model.index(0, COULOIR), Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.data(model.index(7, TYPE), Qt.ItemDataRole.FontRole).bold()


def test_chart_has_one_bar_per_couloir_and_type(demo_window: MainWindow) -> None:
    bars = demo_window.dashboard.chart.bars()
    assert [(b.label, str(b.valid), str(b.invalid)) for b in bars] == [
        (f"{couloir} {kind}", valid, invalid) for couloir, kind, _n, valid, invalid, _amount in DEMO_ROWS]


def test_nearest_closing_with_time_left(demo_window: MainWindow) -> None:
    deadline = demo_window.dashboard.deadline
    # 28/11/2022 10:00 → 30/11/2022 14:00: the vague 1 avances of the demo's hospital, GP and lab solutions
    assert deadline.text() == ("Prochaine clôture : HOP avance, MDV avance, BIO avance — 30/11/2022 à 14:00, "
                               "dans 2 j 4 h")
    assert deadline.property("urgency") == "soon"


@pytest.mark.parametrize(("at", "text", "level"), [
    ("2022-11-29T12:00:00", "30/11/2022 à 14:00, dans 1 j 2 h", "urgent"),
    ("2022-11-30T13:14:50", "30/11/2022 à 14:00, dans 45 min 10 s", "urgent"),
    ("2022-11-30T14:00:00", "PHA avance — 15/03/2023 à 14:00, dans 105 j", "distant"),  # more than 30 days
    ("2024-02-19T12:00:00", "MS1 avance — 28/02/2024 (heure non communiquée), dans 8 j 12 h "
                            "(compté jusqu'au début de ce jour)", "normal"),
    ("2025-01-01T00:00:00", "Aucune clôture à venir pour les couloirs de ce dossier", "normal"),
])
def test_closing_follows_the_control_instant(demo_window: MainWindow, at: str, text: str, level: str) -> None:
    page = demo_window.dashboard
    demo_window.session.at_override = parse_instant(at)
    page.show_deadline()
    assert text in page.deadline.text()
    assert page.deadline.property("urgency") == level


def test_summary_model_passes_qt_model_tester(qtmodeltester, demo_window: MainWindow) -> None:
    qtmodeltester.check(SummaryModel(demo_window.session.validation.summary.by_couloir))
    empty = SummaryModel()
    qtmodeltester.check(empty)
    assert empty.rowCount() == 0  # no total row without any row


def test_chart_paints_its_bars_and_tells_their_figures(qtbot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_bars([Bar("HOP avance", 6, 1), Bar("MDV solde", 3, 0)])
    chart.resize(chart.sizeHint())
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() > 0
    hop = chart.bar_rect(0)
    assert image.pixelColor(QPoint(int(hop.center().x()), int(hop.bottom()) - 3)) == VALID_COLOUR
    assert image.pixelColor(QPoint(int(hop.center().x()), int(hop.top()) + 3)) == ERROR_COLOUR
    assert chart.tooltip_at(hop.center()) == "HOP avance\nDemandes : 7\nValides : 6\nEn erreur : 1"
    assert chart.tooltip_at(chart.bar_rect(1).center()).startswith("MDV solde\n")
    assert chart.tooltip_at(QPointF(1, 1)) is None


def test_hovering_a_bar_shows_its_tooltip(qtbot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_bars([Bar("HOP avance", 6, 1)])
    chart.resize(chart.sizeHint())
    chart.show()
    pos = chart.bar_rect(0).center().toPoint()
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith("HOP avance\n")
    QToolTip.hideText()


def test_empty_chart_paints_a_message(qtbot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(chart.sizeHint())
    assert not chart.grab().isNull()
    assert chart.bars() == [] and chart.tooltip_at(QPointF(100, 100)) is None


@pytest.mark.parametrize(("maximum", "expected"), [
    (0, [0, 1]), (1, [0, 1]), (8, [0, 2, 4, 6, 8]), (36, [0, 10, 20, 30, 40]), (1234, [0, 500, 1000, 1500]),
])
def test_value_axis_has_round_ticks(maximum: int, expected: list[int]) -> None:
    assert ticks(maximum) == expected


def test_a_closing_of_unknown_hour_today_is_shown_as_closing_today(qtbot, window: MainWindow, demo_folder: Path) -> None:
    # The MS1 avance of vague 1 closes on 28/02/2024, hour not published: on that day it is open and « ferme
    # aujourd'hui », never dropped from « Prochaine clôture » while it can still take deposits (issue #21).
    import json

    path = demo_folder / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["date_controle"] = "2024-02-28T12:00:00+01:00"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    text = window.dashboard.deadline.text()
    assert text.startswith("Prochaine clôture : MS1 avance") and "ferme aujourd'hui" in text
