"""GUI tests: pytest-qt's qtbot, shared window fixtures, and a guard that fails a test leaving a worker running."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from segur_desktop.core.paths import demo_workspace
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.workers import Workers


@pytest.fixture(autouse=True)
def no_thread_left_running(qtbot) -> Iterator[None]:
    yield
    pool = QThreadPool.globalInstance()
    finished = pool.waitForDone(5000)
    assert finished, "a test left a worker thread running"


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)
