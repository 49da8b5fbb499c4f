"""Effective priority and FAULT of a loaded instance under a set of failed checks.

semantics.md §1.2–§1.3 and §10 step 2: a positive weight adds while its object is OK, a
negative one while it is not (``reverse`` swaps the sign), weight 0 is a FAULT trigger,
a track_file scales its weight by the file's value, and a non-owner is kept within
1..254. An owner (255) never changes.
"""

from __future__ import annotations

from kalint.records import dataclass
from kalint.runtime.loading import CAP, FLOOR, OWNER, Peer, Track

#: (kind, name) of tracked objects that are not OK.
Failed = frozenset[tuple[str, str]]


def clamp(total: int) -> int:
    return min(max(total, FLOOR), CAP)


@dataclass(frozen=True, slots=True)
class State:
    """One node's effective priority and FAULT flag under a set of failures."""

    eff: int
    fault: bool
    total: int
    terms: tuple[tuple[str, int], ...]


def _file_term(track: Track, value: int) -> tuple[int, bool]:
    """(contribution, fault) of a track_file whose file holds ``value``."""
    if track.weight == 0:
        return 0, (value != 0) != track.reverse
    contribution = max(-254, min(253, value * track.signed))
    return (0, True) if contribution <= -254 else (contribution, False)


def evaluate(peer: Peer, failed: Failed = frozenset(), file_values: dict[str, int] | None = None) -> State:
    """The peer's effective priority and FAULT flag with ``failed`` objects not OK."""
    fault = peer.process_exits  # a node whose VRRP process exited never runs the instance
    total = peer.base
    terms: list[tuple[str, int]] = []
    for track in peer.trackers:
        if track.kind == "file":
            term, file_fault = _file_term(track, (file_values or {}).get(track.name, 0))
            fault |= file_fault
        else:
            ok = (track.kind, track.name) not in failed
            if track.weight == 0:
                fault |= ok == track.reverse
                continue
            term = track.signed if (track.weight > 0) == ok else 0
        if term:
            total += term
            terms.append((track.label, term))
    eff = OWNER if peer.base == OWNER else clamp(total)
    return State(eff, fault, total, tuple(terms))


def arithmetic(peer: Peer, state: State) -> str:
    """``200 − 30 = 170`` for a message (the clamp shown when it applies)."""
    if state.fault:
        return "FAULT"
    text = str(peer.base)
    for _, value in state.terms:
        text += f" {'+' if value > 0 else '−'} {abs(value)}"
    if state.terms:
        text += f" = {state.total}"
    if state.eff != state.total:
        text += f" → {state.eff} (clamped)"
    return text


def weighted(peer: Peer) -> list[Track]:
    """Trackers that move the priority (track_file excluded: its value scales the weight)."""
    return [t for t in peer.trackers if t.weight != 0 and t.kind != "file"]


def extremes(peer: Peer) -> tuple[int, int]:
    """The highest and lowest raw total (before the clamp) the weighted trackers allow:
    every tracker in its bonus state, and every one in its penalty state."""
    high = low = peer.base
    for track in weighted(peer):
        if track.signed > 0:
            high += track.signed
        else:
            low += track.signed
    return high, low


def priority_range(peer: Peer) -> tuple[int, int]:
    """The lowest and highest effective priority while the instance is not in FAULT."""
    if peer.base == OWNER:
        return OWNER, OWNER
    if any(t.kind == "file" and t.weight for t in peer.trackers):
        return FLOOR, CAP
    high, low = extremes(peer)
    return clamp(low), clamp(high)

