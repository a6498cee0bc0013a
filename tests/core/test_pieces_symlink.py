"""A link in the pieces folder pointing outside it (issue #17, item 10): its target would be copied into the
deposit's zip, so the folder is refused with a French paragraph naming the link; a link to a file of the folder
itself is an ordinary piece."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from testdata import FINESS_A, MINIMAL_PDF

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]]

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="creating symbolic links needs privileges on Windows")


@needs_symlinks
def test_a_link_to_a_file_outside_the_pieces_folder_is_refused(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS, pdfs=[])
    secret = tmp_path / "ailleurs" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(MINIMAL_PDF + b"% pas pour le portail\n")
    (folder / "pieces" / "B1.pdf").symlink_to(secret)
    workspace = load_workspace(folder)
    with pytest.raises(InputError) as refused:
        run_pipeline(workspace, AT)
    message = str(refused.value)
    assert "B1.pdf" in message and "lien" in message and str(secret) in message
    with pytest.raises(InputError, match="B1.pdf"):
        export_workspace(workspace, AT, tmp_path / "depots", ExportOptions())
    assert not any((tmp_path / "depots").rglob("*.zip"))


@needs_symlinks
def test_a_link_to_a_file_of_the_pieces_folder_itself_is_a_piece(make_workspace) -> None:
    folder = make_workspace(CLIENTS, BDCS, pdfs=["scan-001.pdf"])
    (folder / "pieces" / "B1.pdf").symlink_to("scan-001.pdf")
    result = run_pipeline(load_workspace(folder), AT)
    assert not [d for d in result.diagnostics if d.code.startswith("piece")]


@needs_symlinks
def test_the_folder_listing_names_every_outside_link(tmp_path: Path) -> None:
    """The one listing the pieces check and the export share (RuleContext.piece_folder) refuses the folder."""
    from segur_desktop.core.calendar import load_calendar
    from segur_desktop.core.validate.rules import RuleContext

    pieces = tmp_path / "pieces"
    pieces.mkdir()
    (pieces / "ok.pdf").write_bytes(MINIMAL_PDF)
    (pieces / "copie.pdf").symlink_to(pieces / "ok.pdf")
    (pieces / "passwd.pdf").symlink_to("/etc/passwd")
    context = RuleContext(AT, load_calendar(), pieces)
    with pytest.raises(InputError, match=r"« passwd.pdf » → « /etc/passwd »") as refused:
        context.find_piece("ok.pdf")
    assert "copie.pdf" not in str(refused.value)
