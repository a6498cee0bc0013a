"""Waiting for the window's jobs in the page tests: a job started by a click, and the Suivi and Export pages once
what their last action started is over, a window of its own opened and validated then closed with its jobs (a plain
module, like testdata.py, shared by the page tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.pages.export import ExportPage
from segur_desktop.gui.pages.tracking import TrackingPage
from segur_desktop.gui.pages.workspace_page import WorkspacePage
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.workers import Job, Workers

TIMEOUT = 60000  # only a failing test waits this long
DEMO_AVANCES = 29  # the demo's valid avances; its 3 soldes wait for their avances to be validated


def run_job(qtbot, window: MainWindow, start: Callable[[], Any], timeout: int = TIMEOUT) -> Job:
    """Start a page job through `start()` and wait until it is done; the job it was."""
    with qtbot.waitSignal(window.session.job_started, timeout=5000) as started:
        start()
    job = started.args[0]
    with qtbot.waitSignal(job.done, timeout=timeout):
        pass
    return job


def settle_tracking(qtbot, window: MainWindow, timeout: int = TIMEOUT) -> TrackingPage:
    """The Suivi page once every read and write the last action started is over."""
    page, session = window.tracking, window.session
    qtbot.waitUntil(lambda: not session.busy and not session.reading_register and not page.reading_history
                    and page._job is None and session.tracking is not None, timeout=timeout)
    return page


def run_and_settle(qtbot, window: MainWindow, start: Callable[[], Any], timeout: int = TIMEOUT) -> Job:
    """`run_job`, then wait until the Suivi page has settled."""
    job = run_job(qtbot, window, start, timeout)
    settle_tracking(qtbot, window, timeout)
    return job


def export_page_settled(qtbot, window: MainWindow, timeout: int = TIMEOUT) -> ExportPage:
    """The Export page, shown, once its plan (computed in a worker, for a page on screen) is there."""
    page = window.export
    window.navigation.setCurrentRow(window.stack.indexOf(page))
    qtbot.waitUntil(lambda: page.plan is not None and not page.planning, timeout=timeout)
    return page


def workspace_page_settled(qtbot, window: MainWindow) -> WorkspacePage:
    """The Dossier de travail page, shown, once its fields are read and checked (both in workers)."""
    page = window.workspace_page
    window.navigation.setCurrentRow(window.stack.indexOf(page))
    qtbot.waitUntil(lambda: not page.loading and not page.checking)
    return page


def open_window(qtbot, settings_path: Path, folder: Path) -> MainWindow:
    """A window of its own over the settings at `settings_path` (a second one sees what the first remembered), shown
    with the workspace `folder` open and validated; `close_window` ends it."""
    session = Session(Workers())
    window = MainWindow(session, Settings(settings_path))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(session.validated, timeout=20000):
        window.open_workspace(folder)
    return window


def close_window(window: MainWindow) -> None:
    """Close a window `open_window` gave, once its session's jobs have stopped."""
    window.close()
    window.session.cancel()
    window.session.workers.wait(10000)
