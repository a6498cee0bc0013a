"""Progress of a running job: shown only if the work lasts, cancellable when the job can stop.

Quick work (the demo validates in a fraction of a second) must not flash a
dialog; long work (a 20k-row export) must show what it is doing with counts
and a Cancel button. Qt's `QProgressDialog` does both: `setMinimumDuration`
opens it `DELAY_MS` after the job starts if the job is still running (ODE's
rule), and it closes when the job is done. A job that cannot stop
(`Job.cancellable` is False: a plain function run by `Workers.call`) gets no
Cancel button, and Escape leaves it be.

Three of its defaults do not fit a job of several stages, each counted from
0: `setValue` restarts the delay whenever a count is back at 0 (a job of many
short stages would never show), processes events from inside a modal dialog
(a slot run within another), and auto-reset and auto-close would take the
dialog down at the end of the first stage. So the counts go to its bar
directly, auto-reset and auto-close are off, and Cancel asks the job to stop
rather than hiding the dialog at once: it closes when the job has stopped.
"""

from __future__ import annotations

from PySide6.QtCore import SIGNAL, SLOT, QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QProgressDialog, QPushButton, QWidget

from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.gui.workers import Job

DELAY_MS = 300


class ProgressDialog(QProgressDialog):
    def __init__(self, job: Job, title: str, parent: QWidget | None = None, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.job = job
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(420)
        self.setAutoReset(False)
        self.setAutoClose(False)
        self.label = QLabel(title)
        self.label.setWordWrap(True)
        self.setLabel(self.label)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.setBar(self.bar)
        self.cancel_button = QPushButton(self.tr("Annuler"))
        if job.cancellable:
            self.setCancelButton(self.cancel_button)
        else:
            self.setCancelButton(None)  # an « Annuler » that stops nothing must not be offered
        # Cancel stops the job; the dialog stays, saying so, until the job has stopped.
        QObject.disconnect(self, SIGNAL("canceled()"), self, SLOT("cancel()"))
        self.canceled.connect(self.cancel_job)
        self.stage, self.count = title, ""
        self.setRange(0, 0)  # busy until the first count arrives
        self.setMinimumDuration(delay_ms)
        self.setValue(0)  # starts the delay
        job.progressed.connect(self.on_progress)
        job.done.connect(self.finish)

    def on_progress(self, stage: str, done: int, total: int) -> None:
        if self.job.token.cancelled:
            return  # counts still on their way: « Annulation en cours… » stays until the job has stopped
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            count = self.tr("{done} / {total}").format(done=format_count(done), total=format_count(total))
        else:
            self.bar.setRange(0, 0)
            count = format_count(done) if done else ""
        self._say(stage, count)

    def _say(self, stage: str, count: str) -> None:
        """The label: the stage, and its counts under it when there are any."""
        self.stage, self.count = stage, count
        self.setLabelText(f"{stage}\n{count}" if count else stage)

    def cancel_job(self) -> None:
        if not self.job.cancellable:
            return
        self.job.cancel()
        self._say(self.tr("Annulation en cours…"), "")
        self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        """Escape: the same as the Cancel button (nothing, for a job that cannot stop); the dialog closes when
        the job is done."""
        self.cancel_job()

    def finish(self) -> None:
        self.reset()  # stops the delay: a dialog not shown yet never will be
        self.hide()
        self.deleteLater()
