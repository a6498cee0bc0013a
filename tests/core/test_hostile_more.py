"""Unlucky inputs around the spreadsheets (issue #17): the pieces folder and its PDFs as Windows and macOS users
leave them, workspace.json edited by hand, user data files. Each gives a French message naming the file and the
fix, never a traceback nor a bundle silently holding the wrong PDF."""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from testdata import FINESS_A, MINIMAL_PDF

from segur_desktop.core.calendar import PARIS, load_calendar
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.validate import piecefolder
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]


def bdcs(piece: str) -> list[list[object]]:
    return [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, piece]]


def piece_codes(folder: Path) -> list[str]:
    return [d.code for d in run_pipeline(load_workspace(folder), AT).diagnostics if d.code.startswith("piece")]


# --- the pieces folder ------------------------------------------------------------------------------------
@pytest.mark.parametrize("spoil", ["missing", "file"])
def test_an_unusable_pieces_folder_is_one_french_error_naming_it(make_workspace, spoil: str) -> None:
    """Before: a missing folder (a path typed on another machine) made every demande say its PDF was missing."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    pieces = folder / "pieces"
    (pieces / "B1.pdf").unlink()
    pieces.rmdir()
    if spoil == "file":
        pieces.write_bytes(b"pas un dossier")
    with pytest.raises(InputError, match="dossier des pièces justificatives") as refused:
        run_pipeline(load_workspace(folder), AT)
    message = str(refused.value)
    assert str(pieces) in message and "workspace.json" in message
    assert ("introuvable" if spoil == "missing" else "est un fichier") in message


@pytest.mark.parametrize("refused_folder", ["pieces", "pieces/2022-11"])
def test_a_pieces_folder_that_cannot_be_listed_is_a_french_error(make_workspace, monkeypatch,
                                                                 refused_folder: str) -> None:
    """Before: « Erreur inattendue (PermissionError) », exit 3. A subfolder that cannot be listed is named itself.
    Tests run as root, where chmod 000 refuses nothing."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    (folder / "pieces" / "2022-11").mkdir()
    listing = os.scandir

    def refused(path):
        if Path(path) == folder / refused_folder:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(piecefolder.os, "scandir", refused)
    with pytest.raises(InputError, match=r"ne peut pas être lu \(permission refusée") as error:
        run_pipeline(load_workspace(folder), AT)
    assert f"« {folder / refused_folder} »" in str(error.value)


@pytest.mark.skipif(os.name == "nt", reason="creating symbolic links needs privileges on Windows")
def test_a_pieces_folder_that_is_a_link_to_itself_is_said_in_french(make_workspace) -> None:
    """Before: « erreur du système n° 40 »."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    shutil.rmtree(folder / "pieces")
    (folder / "pieces").symlink_to("pieces")
    with pytest.raises(InputError, match="lien symbolique \\(alias\\) qui renvoie à lui-même") as refused:
        run_pipeline(load_workspace(folder), AT)
    assert "Remplacez le lien" in str(refused.value)


# --- names ---------------------------------------------------------------------------------------------------
def test_two_files_differing_only_by_case_are_ambiguous_not_picked_by_listing_order(make_workspace,
                                                                                   tmp_path: Path) -> None:
    """Before: « Bdc-1.pdf » took whichever of « BDC-1.pdf » and « bdc-1.PDF » the folder listed last, silently."""
    folder = make_workspace(CLIENTS, bdcs("Bdc-1.pdf"), pdfs=["BDC-1.pdf"])
    (folder / "pieces" / "bdc-1.PDF").write_bytes(MINIMAL_PDF + b"% un autre document\n")
    result = run_pipeline(load_workspace(folder), AT)
    [ambiguous] = [d for d in result.diagnostics if d.code == "piece_ambigue"]
    assert ambiguous.severity == "error" and ambiguous.column == "G"
    assert "« BDC-1.pdf », « bdc-1.PDF »" in ambiguous.message
    assert result.context.find_piece("Bdc-1.pdf") is None
    export_workspace(load_workspace(folder), AT, tmp_path / "depots", ExportOptions())
    assert not list(tmp_path.glob("depots/**/*.zip"))


def test_an_exact_name_still_wins_over_its_case_variants(make_workspace) -> None:
    folder = make_workspace(CLIENTS, bdcs("BDC-1.pdf"), pdfs=["BDC-1.pdf", "bdc-1.PDF"])
    assert piece_codes(folder) == []


def test_a_name_in_another_unicode_form_is_the_same_name_without_a_warning(make_workspace) -> None:
    """macOS may write « signé » as « signe » plus an accent: the names look identical, a warning asking to fix one
    to match the other could not be acted on."""
    nfd = unicodedata.normalize("NFD", "BDC-1-signé.pdf")
    folder = make_workspace(CLIENTS, bdcs("BDC-1-signé.pdf"), pdfs=[nfd])
    assert piece_codes(folder) == []


def test_a_file_name_with_a_trailing_space_is_found_and_said(make_workspace) -> None:
    """A name Windows cannot even show (« BDC-1.pdf ») is the PDF of « BDC-1.pdf », with the warning naming it."""
    folder = make_workspace(CLIENTS, bdcs("BDC-1.pdf"), pdfs=["BDC-1.pdf "])
    assert piece_codes(folder) == ["piece_nom_approchant"]


def test_a_trailing_dot_in_the_cell_is_dropped_as_windows_drops_it(make_workspace) -> None:
    """Before: « BDC-1.pdf. » was looked for as « BDC-1.pdf..pdf »."""
    folder = make_workspace(CLIENTS, bdcs("BDC-1.pdf."), pdfs=["BDC-1.pdf"])
    assert piece_codes(folder) == []


def test_a_cell_naming_a_jpeg_is_said_about_that_jpeg(make_workspace) -> None:
    """Before: « Le fichier « BDC-1.jpg.pdf » n'est pas dans le dossier des pièces », a name the user never wrote,
    while BDC-1.jpg lay in the folder."""
    folder = make_workspace(CLIENTS, bdcs("BDC-1.jpg"), pdfs=[])
    (folder / "pieces" / "BDC-1.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    found = [d for d in run_pipeline(load_workspace(folder), AT).diagnostics if d.column == "G"]
    assert "piece_non_pdf" in {d.code for d in found}
    assert all("BDC-1.jpg.pdf" not in d.message for d in found)
    assert any("« BDC-1.jpg » n'est pas un vrai PDF" in d.message for d in found)


# --- PDFs that are not what they seem ---------------------------------------------------------------------------
def test_a_pdf_over_20_mo_is_too_heavy_not_a_fake(make_workspace) -> None:
    """Before: a 200 Mo scan was « pas un vrai PDF », sending the user to re-save a real PDF. Sparse: no disk used."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    with (folder / "pieces" / "B1.pdf").open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)
    [heavy] = [d for d in run_pipeline(load_workspace(folder), AT).diagnostics if d.code.startswith("piece")]
    assert heavy.code == "piece_trop_lourde"
    assert "pèse 200 Mo, plus que les 20 Mo" in heavy.message


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0" + bytes(2000) + b"\xff\xd9",  # a JPEG renamed .pdf
                                     b"PK\x03\x04" + bytes(500),  # a .docx renamed .pdf
                                     MINIMAL_PDF[:len(MINIMAL_PDF) // 2],  # a copy cut short
                                     b"\r\n" + MINIMAL_PDF])  # a web page's line break before the PDF
def test_a_renamed_or_truncated_file_is_not_a_pdf(make_workspace, content: bytes) -> None:
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    (folder / "pieces" / "B1.pdf").write_bytes(content)
    assert piece_codes(folder) == ["piece_non_pdf"]


def test_a_pdf_whose_protection_cannot_be_read_is_said_without_blocking_its_demande(make_workspace) -> None:
    """Its trailer names an encryption dictionary that is not there: a viewer may still open it, so it is told, not
    refused (test_pieces_encrypted.py has the PDFs whose protection is read)."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    (folder / "pieces" / "B1.pdf").write_bytes(MINIMAL_PDF.replace(b"<< /Root 1 0 R >>",
                                                                    b"<< /Root 1 0 R /Encrypt 5 0 R >>"))
    [protected] = [d for d in run_pipeline(load_workspace(folder), AT).diagnostics if d.code.startswith("piece")]
    assert protected.code == "piece_protection_inconnue" and protected.severity == "warning"
    assert "mot de passe" in protected.message and "B1.pdf" in protected.message


def test_a_pdf_with_bytes_before_its_header_is_left_out_not_a_failed_export(demo: Path, tmp_path: Path) -> None:
    """Before: validation looked for « %PDF- » in the first 1 024 bytes, the bundle's verification at the first
    byte; a scan downloaded with a line break before its header passed the one and failed the other, and the whole
    export ended in « Erreur inattendue (ExportFailed) », exit 3."""
    workspace = shutil.copytree(demo, tmp_path / "demo", ignore=shutil.ignore_patterns("sortie"))
    scan = workspace / "pieces" / "BDC-2022-0001.pdf"
    scan.write_bytes(b"\r\n" + scan.read_bytes())
    export = export_workspace(load_workspace(workspace), AT, tmp_path / "depots", ExportOptions())
    assert export.check is not None and export.check.ok
    [left_out] = [item for item in export.plan.left_out if item.bdc_number == "BDC-2022-0001"]
    assert any("n'est pas un vrai PDF" in detail for detail in left_out.details)


# --- workspace.json edited by hand ------------------------------------------------------------------------------
def edited(folder: Path, change) -> Path:
    path = folder / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("key", "value"), [("clients", r"C:\Users\marie\Documents\Segur\clients.xlsx"),
                                            ("bdc", r"\\serveur\partage\bdc.xlsx"),
                                            ("pieces", "D:/Scans/pieces")])
@pytest.mark.skipif(os.name == "nt", reason="a Windows path is a path on Windows")
def test_a_windows_absolute_path_is_refused_naming_its_key(make_workspace, key: str, value: str) -> None:
    """Before: looked for as a file named « C:\\Users\\… » inside the workspace, or created as such a folder."""
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), lambda data: data["entrees"].update({key: value}))
    with pytest.raises(InputError, match="chemin Windows d'un autre ordinateur") as refused:
        load_workspace(folder)
    assert f"entrees.{key}" in str(refused.value) and value in str(refused.value)


@pytest.mark.skipif(os.name == "nt", reason="a Windows path is a path on Windows")
def test_an_output_folder_on_a_windows_drive_is_refused_before_any_folder_is_made(make_workspace,
                                                                                 tmp_path: Path) -> None:
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), lambda data: data.update(sortie=r"D:\Exports"))
    with pytest.raises(InputError, match=r"« sortie » vaut « D:\\Exports »"):
        load_workspace(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["bdc.xlsx", "clients.xlsx", "pieces", "workspace.json"]


def test_backslashes_of_a_relative_path_are_separators(make_workspace) -> None:
    """A workspace written on Windows (« scans\\novembre ») opens on macOS."""
    folder = make_workspace(CLIENTS, bdcs("B1.pdf"))
    (folder / "scans").mkdir()
    (folder / "pieces").rename(folder / "scans" / "novembre")
    edited(folder, lambda data: data["entrees"].update(pieces="scans\\novembre"))
    workspace = load_workspace(folder)
    assert workspace.pieces == folder / "scans" / "novembre"
    assert piece_codes(folder) == []


@pytest.mark.parametrize(("change", "said"), [
    (lambda data: data["entrees"].update(clients_feuile="Feuil2"), "« entrees.clients_feuile » est inconnue : "
                                                                   "vouliez-vous dire « entrees.clients_feuille » ?"),
    (lambda data: data["entrees"].update(photos="scans"), "« entrees.photos » est inconnue : les clés possibles"),
    (lambda data: data.update(date_control="2022-11-28T10:00:00+01:00"), "vouliez-vous dire « date_controle » ?"),
])
def test_a_misspelt_key_is_refused_not_silently_ignored(make_workspace, change, said: str) -> None:
    """Before: a misspelt sheet key read whichever sheet was chosen by itself; a misspelt control instant judged the
    deadlines now."""
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), change)
    with pytest.raises(InputError, match="workspace.json") as refused:
        load_workspace(folder)
    assert said in str(refused.value)


def test_an_unknown_key_far_from_any_known_one_is_kept(make_workspace) -> None:
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), lambda data: data.update(note_interne="relu par Marie"))
    assert load_workspace(folder).name == "Test"


@pytest.mark.parametrize(("text", "said"), [
    ('// édité à la main\n{"schema_version": 1}', "commentaire : le format JSON n'en admet pas"),
    ('{"schema_version": 1, "nom": "x",}', "virgule en trop avant « } »"),
    ('{"sortie": "C:\\Exports"}', "dans un chemin Windows, doublez-la"),
    ("{“nom”: 1}", "guillemets typographiques « “ »"),
    ("{'nom': 1}", "apostrophe"),
    ("", "le fichier est vide"),
])
def test_a_hand_edited_workspace_json_is_explained_in_french(tmp_path: Path, text: str, said: str) -> None:
    """Before: json's English (« Expecting property name enclosed in double quotes ») and the advice to delete the
    file « to go back to the bundled one », which for workspace.json loses the workspace."""
    (tmp_path / "workspace.json").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="n'est pas un JSON valide") as refused:
        load_workspace(tmp_path)
    message = str(refused.value)
    assert said in message and "Expecting" not in message and "supprimez" not in message


# --- the user's data files -----------------------------------------------------------------------------------
def user_calendar(user_data: Path, **changes) -> None:
    folder = user_data / "resources" / "calendar"
    folder.mkdir(parents=True)
    event = {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2022-11-30", "heure": "14:00",
             "source": "à la main"}
    (folder / "vague1.json").write_text(json.dumps({"schema_version": 1, "vague": "1",
                                                    "evenements": [event | changes.pop("event", {})]} | changes))
    load_calendar.cache_clear()


def test_a_calendar_override_with_a_date_that_does_not_exist_is_said_in_french(user_data: Path) -> None:
    """Before: « (ValueError : day is out of range for month) »."""
    user_calendar(user_data, event={"date": "2022-11-31"})
    with pytest.raises(InputError, match="la date « 2022-11-31 » n'existe pas") as refused:
        load_calendar()
    assert "ValueError" not in str(refused.value) and "vague1.json" in str(refused.value)


def test_a_calendar_from_a_newer_version_asks_to_update_the_application(user_data: Path) -> None:
    """Before: « schema_version : « 2 » devrait être « 1 » », as if the file were to be fixed by hand."""
    user_calendar(user_data, schema_version=2)
    with pytest.raises(InputError, match="format 2, écrit par une version plus récente de Segur Desktop") as refused:
        load_calendar()
    assert "Mettez l'application à jour" in str(refused.value)


def test_a_mapping_profile_from_a_newer_version_asks_to_update_the_application(make_workspace) -> None:
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), lambda data: data.update(mapping="crm"))
    (folder / "mappings").mkdir()
    (folder / "mappings" / "crm.json").write_text(json.dumps({"schema_version": 3, "nom": "crm", "autre": {}}))
    with pytest.raises(InputError, match="crm.json") as refused:
        load_workspace(folder)
    assert "format 3, écrit par une version plus récente" in str(refused.value)


@pytest.mark.skipif(os.name == "nt", reason="backslashes are separators on Windows anyway")
def test_a_mapping_profile_path_written_on_windows_is_found(make_workspace) -> None:
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), lambda data: data.update(mapping="mappings\\crm.json"))
    (folder / "mappings").mkdir()
    (folder / "mappings" / "crm.json").write_text(json.dumps({"schema_version": 1, "nom": "crm"}))
    assert load_workspace(folder).mapping == {}


def test_a_null_where_a_list_is_expected_is_named_null_not_none(make_workspace) -> None:
    folder = edited(make_workspace(CLIENTS, bdcs("B1.pdf")), lambda data: data.update(solutions=None))
    with pytest.raises(InputError, match="« null » doit être une liste"):
        load_workspace(folder)


# --- outputs -----------------------------------------------------------------------------------------------------
def test_a_build_that_fills_the_disk_leaves_the_previous_build_whole(demo: Path, tmp_path: Path, monkeypatch) -> None:
    """Before: a full disk at the fourth deposit file left this build's first three beside the previous build's
    others, a folder mixing two builds. Now every file is written and checked first, then all are put in place."""
    from segur_desktop.core import output
    from segur_desktop.core.pipeline import write_outputs

    workspace = load_workspace(demo)
    out = tmp_path / "sortie"
    write_outputs(run_pipeline(workspace, AT), out)
    deposits = sorted(out.glob("[A-Z]*_*.json"))
    assert len(deposits) >= 4
    for path in deposits:
        path.write_bytes(path.read_bytes() + b"\n")  # the previous build's, told apart from this one's
    previous = {p.name: p.read_bytes() for p in out.glob("*.json")}
    written = iter(range(100))
    real = output.write_new

    def disk_full_at_the_fourth(path: Path, data: bytes) -> None:
        if next(written) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(output, "write_new", disk_full_at_the_fourth)
    with pytest.raises(OSError):
        write_outputs(run_pipeline(workspace, AT), out)
    assert {p.name: p.read_bytes() for p in out.glob("*.json")} == previous
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_user_data_folder_that_cannot_hold_the_register_is_said_in_french(make_workspace, tmp_path: Path,
                                                                          monkeypatch) -> None:
    """Before: « ([Errno 20] Not a directory: …) », with the advice to close Segur Desktop's other windows."""
    from segur_desktop.core.register import register_for

    blocker = tmp_path / "donnees"
    blocker.write_text("un fichier là où le dossier des données devrait être")
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(blocker))
    with pytest.raises(InputError) as refused:
        register_for(load_workspace(make_workspace(CLIENTS, bdcs("B1.pdf"))))
    message = str(refused.value)
    assert str(blocker / "registres") in message and "est un fichier, pas un dossier" in message
    assert "Errno" not in message and "fenêtres" not in message


# --- instants -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["2022-11-30T13:00:00Z", "2022-11-30T10:00:00-03:00", "2022-12-01T03:00:00+14:00"])
def test_an_instant_with_another_offset_is_held_in_paris_time(text: str) -> None:
    """Before: « date_controle »: « 2022-11-30T13:00:00Z » kept its UTC offset, and the Échéances page, printing its
    hour, said « 30/11/2022 13:00:00 (heure de Paris) » for 14:00 in Paris: the closing minute."""
    from segur_desktop.core.calendar import parse_instant

    at = parse_instant(text)
    assert at.tzinfo is PARIS and at.strftime("%d/%m/%Y %H:%M") == "30/11/2022 14:00"


@pytest.mark.parametrize("relative", ["calendar/vague1.json", "couloirs.json"])
def test_a_broken_override_says_deleting_it_brings_the_bundled_file_back(user_data: Path, relative: str) -> None:
    from segur_desktop.core.couloirs import load_catalog

    path = user_data / "resources" / relative
    path.parent.mkdir(parents=True)
    path.write_text('{"schema_version": 1,}', encoding="utf-8")
    load_calendar.cache_clear()
    load_catalog.cache_clear()
    with pytest.raises(InputError, match="virgule en trop") as refused:
        load_calendar() if relative.startswith("calendar") else load_catalog()
    assert "supprimer pour revenir au fichier fourni" in str(refused.value)
