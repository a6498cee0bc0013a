"""Publish then record, recoverably (#17, item 8): a kill between the two loses nothing, and two exports in the
same second are two records."""

import json
import logging
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.export.plan import ExportOptions
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.register import journal, register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.journal import export_and_record, pending
from segur_desktop.core.register.store import Register, pending_folder
from segur_desktop.core.workspace import load_workspace

GENERATED = datetime(2022, 11, 28, 11, 0, tzinfo=PARIS)


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_workspace(), folder, ignore=shutil.ignore_patterns("sortie"))
    return folder


def validate(folder: Path, register: Register) -> PipelineResult:
    workspace = load_workspace(folder)
    return run_pipeline(workspace, workspace.judged_at, register=RegisterIndex.of(register))


def killed(register, result):
    """The record step dying as a `kill -9` would leave it: the bundle is published, the register untouched."""
    raise RuntimeError("killed between publishing and recording")


def bundles(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name.startswith("depot_"))


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_a_bundle_published_but_not_recorded_is_recovered_when_the_register_opens(
        demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_zip: bool) -> None:
    out = tmp_path / "depots"
    register = register_for(load_workspace(demo_folder))
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(journal, "record_export", killed)
        export_and_record(validate(demo_folder, register), out, ExportOptions(as_zip=as_zip), register,
                          generated_at=GENERATED)
    (bundle,) = bundles(out)
    assert register.exports_count() == 0 and len(pending(register.path)) == 1

    reopened = register_for(load_workspace(demo_folder))  # the next start
    (message,) = reopened.recovered
    exported = {e.id for e in reopened.entries()}
    assert message == (f"Le paquet « {bundle.name} » publié le 28/11/2022 11:00 n'était pas dans le suivi : ses "
                       f"{len(exported)} demande(s) y sont maintenant.")
    assert exported and reopened.exports_count() == 1 and pending(reopened.path) == []
    assert register_for(load_workspace(demo_folder)).recovered == ()  # told once

    # The next export sees them as already exported: no silent depot_…_2 with the same demandes.
    again = validate(demo_folder, reopened)
    warned = {d.request for d in again.diagnostics if d.code == "deja_exportee"}
    assert warned == exported


def test_the_export_that_follows_a_crash_recovers_it_before_validating(
        demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "depots"
    with monkeypatch.context() as patch:
        patch.setattr(journal, "record_export", killed)
        assert main(["export", "-w", str(demo_folder), "--out", str(out)]) == 3  # an unexpected error, logged
    capsys.readouterr()
    (first,) = bundles(out)
    assert main(["export", "-w", str(demo_folder), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"Le paquet « {first.name} » publié le " in captured.err and "n'était pas dans le suivi" in captured.err
    register = register_for(load_workspace(demo_folder))
    entries = register.entries()
    assert register.exports_count() == 2 and {e.bundle_name for e in entries} == {bundles(out)[1].name}
    for entry in entries:  # recovered first, so the second export knew them: « exportée de nouveau »
        assert [h.comment for h in register.history(entry.id)] == ["", "exportée de nouveau"]


def test_a_journaled_export_never_published_is_dropped_and_only_logged(
        demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "depots"
    register = register_for(load_workspace(demo_folder))

    def killed_before_the_rename(temp: Path, target: Path) -> bool:
        raise KeyboardInterrupt  # as a kill between the journal entry and the rename
    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr("segur_desktop.core.export.bundle._publish_as", killed_before_the_rename)
        export_and_record(validate(demo_folder, register), out, ExportOptions(), register, generated_at=GENERATED)
    assert bundles(out) == [] and pending(register.path) == []  # the exporter saw nothing was published
    # The same, but the process died before it could clean up: an entry naming a bundle that is not there.
    folder = pending_folder(register.path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0123456789abcdef.json").write_text(json.dumps({
        "format": journal.FORMAT, "token": "0123456789abcdef", "bundle": str(out / "depot_absent"),
        "manifest_sha256": "0" * 64, "generated_at": GENERATED.isoformat(), "workspace": str(demo_folder),
        "pid": 0, "host": "ailleurs"}), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="segur_desktop"):
        reopened = register_for(load_workspace(demo_folder))
    assert reopened.recovered == () and pending(reopened.path) == [] and reopened.exports_count() == 0
    assert "jamais publié" in caplog.text and "depot_absent" in caplog.text


def test_an_export_still_running_in_another_process_is_left_alone(demo_folder: Path, tmp_path: Path) -> None:
    register = register_for(load_workspace(demo_folder))
    folder = pending_folder(register.path)
    folder.mkdir(parents=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import socket
        (folder / "feedfacefeedface.json").write_text(json.dumps({
            "format": journal.FORMAT, "token": "feedfacefeedface", "bundle": str(tmp_path / "depot_en_cours"),
            "manifest_sha256": "0" * 64, "generated_at": GENERATED.isoformat(), "workspace": str(demo_folder),
            "pid": other.pid, "host": socket.gethostname()}), encoding="utf-8")
        assert register_for(load_workspace(demo_folder)).recovered == ()
        assert len(pending(register.path)) == 1
    finally:
        other.kill()
        other.wait()
    assert register_for(load_workspace(demo_folder)).recovered == () and pending(register.path) == []


def test_a_register_problem_after_publishing_leaves_the_bundle_said_and_journaled(
        demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "depots"
    register = register_for(load_workspace(demo_folder))

    def full_disk(register, result):
        raise InputError("Le registre de suivi est plein.")
    with monkeypatch.context() as patch:
        patch.setattr(journal, "record_export", full_disk)
        exported = export_and_record(validate(demo_folder, register), out, ExportOptions(), register,
                                     generated_at=GENERATED)
    assert exported.recorded is None and exported.problem == "Le registre de suivi est plein."
    assert exported.result.bundle.is_dir() and len(pending(register.path)) == 1
    assert len(register_for(load_workspace(demo_folder)).recovered) == 1  # recorded at the next opening


def test_a_journal_that_cannot_be_written_publishes_nothing(
        demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "depots"
    register = register_for(load_workspace(demo_folder))
    pending_folder(register.path).parent.mkdir(parents=True, exist_ok=True)
    pending_folder(register.path).write_text("pas un dossier")  # the journal's folder cannot be created
    with pytest.raises(InputError, match="le paquet n'a pas été publié"):
        export_and_record(validate(demo_folder, register), out, ExportOptions(), register, generated_at=GENERATED)
    assert list(out.iterdir()) == [] and register.exports_count() == 0


def test_two_exports_in_the_same_second_are_both_recorded_and_the_printed_command_works(
        demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return GENERATED

    monkeypatch.setattr("segur_desktop.core.export.bundle.datetime", Frozen)
    out = tmp_path / "depots"
    printed = []
    for _ in range(2):
        assert main(["export", "-w", str(demo_folder), "--out", str(out)]) == 1
        text = capsys.readouterr().out
        (line,) = [printed_line for printed_line in text.splitlines() if "register set-status --bundle" in printed_line]
        printed.append(line.split("indiquez-le : ", 1)[1].rstrip("."))
    first, second = bundles(out)
    assert (first.name, second.name) == (second.name.removesuffix("_2"), first.name + "_2")
    manifests = [json.loads((b / MANIFEST).read_text(encoding="utf-8")) for b in (first, second)]
    assert [m["generated_at"] for m in manifests] == [GENERATED.isoformat()] * 2
    assert [m["bundle"] for m in manifests] == [first.name, second.name]
    register = register_for(load_workspace(demo_folder))
    assert register.exports_count() == 2
    assert f"--bundle {second.name} " in printed[1]
    command = printed[1].split()  # segur-desktop register set-status --bundle NAME "en cours" -w "DIR"
    args = command[1:command.index("--bundle") + 2] + ["en cours", "-w", str(demo_folder)]
    assert main(args) == 0, capsys.readouterr()
    assert all(e.status != register.lifecycle.initial for e in register.entries())


def test_validate_and_register_commands_say_what_was_recovered(demo_folder: Path, tmp_path: Path, capsys,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from segur_desktop.cli import main

    register = register_for(load_workspace(demo_folder))
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(journal, "record_export", killed)
        export_and_record(validate(demo_folder, register), tmp_path / "depots", ExportOptions(), register,
                          generated_at=GENERATED)
    capsys.readouterr()
    main(["validate", "-w", str(demo_folder)])
    assert "n'était pas dans le suivi" in capsys.readouterr().err
    assert main(["register", "summary", "-w", str(demo_folder)]) == 0
    assert "n'était pas dans le suivi" not in capsys.readouterr().err  # said once
