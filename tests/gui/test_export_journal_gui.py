"""The window: an export killed after publishing is recorded when the workspace's register opens, and said (#17)."""

from pathlib import Path

import pytest

from segur_desktop.core.export.plan import ExportOptions
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.register import journal, register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.journal import pending
from segur_desktop.core.workspace import load_workspace
from segur_desktop.gui.pages import export as export_page
from segur_desktop.gui.session import Session


def killed(register, result):
    raise RuntimeError("killed between publishing and recording")


def test_opening_the_workspace_records_a_bundle_a_kill_left_out_and_says_so(
        qtbot, session: Session, demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = load_workspace(demo_folder)
    register = register_for(workspace)
    result = run_pipeline(workspace, workspace.judged_at, register=RegisterIndex.of(register))
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(journal, "record_export", killed)
        export_page._export_and_record(result, tmp_path / "depots", ExportOptions(), progress=lambda p: None,
                                       cancel=None)
    (bundle,) = (tmp_path / "depots").iterdir()
    notices = []
    session.notice.connect(notices.append)
    with qtbot.waitSignal(session.validated, timeout=20000):
        session.open(demo_folder)
    assert notices == [f"Le paquet « {bundle.name} » publié le {notices[0].split(' publié le ')[1][:16]} n'était pas "
                       f"dans le suivi : ses {len(session.tracking.entries)} demande(s) y sont maintenant."]
    assert session.tracking.entries and pending(register.path) == []


def test_the_window_says_what_was_recovered(qtbot, window, demo_folder: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    workspace = load_workspace(demo_folder)
    register = register_for(workspace)
    result = run_pipeline(workspace, workspace.judged_at, register=RegisterIndex.of(register))
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(journal, "record_export", killed)
        export_page._export_and_record(result, tmp_path / "depots", ExportOptions(), progress=lambda p: None,
                                       cancel=None)
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    box = window.findChild(QMessageBox, "notice_box")
    assert box is not None and box.isVisible() and "n'était pas dans le suivi" in box.text()
    assert box.windowTitle() == "Suivi complété"
    box.close()
