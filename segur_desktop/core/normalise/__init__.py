"""Turn raw spreadsheet values into clean typed values, or say why not.

Each normaliser takes one raw cell value (str, int, float, date, datetime or
None, as the readers give them) and returns `(value, repair)`: `repair` is an
`Issue` when the value was fixed (reported as a warning at its cell), else
None. A value that cannot be fixed raises `NormaliseError` carrying its Issue.
Normalisers never raise anything else, whatever the input (tested with
hypothesis): the caller turns issues into located diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Issue:
    code: str  # a key of messages.MESSAGES
    params: dict[str, Any] = field(default_factory=dict)


class NormaliseError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.issue = Issue(code, params)
