"""Writing workspace.json never blocks the window: on a slow or dead network share the window keeps
answering, says what it waits for, and checks the workspace once the change is on disk (real threads)."""

import json
import threading
from pathlib import Path

from PySide6.QtCore import QTimer

import segur_desktop.gui.session as session_module
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.progress_dialog import ProgressDialog


def test_a_slow_workspace_write_leaves_the_window_responsive(qtbot, demo_window: MainWindow, demo_folder: Path,
                                                              monkeypatch) -> None:
    release = threading.Event()
    write = session_module.edit_workspace

    def slow_share(folder: Path, **changes):
        release.wait(20)  # a network share that does not answer
        return write(folder, **changes)

    monkeypatch.setattr(session_module, "edit_workspace", slow_share)
    demo_window.progress_delay_ms = 0
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    dialog = demo_window.control_instant.choose()
    dialog.now.setChecked(True)
    dialog.accept()  # returns at once: the write waits in its worker
    qtbot.wait(300)
    timer.stop()
    assert len(ticks) >= 10  # the event loop kept turning while the share did not answer
    assert demo_window.session.busy
    assert "date_controle" in json.loads((demo_folder / "workspace.json").read_text(encoding="utf-8"))
    waiting = [d for d in demo_window.findChildren(ProgressDialog) if d.isVisible()]
    assert [d.windowTitle() for d in waiting] == ["Enregistrement du dossier de travail"]
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        release.set()
    assert "date_controle" not in json.loads((demo_folder / "workspace.json").read_text(encoding="utf-8"))
    assert demo_window.session.workspace.judged_at is None and demo_window.session.validation is not None
    assert demo_window.control_instant.text() == "Échéances jugées : maintenant"
