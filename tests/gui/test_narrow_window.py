"""The window at 1024×700 (a small laptop, or a window beside another): what a user must read or click stays
within its panel (#18)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import QScrollArea

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.settings import Settings

NARROW = QSize(1024, 700)


def test_mapping_dropdowns_stay_inside_their_panel(qtbot, demo_window: MainWindow) -> None:
    demo_window.resize(NARROW)
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(demo_window.import_page))
    page = demo_window.import_page
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    for list_kind, panel in page.panels.items():
        page.tabs.setCurrentWidget(panel)
        qtbot.waitUntil(panel.fields.isVisible)
        viewport = panel.fields.viewport()
        assert not panel.fields.horizontalScrollBar().isVisible(), list_kind  # no sideways scrolling to a dropdown
        for name, combo in panel.combos.items():
            right = combo.mapTo(viewport, QPoint(combo.width(), 0)).x()
            assert right <= viewport.width(), (list_kind, name)  # its arrow shows


def test_windows_fit_a_small_screen(qtbot, demo_window: MainWindow, session, tmp_path) -> None:
    """A window taller than the screen's free area puts its buttons under the taskbar (a 1366×768 laptop); the
    test screen is 800×800, smaller than any of these windows' preferred sizes."""
    room = demo_window.screen().availableGeometry().size()
    fresh = MainWindow(session, Settings(tmp_path / "fresh.ini"))  # no saved geometry: its default size
    qtbot.addWidget(fresh)
    windows = [fresh, demo_window.open_formats(), demo_window.show_guide()]
    for window in windows:
        assert window.width() <= room.width() and window.height() <= room.height(), window.windowTitle()
    windows[1].reject()
    windows[2].close()


def test_every_page_fits_a_1024_window(qtbot, demo_window: MainWindow) -> None:
    """No page makes the window wider or taller than 1024×700 (the Échéances cards' titles once made it 1,045 px)."""
    demo_window.resize(NARROW)
    for row in range(demo_window.navigation.count()):
        demo_window.navigation.setCurrentRow(row)
        qtbot.wait(50)
        title = demo_window.navigation.item(row).text()
        assert demo_window.minimumSizeHint().width() <= NARROW.width(), title
        assert demo_window.size() == NARROW, title


def test_the_deadline_cards_fit_their_page_at_1024(qtbot, demo_window: MainWindow) -> None:
    demo_window.resize(NARROW)
    page = demo_window.deadlines
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(page))
    qtbot.waitUntil(lambda: bool(page.cards))
    scroll = page.findChild(QScrollArea)
    assert scroll.isAncestorOf(page.cards[0])
    # No card cut at the right edge, with room to spare for a larger system font (Windows at 125 %): a card's
    # title on one line made the three of them 807 px at least in a 796 px page.
    assert scroll.widget().minimumSizeHint().width() <= 0.8 * scroll.viewport().width()


def test_the_solutions_table_shrinks_with_the_window(qtbot, demo_window: MainWindow) -> None:
    """From 1920 px down to 1024: the name column, stretched to fill the wide table, once kept the whole table's
    width and pushed every other column out of sight."""
    demo_window.resize(QSize(1920, 1080))
    page = demo_window.workspace_page
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(page))
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0)
    qtbot.wait(50)
    demo_window.resize(NARROW)
    qtbot.wait(50)
    table = page.table
    assert table.columnWidth(0) <= 0.3 * table.viewport().width()  # the name leaves room for the couloir and the rest
