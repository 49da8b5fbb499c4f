"""The cyclic garbage collector in a server that keeps one large analysis per document.

An analysis of a 10k-line config and its peer is some 250,000 objects, and syntax nodes
point at their document and parent, models at their config: reference counting cannot
free an analysis the server drops, only the collector can, so it must run. Left to its
own triggers it ran inside the edit -> diagnostics path: the engine pauses it during a
lint, so the first young collection afterwards scanned every object the lint made
(5-6 ms per edit), and every few edits an older generation's collection scanned them
again (up to 150 ms), about 10 ms per edit on average with a 10k-line peer.

So every worker job runs with the collector off, and what the job leaves is frozen
(``gc.freeze``: constant time, a list splice) out of the collector's sight. What is
frozen is never collected, so the garbage of the analyses the server drops piles up
there; ``Heap`` counts it (approximately: the net growth of tracked objects each job
leaves) and says when a full collection is due, which the server runs when the user
pauses (``due``) or, when the pile has grown past a hard bound, at once (``overdue``).
A full collection takes about 0.8 us per live object (200 ms with a 10k-line peer):
at a pause, not after a keystroke.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: A full collection is due at the next pause once the frozen objects have grown by
#: this share of those that survived the last one (CPython's own trigger for a full
#: collection is a quarter).
DUE_GROWTH = 0.25
#: ... and is run at once, pause or not, past this share: a user who never pauses still
#: has a bounded heap.
OVERDUE_GROWTH = 1.0
#: Below this many new objects no collection is due, however small the heap.
MIN_GROWTH = 20_000


class Heap:
    """The collector's state across the server's jobs (used from the worker thread;
    ``due`` and ``overdue`` may be read from any)."""

    def __init__(self) -> None:
        gc.freeze()
        #: Objects alive after the last full collection (or at start).
        self.live = gc.get_freeze_count()
        #: Net tracked objects frozen since then: garbage and new live objects.
        self.pending = 0

    @contextmanager
    def job(self) -> Iterator[None]:
        """Run one job with the collector off, then freeze what it left and turn the
        collector back on (also when the job fails or is stopped)."""
        gc.disable()
        try:
            yield
        finally:
            self.pending += gc.get_count()[0]  # the net growth since the last freeze
            gc.freeze()
            gc.enable()

    def due(self) -> bool:
        """Whether a full collection is worth a pause."""
        return self.pending > max(MIN_GROWTH, DUE_GROWTH * self.live)

    def overdue(self) -> bool:
        """Whether a full collection must not wait for a pause any more."""
        return self.pending > max(MIN_GROWTH, OVERDUE_GROWTH * self.live)

    def collect(self) -> None:
        """Free the garbage of dropped analyses: a full collection of everything (none
        when no job ran since the last one: two lints that ended together both ask)."""
        if not self.pending:
            return
        gc.unfreeze()
        try:
            gc.collect()
        finally:
            gc.freeze()
            self.live = gc.get_freeze_count()
            self.pending = 0
