"""A small stacked bar chart: valid and invalid demandes per couloir and type.

Painted with QPainter: QtCharts would do it, but it is an add-on module that
bloats the frozen app for one chart. Each bar stacks the valid demandes
(green, at the bottom) under the invalid ones (red), like the status colours
of the Demandes table. Text, axes and grid take the palette's colours, so the
chart reads on light and dark themes; hovering a bar tells its figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from segur_desktop.core.normalise.amounts import format_count

# The Demandes table's pale status backgrounds (#e3f4e1, #fde2e1) in a strength that reads as bars on any palette.
VALID_COLOUR = QColor("#43a047")
ERROR_COLOUR = QColor("#e53935")
PAD = 8.0
MAX_BAR_WIDTH = 56.0


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # "HOP avance": under the bar, and in its tooltip
    valid: int
    invalid: int

    @property
    def total(self) -> int:
        return self.valid + self.invalid


def ticks(maximum: int) -> list[int]:
    """The value axis: 0 up to a round top at or above `maximum`, in at most 5 steps of 1, 2 or 5 × 10^k."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            steps = math.ceil(maximum / step)
            if steps <= 5:
                return list(range(0, step * max(steps, 1) + 1, step))
        magnitude *= 10


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = list(bars)
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def sizeHint(self) -> QSize:
        return QSize(max(360, 80 + 64 * len(self._bars)), 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 180)

    # --- geometry, shared by painting and hit-testing -------------------------------------------
    def _ticks(self) -> list[int]:
        return ticks(max((bar.total for bar in self._bars), default=0))

    def plot_area(self) -> QRectF:
        """Where the bars stand: below the axis title and legend, above the bar labels, right of the ticks."""
        metrics = self.fontMetrics()
        left = 2 * PAD + max(metrics.horizontalAdvance(format_count(t)) for t in self._ticks())
        top = 2 * PAD + metrics.height()
        bottom = 2 * PAD + 2 * metrics.height()  # a label wraps on two lines: "HOP" / "avance"
        return QRectF(left, top, max(self.width() - left - PAD, 1.0), max(self.height() - top - bottom, 1.0))

    def _slot(self, index: int) -> QRectF:
        """The column of bar `index`, from the top of the plot to the bottom of the widget (label included)."""
        plot = self.plot_area()
        width = plot.width() / len(self._bars)
        return QRectF(plot.left() + index * width, plot.top(), width, self.height() - plot.top())

    def bar_rect(self, index: int) -> QRectF:
        """The painted bar (valid and invalid parts together)."""
        plot, slot = self.plot_area(), self._slot(index)
        width = min(slot.width() * 0.6, MAX_BAR_WIDTH)
        height = plot.height() * self._bars[index].total / self._ticks()[-1]
        return QRectF(slot.center().x() - width / 2, plot.bottom() - height, width, height)

    def bar_at(self, pos: QPointF) -> int | None:
        return next((i for i in range(len(self._bars)) if self._slot(i).contains(pos)), None)

    def tooltip_at(self, pos: QPointF) -> str | None:
        index = self.bar_at(pos)
        return None if index is None else self._tooltip(index)

    def _tooltip(self, index: int) -> str:
        bar = self._bars[index]
        return self.tr("{label}\nDemandes : {total}\nValides : {valid}\nEn erreur : {invalid}").format(
            label=bar.label, total=format_count(bar.total), valid=format_count(bar.valid),
            invalid=format_count(bar.invalid))

    # --- events ---------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.bar_at(QPointF(event.pos()))
            if index is not None:
                # tied to the bar's column: moving to the next bar asks for its own tooltip
                QToolTip.showText(event.globalPos(), self._tooltip(index), self, self._slot(index).toAlignedRect())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if not self._bars:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Aucune demande"))
            return
        plot = self.plot_area()
        legend_left = self._paint_legend(painter, text_colour)
        self._paint_axis(painter, plot, text_colour, legend_left)
        for index, bar in enumerate(self._bars):
            self._paint_bar(painter, index, bar, plot, text_colour)

    def _paint_axis(self, painter: QPainter, plot: QRectF, text_colour: QColor, legend_left: float) -> None:
        grid = QColor(text_colour)
        grid.setAlpha(50)
        values = self._ticks()
        height = self.fontMetrics().height()
        for value in values:
            y = plot.bottom() - plot.height() * value / values[-1]
            painter.setPen(QPen(text_colour if value == 0 else grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            painter.drawText(QRectF(0, y - height / 2, plot.left() - PAD, height),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, format_count(value))
        title = self.fontMetrics().elidedText(self.tr("Nombre de demandes"), Qt.TextElideMode.ElideRight,
                                              int(legend_left - 2 * PAD))
        painter.drawText(QPointF(PAD, PAD + self.fontMetrics().ascent()), title)

    def _paint_legend(self, painter: QPainter, text_colour: QColor) -> float:
        """Top right; returns where it starts, so the axis title stops before it."""
        metrics = self.fontMetrics()
        side = metrics.height() * 0.7
        x = self.width() - PAD
        for colour, text in ((ERROR_COLOUR, self.tr("En erreur")), (VALID_COLOUR, self.tr("Valides"))):
            x -= metrics.horizontalAdvance(text)
            painter.setPen(text_colour)
            painter.drawText(QPointF(x, PAD + metrics.ascent()), text)
            x -= side + PAD / 2
            painter.fillRect(QRectF(x, PAD + (metrics.height() - side) / 2, side, side), colour)
            x -= 2 * PAD
        return x + 2 * PAD

    def _paint_bar(self, painter: QPainter, index: int, bar: Bar, plot: QRectF, text_colour: QColor) -> None:
        rect = self.bar_rect(index)
        valid_height = rect.height() * bar.valid / bar.total if bar.total else 0.0
        painter.fillRect(QRectF(rect.left(), rect.bottom() - valid_height, rect.width(), valid_height), VALID_COLOUR)
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), rect.height() - valid_height), ERROR_COLOUR)
        slot = self._slot(index)
        label_area = QRectF(slot.left() + 2, plot.bottom() + PAD / 2, slot.width() - 4, self.height() - plot.bottom())
        painter.setPen(text_colour)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap.value
        painter.drawText(label_area, flags, bar.label)
