"""Progress of a running job: shown only if the work lasts, cancellable when the job can stop.

Quick work (the demo validates in a fraction of a second) must not flash a
dialog; long work (a 20k-row export) must show what it is doing with counts
and a Cancel button. The dialog therefore opens `DELAY_MS` after the job
starts, if the job is still running (ODE's rule), and closes itself when the
job is done. A job that cannot stop (`Job.cancellable` is False: a plain
function run by `Workers.call`) gets no Cancel button, and Escape leaves it be.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.gui.workers import Job

DELAY_MS = 300


class ProgressDialog(QDialog):
    def __init__(self, job: Job, title: str, parent: QWidget | None = None, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.job = job
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(420)
        self.stage = QLabel(title)
        self.stage.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.bar.setTextVisible(True)
        self.count = QLabel("")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.rejected.connect(self.cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setVisible(job.cancellable)  # an « Annuler » that stops nothing must not be offered
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        job.progressed.connect(self.on_progress)
        job.done.connect(self.finish)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.show)
        self._timer.start(delay_ms)

    def on_progress(self, stage: str, done: int, total: int) -> None:
        self.stage.setText(stage)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.count.setText(self.tr("{done} / {total}").format(done=format_count(done), total=format_count(total)))
        else:
            self.bar.setRange(0, 0)
            self.count.setText(format_count(done) if done else "")

    def cancel(self) -> None:
        if not self.job.cancellable:
            return
        self.job.cancel()
        self.stage.setText(self.tr("Annulation en cours…"))
        self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        """Escape: the same as the Cancel button (nothing, for a job that cannot stop); the dialog closes when
        the job is done."""
        self.cancel()

    def finish(self) -> None:
        self._timer.stop()
        self.done(QDialog.DialogCode.Accepted)
        self.deleteLater()
