"""One pass over a sheet's XML bytes for the cheap questions asked before any parse.

A whole read of an .xlsx asks two: does the sheet hold a formula (`formulas`), does
it hide a row (`hidden`)? Each answer comes from the raw decompressed bytes, so that
a sheet with neither is never parsed; asked together, the part is decompressed once
(at 20k rows, 25 ms saved of a read's 300 ms).
"""

from __future__ import annotations

import zipfile
import zlib
from typing import Protocol

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

CHUNK = 1 << 20
# What a scan of a damaged or hostile workbook may raise: the scan then knows nothing, and the main
# reader, which reads the same file, says what is wrong with it.
SCAN_ERRORS = (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, ElementTree.ParseError,
               DefusedXmlException)


class Signs(Protocol):
    def feed(self, chunk: bytes) -> bool:
        """Whether the bytes seen so far, ending with `chunk`, show what is looked for."""


def signs(archive: zipfile.ZipFile, part: str, detectors: list[Signs]) -> list[bool]:
    """Each detector's answer about `part`, decompressed once, stopping as soon as all say yes."""
    answers = [False] * len(detectors)
    with archive.open(part) as stream:
        while not all(answers) and (chunk := stream.read(CHUNK)):
            for i, detector in enumerate(detectors):
                if not answers[i] and detector.feed(chunk):
                    answers[i] = True
    return answers
