"""Import page (stub being written)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings


class ImportPage(QWidget):
    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        QVBoxLayout(self).addWidget(QLabel(self.tr("Import")))

    def save(self) -> None:
        """Ctrl+S: save the pending mapping as a profile, point the workspace at it, re-import."""

    def receive(self, paths: list[Path]) -> None:
        """Workbooks and folders dropped on the window."""
