"""A form row's label whose Alt+letter reaches its field, however the field is wrapped.

`QFormLayout.addRow("Liste des &clients :", row)` makes the row its label's buddy; when the row is a
container (a path with its « Choisir… », a field with its reason under it), it takes no focus, and
QLabel then gives it none: the letter does nothing. The buddy must be the first widget inside that
takes the keyboard; a read-only path takes no typing, so its « Choisir… » (the letter clicks it, as on
the Import page).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget


def _takes_keys(widget: QWidget) -> bool:
    read_only = isinstance(widget, QLineEdit) and widget.isReadOnly()
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and not read_only


def focus_target(field: QWidget) -> QWidget:
    """`field` if it takes the keyboard, else the first widget inside it that does (in creation order)."""
    if _takes_keys(field):
        return field
    return next((child for child in field.findChildren(QWidget) if _takes_keys(child)), field)


def add_row(form: QFormLayout, text: str, field: QWidget) -> QLabel:
    """`form.addRow(text, field)`, with the label's buddy the widget of `field` that takes the keyboard."""
    label = QLabel(text)
    label.setBuddy(focus_target(field))
    form.addRow(label, field)
    return label
