"""One instance's priority as keepalived loads it (semantics.md §1), for single-config rules.

This is deliberately small: the base priority, the wanted state, and which trackers
keepalived keeps with which weight after the address-owner and sync-group rules. The
peer simulator has its own, fuller model; the two follow the same section.
"""

from __future__ import annotations

from dataclasses import dataclass

from kalint.model import Config, SyncGroup, Tracker, TrackRef, VrrpInstance, VrrpScript

OWNER = 255
DEFAULT_PRIORITY = 100
#: Effective priority of a non-owner is clamped to this range (vrrp_track.c).
FLOOR, CAP = 1, 254

#: Instance/group block -> tracker kind, in the order keepalived resolves them.
TRACK_BLOCKS = {
    "track_script": "script",
    "track_interface": "interface",
    "track_file": "file",
    "track_process": "process",
    "track_bfd": "bfd",
}


@dataclass(slots=True, frozen=True)
class Tracked:
    """One tracker as an instance uses it: kind, name, weight, direction and its entry."""

    kind: str
    name: str
    weight: int
    reverse: bool
    ref: TrackRef
    on_group: bool = False


@dataclass(slots=True, frozen=True)
class Dropped:
    """A tracker keepalived removes or turns into a FAULT trigger, and why."""

    tracked: Tracked
    reason: str  # "owner" | "sync_group"
    became_fault: bool  # weight set to 0 instead of deleted


def base_priority(inst: VrrpInstance) -> int:
    """`priority` if valid (1..255), 100 if invalid, else 255 with state MASTER, else 100."""
    if inst.priority is not None:
        return inst.priority.value if 1 <= inst.priority.value <= OWNER else DEFAULT_PRIORITY
    if inst.priority_given:
        return DEFAULT_PRIORITY
    return OWNER if wants_master(inst) else DEFAULT_PRIORITY


def wants_master(inst: VrrpInstance) -> bool:
    """`state MASTER` exactly (any other spelling is BACKUP)."""
    return inst.state is not None and inst.state.value == "MASTER"


def clamp(total: int) -> int:
    return min(max(total, FLOOR), CAP)


_DEFINITION_KIND = {"file": "track_file", "process": "track_process", "bfd": "track_bfd"}


class Definitions:
    """Name lookups for scripts and tracker blocks, built once per config.

    The first definition of a name wins, as in keepalived's lookups.
    """

    __slots__ = ("scripts", "trackers")

    def __init__(self, config: Config) -> None:
        self.scripts: dict[str, VrrpScript] = {}
        for script in config.vrrp_scripts:
            self.scripts.setdefault(script.name, script)
        self.trackers: dict[tuple[str, str], Tracker] = {}
        for tracker in config.trackers:
            self.trackers.setdefault((tracker.kind, tracker.name), tracker)

    def default_weight(self, kind: str, name: str) -> tuple[int, bool]:
        """The weight and reverse flag an entry inherits from its definition."""
        if kind == "script":
            script = self.scripts.get(name)
            if script is None or script.weight is None:
                return 0, script.reverse if script else False
            return script.weight.value, script.reverse
        if kind not in _DEFINITION_KIND:
            return 0, False
        default = 1 if kind == "file" else 0
        tracker = self.trackers.get((_DEFINITION_KIND[kind], name))
        if tracker is None:
            return default, False
        weight = tracker.weight.value if tracker.weight and -254 <= tracker.weight.value <= 254 else default
        return weight, tracker.reverse


def _entry_weight(kind: str, ref: TrackRef, default: int) -> int:
    """An entry's own weight with keepalived's range handling (semantics.md §1.4)."""
    if ref.weight is None:
        return default
    limit = 253 if kind == "bfd" else 254
    if abs(ref.weight) > limit:
        return 0 if kind == "interface" else default
    if abs(ref.weight) == 254 and kind in ("script", "interface"):
        return 253 if ref.weight > 0 else -253
    return ref.weight


def _resolve(defs: Definitions, owner: VrrpInstance | SyncGroup, on_group: bool) -> list[Tracked]:
    result: list[Tracked] = []
    seen: set[tuple[str, str]] = set()
    for block, kind in TRACK_BLOCKS.items():
        for ref in getattr(owner, block):
            if kind == "script" and ref.name not in defs.scripts:
                continue  # undefined: KA201
            if (kind, ref.name) in seen:
                continue  # keepalived: duplicate entry ignored
            seen.add((kind, ref.name))
            default, default_reverse = defs.default_weight(kind, ref.name)
            reverse = ref.reverse if ref.reverse is not None else default_reverse
            result.append(Tracked(kind, ref.name, _entry_weight(kind, ref, default), reverse, ref, on_group))
    return result


def resolve_trackers(
    defs: Definitions, inst: VrrpInstance, group: SyncGroup | None, group_has_owner: bool = False
) -> tuple[list[Tracked], list[Dropped]]:
    """The trackers an instance keeps with their weights, and those keepalived drops.

    Instance-level weighted trackers are removed for an address owner (vrrp.c
    3830-3920) and, in a sync group without `sync_group_tracking_weight`, for every
    member; a weighted `track_interface` (and a `track_file` with its default weight 1)
    becomes a FAULT trigger instead. Weighted `track_process` entries survive the sync
    group rule in 2.2.7. Group-level trackers then apply to every member, with weight 0
    when a member of the group is an address owner (``group_has_owner``).
    """
    owner = base_priority(inst) == OWNER
    strip = owner or (group is not None and group.sync_group_tracking_weight is None)
    kept: list[Tracked] = []
    dropped: list[Dropped] = []
    own_interface = inst.interface.value if inst.interface is not None else None
    for tracked in _resolve(defs, inst, False):
        if tracked.kind == "interface" and tracked.name == own_interface:
            continue  # keepalived: "Ignoring track_interface X since own interface"
        if not strip or tracked.weight == 0 or (tracked.kind == "process" and not owner):
            kept.append(tracked)
            continue
        # vrrp.c: a weighted interface of a sync-group member, and a file at weight 1 (its
        # default), become weight 0; other weighted entries are deleted.
        to_fault = (tracked.kind == "interface" and not owner) or (tracked.kind == "file" and tracked.weight == 1)
        dropped.append(Dropped(tracked, "owner" if owner else "sync_group", to_fault))
        if to_fault:
            kept.append(Tracked(tracked.kind, tracked.name, 0, tracked.reverse, tracked.ref))
    if group is not None:
        names = {(t.kind, t.name): i for i, t in enumerate(kept)}
        for tracked in _resolve(defs, group, True):
            if group_has_owner and tracked.weight:
                tracked = Tracked(tracked.kind, tracked.name, 0, tracked.reverse, tracked.ref, True)
            index = names.get((tracked.kind, tracked.name))
            if index is None:
                kept.append(tracked)
            elif kept[index].weight != 0:
                kept[index] = tracked
    return kept, dropped


def extremes(base: int, trackers: list[Tracked]) -> tuple[int, int]:
    """The highest and lowest raw total (before the clamp) the weighted trackers allow.

    Highest: every tracker in its bonus state; lowest: every one in its penalty state
    (semantics.md §1.3: a positive weight adds d·w while OK, a negative one while not OK,
    so each tracker swings between 0 and d·w). track_file values scale the weight and are
    left out.
    """
    high = low = base
    for tracked in trackers:
        if tracked.weight == 0 or tracked.kind == "file":
            continue
        term = -tracked.weight if tracked.reverse else tracked.weight
        if term > 0:
            high += term
        else:
            low += term
    return high, low
