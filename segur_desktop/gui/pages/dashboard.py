"""Tableau de bord (stub being written)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from segur_desktop.gui.session import Session


class DashboardPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        QVBoxLayout(self).addWidget(QLabel(self.tr("Tableau de bord")))
