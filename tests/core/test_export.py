"""The export bundle on the demo workspace: layout, one-to-one attachments, determinism, hors délai, sources."""

import hashlib
import json
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from segur_desktop.core.calendar import PARIS, parse_instant
from segur_desktop.core.errors import Cancelled
from segur_desktop.core.export.attachments import referenced_files
from segur_desktop.core.export.bundle import ExportResult, bundle_stem, export_workspace
from segur_desktop.core.export.manifest import ANOMALIES, MANIFEST, RECAP
from segur_desktop.core.export.plan import ExportOptions, Reason
from segur_desktop.core.export.verify import render_check, verify_bundle
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.progress import CancelToken, Progress
from segur_desktop.core.validate.check import check_deposit_file
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import load_workspace

DEMO_FILES = {
    "BIO_avance.json", "BIO_avance_pieces.zip", "HOP_avance.json", "HOP_avance_pieces.zip",
    "MDV_avance.json", "MDV_avance_pieces.zip", "MDV_solde.json", "MDV_solde_pieces.zip",
    "MS1_avance.json", "MS1_avance_pieces.zip", "MSS_avance.json", "MSS_avance_pieces.zip",
    "PHA_avance.json", "PHA_avance_pieces.zip",
    MANIFEST, RECAP, ANOMALIES,
}
GENERATED = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)
MEMBER = re.compile(r"^[A-Z0-9-]+-(AV|SO)-[A-Z2-7]{10}_(BDC|FACTURE|MOM|VA)\.pdf$")


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_workspace(), folder, ignore=shutil.ignore_patterns("sortie"))
    return folder


def export(folder: Path, out: Path, at: str | None = None, generated_at: datetime = GENERATED,
           **options) -> ExportResult:
    workspace = load_workspace(folder)
    return export_workspace(workspace, parse_instant(at) if at else workspace.judged_at, out, ExportOptions(**options),
                            generated_at=generated_at)


def test_demo_bundle_has_one_json_and_one_zip_per_couloir_and_type_and_passes_verify(
        demo_folder: Path, tmp_path: Path) -> None:
    result = export(demo_folder, tmp_path / "out")
    assert result.bundle == tmp_path / "out" / "depot_2026-01-05_Medilog-Sante-SAS"
    assert {p.name for p in result.bundle.iterdir()} == DEMO_FILES
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.bundle.name]  # no temporary left
    check = verify_bundle(result.bundle)
    assert check.ok, check.problems
    assert sum(d.requests for d in check.deposits) == 32 == result.plan.exported
    assert "Conforme : 32 demande(s) dans 7 fichier(s), 38 pièce(s)" in render_check(check)


def names_in(document: dict) -> set[str]:
    """The file names a deposit file of the reconstructed format gives, read without its template."""
    return {value for d in document["demandes"] for piece in d["piecesJustificatives"] for value in [piece["nomFichier"]]} | {
        d[key]["nomFichier"] for d in document["demandes"] for key in ("facture", "justificatifInstallation") if key in d}


def test_each_zip_holds_exactly_the_pdfs_its_json_names_under_deterministic_names(
        demo_folder: Path, tmp_path: Path) -> None:
    bundle = export(demo_folder, tmp_path / "out").bundle
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    registry = SchemaRegistry.default()
    for deposit in manifest["deposits"]:
        document = json.loads((bundle / deposit["json"]["file"]).read_text(encoding="utf-8"))
        check = check_deposit_file(bundle / deposit["json"]["file"], registry)
        assert check.valid and names_in(document) == set().union(*map(referenced_files, check.read_back()))
        with zipfile.ZipFile(bundle / deposit["attachments"]["file"]) as archive:
            names = archive.namelist()
            # Not vacuous: an empty zip beside a deposit file naming nothing would pass the equality below.
            assert len(names) >= len(document["demandes"]) > 0
            assert len(names) == len(deposit["attachments"]["members"])
            assert names_in(document) == set(names)
            assert names == sorted(names) and all(MEMBER.match(n) for n in names)
            for member in deposit["attachments"]["members"]:  # the user's PDF, byte for byte
                assert archive.read(member["name"]) == (demo_folder / "pieces" / member["source"]).read_bytes()
        for demande in document["demandes"]:
            for piece in demande["piecesJustificatives"]:
                assert piece["nomFichier"] == f"{demande['idDemande']}_{piece['type']}.pdf"


def test_a_solde_names_its_invoice_and_proof_after_the_demande(demo_folder: Path, tmp_path: Path) -> None:
    bundle = export(demo_folder, tmp_path / "out").bundle
    demande = json.loads((bundle / "MDV_solde.json").read_text(encoding="utf-8"))["demandes"][0]
    ident = demande["idDemande"]
    assert demande["facture"]["nomFichier"] == f"{ident}_FACTURE.pdf"
    assert demande["justificatifInstallation"]["nomFichier"] == f"{ident}_VA.pdf"
    with zipfile.ZipFile(bundle / "MDV_solde_pieces.zip") as archive:
        assert archive.read(f"{ident}_FACTURE.pdf") == (demo_folder / "pieces" / "FA-2022-0009.pdf").read_bytes()


def test_an_emptied_attachments_zip_fails_verification(demo_folder: Path, tmp_path: Path) -> None:
    """An empty zip where the pieces should be is refused by verify, as the portal would refuse the deposit."""
    bundle = export(demo_folder, tmp_path / "out").bundle
    assert verify_bundle(bundle).ok
    with zipfile.ZipFile(bundle / "HOP_avance_pieces.zip", "w"):
        pass  # the same name, no member
    assert not verify_bundle(bundle).ok


def test_the_lower_case_pdf_found_by_validation_is_the_one_exported(demo_folder: Path, tmp_path: Path) -> None:
    bundle = export(demo_folder, tmp_path / "out").bundle
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    sources = {m["source"] for d in manifest["deposits"] for m in d["attachments"]["members"]}
    assert "bdc-2022-0029.pdf" in sources  # named BDC-2022-0029.pdf in the sheet (warning piece_nom_approchant)


def test_same_inputs_give_byte_identical_files_only_the_generation_instant_differs(
        demo_folder: Path, tmp_path: Path) -> None:
    first = export(demo_folder, tmp_path / "a").bundle
    second = export(demo_folder, tmp_path / "b", generated_at=datetime(2026, 1, 5, 17, 45, 12, tzinfo=PARIS)).bundle
    assert first.name == second.name
    for path in first.iterdir():
        if path.name != MANIFEST:
            assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    one, two = (json.loads((b / MANIFEST).read_text(encoding="utf-8")) for b in (first, second))
    assert (one.pop("generated_at"), two.pop("generated_at")) == ("2026-01-05T09:30:00+01:00", "2026-01-05T17:45:12+01:00")
    assert one == two


def test_attachment_zips_have_fixed_timestamps_permissions_and_no_compression(demo_folder: Path, tmp_path: Path) -> None:
    bundle = export(demo_folder, tmp_path / "out").bundle
    with zipfile.ZipFile(bundle / "HOP_avance_pieces.zip") as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644 and info.create_system == 3
            assert info.compress_type == zipfile.ZIP_STORED


def test_manifest_lists_hashes_counts_amounts_sources_and_schemas(demo_folder: Path, tmp_path: Path) -> None:
    bundle = export(demo_folder, tmp_path / "out").bundle
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["app_version"] and manifest["at"] == "2022-11-28T10:00:00+01:00"
    assert [(s["role"], s["file"]) for s in manifest["sources"]] == [
        ("clients", "clients.xlsx"), ("bdc", "bons_de_commande.xlsx"), ("dossier_de_travail", "workspace.json")]
    for source in manifest["sources"]:
        data = (demo_folder / source["file"]).read_bytes()
        assert (source["sha256"], source["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
    hop = next(d for d in manifest["deposits"] if (d["couloir"], d["type"]) == ("HOP", "avance"))
    assert hop["requests"] == 7 and hop["requested_amount_ht"] == "38850.00" and hop["bdc_amount_ht"] == "129500.00"
    assert hop["schema"]["id"].endswith("HOP-avance.json") and hop["schema"]["version"] == "1.0.0"
    assert hop["closing"] == "2022-11-30T14:00:00+01:00" and hop["hors_delai"] is False
    data = (bundle / "HOP_avance.json").read_bytes()
    assert hop["json"] == {"file": "HOP_avance.json", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert {f["file"] for f in manifest["files"]} == {RECAP, ANOMALIES}
    assert manifest["hors_delai"] == [] and manifest["left_out"] == {"requests": 6, "bdc_rows": 3}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_the_users_sources_are_never_modified_or_moved(demo_folder: Path) -> None:
    before = snapshot(demo_folder)
    export(demo_folder, demo_folder / "sortie", as_zip=True)
    export(demo_folder, demo_folder / "sortie")
    after = snapshot(demo_folder)
    assert {k: v for k, v in after.items() if not k.startswith("sortie")} == before


def test_a_closed_guichet_is_left_out_unless_marked_hors_delai(demo_folder: Path, tmp_path: Path) -> None:
    at = "2022-12-01T10:00:00+01:00"  # the vague 1 avances of HOP, MDV and BIO closed the day before at 14:00
    refused = export(demo_folder, tmp_path / "a", at)
    assert not (refused.bundle / "HOP_avance.json").exists()
    hop = next(g for g in refused.plan.groups if g.key == ("HOP", "avance"))
    assert hop.closed and hop.blocked == 7 and not hop.exported
    assert {item.reason for item in hop.left_out} == {Reason.CLOSED, Reason.INVALID}

    marked = export(demo_folder, tmp_path / "b", at, hors_delai=frozenset({("HOP", "avance")}))
    assert (marked.bundle / "HOP_avance.json").is_file() and not (marked.bundle / "MDV_avance.json").exists()
    manifest = marked.manifest
    assert manifest["hors_delai"] == [{"couloir": "HOP", "type": "avance", "closing": "2022-11-30T14:00:00+01:00",
                                       "requests": 7}]
    assert [d["hors_delai"] for d in manifest["deposits"] if d["couloir"] == "HOP"] == [True]
    assert "HORS DÉLAI" in (marked.bundle / RECAP).read_text(encoding="utf-8")
    check = verify_bundle(marked.bundle)
    assert check.ok and "Hors délai : HOP avance, guichet fermé le 30/11/2022 à 14:00" in render_check(check)


def test_hors_delai_on_an_open_guichet_flags_nothing(demo_folder: Path, tmp_path: Path) -> None:
    result = export(demo_folder, tmp_path / "out", hors_delai=frozenset({("HOP", "avance")}))
    assert result.manifest["hors_delai"] == [] and not any(d["hors_delai"] for d in result.manifest["deposits"])


def test_only_the_chosen_couloirs_are_exported(demo_folder: Path, tmp_path: Path) -> None:
    result = export(demo_folder, tmp_path / "out", only=frozenset({("MDV", "solde")}))
    assert {p.name for p in result.bundle.iterdir()} == {"MDV_solde.json", "MDV_solde_pieces.zip", MANIFEST, RECAP, ANOMALIES}
    hop = next(g for g in result.plan.groups if g.key == ("HOP", "avance"))
    assert {item.reason for item in hop.left_out} == {Reason.NOT_CHOSEN, Reason.INVALID}


def test_max_per_file_splits_json_and_zip_alike(demo_folder: Path, tmp_path: Path) -> None:
    bundle = export(demo_folder, tmp_path / "out", max_per_file=4).bundle
    names = {p.name for p in bundle.iterdir()}
    assert {"HOP_avance_01.json", "HOP_avance_01_pieces.zip", "HOP_avance_02.json", "HOP_avance_02_pieces.zip"} <= names
    assert verify_bundle(bundle).ok


def test_a_single_zip_bundle_passes_verify(demo_folder: Path, tmp_path: Path) -> None:
    result = export(demo_folder, tmp_path / "out", as_zip=True)
    assert result.bundle == tmp_path / "out" / "depot_2026-01-05_Medilog-Sante-SAS.zip"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.bundle.name]
    with zipfile.ZipFile(result.bundle) as archive:
        assert {n.split("/", 1)[0] for n in archive.namelist()} == {"depot_2026-01-05_Medilog-Sante-SAS"}
        assert {n.split("/", 1)[1] for n in archive.namelist()} == DEMO_FILES
    assert verify_bundle(result.bundle).ok


def test_a_second_export_never_replaces_the_first(demo_folder: Path, tmp_path: Path) -> None:
    first = export(demo_folder, tmp_path / "out").bundle
    before = snapshot(first)
    second = export(demo_folder, tmp_path / "out").bundle
    assert second.name == first.name + "_2" and snapshot(first) == before


def test_nothing_exportable_writes_nothing(demo_folder: Path, tmp_path: Path) -> None:
    result = export(demo_folder, tmp_path / "out", only=frozenset({("RAD", "avance")}))
    assert result.bundle is None and result.plan.exported == 0
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cancel_leaves_nothing_behind(demo_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for stage in ("Copie des pièces justificatives", "Vérification du paquet"):
        token = CancelToken()

        def progress(p: Progress, stage: str = stage, token: CancelToken = token) -> None:
            if p.stage == stage and p.done == 3:
                token.cancel()

        workspace = load_workspace(demo_folder)
        with pytest.raises(Cancelled):
            export_workspace(workspace, workspace.judged_at, out, progress=progress, cancel=token)
        assert list(out.iterdir()) == []


def test_progress_counts_every_attachment(demo_folder: Path, tmp_path: Path) -> None:
    seen: list[Progress] = []
    workspace = load_workspace(demo_folder)
    export_workspace(workspace, workspace.judged_at, tmp_path / "out", progress=seen.append)
    copies = [p for p in seen if p.stage == "Copie des pièces justificatives"]
    assert [p.done for p in copies] == list(range(39)) and {p.total for p in copies} == {38}
    checks = [p for p in seen if p.stage == "Vérification du paquet"]
    assert checks[-1].done == checks[-1].total == 38 + 16  # every member, every listed file


def test_a_missing_pieces_folder_leaves_every_demande_out(demo_folder: Path, tmp_path: Path) -> None:
    shutil.rmtree(demo_folder / "pieces")
    data = json.loads((demo_folder / "workspace.json").read_text(encoding="utf-8"))
    del data["entrees"]["pieces"]
    (demo_folder / "workspace.json").write_text(json.dumps(data), encoding="utf-8")
    result = export(demo_folder, tmp_path / "out")
    assert result.bundle is None
    assert any("est introuvable dans le dossier des pièces justificatives" in " ".join(item.details)
               for item in result.plan.left_out)


def test_a_source_changed_during_the_export_is_refused(demo_folder: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from segur_desktop.core.errors import InputError
    from segur_desktop.core.export import bundle

    real = bundle.run_pipeline

    def edited_meanwhile(*args, **kwargs):
        found = real(*args, **kwargs)
        (demo_folder / "clients.xlsx").write_bytes((demo_folder / "clients.xlsx").read_bytes() + b"\0")
        return found

    monkeypatch.setattr(bundle, "run_pipeline", edited_meanwhile)
    with pytest.raises(InputError, match="clients.xlsx » a changé depuis sa lecture"):
        export(demo_folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_bundle_name_is_plain_ascii() -> None:
    assert bundle_stem("Médilog Santé SAS", GENERATED) == "depot_2026-01-05_Medilog-Sante-SAS"
    assert bundle_stem("L'Œil & Cie / Nîmes", GENERATED) == "depot_2026-01-05_L-OEil-Cie-Nimes"
    assert bundle_stem("***", GENERATED) == "depot_2026-01-05_editeur"


def test_a_bundle_failing_its_own_verification_is_never_published(demo_folder: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from segur_desktop.core.export import bundle

    real = bundle.verify_folder

    def damaged_on_disk(folder, *args, **kwargs):
        (folder / "HOP_avance.json").write_bytes(b"{}")  # as a failing disk would
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(bundle, "verify_folder", damaged_on_disk)
    with pytest.raises(bundle.ExportFailed, match="ne passe pas sa propre vérification"):
        export(demo_folder, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_zip_bundle_is_read_back_against_the_verified_folder(demo_folder: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from segur_desktop.core.export import bundle

    monkeypatch.setattr(bundle, "hash_stream", lambda handle: ("0" * 64, 0))  # every member reads back wrong
    with pytest.raises(bundle.ExportFailed, match="ne correspond pas au dossier vérifié"):
        export(demo_folder, tmp_path / "out", as_zip=True)
    assert list((tmp_path / "out").iterdir()) == []
