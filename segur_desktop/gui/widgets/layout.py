"""Tables that show their text, splitters that stay where the user put them, windows that fit the screen.

`fit_columns` sizes a view's columns to what they hold (measured on a sample of
rows, never on 100k), each capped to a share of the view so one long message
does not push the others off-screen: what a cap cuts is elided, and the models
give the full text as the cell's tooltip. `remember_splitter` restores a
splitter's place from the settings (by name) and saves it each time the user
moves it, so a window reopened with the same settings shows it where it was. `fit_screen` gives a window its
preferred size, or less on a smaller screen: on a 1366×768 laptop, a dialog 760 px tall put its
buttons under the taskbar, out of reach.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QWidget

from segur_desktop.gui.settings import Settings

SAMPLE_ROWS = 200  # rows a column is measured on: enough for a fair width, cheap at any size
FRAME = QSize(24, 48)  # what the window manager adds around a window: borders and title bar


def fit_columns(view: QAbstractItemView, columns: Iterable[int], *, share: float | dict[int, float] = 0.5,
                minimum: int = 40, reserve: int = 0) -> dict[int, int]:
    """Each of `columns` as wide as its content (header included); when they do not all fit in the view's
    width (less `reserve`, the room kept for the other columns), each is at most `share` of that width
    (one share for all, or one per column). Returns the widths given.

    The content's width is asked of the view, not read back from the column: a stretched last section
    reads as wide as the room left, which would starve the columns sized against it."""
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()
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
    for column in columns:
        view.setColumnWidth(column, chosen[column])
    return chosen


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
