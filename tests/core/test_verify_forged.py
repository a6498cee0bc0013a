"""`verify` on bundles forged to pass it (issue #17, item 7): duplicate members, edits with the manifest rehashed,
zip bombs. Each test failed before the fix: the forged bundle was « Conforme », or was unpacked whole first."""

import hashlib
import io
import json
import shutil
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.export.verify import render_check, unpack_bundle, verify_bundle
from segur_desktop.core.export.zips import MemberOverflow, member_chunks
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.register.record import record_bundle
from segur_desktop.core.register.store import Register
from segur_desktop.core.workspace import load_workspace

MB = 1024 * 1024


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = load_workspace(demo_workspace())
    return export_workspace(workspace, workspace.judged_at, tmp_path_factory.mktemp("export")).bundle


@pytest.fixture
def bundle(exported: Path, tmp_path: Path) -> Path:
    copy = tmp_path / exported.name
    shutil.copytree(exported, copy)
    return copy


@pytest.fixture
def register(tmp_path: Path) -> Register:
    return Register(tmp_path / "registre.sqlite3")


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes every zip member read returns in all (a bomb unpacked shows here)."""
    total = [0]
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = original(self, n)
        total[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return total


def manifest_of(bundle: Path) -> dict:
    return json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))


def write_manifest(bundle: Path, manifest: dict) -> None:
    (bundle / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def rehash(bundle: Path, name: str) -> None:
    """The manifest made to agree with `name` again, as a forger would."""
    manifest = manifest_of(bundle)
    data = (bundle / name).read_bytes()
    for entry in [d["json"] for d in manifest["deposits"]] + [d["attachments"] for d in manifest["deposits"]] \
            + manifest["files"]:
        if entry["file"] == name:
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    write_manifest(bundle, manifest)


def zip_folder(folder: Path, target: Path, *, before: dict[str, bytes] | None = None,
               extra: dict[str, bytes] | None = None) -> Path:
    """The bundle folder as one zip (under its own top folder), with `before` members written ahead of the
    real ones (a tampered copy first) and `extra` ones after."""
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in (before or {}).items():
            archive.writestr(f"{folder.name}/{name}", data)
        for path in sorted(folder.iterdir()):
            archive.writestr(f"{folder.name}/{path.name}", path.read_bytes())
        for name, data in (extra or {}).items():
            archive.writestr(f"{folder.name}/{name}", data)
    return target


def edit_amount(bundle: Path) -> None:
    """One demande's amount raised by 1 €, the manifest's amount and hash updated to match: only the register can
    tell."""
    path = bundle / "HOP_avance.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"montantDemandeHT": "5550.00"',
                                                              '"montantDemandeHT": "5551.00"', 1), encoding="utf-8")
    manifest = manifest_of(bundle)
    deposit = next(d for d in manifest["deposits"] if d["json"]["file"] == "HOP_avance.json")
    deposit["requested_amount_ht"] = f"{Decimal(deposit['requested_amount_ht']) + 1:.2f}"
    write_manifest(bundle, manifest)
    rehash(bundle, "HOP_avance.json")


# -- (a) duplicate member names -------------------------------------------------------------------------------

def test_a_bundle_zip_with_a_tampered_copy_first_is_refused(bundle: Path, tmp_path: Path) -> None:
    tampered = (bundle / "HOP_avance.json").read_bytes().replace(b'"5550.00"', b'"5551.00"', 1)
    with pytest.warns(UserWarning):  # zipfile itself says "Duplicate name"
        archive = zip_folder(bundle, tmp_path / "depot.zip", before={"HOP_avance.json": tampered})
    check = verify_bundle(archive)
    assert not check.ok
    assert f"depot.zip contient 2 fois « {bundle.name}/HOP_avance.json »." in check.problems
    assert "NON CONFORME" in render_check(check)


def test_a_bundle_zip_with_two_manifests_is_refused(bundle: Path, tmp_path: Path) -> None:
    with pytest.warns(UserWarning):
        archive = zip_folder(bundle, tmp_path / "depot.zip", extra={MANIFEST: (bundle / MANIFEST).read_bytes()})
    check = verify_bundle(archive)
    assert f"depot.zip contient 2 fois « {bundle.name}/{MANIFEST} »." in check.problems


def test_names_differing_only_by_case_are_the_same_file_once_unpacked(bundle: Path, tmp_path: Path) -> None:
    archive = zip_folder(bundle, tmp_path / "depot.zip", extra={"hop_avance.json": b"{}"})
    assert f"depot.zip contient 2 fois « {bundle.name}/HOP_avance.json »." in verify_bundle(archive).problems


def test_register_record_refuses_a_zip_with_duplicate_names(bundle: Path, tmp_path: Path, register: Register) -> None:
    with pytest.warns(UserWarning):
        archive = zip_folder(bundle, tmp_path / "depot.zip", before={"HOP_avance.json": b"{}"})
    with pytest.raises(InputError, match="2 fois"):
        record_bundle(register, archive)
    assert register.exports_count() == 0


# -- (b) an edit with the manifest rehashed, caught by the register ---------------------------------------------

def test_an_edit_with_the_manifest_rehashed_passes_without_the_register(bundle: Path) -> None:
    edit_amount(bundle)
    assert verify_bundle(bundle).ok  # what the manifest alone can prove: nothing more


def test_an_edit_with_the_manifest_rehashed_is_caught_by_the_register(bundle: Path, register: Register) -> None:
    record_bundle(register, bundle)
    edit_amount(bundle)
    check = verify_bundle(bundle, register=register)
    assert not check.ok
    assert ("« HOP_avance.json » a été modifié depuis son enregistrement dans le suivi (empreinte SHA-256 différente "
            "de celle du registre).") in check.problems
    assert any(p.startswith("« manifest.json » a été modifié depuis son enregistrement dans le suivi") for p in check.problems)


def test_a_replaced_attachment_with_everything_rehashed_is_caught_by_the_register(bundle: Path,
                                                                                 register: Register) -> None:
    record_bundle(register, bundle)
    zip_path = bundle / "BIO_avance_pieces.zip"
    with zipfile.ZipFile(zip_path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    first = sorted(members)[0]
    members[first] = members[first] + b"\n% forged"
    zip_path.unlink()
    with zipfile.ZipFile(zip_path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    manifest = manifest_of(bundle)
    for deposit in manifest["deposits"]:
        for member in deposit["attachments"]["members"]:
            if deposit["attachments"]["file"] == "BIO_avance_pieces.zip" and member["name"] == first:
                member["sha256"] = hashlib.sha256(members[first]).hexdigest()
                member["size"] = len(members[first])
    write_manifest(bundle, manifest)
    rehash(bundle, "BIO_avance_pieces.zip")
    assert verify_bundle(bundle).ok
    check = verify_bundle(bundle, register=register)
    assert (f"La pièce « {first} » de BIO_avance_pieces.zip a été modifiée depuis son enregistrement dans le suivi "
            "(empreinte SHA-256 différente de celle du registre).") in check.problems


def test_an_intact_recorded_bundle_passes_with_the_register_and_says_so(bundle: Path, tmp_path: Path,
                                                                       register: Register) -> None:
    record_bundle(register, bundle)
    check = verify_bundle(bundle, register=register)
    assert check.ok and any("suivi" in note for note in check.notes)
    archive = zip_folder(bundle, tmp_path / "depot.zip")  # the same bundle zipped: recognised by its manifest
    assert verify_bundle(archive, register=register).ok


def test_a_bundle_the_register_does_not_know_is_said_not_failed(bundle: Path, register: Register) -> None:
    check = verify_bundle(bundle, register=register)
    assert check.ok
    assert any("n'est pas dans le registre de suivi" in note for note in check.notes)
    assert any("n'est pas dans le registre de suivi" in line for line in render_check(check).splitlines())
    assert check.to_dict()["notes"] == check.notes


# -- (c) sizes: nothing big is unpacked or read before it is checked -----------------------------------------------

def write_bomb(target: Path, name: str, size: int) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(target, "a") as archive, archive.open(info, "w", force_zip64=True) as out:
        chunk = bytes(MB)
        for _ in range(size // MB):
            out.write(chunk)


def test_an_unlisted_bomb_in_a_bundle_zip_is_named_and_never_read(bundle: Path, tmp_path: Path,
                                                                  bytes_read: list[int]) -> None:
    archive = zip_folder(bundle, tmp_path / "depot.zip")
    write_bomb(archive, f"{bundle.name}/bombe.bin", 300 * MB)
    assert archive.stat().st_size < 5 * MB
    check = verify_bundle(archive)
    assert any("« bombe.bin » est dans le paquet mais pas dans son manifeste" in p for p in check.problems)
    assert bytes_read[0] < 20 * MB


def test_a_listed_member_beyond_the_size_limit_is_refused_unread(bundle: Path, tmp_path: Path,
                                                                 bytes_read: list[int]) -> None:
    """A 300 MB recap, its true hash in the manifest: it used to be unpacked, hashed, and pass."""
    size = 300 * MB
    digest = hashlib.sha256()
    for _ in range(size // MB):
        digest.update(bytes(MB))
    manifest = manifest_of(bundle)
    entry = next(f for f in manifest["files"] if f["file"] == "recapitulatif.html")
    entry["sha256"], entry["size"] = digest.hexdigest(), size
    write_manifest(bundle, manifest)
    (bundle / "recapitulatif.html").unlink()
    archive = zip_folder(bundle, tmp_path / "depot.zip")
    write_bomb(archive, f"{bundle.name}/recapitulatif.html", size)
    check = verify_bundle(archive)
    assert not check.ok
    assert any("recapitulatif.html" in p and "trop gros" in p for p in check.problems)
    assert bytes_read[0] < 20 * MB


def forge_declared_size(path: Path, name: str, declared: int) -> None:
    """Rewrite the central directory so `name` claims `declared` bytes (its data and CRC unchanged)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode("utf-8")
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, at + 24, declared)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not found")


def test_a_member_bigger_than_it_declares_is_stopped(bundle: Path, tmp_path: Path, bytes_read: list[int]) -> None:
    """The recap's declared size is the manifest's, its deflated data 100 MB more: reading stops at the size said
    (zipfile itself stops there and finds the CRC wrong; `member_chunks` would stop a reader that did not)."""
    real = (bundle / "recapitulatif.html").read_bytes()
    (bundle / "recapitulatif.html").unlink()
    archive = zip_folder(bundle, tmp_path / "depot.zip")
    info = zipfile.ZipInfo(f"{bundle.name}/recapitulatif.html")
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(archive, "a") as target, target.open(info, "w", force_zip64=False) as out:
        out.write(real)
        for _ in range(100):
            out.write(bytes(MB))
    forge_declared_size(archive, info.filename, len(real))
    check = verify_bundle(archive)
    assert not check.ok
    assert any(p.startswith("« recapitulatif.html » de depot.zip est illisible ou endommagé") for p in check.problems)
    assert bytes_read[0] < 20 * MB


def test_member_chunks_stops_a_member_that_outgrows_its_declared_size() -> None:
    class Archive:  # a reader that, unlike zipfile, would hand out more than the central directory says
        def open(self, info):
            return io.BytesIO(b"%PDF-" + bytes(3 * MB))

    info = zipfile.ZipInfo("piece.pdf")
    info.file_size = MB
    chunks = member_chunks(Archive(), info)
    with pytest.raises(MemberOverflow):
        for _chunk in chunks:
            pass


def test_a_piece_over_20_mb_is_refused_unread(bundle: Path, bytes_read: list[int]) -> None:
    zip_path = bundle / "MDV_solde_pieces.zip"
    with zipfile.ZipFile(zip_path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    first = sorted(members)[0]
    members[first] = b"%PDF-1.4\n" + bytes(21 * MB) + b"\n%%EOF\n"
    zip_path.unlink()
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    manifest = manifest_of(bundle)
    for deposit in manifest["deposits"]:
        for member in deposit["attachments"]["members"]:
            if deposit["attachments"]["file"] == "MDV_solde_pieces.zip" and member["name"] == first:
                member["sha256"], member["size"] = hashlib.sha256(members[first]).hexdigest(), len(members[first])
    write_manifest(bundle, manifest)
    rehash(bundle, "MDV_solde_pieces.zip")
    bytes_read[0] = 0
    check = verify_bundle(bundle)
    assert not check.ok
    assert any(first in p and "20 Mo" in p for p in check.problems)
    assert bytes_read[0] < 5 * MB


def test_unpack_bundle_still_gives_the_folder_of_an_intact_zip(bundle: Path, tmp_path: Path) -> None:
    archive = zip_folder(bundle, tmp_path / "depot.zip")
    into = tmp_path / "into"
    into.mkdir()
    folder = unpack_bundle(archive, into)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in bundle.iterdir())
