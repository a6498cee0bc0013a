"""Issue #18 item 5: an unusable --out is said in French (never « (No such file or directory) »), before any work."""

from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.paths import demo_workspace


@pytest.mark.parametrize("command", ["build", "export"])
def test_out_under_a_file(command: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "sortie"
    assert main([command, "-w", str(demo_workspace()), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Erreur : Impossible d'écrire dans « {out} » : un élément du chemin est un fichier, "
                          "pas un dossier. Vérifiez le chemin")
    assert "Not a directory" not in err and "No such file" not in err and "(" not in err.split("»", 1)[1]


@pytest.mark.parametrize("command", ["build", "export"])
def test_out_without_the_right_to_write(command: str, tmp_path: Path, capsys: pytest.CaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from segur_desktop.core import oserrors

    monkeypatch.setattr(oserrors.os, "access", lambda path, mode: False)  # root ignores chmod
    out = tmp_path / "sortie"
    assert main([command, "-w", str(demo_workspace()), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"Impossible d'écrire dans « {out} » : permission refusée. Choisissez un dossier où vous avez le droit " \
           "d'écrire" in err
    assert not out.exists()
