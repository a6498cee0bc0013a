"""The pieces check can be cancelled: it reads every PDF (on a network share, or with pypdf for a protected one,
4 ms each), minutes for 20 000 demandes that the window's Cancel, or a newer validation, must be able to stop."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from testdata import FINESS_A

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import Cancelled
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.progress import CancelToken
from segur_desktop.core.validate.rules import RuleContext, pieces
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]]


def test_a_cancelled_validation_stops_in_the_pieces_check(make_workspace) -> None:
    """Before: the rules ran to their end whatever the token said."""
    result = run_pipeline(load_workspace(make_workspace(CLIENTS, BDCS)), AT)
    assert result.demandes and result.context.pieces is not None
    token = CancelToken()
    context = RuleContext(AT, result.context.calendar, result.context.pieces, cancel=token)
    assert list(pieces(result.demandes, context)) == []  # the piece is fine: nothing to say
    token.cancel()
    with pytest.raises(Cancelled):
        list(pieces(result.demandes, context))


def test_a_cancelled_validation_stops_listing_the_pieces_folder(tmp_path) -> None:
    """The walk checks the token at each subfolder (200 000 entries on a share take a while)."""
    from segur_desktop.core.validate.piecefolder import list_pieces

    (tmp_path / "pieces" / "2022-11").mkdir(parents=True)
    token = CancelToken()
    assert list_pieces(tmp_path / "pieces", token).relative_paths() == []
    token.cancel()
    with pytest.raises(Cancelled):
        list_pieces(tmp_path / "pieces", token)
