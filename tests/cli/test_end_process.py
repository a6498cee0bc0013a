"""`validate` and `build` run as the command end their process at once (no teardown), their output whole."""

import json
import subprocess
import sys
from pathlib import Path

from segur_desktop.cli import main


def test_the_command_ending_at_once_prints_its_whole_report(demo: Path, capsys) -> None:
    assert main(["validate", "-w", str(demo), "--format", "json"]) == 1
    in_process = json.loads(capsys.readouterr().out)
    done = subprocess.run([sys.executable, "-m", "segur_desktop", "validate", "-w", str(demo), "--format", "json"],
                          capture_output=True, timeout=60)
    assert done.returncode == 1
    assert json.loads(done.stdout) == in_process and len(in_process["diagnostics"]) > 10


def test_build_run_as_the_command_writes_every_file_and_its_report(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "segur_desktop", "build", "-w", str(demo), "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout.endswith("\n") and "Fichier écrit" in done.stdout
    report = json.loads((out / "rapport.json").read_text(encoding="utf-8"))
    assert sorted(f["file"] for f in report["summary"]["files"]) == sorted(
        p.name for p in out.glob("*.json") if p.name != "rapport.json")
