"""`--self-test`: the installation check CI runs on the frozen app."""

import subprocess
import sys
from pathlib import Path

from segur_desktop import selftest


def test_self_test_passes_on_this_installation(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "segur_desktop.app", "--self-test"], capture_output=True, text=True,
                         timeout=180, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("Autotest Segur Desktop ")
    # The window checks the demo against its (empty, scratch) Suivi register: the 3 soldes wait for their avances.
    assert (" : OK — démonstration : 38 demandes vérifiées, paquet de 6 dépôts écrit et revérifié, 29 demandes "
            "enregistrées dans le suivi") in run.stdout


def test_self_test_fails_with_one_french_line(qtbot, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path))  # restored after the test
    monkeypatch.setenv("SEGUR_DESKTOP_LOG_DIR", str(tmp_path / "log"))
    broken = tmp_path / "cassé"
    broken.mkdir()
    (broken / "workspace.json").write_text("{", encoding="utf-8")
    monkeypatch.setattr("segur_desktop.core.workspace.demo_copy", lambda: broken)
    assert selftest.run() == 1
    line = capsys.readouterr().out.strip()
    assert "ÉCHEC" in line and "workspace.json" in line
    assert "\n" not in line
