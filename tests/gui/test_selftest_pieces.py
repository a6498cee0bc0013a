"""`--self-test` checks the pieces' protection check (issue #17): pypdf and cryptography's AES, which a frozen build
could leave out, must tell a PDF asking for a password from one restricted by its owner's only."""

from pathlib import Path

import pytest

from segur_desktop import selftest


def test_the_self_test_tells_the_two_protections_apart_here(tmp_path: Path) -> None:
    assert selftest._encrypted_pieces(tmp_path) is None


def test_a_pieces_check_that_misses_a_password_fails_the_self_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("segur_desktop.core.validate.pdffile.pdf_problem", lambda _path: None)
    assert selftest._encrypted_pieces(tmp_path) == "PDF protégé mal reconnu (mot de passe « secret ») : None"
