"""Progress reporting and cancellation for long core operations.

The core has no threads: a long stage takes a `progress` callback and a
`CancelToken`. The CLI renders progress as a text bar, the GUI's worker turns
it into a signal and calls `cancel()` from the Cancel button.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from segur_desktop.core.errors import Cancelled


@dataclass(frozen=True, slots=True)
class Progress:
    stage: str  # French, shown to the user: "Lecture de clients.xlsx"
    done: int
    total: int | None  # None when the total is not known yet


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default callback: report nothing."""


class CancelToken:
    """Set from any thread, checked by the core between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
