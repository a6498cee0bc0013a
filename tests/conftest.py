"""Shared test setup: headless Qt, user data kept out of the user's folders, workbook helpers."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never read or write the real user-data folder: overrides would change results.
os.environ["SEGUR_DESKTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="segur-desktop-test-data-")

from openpyxl import Workbook
from pg import postgres_url  # noqa: F401 - a throwaway PostgreSQL cluster for the shared register's tests (#20)
from testdata import BDC_HEADERS, CLIENT_HEADERS, MINIMAL_PDF, SOLUTIONS, VENDOR_SIRET

from segur_desktop.core.calendar import load_calendar
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.formats.canonical import canonical_catalog
from segur_desktop.core.paths import demo_workspace

WorkbookMaker = Callable[..., Path]


@pytest.fixture
def make_xlsx(tmp_path: Path) -> WorkbookMaker:
    """Write rows (lists of cell values) to an .xlsx in tmp_path; sheets as {name: rows}."""

    def make(name: str, rows: Sequence[Sequence[Any]] | None = None, *, sheets: dict[str, Sequence] | None = None) -> Path:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for sheet_name, sheet_rows in (sheets or {"Feuil1": rows or []}).items():
            sheet = workbook.create_sheet(sheet_name)
            for row in sheet_rows:
                sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return make


@pytest.fixture
def demo() -> Path:
    return demo_workspace()


@pytest.fixture
def make_workspace(tmp_path: Path, make_xlsx: WorkbookMaker) -> Callable[..., Path]:
    """A small dossier de travail: client rows, BDC rows (under the default headers), PDFs."""
    def make(clients: Sequence[Sequence[Any]], bdcs: Sequence[Sequence[Any]], *, pdfs: Sequence[str] | None = None,
             client_headers: Sequence[str] = CLIENT_HEADERS, bdc_headers: Sequence[str] = BDC_HEADERS,
             solutions: list[dict] | None = None, extra: dict | None = None) -> Path:
        folder = tmp_path / "ws"
        pieces = folder / "pieces"
        pieces.mkdir(parents=True, exist_ok=True)
        make_xlsx("clients.xlsx", [client_headers, *clients]).rename(folder / "clients.xlsx")
        make_xlsx("bdc.xlsx", [bdc_headers, *bdcs]).rename(folder / "bdc.xlsx")
        names = pdfs if pdfs is not None else [f"{row[0]}.pdf" for row in bdcs]
        for name in names:
            (pieces / name).write_bytes(MINIMAL_PDF)
        data = {
            "schema_version": 1,
            "nom": "Test",
            "editeur": {"raison_sociale": "Éditeur Test", "siret": VENDOR_SIRET},
            "solutions": SOLUTIONS if solutions is None else solutions,
            "entrees": {"clients": "clients.xlsx", "bdc": "bdc.xlsx", "pieces": "pieces"},
            "sortie": "sortie",
            "date_controle": "2022-11-28T10:00:00+01:00",
            **(extra or {}),
        }
        (folder / "workspace.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return folder

    return make


@pytest.fixture(autouse=True)
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user-data folder for every test: nothing a test does (a calendar import, a Suivi register)
    touches the real one, and each test starts with no register. The calendar is read again from it,
    and again once the test is over."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(folder))
    load_calendar.cache_clear()
    load_catalog.cache_clear()  # the aliases are read from it too
    canonical_catalog.cache_clear()
    yield folder
    monkeypatch.undo()
    load_calendar.cache_clear()
    load_catalog.cache_clear()
    canonical_catalog.cache_clear()
