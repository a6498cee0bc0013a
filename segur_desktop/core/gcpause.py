"""Pause Python's cyclic garbage collector while a stage builds many objects.

Reading, normalising, building, validating and writing 100k rows create
records, dicts and lists by the hundred thousand, none of them garbage. The
collector, triggered by allocations, would walk every object alive (the raw
rows included) again and again: at 100k rows, normalising took 2.1-2.5 s with
it and 1.7-1.8 s without; at 20k rows, building the demandes set off two full
collections (0.15 s of 0.45 s) and writing one (0.14 s). Pausing loses nothing:
reference counting still frees memory, the reference cycles made meanwhile
(jsonschema's error trees for invalid demandes, a run's records and demandes) are
left to a full collection, and the collector is re-enabled (if it was enabled)
whatever happens.

What a pause allocated goes straight to the oldest generation (`gc.freeze()` then
`gc.unfreeze()`), so the first allocation after it does not make the collector walk
it all at once. Python counts such objects towards its next full collection only
when they survive a younger one, which these never meet: the pauses count them
instead, and run a full collection when the objects moved there since the last one
outnumber those it left alive (and half a million). Nothing is left
frozen: `gc.freeze()` without `gc.unfreeze()` kept every cycle alive at the end of a
pause for good, +23 MB per 20k-row validation, 1.27 GB after 50 in one window session
(#19, `python -m bench.session_memory`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# When to collect: the objects moved since the last full collection outnumber those it left
# alive (Python's own rule is a quarter, but it counts only objects that survived a younger
# collection; these are counted as allocated, short-lived ones included), and half a million
# (one 20k-row validation moves about 270,000: a collection of 0.13 s every second run,
# at most one run's cycles, about 25 MB, waiting for it).
_FULL_FLOOR = 500_000
_moved = 0  # objects the pauses moved to the oldest generation since the last full collection
_survivors = 0  # objects tracked after that collection


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, then restore it as the caller had it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _to_oldest_generation()
            gc.enable()


def _to_oldest_generation() -> None:
    """Move what the pause allocated to the oldest generation, and collect it all if Python's rule says so.

    Everything allocated meanwhile sits in the youngest generation: the first allocation after
    `enable()` would make the collector walk all of it at once, holding the GIL (a 350 ms freeze
    of the window at 20k rows)."""
    global _moved, _survivors
    _moved += gc.get_count()[0]  # tracked objects allocated (net) since the youngest's last collection
    gc.freeze()
    gc.unfreeze()  # the frozen objects join the oldest generation
    if _moved > max(_FULL_FLOOR, _survivors):
        gc.collect()
        _survivors = len(gc.get_objects())
        _moved = 0
