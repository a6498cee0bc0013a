"""BDC rows refused before a demande could exist are never invisible: the Tableau de bord's line and the Export
page's left-out table, with the reason first."""

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from testdata import FINESS_A, FINESS_B, RPPS_A

from segur_desktop.core.export.plan import LeftOut
from segur_desktop.gui.main_window import MainWindow

TIMEOUT = 20000
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Centre hospitalier B", FINESS_B, None, "69001", "Lyon"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C2", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf"],
        ["B3", "C9", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B3.pdf"]]


@pytest.fixture
def refused(qtbot, window: MainWindow, make_workspace) -> MainWindow:
    """A new vendor's workspace with no solution declared yet: every BDC row is refused."""
    folder: Path = make_workspace(CLIENTS, BDCS, solutions=[])
    with qtbot.waitSignal(window.session.validated, timeout=TIMEOUT):
        window.open_workspace(folder)
    qtbot.waitUntil(lambda: not window.dashboard.counting_rows, timeout=TIMEOUT)
    return window


def test_the_dashboard_says_the_rows_left_without_a_demande(refused: MainWindow) -> None:
    page = refused.dashboard
    assert [page.cards[key].value.text() for key in ("demandes", "valid", "invalid")] == ["0", "0", "0"]
    line = page.rows_left_out
    assert line.isVisibleTo(page)
    assert line.text().startswith("Lignes de BDC sans demande : 3 — 2 × Aucune solution référencée, 1 × Client "
                                  "introuvable. Par exemple bdc.xlsx › Feuil1, ligne 2 : Aucune solution référencée "
                                  "ne correspond")
    assert "page Export" in line.text()


def test_the_export_page_lists_them_with_their_reason_first(qtbot, refused: MainWindow, qtmodeltester) -> None:
    page = refused.export
    refused.navigation.setCurrentRow(refused.stack.indexOf(page))
    qtbot.waitUntil(lambda: page.plan is not None and not page.planning, timeout=TIMEOUT)
    model = page.left_out_model
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert page.summary.text().endswith("3 écartée(s).")
    assert [model.index(r, 0).data() for r in range(3)] == ["Aucune solution référencée"] * 2 + ["Client introuvable"]
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "Ligne sans demande"
    assert model.index(0, 1).data() == "bdc.xlsx › Feuil1, ligne 2"
    assert model.index(0, 2).data() == "B1"
    assert model.index(0, 3).data().startswith("Aucune solution référencée ne correspond à ce bon de commande")
    assert not page.export_button.isEnabled()


def test_no_line_when_every_row_gave_a_demande(qtbot, demo_window: MainWindow) -> None:
    page = demo_window.dashboard
    qtbot.waitUntil(lambda: not page.counting_rows, timeout=TIMEOUT)
    # The demo has three rows without a demande (unknown client, clients in error): said, with the kinds.
    assert page.rows_left_out.text().startswith("Lignes de BDC sans demande : 3 — ")
    with qtbot.waitSignal(demo_window.session.validated, timeout=TIMEOUT):
        demo_window.session.revalidate()
    page.show_rows_left_out([])
    assert not page.rows_left_out.isVisibleTo(page)


def test_a_reason_in_two_sentences_is_said_whole(qtbot, demo_window: MainWindow) -> None:
    """The demo's first row left out: its client is in error in clients.xlsx, « : » then which identifier; cut after
    the colon, the line ran into « Détail de chaque ligne »."""
    page = demo_window.dashboard
    qtbot.waitUntil(lambda: not page.counting_rows, timeout=TIMEOUT)
    text = page.rows_left_out.text()
    assert "est en erreur dans clients.xlsx : FINESS ET « 019029108 » a une clé de contrôle fausse" in text
    assert ": Détail de chaque ligne" not in text


def test_more_than_three_kinds_are_counted_not_dotted(demo_window: MainWindow) -> None:
    """« …, 1 × C et 2 autre(s) motif(s). », not « …, 1 × C, …. »."""
    titles = ["Client introuvable", "Client introuvable", "Date impossible", "Montant illisible", "Aucune solution",
              "Client non désigné"]
    rows = [LeftOut("sans_demande", Path("bdc.xlsx"), "BDC", row + 2, ("Une raison.",), title=title)
            for row, title in enumerate(titles)]
    page = demo_window.dashboard
    page.show_rows_left_out(rows)
    assert page.rows_left_out.text().startswith("Lignes de BDC sans demande : 6 — 2 × Client introuvable, 1 × Date "
                                                "impossible, 1 × Montant illisible et 2 autre(s) motif(s). Par "
                                                "exemple bdc.xlsx › BDC, ligne 2 : Une raison. Détail")
