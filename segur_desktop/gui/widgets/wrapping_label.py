"""A word-wrapped label that is always as tall as its text.

Qt's layouts ask a word-wrapped label for its height at a guessed width, not at the
width they then give it: in a form, a two-line reason got one line's height and
ran over the field above it (#18). This label sets its own minimum height from
the width it actually has, each time that width or its text changes, so the layout
makes room (and a window too small for it grows)."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def clear(self) -> None:
        self.setText("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        height = max(0, self.heightForWidth(self.width())) if self.text() else 0
        if height != self.minimumHeight():
            self.setMinimumHeight(height)
