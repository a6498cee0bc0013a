"""stub"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog


class NewWorkspaceDialog(QDialog):
    created = Signal(object)

    def __init__(self, settings, parent=None) -> None:
        super().__init__(parent)
