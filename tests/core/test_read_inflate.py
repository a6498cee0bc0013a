"""The scan's own inflate (`xmlscan.member_chunks`, ISA-L) reads a zip member exactly as zipfile does.

Same bytes from a sound member, whatever the chunk size; the same exception from a damaged one (a wrong
CRC-32, bad deflate data, a declared size that is not the real one), so that the damaged-file refusal
(`extent._damaged`) is unchanged.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from segur_desktop.core.read import xmlscan

PART = "xl/worksheets/sheet1.xml"


def sheet_bytes(rows: int) -> bytes:
    rng = random.Random(rows)
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{rng.random()}</t></is></c>'
                    f'<c r="B{r}"><v>{rng.randrange(10**9)}</v></c></row>' for r in range(1, rows + 1))
    return f'<worksheet><sheetData>{cells}</sheetData></worksheet>'.encode()


def archive_with(path: Path, data: bytes, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(PART, data)
    return path


def outcome(read: Callable[[], bytes]) -> bytes | type[BaseException]:
    try:
        return read()
    except Exception as error:  # the type is what is compared
        return type(error)


def both(path: Path) -> tuple[bytes | type[BaseException], bytes | type[BaseException]]:
    with zipfile.ZipFile(path) as archive:
        ours = outcome(lambda: b"".join(xmlscan.member_chunks(archive, PART)))
        theirs = outcome(lambda: archive.read(PART))
    return ours, theirs


def central_entry(raw: bytes) -> int:
    """Where the central directory entry of PART starts in the zip's bytes."""
    entry = raw.rindex(PART.encode()) - 46  # its name, the last of the two copies, follows 46 bytes of fields
    assert raw[entry:entry + 4] == b"PK\x01\x02"
    return entry


@pytest.mark.parametrize("chunk", [1, 7, 4096, 1 << 20])
def test_a_sound_member_reads_the_same_whatever_the_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          chunk: int) -> None:
    data = sheet_bytes(300 if chunk < 100 else 20_000)
    path = archive_with(tmp_path / "a.xlsx", data)
    monkeypatch.setattr(xmlscan, "CHUNK", chunk)
    with zipfile.ZipFile(path) as archive:
        chunks = list(xmlscan.member_chunks(archive, PART))
    assert b"".join(chunks) == data
    assert max(map(len, chunks)) <= chunk


def test_a_stored_member_is_read_by_zipfile(tmp_path: Path) -> None:
    data = sheet_bytes(50)
    assert both(archive_with(tmp_path / "s.xlsx", data, zipfile.ZIP_STORED)) == (data, data)


def test_a_wrong_crc_is_a_bad_zip_file(tmp_path: Path) -> None:
    path = archive_with(tmp_path / "crc.xlsx", sheet_bytes(500))
    raw = bytearray(path.read_bytes())
    entry = central_entry(bytes(raw))
    raw[entry + 16:entry + 20] = struct.pack("<I", (struct.unpack_from("<I", raw, entry + 16)[0] + 1) & 0xFFFFFFFF)
    path.write_bytes(bytes(raw))
    assert both(path) == (zipfile.BadZipFile, zipfile.BadZipFile)


@pytest.mark.parametrize("delta", [-1000, -1, 1, 1000])
def test_a_declared_size_that_is_wrong_reads_as_zipfile_reads_it(tmp_path: Path, delta: int) -> None:
    """Smaller: the output stops there and the CRC-32 fails. Larger: the deflate stream ends first, and its
    CRC-32 holds (zipfile reads it whole)."""
    path = archive_with(tmp_path / "size.xlsx", sheet_bytes(500))
    raw = bytearray(path.read_bytes())
    entry = central_entry(bytes(raw))
    raw[entry + 24:entry + 28] = struct.pack("<I", struct.unpack_from("<I", raw, entry + 24)[0] + delta)
    path.write_bytes(bytes(raw))
    ours, theirs = both(path)
    assert ours == theirs
    assert theirs is zipfile.BadZipFile if delta < 0 else theirs == sheet_bytes(500)


def test_bad_deflate_data_is_a_zlib_error(tmp_path: Path) -> None:
    path = archive_with(tmp_path / "deflate.xlsx", sheet_bytes(500))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(PART)
    name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    raw[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    assert both(path) == (zlib.error, zlib.error)


def test_a_missing_part_is_a_key_error(tmp_path: Path) -> None:
    path = archive_with(tmp_path / "a.xlsx", sheet_bytes(5))
    with zipfile.ZipFile(path) as archive, pytest.raises(KeyError):
        next(xmlscan.member_chunks(archive, "xl/worksheets/sheet9.xml"))
