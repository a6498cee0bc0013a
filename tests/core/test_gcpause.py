"""The garbage collector pause used by the long stages: always restored as the caller had it."""

import gc

import pytest

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
