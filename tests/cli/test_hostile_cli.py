"""Unlucky command lines and files (issue #17): a typo in an option or a path that is not what it seems gets a
French message and exit 2, before anything is written; never an export of nothing, nor « introuvable » for a file
that is there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.paths import demo_workspace


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_workspace(), tmp_path / "demo", ignore=shutil.ignore_patterns("sortie")))


def test_an_unknown_couloir_in_only_is_refused_by_the_parser(demo_copy: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    """Before: « --only XXX/avance » exported nothing, every demande « non retenue », exit 1."""
    with pytest.raises(SystemExit) as stopped:
        main(["export", "-w", str(demo_copy), "--out", str(tmp_path / "depots"), "--only", "XXX/avance"])
    assert stopped.value.code == 2
    assert "le couloir « XXX » est inconnu (HOP, MDV" in capsys.readouterr().err
    assert not (tmp_path / "depots").exists()


def test_a_couloir_the_workspace_has_no_demande_of_is_said(demo_copy: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture) -> None:
    """Before: « --late HOP/solde » (meant for HOP/avance) read as if the option were not there."""
    out = tmp_path / "depots"
    assert main(["export", "-w", str(demo_copy), "--out", str(out), "--no-register", "--late", "HOP/solde"]) == 1
    err = capsys.readouterr().err
    assert "aucune demande HOP/solde (--only, --late)" in err and "HOP/avance, MDV/avance" in err


def test_a_couloir_is_read_by_its_name_or_in_lower_case(demo_copy: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "depots"
    assert main(["export", "-w", str(demo_copy), "--out", str(out), "--no-register", "--only", "hôpital/Avance",
                 "--format", "json"]) == 1
    assert '"couloir": "HOP",\n      "type": "avance",\n      "exported": 7' in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_verify_names_a_pipe_as_such_not_as_missing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pipe = tmp_path / "paquet"
    os.mkfifo(pipe)
    assert main(["verify", str(pipe)]) == 2
    err = capsys.readouterr().err
    assert "fichier ordinaire" in err and "introuvable" not in err


def test_a_missing_pieces_folder_exits_2_naming_it(demo_copy: Path, capsys: pytest.CaptureFixture) -> None:
    """Before: exit 1 and 44 « Pièce justificative introuvable », one per demande."""
    shutil.rmtree(demo_copy / "pieces")
    assert main(["validate", "-w", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "Le dossier des pièces justificatives" in err and "est introuvable" in err and "Traceback" not in err


@pytest.mark.parametrize("at", ["30/11/2022 14h00", "30/11/2022 à 14:00", "30/11/2022 14 h", "2022-11-30T13:00:00Z"])
def test_at_reads_an_instant_as_french_users_and_the_reports_write_it(at: str, capsys: pytest.CaptureFixture) -> None:
    """Before: « 14h00 » and « à 14:00 » (how the reports print an instant) were « pas une date reconnue »."""
    assert main(["calendar", "--at", at, "--format", "json"]) == 0
    assert '"at": "2022-11-30T14:00:00+01:00"' in capsys.readouterr().out


@pytest.mark.parametrize("at", ["27/03/2022 02:30", "2022-03-27T02:30"])
def test_at_refuses_a_paris_time_the_spring_change_skips(at: str, capsys: pytest.CaptureFixture) -> None:
    """Before: read silently as 03:30."""
    with pytest.raises(SystemExit) as stopped:
        main(["calendar", "--at", at])
    assert stopped.value.code == 2
    assert "« 27/03/2022 02:30 » n'a pas existé à Paris" in capsys.readouterr().err
