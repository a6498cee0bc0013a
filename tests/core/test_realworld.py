"""Vendor exports without client codes (issue #15), from tests/realworld.py: every acceptable row gives a
valid demande, every defective row is flagged at its row, and nothing else is an error."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from realworld import BDC_HEADERS, CLIENT_HEADERS, VARIANTS, Variant

from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.workspace import load_workspace


def run(variant: Variant) -> PipelineResult:
    workspace = load_workspace(variant.folder)
    return run_pipeline(workspace, workspace.judged_at)


def errors_by_row(result: PipelineResult) -> dict[tuple[str, int | None], set[str]]:
    found: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for d in result.diagnostics:
        if d.severity is Severity.ERROR:
            found[(Path(d.file).name if d.file else "", d.row)].add(d.code)
    return found


@pytest.fixture(params=VARIANTS, ids=lambda make: make.__name__)
def variant(request: pytest.FixtureRequest, tmp_path: Path) -> Variant:
    make: Callable[[Path], Variant] = request.param
    return make(tmp_path / make.__name__)


def test_every_header_is_recognised(variant: Variant) -> None:
    wrong = []
    for path, kind, expected in ((variant.clients, "clients", CLIENT_HEADERS), (variant.bdc, "bdc", BDC_HEADERS)):
        table = load_table(path, kind)
        mapped = {table.headers[index]: name for name, index in table.columns.items()}
        wrong += [f"{path.name}: « {header} » -> {mapped.get(header)}, not {expected[header]}"
                  for header in table.headers if header and mapped.get(header) != expected[header]]
    assert not wrong, "\n".join(wrong)


def test_every_acceptable_row_gives_a_valid_demande(variant: Variant) -> None:
    result = run(variant)
    valid = sorted(d.bdc.row for d in result.demandes if d.valid)
    assert valid == variant.valid_rows
    assert result.summary().bdc_rows == len(variant.valid_rows) + len(variant.defects)


def test_every_defective_row_is_flagged_at_its_row_and_nothing_else_is_an_error(variant: Variant) -> None:
    found = errors_by_row(run(variant))
    expected: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for code, row in variant.defects:
        expected[(variant.bdc.name, row)].add(code)
    for code, row in variant.client_defects:
        expected[(variant.clients.name, row)].add(code)
    for where, codes in expected.items():
        assert codes <= found.get(where, set()), (where, codes, dict(found))
    assert set(found) <= set(expected), dict(found)  # no error elsewhere, none without a row


def test_the_corpus_is_varied_as_it_says(tmp_path: Path) -> None:
    variants = [make(tmp_path / make.__name__) for make in VARIANTS]
    assert len(variants) >= 6
    suffixes = {path.suffix for v in variants for path in (v.clients, v.bdc)}
    assert suffixes == {".csv", ".xlsx"}
    raw = {path.name + v.name: path.read_bytes() for v in variants for path in (v.clients, v.bdc)
           if path.suffix == ".csv"}
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw.values())  # UTF-8 with BOM
    cp1252 = [data for data in raw.values() if not data.startswith(b"\xef\xbb\xbf")]
    assert cp1252
    for data in cp1252:  # Windows-1252: not UTF-8
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    for v in variants:
        assert v.valid_rows and v.defects
        assert not set(v.valid_rows) & {row for _code, row in v.defects}
