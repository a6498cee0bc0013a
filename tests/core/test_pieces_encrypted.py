"""Encrypted PDFs among the pieces (issue #17): one that opens without a password (an owner password restricting
printing or editing, as e-signature and scanning tools set) is an ordinary piece; one that asks a password to open
is an error, since the ASP agent cannot read it. Made with pypdf's writer, RC4 and AES."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfWriter
from testdata import FINESS_A

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.validate.pdffile import pdf_problem
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]]
ALGORITHMS = ["RC4-40", "RC4-128", "AES-128", "AES-256-R5", "AES-256"]


def encrypted(algorithm: str, user_password: str, owner_password: str = "proprietaire") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_pdf_restricted_by_an_owner_password_only_is_an_ordinary_piece(make_workspace, tmp_path: Path,
                                                                         algorithm: str) -> None:
    """Before: the warning « piece_protegee » on every signed BDC whose tool restricts editing."""
    folder = make_workspace(CLIENTS, BDCS)
    (folder / "pieces" / "B1.pdf").write_bytes(encrypted(algorithm, ""))
    assert [d.code for d in run_pipeline(load_workspace(folder), AT).diagnostics if d.code.startswith("piece")] == []
    export = export_workspace(load_workspace(folder), AT, tmp_path / "depots", ExportOptions())
    assert export.check is not None and export.check.ok and not export.plan.left_out


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_pdf_asking_a_password_to_open_is_an_error_and_left_out(make_workspace, tmp_path: Path,
                                                                  algorithm: str) -> None:
    """Before: a warning; the demande was exported and waited « en attente de pièces » on the portal."""
    folder = make_workspace(CLIENTS, BDCS)
    (folder / "pieces" / "B1.pdf").write_bytes(encrypted(algorithm, "secret"))
    [found] = [d for d in run_pipeline(load_workspace(folder), AT).diagnostics if d.code.startswith("piece")]
    assert found.code == "piece_protegee" and found.severity == "error" and found.column == "G"
    assert "« B1.pdf » demande un mot de passe" in found.message and "Enregistrer au format PDF" in found.fix
    export = export_workspace(load_workspace(folder), AT, tmp_path / "depots", ExportOptions())
    [left_out] = export.plan.left_out
    assert left_out.bdc_number == "B1" and any("mot de passe" in detail for detail in left_out.details)


def test_a_pdf_only_a_certificate_or_a_rights_server_opens_is_an_error(tmp_path: Path) -> None:
    """pypdf knows the standard security handler only; another (Adobe's rights management, a certificate's) needs
    what the ASP agent does not have."""
    path = tmp_path / "B1.pdf"
    path.write_bytes(encrypted("RC4-128", "").replace(b"/Filter /Standard", b"/Filter/Adobe.APS"))
    assert pdf_problem(path) == ("piece_protegee", {})


def test_encrypt_in_a_comment_is_no_protection(tmp_path: Path) -> None:
    """The quick look for « /Encrypt » in the file's ends may find it outside the trailer; pypdf reads the trailer."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "B1.pdf"
    path.write_bytes(out.getvalue().replace(b"startxref", b"% /Encrypt << >>\nstartxref"))
    assert pdf_problem(path) is None
    path.write_bytes(out.getvalue().replace(b"/Root", b"/Encrypt 9 0 R /Root"))
    assert pdf_problem(path) == ("piece_protection_inconnue", {})  # the same file whose trailer names it


@pytest.mark.parametrize(("content", "imported"), [(None, "False"), (encrypted("AES-128", ""), "True")])
def test_only_an_encrypted_piece_imports_pypdf(demo: Path, tmp_path: Path, content: bytes | None,
                                               imported: str) -> None:
    """pypdf costs about 80 ms to import: validation's start-up never pays for it, a folder holding an encrypted PDF
    does (the second case shows the first could fail)."""
    copy = shutil.copytree(demo, tmp_path / "demo", ignore=shutil.ignore_patterns("sortie"))
    if content is not None:
        (copy / "pieces" / "BDC-2022-0001.pdf").write_bytes(content)
    code = ("import sys; from segur_desktop.cli import main; main(['validate', '-w', sys.argv[1]]); "
            "print('pypdf' in sys.modules, file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code, str(copy)], capture_output=True, text=True, timeout=120)
    assert run.stderr.strip().splitlines()[-1] == imported, run.stderr


def test_a_protection_is_read_once_per_file_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window validates again at each change of the workspace: 20 000 AES-256 keys cost 80 s each time. A file
    replaced by another of the same size within the same tick of the clock is read again (its ends differ)."""
    import pypdf

    opened: list[Path] = []
    reader = pypdf.PdfReader
    monkeypatch.setattr(pypdf, "PdfReader", lambda path: opened.append(path) or reader(path))
    path = tmp_path / "B1.pdf"
    path.write_bytes(encrypted("RC4-40", ""))
    instant = path.stat().st_mtime_ns
    assert pdf_problem(path) is None and pdf_problem(path) is None
    assert opened == [path]
    replaced = encrypted("RC4-40", "secret")
    assert len(replaced) == path.stat().st_size
    path.write_bytes(replaced)
    os.utime(path, ns=(instant, instant))
    assert pdf_problem(path) == ("piece_protegee", {})
    assert opened == [path, path]
