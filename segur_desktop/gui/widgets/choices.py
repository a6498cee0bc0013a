"""Refilling a filter's drop-down list without losing the user's choice.

A page's filters (couloirs, statuses) change with each validation or register
read; the list is rebuilt silently, and the entry chosen before stays chosen
when it still exists (else the first, « Tous … »).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox


def refill(combo: QComboBox, everything: str, choices: Iterable[tuple[str, object]]) -> None:
    """`everything` (data None) then each (label, data) of `choices`, keeping the current data if present."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for label, data in choices:
        combo.addItem(label, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
