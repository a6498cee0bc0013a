"""`verify` on bundles tampered with after the export: every kind of damage is named, nothing passes."""

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.export.verify import render_check, verify_bundle
from segur_desktop.core.export.zips import hash_stream
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.validate.check import check_deposit_file
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import load_workspace


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = load_workspace(demo_workspace())
    return export_workspace(workspace, workspace.judged_at, tmp_path_factory.mktemp("export")).bundle


@pytest.fixture
def bundle(exported: Path, tmp_path: Path) -> Path:
    copy = tmp_path / exported.name
    shutil.copytree(exported, copy)
    return copy


def manifest_of(bundle: Path) -> dict:
    return json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))


def rehash(bundle: Path, name: str) -> None:
    """Make the manifest agree with `name` again: only the content checks can catch what changed."""
    manifest = manifest_of(bundle)
    data = (bundle / name).read_bytes()
    for entry in [d["json"] for d in manifest["deposits"]] + [d["attachments"] for d in manifest["deposits"]]:
        if entry["file"] == name:
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    (bundle / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def rewrite_zip(path: Path, change) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    path.unlink()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def problems(bundle: Path) -> list[str]:
    check = verify_bundle(bundle)
    assert not check.ok and "NON CONFORME" in render_check(check)
    return check.problems


def test_an_intact_copy_passes(bundle: Path) -> None:
    assert verify_bundle(bundle).ok


def test_an_extra_file_is_named(bundle: Path) -> None:
    (bundle / "notes.txt").write_text("à déposer lundi", encoding="utf-8")
    assert problems(bundle) == ["« notes.txt » est dans le paquet mais pas dans son manifeste : ce n'est pas l'export "
                                "d'origine. Retirez ce fichier, ou exportez de nouveau."]


def test_a_missing_file_is_named(bundle: Path) -> None:
    (bundle / "HOP_avance_pieces.zip").unlink()
    assert problems(bundle) == ["« HOP_avance_pieces.zip » manque dans le paquet."]


def test_an_edited_json_is_caught_by_its_hash_and_its_amount(bundle: Path) -> None:
    path = bundle / "HOP_avance.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"montantDemandeHT": "5550.00"', '"montantDemandeHT": "5551.00"', 1),
                    encoding="utf-8")
    found = problems(bundle)
    assert "« HOP_avance.json » a été modifié depuis l'export (empreinte SHA-256 différente de celle du manifeste)." in found
    assert any(p.startswith("Le montant demandé de HOP_avance.json ne correspond pas") for p in found)


def test_a_json_that_breaks_its_schema_is_named_at_its_demande(bundle: Path) -> None:
    path = bundle / "HOP_avance.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["demandes"][0]["bonDeCommande"]["montantHT"] = "18 500"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    rehash(bundle, "HOP_avance.json")
    found = problems(bundle)
    assert len(found) == 1 and found[0].startswith(f"HOP_avance.json, demande n° 1 ({document['demandes'][0]['idDemande']}) : ")


def test_an_attachment_missing_from_its_zip_would_make_incomplete_requests(bundle: Path) -> None:
    zip_path = bundle / "HOP_avance_pieces.zip"
    removed = zipfile.ZipFile(zip_path).namelist()[0]
    rewrite_zip(zip_path, lambda members: members.pop(removed))
    rehash(bundle, "HOP_avance_pieces.zip")
    assert problems(bundle) == [
        f"La pièce « {removed} » manque dans HOP_avance_pieces.zip.",
        f"HOP_avance.json nomme la pièce « {removed} », absente de HOP_avance_pieces.zip : le portail créerait la "
        "demande « incomplète ».",
    ]


def test_an_attachment_no_demande_names_is_named(bundle: Path) -> None:
    rewrite_zip(bundle / "MDV_solde_pieces.zip", lambda members: members.update({"autre.pdf": b"%PDF-1.4 x"}))
    rehash(bundle, "MDV_solde_pieces.zip")
    assert problems(bundle) == [
        "MDV_solde_pieces.zip contient « autre.pdf », absente du manifeste.",
        "MDV_solde_pieces.zip contient « autre.pdf », qu'aucune demande de MDV_solde.json ne nomme.",
    ]


def test_a_replaced_attachment_is_caught_by_its_hash_and_a_non_pdf_by_its_content(bundle: Path) -> None:
    zip_path = bundle / "BIO_avance_pieces.zip"
    first = zipfile.ZipFile(zip_path).namelist()[0]
    rewrite_zip(zip_path, lambda members: members.update({first: b"<html>not a scan</html>"}))
    rehash(bundle, "BIO_avance_pieces.zip")
    assert problems(bundle) == [
        f"La pièce « {first} » de BIO_avance_pieces.zip ne correspond pas au manifeste (empreinte SHA-256 différente).",
        f"La pièce « {first} » de BIO_avance_pieces.zip n'est pas un PDF.",
    ]


def test_a_member_twice_in_a_zip_is_named(bundle: Path) -> None:
    zip_path = bundle / "PHA_avance_pieces.zip"
    name = zipfile.ZipFile(zip_path).namelist()[0]
    with zipfile.ZipFile(zip_path, "a") as archive, pytest.warns(UserWarning):
        archive.writestr(name, b"%PDF-1.4 again")
    rehash(bundle, "PHA_avance_pieces.zip")
    assert f"PHA_avance_pieces.zip contient 2 fois « {name} »." in problems(bundle)


def test_a_damaged_zip_is_named(bundle: Path) -> None:
    (bundle / "MS1_avance_pieces.zip").write_bytes(b"PK\x03\x04 truncated")
    rehash(bundle, "MS1_avance_pieces.zip")
    found = problems(bundle)
    assert len(found) == 1 and found[0].startswith("MS1_avance_pieces.zip est illisible ou endommagée")


@pytest.mark.parametrize("make", [
    lambda p: p.mkdir(),
    lambda p: (p.mkdir(), (p / MANIFEST).write_text('{"format": "autre chose"}', encoding="utf-8")),
    lambda p: p.write_text("pas un zip", encoding="utf-8"),
    lambda p: zipfile.ZipFile(p, "w").writestr("readme.txt", "rien"),
    lambda p: zipfile.ZipFile(p, "w").writestr("../manifest.json", "{}"),
], ids=["empty folder", "foreign manifest", "text file", "zip without manifest", "zip escaping its folder"])
def test_what_is_not_a_bundle_is_an_input_error(tmp_path: Path, make) -> None:
    path = tmp_path / "candidate"
    make(path)
    with pytest.raises(InputError):
        verify_bundle(path)


def test_a_zipped_bundle_with_a_bad_member_fails(exported: Path, tmp_path: Path) -> None:
    archive_path = tmp_path / "depot.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for path in sorted(exported.iterdir()):
            data = path.read_bytes() if path.name != "recapitulatif.html" else b"<p>changed</p>"
            archive.writestr(f"{exported.name}/{path.name}", data)
    check = verify_bundle(archive_path)
    assert check.path == archive_path
    assert check.problems == ["« recapitulatif.html » a été modifié depuis l'export (empreinte SHA-256 différente de "
                              "celle du manifeste)."]


@pytest.mark.parametrize(("field", "change"), [
    ("generated_at", lambda m: m.update(generated_at="hier")),
    ("at", lambda m: m.update(at="2022-11-28")),
    ("hors_delai/0/closing", lambda m: m.update(hors_delai=[{"couloir": "HOP", "type": "avance", "closing": "hier",
                                                             "requests": 1}])),
    ("deposits/0/closing", lambda m: m["deposits"][0].update(closing="30/11/2022 14:00")),
])
def test_verify_refuses_a_manifest_whose_instants_are_not_instants(bundle: Path, capsys, field: str, change) -> None:
    manifest = manifest_of(bundle)
    change(manifest)
    (bundle / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    status = main(["verify", str(bundle)])
    err = capsys.readouterr().err
    assert status in (1, 2) and "Erreur inattendue" not in err  # 3 would be a crash
    assert "a été modifié" in err and f"{field} : « " in err and "n'a pas le format attendu" in err


def test_an_instant_python_cannot_read_is_shown_as_written(bundle: Path, capsys) -> None:
    """The schema's pattern cannot know every calendar: an impossible date still gives a report, not a crash."""
    manifest = manifest_of(bundle)
    manifest.update(generated_at="2026-13-45T09:30:00+01:00", at="9999-12-31T23:59:59-23:59",
                    hors_delai=[{"couloir": "HOP", "type": "avance", "closing": "2022-02-30T14:00:00+01:00", "requests": 1}])
    (bundle / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["verify", str(bundle)]) in (0, 1)
    captured = capsys.readouterr()
    assert "Erreur inattendue" not in captured.err
    assert ("Généré le 2026-13-45T09:30:00+01:00 par Segur Desktop" in captured.out
            and "échéances jugées au 9999-12-31T23:59:59-23:59 (heure de Paris)" in captured.out
            and "guichet fermé le 2022-02-30T14:00:00+01:00" in captured.out)


def test_render_check_never_raises_on_an_instant(bundle: Path) -> None:
    check = verify_bundle(bundle)
    check.manifest = dict(check.manifest, generated_at="hier", at=None,
                          hors_delai=[{"couloir": "HOP", "type": "avance", "closing": 17, "requests": 1}])
    text = render_check(check)
    assert "Généré le hier par" in text and "échéances jugées au inconnue" in text and "guichet fermé le 17 ;" in text


def test_each_deposit_file_is_parsed_once(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from segur_desktop.core import datafiles

    parsed: list[str] = []
    parse = datafiles.parse_json

    def counting(content, *args, name, **kwargs):
        parsed.append(Path(str(name)).name)
        return parse(content, *args, name=name, **kwargs)

    monkeypatch.setattr(datafiles, "parse_json", counting)
    assert verify_bundle(bundle).ok
    deposits = [d["json"]["file"] for d in manifest_of(bundle)["deposits"]]
    assert sorted(name for name in parsed if name in deposits) == sorted(deposits)  # once each, by its schema check


def test_check_deposit_file_keeps_the_document(bundle: Path) -> None:
    path = bundle / "HOP_avance.json"
    check = check_deposit_file(path, SchemaRegistry.default())
    assert check.valid and check.document == json.loads(path.read_text(encoding="utf-8"))
    assert "document" not in repr(check)  # 20k demandes are not printed with it


def test_hash_stream_counts_the_bytes_already_read() -> None:
    data = b"%PDF-1.4 " + bytes(range(256)) * 5000
    handle = io.BytesIO(data)
    head = handle.read(5)
    assert hash_stream(handle, prefix=head) == (hashlib.sha256(data).hexdigest(), len(data))
    assert hash_stream(io.BytesIO(data)) == hash_stream(io.BytesIO(data[3:]), prefix=data[:3])
    assert hash_stream(io.BytesIO(b""), prefix=b"") == (hashlib.sha256(b"").hexdigest(), 0)
