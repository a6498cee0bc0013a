"""Tables that show their text, splitters that stay where the user put them, windows that fit the screen.

`fit_columns` sizes a view's columns to what they hold (measured on a sample of
rows, never on 100k), each capped to a share of the view so one long message
does not push the others off-screen: what a cap cuts is elided, and the models
give the full text as the cell's tooltip. `stretch_last_column` gives the last
column the room left, and takes it back when the view shrinks (Qt's own stretch
does not). `remember_splitter` restores a
splitter's place from the settings (by name) and saves it each time the user
moves it, so a window reopened with the same settings shows it where it was. `fit_screen` gives a window its
preferred size, or less on a smaller screen: on a 1366×768 laptop, a dialog 760 px tall put its
buttons under the taskbar, out of reach.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSplitter, QWidget

from segur_desktop.gui.settings import Settings

SAMPLE_ROWS = 200  # rows a column is measured on: enough for a fair width, cheap at any size
FRAME = QSize(24, 48)  # what the window manager adds around a window: borders and title bar


def fit_columns(view: QAbstractItemView, columns: Iterable[int], *, share: float | dict[int, float] = 0.5,
                minimum: int = 40, reserve: int = 0) -> dict[int, int]:
    """Each of `columns` as wide as its content (header included); when they do not all fit in the view's
    width (less `reserve`, the room kept for the other columns), each is at most `share` of that width
    (one share for all, or one per column). Returns the widths given.

    The content's width is asked of the view, not read back from the column: a stretched last section
    reads as wide as the room left, which would starve the columns sized against it. Shares that add up
    to more than the room (or minimums above it) are scaled down to it, so `reserve` is kept even then:
    at 1024 px the Suivi table's columns filled the view and its last one was out of sight."""
    header = _header(view)
    header.setResizeContentsPrecision(SAMPLE_ROWS)
    columns = list(columns)
    width = view.viewport().width()
    natural = {}
    for column in columns:
        titled = 0 if header.isHidden() else header.sectionSizeHint(column)
        natural[column] = max(minimum, view.sizeHintForColumn(column), titled)
    if sum(natural.values()) + reserve <= width:
        chosen = natural
    else:
        chosen = {column: min(natural[column], max(minimum, int(width * (
            share.get(column, 0.5) if isinstance(share, dict) else share)))) for column in columns}
        slack = width - reserve - sum(chosen.values())  # what the caps left unused goes to the columns they cut
        cut = {column: natural[column] - chosen[column] for column in columns if natural[column] > chosen[column]}
        for column, missing in cut.items():
            if slack > 0:
                chosen[column] += min(missing, slack * missing // sum(cut.values()))
        excess = sum(chosen.values()) + reserve - width  # caps and minimums past the room: each gives its share
        above = {column: chosen[column] - minimum for column in columns if chosen[column] > minimum}
        if excess > 0 and above:
            total = sum(above.values())
            for column, spare in above.items():
                chosen[column] -= min(spare, -(-excess * spare // total))  # rounded up: the sum fits
    for column in columns:
        view.setColumnWidth(column, chosen[column])
    return chosen


def _header(view: QAbstractItemView) -> QHeaderView:
    return view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()


class _LastColumn(QObject):
    """Watches a view's viewport: when it shrinks, the last column gives back what the others no longer leave."""

    def __init__(self, view: QAbstractItemView, minimum: int) -> None:
        super().__init__(view)
        self.view, self.minimum = view, minimum

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            header = _header(self.view)
            last = next((header.logicalIndex(visual) for visual in reversed(range(header.count()))
                         if not header.isSectionHidden(header.logicalIndex(visual))), None)
            if last is not None:
                others = sum(header.sectionSize(column) for column in range(header.count())
                             if column != last and not header.isSectionHidden(column))
                room = max(self.minimum, self.view.viewport().width() - others)
                if header.sectionSize(last) > room:
                    header.resizeSection(last, room)
        return super().eventFilter(watched, event)


def stretch_last_column(view: QAbstractItemView, minimum: int = 100) -> None:
    """The last column takes the room the others leave, at least `minimum`, as the view grows and shrinks.

    Qt's stretched last section grows with the view, but once the view shrinks below the other columns'
    width it keeps its old width: from 1920 to 1024 px, the Demandes table's last column stayed as wide as
    the whole table, the others scrolled out of sight."""
    _header(view).setStretchLastSection(True)
    view.viewport().installEventFilter(_LastColumn(view, minimum))


def remember_splitter(splitter: QSplitter, settings: Settings | None, name: str) -> None:
    """Put `splitter` where the user left it last (if ever), and remember each move under `name`."""
    splitter.setObjectName(splitter.objectName() or name.replace("/", "_"))
    if settings is None:
        return
    state = settings.splitter_state(name)
    if state is not None:
        splitter.restoreState(state)
    splitter.splitterMoved.connect(lambda _pos, _index: settings.save_splitter_state(name, splitter.saveState()))


def fit_screen(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to `width`×`height`, or to its screen's free area (less the frame) when that is smaller."""
    screen = (window.parentWidget() or window).screen()
    window.resize(QSize(width, height).boundedTo(screen.availableGeometry().size() - FRAME))
