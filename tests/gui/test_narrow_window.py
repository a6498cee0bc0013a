"""The window at 1024×700 (a small laptop, or a window beside another): what a user must read or click stays
within its panel (#18)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize

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
