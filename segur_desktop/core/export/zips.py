"""Deterministic zip archives, written and read in a streaming way.

The same attachments must give the same bytes on any machine (a bundle made
twice is byte-identical), so every member gets the zip format's epoch as its
timestamp (1980-01-01 00:00), the same Unix permissions (rw-r--r--) and the
same "made by" system, and members are added in the order the caller sorts
them. Attachments are stored, not deflated: scanned PDFs are already
compressed, storing is the fastest, and its bytes do not depend on the zlib
version. Memory stays flat: a file larger than `CHUNK` is copied chunk by
chunk, and hashes are computed on the bytes as they pass.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import stat
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

EPOCH = (1980, 1, 1, 0, 0, 0)
CHUNK = 1024 * 1024
FILE_MODE = (stat.S_IFREG | 0o644) << 16
UNIX = 3  # ZipInfo.create_system: the same on Windows and macOS, or the bytes would differ
# What reading a damaged or hostile archive can raise, from its central directory to a member's last byte (a bad
# CRC, an unknown compression method, an encrypted member, a name that is not UTF-8, a truncated stream…).
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
               ValueError, zlib.error, lzma.LZMAError, struct.error)


class MemberOverflow(Exception):
    """A member decompresses to more bytes than its central directory declares: a bomb, or a forged header."""


def member_info(name: str, size: int, compression: int = zipfile.ZIP_STORED) -> zipfile.ZipInfo:
    """A member header that depends on nothing but `name` and `size`."""
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.compress_type = compression
    info.create_system = UNIX
    info.external_attr = FILE_MODE
    info.file_size = size
    return info


def open_archive(path: Path) -> zipfile.ZipFile:
    """A new archive at `path` (which must not exist: "x"), stored members, zip64 when needed."""
    return zipfile.ZipFile(path, "x", compression=zipfile.ZIP_STORED, allowZip64=True)


def add_file(archive: zipfile.ZipFile, name: str, source: Path) -> tuple[str, int]:
    """Copy `source` into `archive` as `name`; the SHA-256 and size of the bytes copied.

    The hash is of the bytes actually written, read once: what the manifest
    says is what the zip holds, even if the source changes meanwhile.
    """
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= CHUNK:  # most scans: one read, one CRC pass
            data = handle.read()
            digest.update(data)
            archive.writestr(member_info(name, len(data)), data)
            return digest.hexdigest(), len(data)
        copied = 0
        with archive.open(member_info(name, size), "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as out:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                copied += len(chunk)
    return digest.hexdigest(), copied


def hash_stream(handle: IO[bytes], prefix: bytes = b"") -> tuple[str, int]:
    """SHA-256 and size of `prefix` followed by what `handle` holds from its position on, read by chunks.

    `prefix`: bytes the caller already read from `handle` (verify reads a member's first bytes to see a PDF).
    """
    digest = hashlib.sha256(prefix)
    size = len(prefix)
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes by chunks, never more than the size its central directory declares: `MemberOverflow` as
    soon as it decompresses to more (the reader stops there, whatever the member holds)."""
    left = info.file_size
    with archive.open(info) as handle:
        while chunk := handle.read(min(CHUNK, left + 1)):
            if len(chunk) > left:
                raise MemberOverflow(info.filename)
            left -= len(chunk)
            yield chunk


def hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: BinaryIO | None = None,
                head: int = 0) -> tuple[str, int, bytes]:
    """SHA-256, size and first `head` bytes of a member read as a stream (`member_chunks`: reading the member to
    its end also checks its CRC), copied to `out` when given."""
    digest = hashlib.sha256()
    size = 0
    first = b""
    for chunk in member_chunks(archive, info):
        if len(first) < head:
            first += chunk[:head - len(first)]
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest(), size, first


def member_key(name: str) -> str:
    """What a member's name becomes on a disk that ignores case, whatever its separators: two members with the
    same key are the same file once unpacked, and tools disagree on which one they show."""
    return "/".join(part for part in name.replace("\\", "/").split("/") if part not in ("", ".")).casefold()


def duplicate_names(infos: Iterable[zipfile.ZipInfo]) -> list[tuple[str, int]]:
    """(the first member's name, how many members share it) for each name held more than once, sorted."""
    infos = list(infos)
    counts = Counter(member_key(info.filename) for info in infos)
    first: dict[str, str] = {}
    for info in infos:
        first.setdefault(member_key(info.filename), info.filename)
    return sorted((first[key], count) for key, count in counts.items() if count > 1)


def hash_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as handle:
        return hash_stream(handle)


def normalised(data: bytes) -> bytes:
    """The same archive with every member's timestamp and permissions fixed (deflated, in its order).

    Office files (an .xlsx written by openpyxl) stamp each member with the
    time of writing; rewritten this way, the same content gives the same bytes.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(member_info(info.filename, len(content), zipfile.ZIP_DEFLATED), content,
                            compresslevel=6)
    return out.getvalue()
