"""The start page: what the window shows while no dossier de travail is open (first run, or none that opens).

Three buttons — « Nouveau dossier de travail », « Ouvrir un dossier de travail… », « Ouvrir la
démonstration » — and the recent workspaces; the window does the work (`MainWindow`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

MAX_RECENT = 5


class StartPage(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(object)  # Path
    guide_requested = Signal(str)  # a chapter of the user guide: « Premiers pas »

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        title = QLabel(self.tr("Bienvenue dans Segur Desktop"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(self.tr(
            "Segur Desktop prépare les demandes de financement Ségur numérique (avances et soldes) à partir de votre "
            "liste de clients, de votre liste de bons de commande et du dossier des PDF signés, et les vérifie avant "
            "le dépôt. Un dossier de travail réunit l'éditeur, ses solutions référencées et ces fichiers."))
        intro.setWordWrap(True)
        self.guide_link = QLabel(self.tr('Première utilisation ? Lisez les <a href="01-premiers-pas">premiers pas</a> du '
                                         "guide d'utilisation (F1 l'ouvre depuis chaque page)."))
        self.guide_link.setObjectName("guide_link")
        self.guide_link.linkActivated.connect(self.guide_requested.emit)
        new = self._button(self.tr("&Nouveau dossier de travail"),
                                       self.tr("Nommez l'éditeur, choisissez vos fichiers, puis déclarez vos solutions."),
                                       self.new_requested)
        opening = self._button(self.tr("&Ouvrir un dossier de travail…"),
                                        self.tr("Un dossier qui contient un fichier workspace.json."), self.open_requested)
        demo = self._button(self.tr("Ouvrir la &démonstration"),
                                        self.tr("Un éditeur fictif, six solutions et quelques erreurs volontaires."),
                                        self.demo_requested)
        self.recent_title = QLabel(self.tr("Dossiers récents"))
        self.recent_title.hide()  # until the recent ones still there are known (`set_recent`)
        self.recent_box = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.guide_link)
        layout.addSpacing(12)
        self.new_button, self.open_button, self.demo_button = new[0], opening[0], demo[0]
        for button, hint in (new, opening, demo):
            layout.addWidget(button)
            layout.addWidget(hint)
            layout.addSpacing(6)
        layout.addSpacing(12)
        layout.addWidget(self.recent_title)
        layout.addLayout(self.recent_box)
        layout.addStretch(1)

    def _button(self, text: str, hint: str, signal) -> tuple[QPushButton, QLabel]:
        button = QPushButton(text)
        button.setMinimumHeight(40)
        button.setMaximumWidth(420)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(signal.emit)
        label = QLabel(hint)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555")
        return button, label

    def set_recent(self, folders: list[Path]) -> None:
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        shown = folders[:MAX_RECENT]
        self.recent_title.setVisible(bool(shown))
        for folder in shown:
            button = QPushButton(str(folder))
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.clicked.connect(lambda _checked=False, folder=folder: self.recent_requested.emit(folder))
            self.recent_box.addWidget(button)
