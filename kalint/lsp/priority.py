"""The effective priority range of a vrrp_instance, given what it tracks.

keepalived adds a tracker's weight to the base priority while the tracker is "up" when
the weight is positive, and while it is "down" when negative (``reverse`` swaps the
sign); a weight of 0 puts the instance in FAULT instead. The result is kept within
1..254, and an address owner (priority 255) is never changed (vrrp_track.c).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kalint.model import Config, TrackRef, VrrpInstance

DEFAULT_PRIORITY = 100
OWNER = 255


@dataclass(slots=True)
class PriorityRange:
    base: int
    low: int
    high: int
    #: (tracker description, signed weight) of every tracker that moves the priority.
    weights: list[tuple[str, int]] = field(default_factory=list)
    #: Trackers whose failure means FAULT (weight 0).
    fault: list[str] = field(default_factory=list)
    #: track_file entries: the weight multiplies the number in the file, so no bound.
    unbounded: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        if self.base == OWNER:
            return "**priority 255**: address owner; trackers never change it (always MASTER unless FAULT)"
        lines = [f"**effective priority {self.low}..{self.high}** (base {self.base})"]
        for what, weight in self.weights:
            lines.append(f"- {what}: {weight:+d}")
        for what in self.unbounded:
            lines.append(f"- {what}: weight × the file's value (unbounded, kept within 1..254)")
        for what in self.fault:
            lines.append(f"- {what}: no weight, failure puts the instance in FAULT")
        return "\n".join(lines)


def _signed(weight: int, reverse: bool | None) -> int:
    return -weight if reverse else weight


def priority_range(config: Config, inst: VrrpInstance) -> PriorityRange:
    base = inst.priority.value if inst.priority is not None else DEFAULT_PRIORITY
    result = PriorityRange(base, base, base)
    if base == OWNER:
        return result

    def add(what: str, weight: int | None, reverse: bool | None) -> None:
        if not weight:
            result.fault.append(what)
        else:
            result.weights.append((what, _signed(weight, reverse)))

    for ref in inst.track_script:
        script = config.script(ref.name)
        if script is None:
            continue  # keepalived drops an entry naming no script
        weight = ref.weight if ref.weight is not None else (script.weight.value if script.weight else 0)
        add(f"track_script `{ref.name}`", weight, ref.reverse if ref.reverse is not None else script.reverse)
    _add_trackers(config, "track_process", inst.track_process, add)
    for ref in inst.track_interface:
        add(f"track_interface `{ref.name}`", ref.weight, ref.reverse)
    for ref in inst.track_file:
        result.unbounded.append(f"track_file `{ref.name}`")
    high = base + sum(w for _, w in result.weights if w > 0)
    low = base + sum(w for _, w in result.weights if w < 0)
    if result.unbounded:
        low, high = 1, 254
    result.low, result.high = max(1, min(low, 254)), max(1, min(high, 254))
    return result


def _add_trackers(config: Config, kind: str, refs: list[TrackRef], add) -> None:
    defined = {t.name: t for t in config.trackers_of(kind)}
    for ref in refs:
        tracker = defined.get(ref.name)
        if tracker is None:
            continue
        weight = ref.weight if ref.weight is not None else (tracker.weight.value if tracker.weight else 0)
        add(f"{kind} `{ref.name}`", weight, ref.reverse if ref.reverse is not None else tracker.reverse)
