"""GUI tests: pytest-qt's qtbot, and a guard that fails a test leaving a worker running."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool


@pytest.fixture(autouse=True)
def no_thread_left_running(qtbot) -> Iterator[None]:  # noqa: ARG001 - qtbot makes sure a QApplication exists
    yield
    pool = QThreadPool.globalInstance()
    finished = pool.waitForDone(5000)
    assert finished, "a test left a worker thread running"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)
