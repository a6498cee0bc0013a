"""Fuzzing `verify` (issue #17): a real bundle, mutated, gives French problems or a French InputError, never
another exception, in bounded time.

The mutations are those a damaged copy or a forger makes: bytes flipped in the bundle zip or inside one of its
members (a deposit JSON, the manifest, an attachments zip or a PDF in it), members dropped, duplicated (the tampered
copy first or last) or renamed to a case variant, the zip truncated. Derandomised, with a fixed budget: the file
runs in about 10 s.
"""

from __future__ import annotations

import io
import shutil
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.verify import BundleCheck, render_check, verify_bundle
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.workspace import load_workspace

FUZZ = settings(derandomize=True, deadline=5000, max_examples=45, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SLOWEST_S = 5.0  # one verification of the demo bundle takes a small fraction of this


@pytest.fixture(scope="module")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo's bundle as one zip (its top folder inside), as bytes."""
    workspace = load_workspace(demo_workspace())
    folder = export_workspace(workspace, workspace.judged_at, tmp_path_factory.mktemp("export")).bundle
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.writestr(f"{folder.name}/{path.name}", path.read_bytes())
    return buffer.getvalue()


def members_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def zipped(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    changed = bytearray(data)
    for position, mask in flips:
        if changed:
            changed[position % len(changed)] ^= mask
    return bytes(changed)


def check_only_french(path: Path) -> None:
    """verify: a report (its problems in French, each naming a file), or a French InputError; nothing else."""
    start = time.perf_counter()
    try:
        check = verify_bundle(path)
    except InputError as error:
        message = str(error)
        assert message and "Traceback" not in message
    else:
        assert isinstance(check, BundleCheck)
        assert all(isinstance(p, str) and p and "Traceback" not in p for p in check.problems)
        assert render_check(check)
    assert time.perf_counter() - start < SLOWEST_S


FLIPS = st.lists(st.tuples(st.integers(min_value=0, max_value=2**31), st.integers(min_value=1, max_value=255)),
                 min_size=1, max_size=8)


@FUZZ
@given(flips=FLIPS)
def test_bytes_flipped_in_the_bundle_zip(bundle_zip: bytes, tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    path = tmp_path / "depot.zip"
    path.write_bytes(flip(bundle_zip, flips))
    check_only_french(path)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=2**31))
def test_the_bundle_zip_truncated(bundle_zip: bytes, tmp_path: Path, cut: int) -> None:
    path = tmp_path / "depot.zip"
    path.write_bytes(bundle_zip[:cut % (len(bundle_zip) + 1)])
    check_only_french(path)


MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "flip_inner", "drop", "duplicate_first", "duplicate_last",
                                                "case", "deflate"]),
                               st.integers(min_value=0, max_value=2**31), FLIPS),
                     min_size=1, max_size=3)


def mutate(members: list[tuple[str, bytes]], kind: str, index: int, flips: list[tuple[int, int]]
           ) -> tuple[list[tuple[str, bytes]], int]:
    """One mutation of the bundle's members; the compression to write them with."""
    if not members:
        return members, zipfile.ZIP_STORED
    i = index % len(members)
    name, data = members[i]
    if kind == "flip":
        members[i] = (name, flip(data, flips))
    elif kind == "flip_inner" and name.endswith(".zip") and data:
        try:  # a byte flipped inside one member of an attachments zip (a PDF), the zip rewritten
            inner = members_of(data)
        except zipfile.BadZipFile:
            inner = []
        if inner:
            j = flips[0][0] % len(inner)
            inner[j] = (inner[j][0], flip(inner[j][1], flips))
            members[i] = (name, zipped(inner))
    elif kind == "drop":
        del members[i]
    elif kind == "duplicate_first":
        members.insert(0, (name, flip(data, flips)))
    elif kind == "duplicate_last":
        members.append((name, flip(data, flips)))
    elif kind == "case":
        members[i] = (name.swapcase(), data)
    elif kind == "deflate":
        return members, zipfile.ZIP_DEFLATED
    return members, zipfile.ZIP_STORED


@FUZZ
@given(mutations=MUTATIONS)
def test_members_flipped_dropped_duplicated_or_renamed(bundle_zip: bytes, tmp_path: Path,
                                                      mutations: list[tuple[str, int, list[tuple[int, int]]]]) -> None:
    members = members_of(bundle_zip)
    compression = zipfile.ZIP_STORED
    for kind, index, flips in mutations:
        members, chosen = mutate(members, kind, index, flips)
        compression = max(compression, chosen)
    path = tmp_path / "depot.zip"
    path.write_bytes(zipped(members, compression))
    check_only_french(path)


@FUZZ
@given(mutations=MUTATIONS)
def test_a_bundle_folder_with_mutated_files(bundle_zip: bytes, tmp_path: Path,
                                            mutations: list[tuple[str, int, list[tuple[int, int]]]]) -> None:
    """The same mutations on the unpacked folder's files: a zip's members become files."""
    top = members_of(bundle_zip)[0][0].split("/")[0]
    members = [(name.split("/", 1)[1], data) for name, data in members_of(bundle_zip)]
    for kind, index, flips in mutations:
        if kind not in ("duplicate_first", "duplicate_last", "case", "deflate"):  # no such thing in a folder
            members, _compression = mutate(members, kind, index, flips)
    folder = tmp_path / top
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, data in members:
        (folder / name).write_bytes(data)
    check_only_french(folder)
