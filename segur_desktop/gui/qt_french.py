"""Qt's own texts that `qtbase_fr.qm` leaves in English.

Qt 6 renamed a few labels of its own file dialog (« &Look in: », « Files of &type: » gained or moved
their mnemonic), and the French catalogue shipped with PySide6 still holds the old wording only, so
the non-native file dialog (used on Linux desktops without a portal, and in tests) mixed French and
English. This translator answers those few strings; everything else comes from `qtbase_fr`.
It must hold Qt's source strings exactly, context included: an entry that does not match is ignored.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

NBSP = "\u00a0"

#: (context, source text, disambiguation) → French; disambiguation as Qt passes it (None when absent).
MISSING: dict[tuple[str, str, str | None], str] = {
    ("QFileDialog", "&Look in:", None): f"&Regarder dans{NBSP}:",
    ("QFileDialog", "Files of &type:", None): f"Fichiers de &type{NBSP}:",
    ("QFileDialog", "Look in:", None): f"Regarder dans{NBSP}:",
    ("QFileDialog", "Files of type:", None): f"Fichiers de type{NBSP}:",
    ("QAbstractFileIconProvider", "Drive", None): "Lecteur",
    ("QAbstractFileIconProvider", "Folder", "All other platforms"): "Dossier",
    ("QAbstractFileIconProvider", "File Folder", "Match Windows Explorer"): "Dossier de fichiers",
    ("QAbstractFileIconProvider", "Folder", "Match OS X Finder"): "Dossier",
    ("QAbstractFileIconProvider", "File", None): "Fichier",
}


class FrenchQtTranslator(QTranslator):
    """`qtbase_fr.qm` (loaded with `load`) plus the strings it lacks: one translator, so removing it removes both."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return MISSING.get((context, source, disambiguation or None)) or super().translate(
            context, source, disambiguation, n)
