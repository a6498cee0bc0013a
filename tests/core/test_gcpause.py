"""The garbage collector pause used by the long stages: always restored as the caller had it, nothing left frozen."""

import gc
import weakref

import pytest

from segur_desktop.core import gcpause
from segur_desktop.core.gcpause import gc_paused


def test_collector_is_paused_then_restored_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("stage failed")
    assert gc.isenabled()


def test_nested_pauses_and_a_caller_who_disabled_it() -> None:
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_a_cycle_made_in_a_pause_and_dropped_later_is_collected() -> None:
    """Nothing stays frozen out of the collector's sight (#19: a window session grew 23 MB a validation)."""
    with gc_paused():
        node = _Node()
        ref = weakref.ref(node)
    assert gc.get_freeze_count() == 0
    del node
    assert ref() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert ref() is None


def test_what_a_pause_made_skips_the_young_generations() -> None:
    """The first allocation after a pause must not walk all it allocated (a 350 ms freeze of the window)."""
    with gc_paused():
        kept = [[n] for n in range(50_000)]
    assert gc.get_count()[0] < gc.get_threshold()[0]
    assert gc.isenabled() and len(kept) == 50_000


def test_the_pauses_run_a_full_collection_once_enough_has_moved(monkeypatch: pytest.MonkeyPatch) -> None:
    """The objects pauses move to the oldest generation count towards a full collection, as survivors would."""
    monkeypatch.setattr(gcpause, "_FULL_FLOOR", 10_000)
    monkeypatch.setattr(gcpause, "_survivors", 0)
    monkeypatch.setattr(gcpause, "_moved", 0)
    with gc_paused():
        node = _Node()
        ref = weakref.ref(node)
    del node
    assert ref() is not None
    with gc_paused():
        kept = [[n] for n in range(5_000)]
    assert ref() is not None and gcpause._moved >= 5_000  # under the floor: not yet
    with gc_paused():
        kept += [[n] for n in range(10_000)]
    assert ref() is None  # collected by the pause, with no gc.collect() here
    assert gcpause._moved == 0 and gcpause._survivors > len(kept)
