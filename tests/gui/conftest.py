"""GUI tests: pytest-qt's qtbot, shared window fixtures, and two guards: a test fails when it leaves a worker
running (in the global pool or a write pool) or when a bug reached the crash dialog without the test asking for it
(`crashes`)."""

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

# The crash sink logs each traceback: to a scratch folder, never the user's log.
os.environ.setdefault("SEGUR_DESKTOP_LOG_DIR", tempfile.mkdtemp(prefix="segur-desktop-test-log-"))

from windowjobs import DEMO_AVANCES, TIMEOUT, settle_tracking

from segur_desktop.applog import log
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.register import register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.workspace import load_workspace
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.workers import Workers


@pytest.fixture(autouse=True)
def no_thread_left_running(qtbot, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pools = [QThreadPool.globalInstance()]
    made = Workers.writes

    def writes(workers: Workers) -> Workers:  # each window's write pool is a QThreadPool of its own: watched too
        pool = made(workers)
        if pool.pool not in pools:
            pools.append(pool.pool)
        return pool

    monkeypatch.setattr(Workers, "writes", writes)
    yield
    left = [pool for pool in pools if not pool.waitForDone(5000)]
    assert not left, "a test left a worker thread running"


class _Crashes(logging.Handler):
    """What `report_unexpected` logs: one record per bug that reached the crash sink's dialog."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.details: list[str] = []
        self.expected = False

    def emit(self, record: logging.LogRecord) -> None:
        self.details.append(record.getMessage())


@pytest.fixture(autouse=True)
def no_silent_crash() -> Iterator[_Crashes]:
    """A job's bug is logged and shown, never silent; in a test it is a failure unless the test asked for `crashes`."""
    handler = _Crashes()
    log.addHandler(handler)
    yield handler
    log.removeHandler(handler)
    if not handler.expected:
        assert not handler.details, "a bug reached the crash dialog:\n" + "\n".join(handler.details)


@pytest.fixture
def crashes(no_silent_crash: _Crashes) -> list[str]:
    """For a test that provokes a bug on purpose: the tracebacks logged by the crash sink, for it to check."""
    no_silent_crash.expected = True
    return no_silent_crash.details


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    """A private copy of the demo workspace: tests may change it."""
    folder = tmp_path / "demo"
    shutil.copytree(demo_workspace(), folder, ignore=shutil.ignore_patterns("sortie"))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def session(qtbot) -> Iterator[Session]:
    session = Session(Workers())
    yield session
    session.cancel()
    session.workers.wait(10000)


@pytest.fixture
def window(qtbot, session: Session, settings: Settings) -> MainWindow:
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def demo_window(qtbot, window: MainWindow, demo_folder: Path) -> MainWindow:
    """The window with the demo workspace open and validated."""
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    return window


@pytest.fixture
def tracked(qtbot, window: MainWindow, demo_folder: Path, tmp_path: Path) -> MainWindow:
    """The demo exported (by the core, as the CLI would) and recorded, then opened in the window on the Suivi page."""
    workspace = load_workspace(demo_folder)
    register = register_for(workspace)
    exported = export_workspace(workspace, workspace.judged_at, tmp_path / "depots", register=RegisterIndex.of(register))
    assert len(record_export(register, exported).new) == DEMO_AVANCES
    with qtbot.waitSignals([window.session.validated, window.session.tracked], timeout=TIMEOUT):
        window.open_workspace(demo_folder)
    window.navigation.setCurrentRow(window.stack.indexOf(window.tracking))
    settle_tracking(qtbot, window)
    return window


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)
