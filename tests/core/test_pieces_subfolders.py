"""Pieces filed in subfolders, as vendors keep their scans (issue #17): by month or by client under the pieces
folder, found by name wherever they lie or by the relative path a cell gives; a name in two subfolders is ambiguous,
never picked; the walk is bounded and never follows a link to a folder; the zip stays flat, as the portal's
nomFichier is a bare file name."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from testdata import FINESS_A, MINIMAL_PDF

from segur_desktop.core.calendar import PARIS, load_calendar
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.validate import piecefolder
from segur_desktop.core.validate.piecefolder import list_pieces
from segur_desktop.core.validate.rules import RuleContext
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="creating symbolic links needs privileges on Windows")


def bdcs(piece: str) -> list[list[object]]:
    return [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, piece]]


def put(pieces: Path, relative: str, content: bytes = MINIMAL_PDF) -> Path:
    path = pieces / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def scan(tag: str) -> bytes:
    """A PDF told from the others by a comment after its header."""
    return MINIMAL_PDF.replace(b"\n", f"\n% {tag}\n".encode(), 1)


def piece_findings(folder: Path) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in run_pipeline(load_workspace(folder), AT).diagnostics
            if d.code.startswith("piece")]


def exported_member(folder: Path, out: Path) -> tuple[str, bytes, str, str]:
    """(member name, its bytes, the JSON's file name for it, the manifest's source) of the one exported demande."""
    export = export_workspace(load_workspace(folder), AT, out, ExportOptions())
    assert export.check is not None and export.check.ok, export.check
    bundle = export.bundle
    assert bundle is not None
    [archive] = bundle.glob("*_pieces.zip")
    with zipfile.ZipFile(archive) as opened:
        [member] = opened.namelist()
        data = opened.read(member)
    [deposit] = [p for p in bundle.glob("*.json") if p.name != "manifest.json"]
    [named] = {m for m in deposit.read_text(encoding="utf-8").split('"') if m.endswith("_BDC.pdf")}
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    [source] = [m["source"] for d in manifest["deposits"] for m in d["attachments"]["members"]]
    return member, data, named, source


@pytest.mark.parametrize("subfolder", ["2022-11", "Clinique X", "Clinique X/2022/11"])
def test_a_piece_filed_in_a_subfolder_is_found_and_exported_flat(make_workspace, tmp_path: Path,
                                                                 subfolder: str) -> None:
    """Before: « introuvable »: only the folder's own files were listed."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=[])
    filed = put(folder / "pieces", f"{subfolder}/B1.pdf", scan("le scan de novembre"))
    assert piece_findings(folder) == []
    member, data, named, source = exported_member(folder, tmp_path / "depots")
    assert "/" not in member and member == named and member.endswith("_BDC.pdf")
    assert data == filed.read_bytes()
    assert source == f"{subfolder}/B1.pdf"


@pytest.mark.parametrize("cell", ["2022-11/B1.pdf", "2022-11\\B1.pdf", "./2022-11/B1", "2022-11\\b1.PDF"])
def test_a_cell_giving_a_relative_path_designates_that_subfolder_s_file(make_workspace, tmp_path: Path,
                                                                        cell: str) -> None:
    """The same name in another subfolder is not a rival: the cell says which one. The deposit names the file
    without its folder (the portal's nomFichier has none): before, the schema refused « 2022-11/B1.pdf »."""
    folder = make_workspace(CLIENTS, bdcs(cell), pdfs=[])
    wanted = put(folder / "pieces", "2022-11/B1.pdf", scan("novembre"))
    put(folder / "pieces", "2022-12/B1.pdf", scan("decembre"))
    findings = piece_findings(folder)
    if cell.endswith("PDF"):  # another case: found, and said with the name in use
        assert findings == [("piece_nom_approchant", "« 2022-11\\b1.PDF » n'existe pas, mais « 2022-11/B1.pdf » "
                                                     "oui : ce fichier sera utilisé.")]
    else:
        assert findings == []
        _member, data, _named, source = exported_member(folder, tmp_path / "depots")
        assert data == wanted.read_bytes() and source == "2022-11/B1.pdf"


@pytest.mark.parametrize(("cell", "said"), [
    ("C:\\Users\\adv\\Scans\\2022-11\\B1.pdf", None),
    ("\\\\srv-ged\\scans\\2022-11\\B1.pdf", None),
    ("/Volumes/Scans/2022-11/B1.pdf", None),
    ("\\\\srv-ged\\scans\\archives\\B1.pdf", "« \\\\srv-ged\\scans\\archives\\B1.pdf » n'existe pas, mais "
                                                    "« 2022-11/B1.pdf » oui : ce fichier sera utilisé."),
])
def test_a_full_path_of_another_machine_designates_its_longest_end_found(make_workspace, tmp_path: Path, cell: str,
                                                                           said: str | None) -> None:
    """ERPs and document managers export an attachment's full path, on a drive or a share this machine may reach
    under another name. Before: « introuvable »."""
    folder = make_workspace(CLIENTS, bdcs(cell), pdfs=[])
    wanted = put(folder / "pieces", "2022-11/B1.pdf", scan("novembre"))
    findings = piece_findings(folder)
    assert findings == ([("piece_nom_approchant", said)] if said else [])
    _member, data, _named, source = exported_member(folder, tmp_path / "depots")
    assert data == wanted.read_bytes() and source == "2022-11/B1.pdf"


def test_a_full_path_s_longest_end_wins_over_its_bare_name_elsewhere(make_workspace) -> None:
    folder = make_workspace(CLIENTS, bdcs("D:\\Scans\\2022-11\\B1.pdf"), pdfs=[])
    put(folder / "pieces", "2022-11/B1.pdf", scan("novembre"))
    put(folder / "pieces", "2022-12/B1.pdf", scan("decembre"))
    assert piece_findings(folder) == []
    (folder / "pieces" / "2022-11" / "B1.pdf").unlink()
    (folder / "pieces" / "2021-11").mkdir()
    put(folder / "pieces", "2021-11/B1.pdf", scan("l'an dernier"))
    [(code, message)] = piece_findings(folder)  # only its bare name left, in two subfolders: never a pick
    assert code == "piece_ambigue" and "« 2021-11/B1.pdf », « 2022-12/B1.pdf »" in message


def test_a_name_in_two_subfolders_is_ambiguous_naming_both_paths(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=["B1.pdf"])
    put(folder / "pieces", "archives/B1.pdf", scan("l'ancien"))
    [(code, message)] = piece_findings(folder)
    assert code == "piece_ambigue"
    assert "« B1.pdf », « archives/B1.pdf »" in message and "sous-dossiers différents" in message
    export_workspace(load_workspace(folder), AT, tmp_path / "depots", ExportOptions())
    assert not list(tmp_path.glob("depots/**/*.zip"))


def test_an_exact_name_wins_over_case_variants_in_other_subfolders(make_workspace) -> None:
    """An exact name still wins over case variants, wherever they lie; two case variants in two folders tie."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=[])
    put(folder / "pieces", "a/B1.pdf")
    put(folder / "pieces", "b/b1.PDF")
    assert piece_findings(folder) == []
    (folder / "pieces" / "a" / "B1.pdf").rename(folder / "pieces" / "a" / "b1.pdf")
    [(code, message)] = piece_findings(folder)
    assert code == "piece_ambigue" and "« a/b1.pdf », « b/b1.PDF »" in message


def test_a_problem_of_a_piece_in_a_subfolder_names_its_path(make_workspace) -> None:
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=[])
    put(folder / "pieces", "2022-11/B1.pdf", b"")
    assert piece_findings(folder) == [("piece_vide", "Le fichier « 2022-11/B1.pdf » est vide.")]


def test_a_relative_path_never_leaves_the_pieces_folder(make_workspace) -> None:
    """Names are looked up in the folder's listing, never opened as the cell writes them."""
    folder = make_workspace(CLIENTS, bdcs("../B1.pdf"), pdfs=[])
    put(folder, "B1.pdf")  # beside the pieces folder, not in it
    assert [code for code, _message in piece_findings(folder)] == ["piece_absente"]


@pytest.mark.parametrize("hidden", [".snapshot/hourly.0", "__MACOSX", "$RECYCLE.BIN", "@eaDir", "#recycle"])
def test_hidden_and_system_folders_are_not_searched(make_workspace, hidden: str) -> None:
    """A NAS share's .snapshot holds a copy of every file: each piece would be ambiguous with its own copy."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    put(folder / "pieces", f"{hidden}/B1.pdf")
    assert piece_findings(folder) == []


def test_a_folder_too_deep_is_a_french_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piecefolder, "MAX_DEPTH", 3)
    put(tmp_path / "pieces", "a/b/c/B1.pdf")
    list_pieces(tmp_path / "pieces")  # three levels: within the bound
    put(tmp_path / "pieces", "a/b/c/d/B2.pdf")
    with pytest.raises(InputError, match="sous-dossiers sur plus de 3 niveaux") as refused:
        list_pieces(tmp_path / "pieces")
    assert "« a/b/c/d »" in str(refused.value) and "workspace.json" in str(refused.value)


def test_a_folder_too_big_is_a_french_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pieces folder chosen by mistake (a whole disk) stops at the bound instead of being walked for minutes."""
    for month in range(3):
        for number in range(3):
            put(tmp_path / "pieces", f"2022-{month:02}/B{number}.pdf")
    monkeypatch.setattr(piecefolder, "MAX_ENTRIES", 12)
    assert len(list_pieces(tmp_path / "pieces").relative_paths()) == 9  # 3 folders and 9 files: 12 entries
    monkeypatch.setattr(piecefolder, "MAX_ENTRIES", 11)
    with pytest.raises(InputError, match=r"contient plus de 11 fichiers et dossiers") as refused:
        list_pieces(tmp_path / "pieces")
    assert str(tmp_path / "pieces") in str(refused.value)


@needs_symlinks
def test_a_link_to_a_folder_inside_is_not_followed_and_a_loop_does_not_hang(tmp_path: Path) -> None:
    pieces = tmp_path / "pieces"
    put(pieces, "2022-11/B1.pdf")
    (pieces / "courant").symlink_to("2022-11")  # listed where it lies: not twice, so not ambiguous
    (pieces / "2022-11" / "boucle").symlink_to("..")  # would make an endless walk if followed
    context = RuleContext(AT, load_calendar(), pieces)
    assert context.find_piece("B1.pdf") == pieces / "2022-11" / "B1.pdf"
    assert context.piece_folder.relative_paths() == ["2022-11/B1.pdf"]


@needs_symlinks
def test_a_link_to_a_folder_outside_is_refused_like_a_link_to_a_file(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    elsewhere = tmp_path / "ailleurs"
    put(elsewhere, "secret.pdf")
    (folder / "pieces" / "2022-11").mkdir()
    (folder / "pieces" / "2022-11" / "scans").symlink_to(elsewhere)
    with pytest.raises(InputError, match="lien") as refused:
        run_pipeline(load_workspace(folder), AT)
    assert f"« 2022-11/scans » → « {elsewhere} »" in str(refused.value)


@needs_symlinks
def test_a_link_looping_on_itself_is_said_unreadable_with_the_reason(make_workspace) -> None:
    """Before: « introuvable », sending the user looking for a file that is in the folder."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=[])
    (folder / "pieces" / "2022-11").mkdir()
    (folder / "pieces" / "2022-11" / "B1.pdf").symlink_to("B1.pdf")
    [(code, message)] = piece_findings(folder)
    assert code == "piece_illisible"
    assert "« 2022-11/B1.pdf »" in message and "lien symbolique (alias) qui renvoie à lui-même" in message


@needs_symlinks
def test_a_link_whose_target_is_gone_is_said_as_such(make_workspace) -> None:
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=[])
    (folder / "pieces" / "B1.pdf").symlink_to("scan-supprime.pdf")
    [(code, message)] = piece_findings(folder)
    assert code == "piece_illisible" and "lien (alias) vers un fichier qui n'existe plus" in message


def test_a_link_looping_on_itself_on_windows_is_said_as_a_loop() -> None:
    """Windows says ERROR_CANT_RESOLVE_FILENAME (1921) with errno EINVAL: before, « nom de fichier refusé »."""
    from segur_desktop.core import oserrors

    error = OSError(22, "The name of the file cannot be resolved by the system")
    error.winerror = 1921  # as Windows' OSError carries it
    assert oserrors.reason(error) == "lien symbolique (alias) qui renvoie à lui-même"
    assert oserrors.advice_read(error).startswith("Remplacez le lien")


LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F" + bytes(60)
ALIAS = b"book\x00\x00\x00\x00mark\x00\x00\x00\x00" + bytes(400)


@pytest.mark.parametrize(("relative", "content", "said"), [
    ("2022-11/B1.pdf.lnk", LNK, "« 2022-11/B1.pdf.lnk » est dans le dossier des pièces"),  # Explorer hides « .lnk »
    ("B1.pdf", LNK, "« B1.pdf » est dans le dossier des pièces"),
    ("B1.pdf", ALIAS, "« B1.pdf » est dans le dossier des pièces"),
])
def test_a_shortcut_or_an_alias_left_for_the_scan_is_said_as_such(make_workspace, relative: str, content: bytes,
                                                                  said: str) -> None:
    """Before: « introuvable », or « pas un vrai PDF », sending the user to scan again a document they have."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"), pdfs=[])
    put(folder / "pieces", relative, content)
    [(code, message)] = piece_findings(folder)
    kind = "raccourci Windows" if content == LNK else "alias macOS"
    assert code == "piece_illisible" and said in message
    assert f"c'est un {kind} vers le PDF, pas le PDF lui-même" in message
