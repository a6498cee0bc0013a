"""One list on the Import page: its first rows beside one dropdown per field, and whether each required field
has a column.

The panel holds the user's pending choice (field -> column) and nothing else:
the preview comes from the core (`core.preview`, read in a worker by the page),
a column taken for a field is swapped with the field that had it (that field
gets this field's former column, said in a status line; `preview.assign` when
this field had none), « Rétablir la détection » goes back to what the product
detected, and what is missing is the core's `mapping.missing_fields`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.mapping import missing_fields, table_specs
from segur_desktop.core.preview import Preview, assign
from segur_desktop.core.read import sheet_label
from segur_desktop.core.source import column_letter
from segur_desktop.gui.models.preview_model import PreviewModel

PROBLEM_STYLE = "color: #b3261e"  # the new-workspace dialog's error red
COMPLETE_STYLE = "color: #1b5e20"


class MappingPanel(QWidget):
    """One list: its first rows beside one dropdown per field, and whether every required field has a column."""

    changed = Signal()  # `columns` changed: a preview shown or taken away, or the user chose another column

    def __init__(self, list_kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = table_specs()[list_kind]
        self.preview: Preview | None = None
        self.columns: dict[str, int] = {}  # the user's pending choice, field -> column

        self.where = QLabel("")
        self.where.setObjectName(f"{list_kind}_where")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = PreviewModel(self)
        self.view = QTableView()
        self.view.setObjectName(f"{list_kind}_preview")
        self.view.setModel(self.model)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table for the dropdowns
        self.view.setWordWrap(False)  # one line per row, as in Excel; the full text is the cell's tooltip
        self.view.horizontalHeader().setDefaultSectionSize(120)

        fields = QWidget()
        form = QFormLayout(fields)
        # A narrow window (1024 px) leaves the dropdowns less room than the longest label beside them: each
        # goes under its label then, rather than past the panel's edge behind a sideways scroll bar.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.combos: dict[str, QComboBox] = {}
        for name, field in self.spec.fields.items():
            combo = QComboBox()
            combo.setObjectName(f"{list_kind}_{name}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
            combo.currentIndexChanged.connect(lambda row, name=name: self._choose(name, row))
            label = QLabel(self.tr("{label} (obligatoire)").format(label=field.label) if field.required else field.label)
            label.setBuddy(combo)
            form.addRow(label, combo)
            self.combos[name] = combo
        self.fields = QScrollArea()
        self.fields.setWidget(fields)
        self.fields.setWidgetResizable(True)

        self.status = QLabel("")
        self.status.setObjectName(f"{list_kind}_status")
        self.status.setWordWrap(True)
        self.swap = QLabel("")  # the last column that changed hands, in words
        self.swap.setObjectName(f"{list_kind}_swap")
        self.swap.setWordWrap(True)
        self.reset = QPushButton(self.tr("Rétablir la &détection"))
        self.reset.setObjectName(f"{list_kind}_reset")
        self.reset.setToolTip(self.tr("Revient aux colonnes que Segur Desktop a reconnues dans ce fichier (et à celles "
                                      "qu'il propose), en oubliant les choix faits ici depuis."))
        self.reset.clicked.connect(self.restore_detection)
        self.note = QLabel("")
        self.note.setObjectName(f"{list_kind}_note")
        self.note.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.fields)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.reset, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(self.swap)
        layout.addWidget(self.note)
        self.show_message("")

    @property
    def modified(self) -> bool:
        """The choice shown differs from what the pipeline reads today: there is something to save."""
        return self.preview is not None and self.columns != self.preview.in_use

    def show_message(self, message: str, problem: bool = False) -> None:
        """No preview: nothing open yet, the file being read, or a file that cannot be used (the core's French
        message)."""
        self.preview, self.columns = None, {}
        self.model.set_preview(None)
        self.where.setStyleSheet(PROBLEM_STYLE if problem else "")
        self.where.setText(message)
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.fields.setEnabled(False)
        self.reset.setEnabled(False)
        self.status.clear()
        self.swap.clear()
        self.note.clear()
        self.changed.emit()

    def show_preview(self, preview: Preview) -> None:
        self.preview, self.columns = preview, preview.initial
        suggestion = preview.suggestion
        self.model.set_preview(preview)
        header = self.model.header_index()
        if header is not None:
            self.view.scrollTo(self.model.index(header, 0))
        self.where.setStyleSheet("")
        self.where.setText(self.tr("{file} — {sheet}, en-têtes ligne {row}").format(
            file=suggestion.path.name, sheet=sheet_label(suggestion.path, suggestion.sheet), row=suggestion.header_row))
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(aucune colonne)"), None)
            for index, text in enumerate(suggestion.headers):
                if text:  # a profile names a column by its header: a column without one cannot be chosen
                    combo.addItem(f"{column_letter(index)} — {text}", index)
            combo.blockSignals(False)
        self.fields.setEnabled(True)
        self.swap.clear()
        self._refresh()
        self.changed.emit()

    def restore_detection(self) -> None:
        """« Rétablir la détection »: the columns the product read when the file was shown (those in use, then
        its proposals for the missing fields), whatever was chosen since."""
        if self.preview is None:
            return
        self.columns = self.preview.initial
        self.swap.setText(self.tr("Détection rétablie : les colonnes reconnues dans le fichier."))
        self.swap.setStyleSheet("")
        self._refresh()
        self.changed.emit()

    def _choose(self, name: str, row: int) -> None:
        """A column chosen for `name`: the field that read it, if any, takes `name`'s former column (a swap, so
        no field silently loses its column), or none when `name` had none; the status line says which."""
        index = self.combos[name].itemData(row)
        former = self.columns.get(name)
        holder = next((other for other, column in self.columns.items() if other != name and column == index), None)
        self.columns = assign(self.columns, name, index)
        if holder is not None and former is not None:
            self.columns[holder] = former
        self._say_swap(name, index, holder, former)
        self._refresh()
        if index is not None:
            self.view.selectColumn(index)  # the column just chosen, in the preview beside
        self.changed.emit()

    def _say_swap(self, name: str, index: int | None, holder: str | None, former: int | None) -> None:
        if holder is None:
            self.swap.clear()
            return
        label, other = self.spec.fields[name].label, self.spec.fields[holder].label
        taken = self.tr("« {label} » lit désormais la colonne {column}").format(label=label, column=column_letter(index))
        if former is not None:
            self.swap.setText(self.tr("{taken} ; « {other} » prend la colonne {former}, libérée par « {label} ».").format(
                taken=taken, other=other, former=column_letter(former), label=label))
            self.swap.setStyleSheet("")
        else:
            self.swap.setText(self.tr("{taken} ; « {other} », qui la lisait, n'a plus de colonne : choisissez-en "
                                      "une.").format(taken=taken, other=other))
            self.swap.setStyleSheet(PROBLEM_STYLE if self.spec.fields[holder].required else "")

    def _refresh(self) -> None:
        """Dropdowns, status and note from `columns`: the only state, never read back from the widgets."""
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            column = self.columns.get(name)
            combo.setCurrentIndex(0 if column is None else combo.findData(column))
            combo.blockSignals(False)
        missing = missing_fields(self.spec, self.columns)
        if missing:
            groups = [self.spec.fields[group[0]].label if len(group) == 1 else self.tr("au moins une parmi {labels}").format(
                labels=", ".join(self.spec.fields[name].label for name in group)) for group in missing]
            self.status.setText(self.tr("Colonnes obligatoires sans correspondance : {fields}.").format(
                fields=" ; ".join(groups)))
            self.status.setStyleSheet(PROBLEM_STYLE)
        else:
            self.status.setText(self.tr("Toutes les colonnes obligatoires sont associées."))
            self.status.setStyleSheet(COMPLETE_STYLE)
        assert self.preview is not None  # the dropdowns hold columns only while a preview is shown
        self.reset.setEnabled(self.columns != self.preview.initial)
        proposed = [f"{self.spec.fields[name].label} → {column_letter(index)}"
                    for name, index in self.preview.suggestion.proposed.items()
                    if self.columns.get(name) == index and self.preview.in_use.get(name) != index]
        notes = [self.tr("Colonnes proposées, à vérifier : {fields}.").format(fields=", ".join(proposed))] if proposed else []
        if self.modified:
            notes.append(self.tr("Correspondance modifiée : « Enregistrer et réimporter » (Ctrl+S) pour l'utiliser."))
        self.note.setText(" ".join(notes))
