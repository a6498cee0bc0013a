"""Issue #18 item 5: every operating-system error is one French paragraph naming the file and what to do.

Tests run as root in CI containers, where `chmod 000` does not refuse anything: the refusals are
simulated where the product opens the file."""

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from testdata import FINESS_A

from segur_desktop.core import oserrors
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.errors import InputError
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.read import limits, read_sheet
from segur_desktop.core.workspace import load_workspace

ENGLISH = ("Permission denied", "No such file", "Not a directory", "being used by another process", "Errno")

CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]


def _english_free(text: str) -> None:
    for english in ENGLISH:
        assert english not in text


def test_an_unreadable_pdf_is_illisible_not_absent(make_workspace, monkeypatch) -> None:
    folder = make_workspace(CLIENTS, [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]])
    locked = folder / "pieces" / "B1.pdf"
    real_open = Path.open

    def refusing_open(self: Path, *args, **kwargs):
        if self.name == locked.name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    result = run_pipeline(load_workspace(folder), parse_instant("2022-11-28T10:00:00+01:00"))
    problems = [d for d in result.diagnostics if d.code.startswith("piece")]
    assert [d.code for d in problems] == ["piece_illisible"]
    diagnostic = problems[0]
    assert "« B1.pdf » est dans le dossier des pièces" in diagnostic.message
    assert "ne peut pas être lu : permission refusée" in diagnostic.message
    assert "n'est pas dans le dossier" not in diagnostic.message
    assert "droit de le lire" in diagnostic.fix
    _english_free(diagnostic.message + diagnostic.fix)


def test_a_workbook_without_read_permission(tmp_path: Path, monkeypatch) -> None:
    workbook = tmp_path / "clients.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\0" * 100)

    def refused(name, flags):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(name))

    monkeypatch.setattr(limits, "_no_wait", refused)
    with pytest.raises(InputError) as error:
        read_sheet(workbook)
    text = str(error.value)
    assert text == (f"Le fichier « {workbook} » ne peut pas être ouvert : permission refusée. Vérifiez que votre "
                    "compte a le droit de le lire (ou copiez-le dans un de vos dossiers), puis recommencez.")
    assert "Ouvrez-le dans Excel" not in text


def test_a_workbook_locked_by_excel_on_windows(tmp_path: Path) -> None:
    # Windows: a sharing violation is EACCES too, but winerror 32 tells a lock from a refusal.
    locked = PermissionError(errno.EACCES, "The process cannot access the file because it is being used by "
                                          "another process")
    locked.winerror = 32
    text = str(limits.unreadable(tmp_path / "bdc.xlsx", locked))
    assert "« " + str(tmp_path / "bdc.xlsx") + " »" in text
    assert "fichier verrouillé par une autre application (Excel ?)" in text
    assert "Fermez-le dans l'application qui l'a ouvert" in text
    _english_free(text)


def test_an_english_strerror_passed_as_text_is_put_in_french(tmp_path: Path) -> None:
    text = str(limits.unreadable(tmp_path / "clients.csv", os.strerror(errno.EACCES)))
    assert "permission refusée" in text
    _english_free(text)


def test_a_french_reason_is_kept_with_the_resave_advice(tmp_path: Path) -> None:
    text = str(limits.unreadable(tmp_path / "clients.xlsx", "le fichier est tronqué ou endommagé"))
    assert "ne peut pas être lu : le fichier est tronqué ou endommagé. Ouvrez-le dans Excel" in text


@pytest.mark.parametrize(("number", "french"), [
    (errno.EACCES, "permission refusée"), (errno.ENOENT, "fichier ou dossier introuvable"),
    (errno.ENOTDIR, "un élément du chemin est un fichier, pas un dossier"), (errno.ENOSPC, "disque plein"),
    (errno.EROFS, "support en lecture seule"), (errno.EBUSY, "fichier verrouillé"),
])
def test_reasons_are_french(number: int, french: str) -> None:
    error = OSError(number, os.strerror(number))
    assert oserrors.reason(error).startswith(french)
    assert oserrors.reason(os.strerror(number)).startswith(french)
    _english_free(oserrors.advice_read(error) + oserrors.advice_write(error))


def test_output_folder_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError) as error:
        oserrors.check_output_folder(tmp_path / "afile" / "sortie")
    assert str(error.value).startswith(f"Impossible d'écrire dans « {tmp_path / 'afile' / 'sortie'} » : un élément "
                                       "du chemin est un fichier, pas un dossier.")


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "sortie").write_text("x")
    with pytest.raises(InputError, match="est un fichier, pas un dossier"):
        oserrors.check_output_folder(tmp_path / "sortie")


def test_output_folder_check_leaves_nothing_behind(tmp_path: Path) -> None:
    oserrors.check_output_folder(tmp_path / "a" / "b" / "c")
    assert list(tmp_path.iterdir()) == []


def test_output_folder_without_write_permission(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(oserrors.os, "access", lambda path, mode: False)
    with pytest.raises(InputError) as error:
        oserrors.check_output_folder(tmp_path / "sortie")
    assert str(error.value) == (f"Impossible d'écrire dans « {tmp_path / 'sortie'} » : permission refusée. Choisissez "
                                "un dossier où vous avez le droit d'écrire (vos Documents, par exemple).")
