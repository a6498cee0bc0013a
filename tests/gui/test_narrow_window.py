"""The window at 1024×700 (a small laptop, or a window beside another): what a user must read or click stays
within its panel (#18)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize

from segur_desktop.gui.main_window import MainWindow

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
