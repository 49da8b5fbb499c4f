"""How long the server waits after a keystroke before it lints: a pause scaled to the
document's own lints.

A fixed pause costs most where lints are quickest. Where a lint takes 5 ms (most
configs), 150 ms of waiting is nearly all of the time from a typo to its diagnostic,
and linting after each key costs nothing. So the pause is the median wall time of the
document's recent lints, kept between ``SHORTEST`` and ``LONGEST``: a quick document
answers about 50 ms after the last key, and a document whose lints take longer is not
linted in every short gap between keys (a lint that the next key stops is CPU taken
from the editor). ``LONGEST`` is the 150 ms the server always waited before: no
document waits longer than it did.

An editor that sets ``debounce`` in the initialization options gets that pause, always.
"""

from __future__ import annotations

import statistics
from collections import deque

#: The pause for a document whose lints are quick. A held key repeats about every 30
#: ms, and a fast typist's keys within a word often come as close: they start no lint
#: each.
SHORTEST = 0.05
#: The pause for a document whose lints take longer (the server's fixed pause before):
#: longer would leave the editor silent after the last key for the sake of the rare
#: typist who pauses between keys.
LONGEST = 0.15
#: How many recent lints of a document the pause follows (their median: one slow lint,
#: say when the collector ran, does not lengthen it).
HISTORY = 5


class Pacing:
    """The pause before linting each document, from the wall time of its last lints."""

    def __init__(self, fixed: float | None = None) -> None:
        #: The editor's own pause in seconds (``debounce``), or None to follow the lints.
        self.fixed = fixed
        self._recent: dict[str, deque[float]] = {}

    def delay(self, uri: str) -> float:
        """Seconds to wait after a change of ``uri`` before linting it."""
        if self.fixed is not None:
            return self.fixed
        recent = self._recent.get(uri)
        if not recent:
            return LONGEST
        return min(LONGEST, max(SHORTEST, statistics.median(recent)))

    def record(self, uri: str, seconds: float) -> None:
        """A lint of ``uri`` that ran to the end took ``seconds`` (stopped ones say nothing)."""
        self._recent.setdefault(uri, deque(maxlen=HISTORY)).append(seconds)

    def forget(self, uri: str) -> None:
        self._recent.pop(uri, None)
