"""What keepalived does to an instance while it reads and completes the config.

The parsers resolve ``track_*`` entries the moment they read them (``alloc_track_script()``
and its siblings look the name up in what has been read so far), and
``vrrp_complete_init()`` then fixes the instance up: owner 255, state corrections in
strict mode, cleared ``nopreempt``/``preempt_delay``, weights stripped from address owners
and from sync-group members. The result is one :class:`Peer` per instance keepalived
keeps, with the values it really runs with (semantics.md §1, §3.2, §5, §6, §10 step 1).

Nothing here looks at the host: an interface's primary address is unknown unless
``unicast_src_ip``/``mcast_src_ip`` names it, and a check script counts as runnable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar

from kalint.model import (
    TRACKER_DEFINITIONS,
    Config,
    Setting,
    SyncGroup,
    Tracker,
    TrackRef,
    VrrpInstance,
    VrrpScript,
    schema,
    to_int,
)
from kalint.model.numbers import seconds_as_run
from kalint.records import dataclass, field
from kalint.runtime.addresses import family_of, ip_text, vip_kept
from kalint.syntax.tree import Block

OWNER = 255
DEFAULT_PRIORITY = 100
#: A non-owner's effective priority stays within this range (vrrp_track.c).
FLOOR, CAP = 1, 254

#: Instance/group block -> tracker kind, in the order keepalived resolves them.
TRACK_BLOCKS = {
    "track_script": "script",
    "track_interface": "interface",
    "track_file": "file",
    "track_process": "process",
    "track_bfd": "bfd",
}
#: Tracker kind -> the instance/group block that lists it (for messages).
BLOCK_OF_KIND = {kind: block for block, kind in TRACK_BLOCKS.items()}
#: Tracked objects whose failure a scenario simulates, in the order shown.
CHECK_KINDS = ("script", "interface", "process", "bfd")
#: Tracker kind -> the keyword of the root block that defines it (model.TRACKER_DEFINITIONS).
_DEFINED_BY = {"file": "track_file", "process": "track_process", "bfd": "track_bfd"}
#: check_true_false(): exact, lower-case words; anything else is an error and sets nothing.
_TRUE_WORDS = ("true", "on", "yes")
_FALSE_WORDS = ("false", "off", "no")


# -- one instance's settings as keepalived reads them --------------------------------------


def base_priority(inst: VrrpInstance) -> int:
    """`priority` if valid (1..255), 100 if invalid, else 255 with `state MASTER`, else 100."""
    if inst.priority is not None:
        return inst.priority.value if 1 <= inst.priority.value <= OWNER else DEFAULT_PRIORITY
    if inst.priority_given:
        return DEFAULT_PRIORITY
    return OWNER if wants_master(inst) else DEFAULT_PRIORITY


def wants_master(inst: VrrpInstance) -> bool:
    """`state MASTER` exactly (any other spelling is BACKUP)."""
    return inst.state is not None and inst.state.value == "MASTER"


def is_strict(config: Config, inst: VrrpInstance) -> bool:
    """`strict_mode` on the instance, else the global `vrrp_strict`, as keepalived reads them.

    A word check_true_false() rejects sets nothing ("invalid strict_mode", "Invalid value
    ... for global vrrp_strict"); before 2.3.0 the global keyword took no value, so
    `vrrp_strict false` turned strict mode on.
    """
    if inst.strict_mode is not None:
        words = inst.strict_mode.words
        if len(words) < 2 or words[1].text in _TRUE_WORDS:
            return True
        if words[1].text in _FALSE_WORDS:
            return False
    stmt = config.global_defs.get("vrrp_strict")
    if stmt is None or len(stmt.texts) < 2:
        return stmt is not None
    if schema.for_version(schema.SPECS["global_defs.vrrp_strict"], config.target_version).type == "none":
        return True  # the release's handler reads no value
    return stmt.texts[1] in _TRUE_WORDS


def vrrp_version(config: Config, inst: VrrpInstance) -> int:
    """The instance's `version`, 3 for IPv6 (and for v2 over IPv6 in strict mode), else the global."""
    if inst.version is not None and inst.version.value in (2, 3):
        if inst.version.value == 2 and inst.family == 6 and is_strict(config, inst):
            return 3
        return inst.version.value
    if inst.family == 6:
        return 3
    return 3 if config.global_defs.text("vrrp_version") == "3" else 2


def script_seconds(config: Config, setting: Setting[float] | None, path: str) -> float | None:
    """A vrrp_script interval/timeout as the target release runs it (``path`` is its
    keyword path): before 2.3.2 keepalived reads whole seconds, and the daemon takes
    `0.5` as 0 and `1.5` as 1 (read leniently); None when not given or not readable."""
    if setting is None or len(setting.node.texts) < 2:
        return None
    return seconds_as_run(schema.for_version(schema.SPECS[path], config.target_version), setting.node.texts[1])


def loaded_instances(config: Config) -> tuple[VrrpInstance, ...]:
    """The instances keepalived keeps: a second block with a taken name is skipped.
    Found once per config (about thirty rules ask)."""
    return config.analysis(_loaded_instances)


def _loaded_instances(config: Config) -> tuple[VrrpInstance, ...]:
    seen: dict[str, VrrpInstance] = {}
    for inst in config.vrrp_instances:
        seen.setdefault(inst.name, inst)
    return tuple(seen.values())


# -- trackers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Track:
    """A tracked object as keepalived keeps it after loading: weight 0 means FAULT trigger."""

    kind: str
    name: str
    weight: int
    reverse: bool
    #: Declared on the sync group rather than the instance.
    from_group: bool = False
    #: The entry it came from; None for the implicitly tracked own interface.
    ref: TrackRef | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.name if self.kind == "script" else f"{self.kind} {self.name}"

    @property
    def signed(self) -> int:
        """The weight with its direction: what the tracker adds in its bonus/penalty state."""
        return -self.weight if self.reverse else self.weight

    def reweighted(self, weight: int, from_group: bool | None = None) -> Track:
        return Track(self.kind, self.name, weight, self.reverse,
                     self.from_group if from_group is None else from_group, self.ref)


@dataclass(frozen=True, slots=True)
class Dropped:
    """A weighted tracker keepalived removes, or turns into a FAULT trigger, and why."""

    track: Track
    reason: str  # "owner" | "sync_group"
    became_fault: bool  # weight set to 0 instead of deleted


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A ``track_*`` entry keepalived skips while reading: the name is unknown at that point."""

    kind: str
    ref: TrackRef
    #: The definition, when it exists but is read only after the entry (never tracked).
    later: VrrpScript | Tracker | None


class Definitions:
    """Tracker definitions as keepalived's parsers see them while reading.

    The first definition of a name wins, and an entry sees only definitions read before
    the block that holds it: ``alloc_track_script()`` (and its siblings for files,
    processes and BFD) resolve the name at that moment, in 2.2.7 and 2.3.4 alike.
    """

    __slots__ = ("position", "scripts", "trackers", "group_of", "owners")

    def __init__(self, config: Config) -> None:
        self.position = {id(item): index for index, item in enumerate(config.document.items)}
        self.scripts: dict[str, VrrpScript] = {}
        for script in config.vrrp_scripts:
            self.scripts.setdefault(script.name, script)
        self.trackers: dict[tuple[str, str], Tracker] = {}
        for tracker in config.trackers:
            self.trackers.setdefault((tracker.kind, tracker.name), tracker)
        self.group_of: dict[str, SyncGroup] = config.sync_group_index()
        self.owners = {inst.name for inst in loaded_instances(config) if base_priority(inst) == OWNER}

    def _before(self, definition: Block, user: Block) -> bool:
        return self.position.get(id(definition), -1) < self.position.get(id(user), 1 << 60)

    def lookup(self, kind: str, name: str, user: Block) -> tuple[VrrpScript | Tracker | None, bool]:
        """(the definition, whether it is read before ``user``) for an entry in ``user``."""
        if kind == "script":
            definition: VrrpScript | Tracker | None = self.scripts.get(name)
        elif kind in _DEFINED_BY:
            definition = self.trackers.get((_DEFINED_BY[kind], name))
        else:
            return None, True
        return definition, definition is not None and self._before(definition.node, user)

    def group_has_owner(self, group: SyncGroup) -> bool:
        return any(word.text in self.owners for word in group.members)


def _default_weight(kind: str, definition: VrrpScript | Tracker | None) -> tuple[int, bool]:
    """The weight and direction an entry inherits from its definition (semantics.md §1.4)."""
    if isinstance(definition, VrrpScript):
        # the raw value: keepalived stores an out-of-range vrrp_script weight anyway
        return (definition.weight.value if definition.weight else 0), definition.reverse
    if definition is None:
        return 0, False
    fallback = 1 if kind == "file" else 0
    weight = definition.weight.value if definition.weight and -254 <= definition.weight.value <= 254 else fallback
    return weight, definition.reverse


def _entry_weight(kind: str, ref: TrackRef, default: int) -> int:
    """An entry's own weight with keepalived's range handling (vrrp_track.c, track_file.c)."""
    if ref.weight is None:
        return default
    limit = 253 if kind == "bfd" else 254
    if abs(ref.weight) > limit:
        return 0 if kind == "interface" else default
    if abs(ref.weight) == 254 and kind in ("script", "interface"):
        return 253 if ref.weight > 0 else -253  # "cannot be +/-254. Setting to +/-253"
    return ref.weight


def _entries(defs: Definitions, owner: VrrpInstance | SyncGroup, from_group: bool,
             unresolved: list[Unresolved]) -> Iterator[Track]:
    """The owner's entries keepalived keeps while reading, in its order."""
    seen: set[tuple[str, str]] = set()
    for block, kind in TRACK_BLOCKS.items():
        for ref in getattr(owner, block):
            if (kind, ref.name) in seen:
                continue  # "duplicate track_script X - ignoring"
            definition, visible = defs.lookup(kind, ref.name, owner.node)
            if not visible:
                unresolved.append(Unresolved(kind, ref, definition))
                continue  # "track script X not found, ignoring..."
            if isinstance(definition, VrrpScript) and definition.script is None:
                continue  # a vrrp_script without `script` is removed after reading
            seen.add((kind, ref.name))
            default, default_reverse = _default_weight(kind, definition)
            reverse = ref.reverse if ref.reverse is not None else default_reverse
            yield Track(kind, ref.name, _entry_weight(kind, ref, default), reverse, from_group, ref)


@dataclass(slots=True)
class Trackers:
    """An instance's trackers after loading, and what keepalived dropped on the way."""

    kept: list[Track]
    dropped: list[Dropped]
    unresolved: list[Unresolved]


def resolve_trackers(defs: Definitions, inst: VrrpInstance, group: SyncGroup | None) -> Trackers:
    """semantics.md §1.4–§1.6: the trackers an instance keeps, with their weights.

    Weighted instance-level trackers are removed for an address owner and, in a sync group
    without `sync_group_tracking_weight`, for every member (vrrp.c 3830-3920); a
    `track_file` at its default weight 1 becomes a FAULT trigger instead. Two kinds survive
    the sync-group rule: weighted `track_process` (absent from that block in 2.2.7) and
    weighted `track_interface` — keepalived logs "ignoring ... tracked interface weight
    due to SYNC group" and zeroes its own copy (vrrp.c:3846), but the interface's tracking
    list already holds the weight (add_vrrp_to_interface, vrrp.c:3537), and that list is
    what moves the priority (vrrp_if.c:1410; a real 2.2.7 member went 90 → 30 with
    `eth1 weight -60` down, same order up to 2.3.4). Group-level trackers then apply to
    every member, at weight 0 when a member of the group is an address owner. The own
    interface is tracked implicitly (weight 0) unless `dont_track_primary`.
    """
    owner = base_priority(inst) == OWNER
    strip = owner or (group is not None and group.sync_group_tracking_weight is None)
    own_interface = inst.interface.value if inst.interface is not None else None
    unresolved: list[Unresolved] = []
    kept: list[Track] = []
    dropped: list[Dropped] = []
    for track in _entries(defs, inst, False, unresolved):
        if track.kind == "interface" and track.name == own_interface:
            continue  # "Ignoring track_interface X since own interface"
        if not strip or track.weight == 0 or (track.kind in ("process", "interface") and not owner):
            kept.append(track)
            continue
        to_fault = track.kind == "file" and track.weight == 1
        dropped.append(Dropped(track, "owner" if owner else "sync_group", to_fault))
        if to_fault:
            kept.append(track.reweighted(0))
    if own_interface and inst.dont_track_primary is None:
        kept.append(Track("interface", own_interface, 0, False))
    if group is not None:
        clear = owner or defs.group_has_owner(group)
        for track in _entries(defs, group, True, unresolved):
            if clear and track.weight:
                track = track.reweighted(0)
            index = next((i for i, t in enumerate(kept) if (t.kind, t.name) == (track.kind, track.name)), None)
            if index is None:
                kept.append(track)
            elif kept[index].weight != 0:
                kept[index] = track
    return Trackers(kept, dropped, unresolved)


# -- the instance as it runs --------------------------------------------------------------


@dataclass(slots=True)
class Peer:
    """One node's instance, normalised the way keepalived loads it (semantics.md §10 step 1)."""

    node: str
    config: Config
    instance: VrrpInstance
    vrid: int | None
    family: int
    version: int
    strict: bool
    base: int
    want_master: bool
    nopreempt: bool
    #: seconds; 0 where keepalived clears it (state MASTER, nopreempt, strict mode)
    preempt_delay: float
    adv: float
    auth: tuple[str, bytes] | None
    vips: frozenset[str]
    unicast: bool
    #: The configured source address as keepalived reads it (None: the interface's).
    src: str | None
    unicast_peers: frozenset[str]
    check_unicast_src: bool
    mcast_group: str
    down_timer_adverts: int
    trackers: list[Track] = field(default_factory=list)
    sync_group: SyncGroup | None = None
    #: Trackers keepalived drops at load, with the reason (mostly none: the empty tuple).
    dropped: Sequence[Dropped] = ()
    #: Entries keepalived skips because the name is unknown when it reads them.
    unresolved: Sequence[Unresolved] = ()
    #: The node's VRRP process exits at start-up (``vrrp_process_exits``): always FAULT.
    process_exits: bool = False
    #: The other members of its sync group on the same node (semantics.md §4.1, §5).
    siblings: Sequence[Peer] = ()
    #: The words as written, placeholders included, for pairing templates.
    src_text: str | None = None
    vip_words: frozenset[str] = frozenset()
    #: Values derived from the fields above (``grouping.link_of``), computed once: the
    #: language server's reloads of an unchanged instance share this dict.
    derived: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.node}/{self.instance.name}"

    @property
    def own_interface(self) -> str | None:
        return self.instance.interface.value if self.instance.interface else None

    @property
    def owner(self) -> bool:
        return self.base == OWNER

    def checks(self) -> list[Track]:
        """Trackers whose failure a scenario simulates (not the implicit own interface)."""
        return [t for t in self.trackers if t.kind in CHECK_KINDS and t.ref is not None]

    def tracks_own_interface(self) -> bool:
        return any(t.ref is None for t in self.trackers)

    def script(self, name: str) -> VrrpScript | None:
        return self.config.script(name)


def _global(config: Config, keyword: str) -> tuple[str, ...] | None:
    stmt = config.global_defs.get(keyword)
    return stmt.arg_texts() if stmt is not None else None


def _instance_value(inst: VrrpInstance, keyword: str) -> str | None:
    stmt = inst.node.first(keyword)
    return stmt.texts[1] if stmt is not None and len(stmt.texts) > 1 else None


#: The set of an instance without addresses of a kind: ``frozenset(())`` makes a new
#: 216-byte object each time, one per instance of a 100 MB config.
_NO_ADDRESSES: frozenset[str] = frozenset()


def _addresses(texts: Iterable[str]) -> frozenset[str]:
    """The set of ``texts``; the shared empty set for none. (An instance's VIPs and VIP
    words are usually one set, and ``load_instance`` keeps one object for both.)"""
    found = frozenset(texts)
    return found if found else _NO_ADDRESSES


def _auth(inst: VrrpInstance, strict: bool, version: int) -> tuple[str, bytes] | None:
    """Type and the 8 bytes keepalived compares; None where it ignores authentication."""
    if inst.authentication is None or strict or version != 2:
        return None
    password = (inst.auth_pass.value if inst.auth_pass else "").encode("utf-8", "surrogateescape")[:8]
    if not password:
        return None
    return (inst.auth_type.value if inst.auth_type else "PASS").upper(), password


def _source(inst: VrrpInstance) -> str | None:
    text = (inst.unicast_src_ip.value if inst.unicast_src_ip else None) or (
        inst.mcast_src_ip.value if inst.mcast_src_ip else None)
    return (ip_text(text) or text.split("/", 1)[0]) if text else None


def load_instance(node: str, config: Config, inst: VrrpInstance, defs: Definitions) -> Peer:
    """The values keepalived really runs the instance with."""
    strict = is_strict(config, inst)
    vip_list = [a.address for a in inst.virtual_ipaddress]
    family = family_of(vip_list[0]) if vip_list else 4
    global_version = to_int((_global(config, "vrrp_version") or ("2",))[0])
    version = inst.version.value if inst.version and inst.version.value in (2, 3) else None
    if version is None:
        version = 3 if family == 6 else (global_version if global_version in (2, 3) else 2)
    if family == 6 and strict:
        version = 3
    base = base_priority(inst)
    state = inst.state.value if inst.state else None
    want_master = state == "MASTER" if state is not None else base == OWNER
    if strict and want_master != (base == OWNER):
        want_master = base == OWNER  # "State MASTER must match being address owner"
    nopreempt = inst.nopreempt is not None and base != OWNER and not want_master
    delay = inst.preempt_delay.value if inst.preempt_delay else 0.0
    if want_master or strict or inst.nopreempt is not None:
        delay = 0.0
    raw_adv = inst.advert_int.value if inst.advert_int else 1.0
    adv = round(raw_adv, 2) if version == 3 else float(min(255, max(1, round(raw_adv))))
    src_text = _source(inst)
    mcast = inst.mcast_dst_ip.value if inst.mcast_dst_ip else None
    if mcast is None:
        configured = _global(config, "vrrp_mcast_group6" if family == 6 else "vrrp_mcast_group4")
        mcast = configured[0] if configured else ("ff02::12" if family == 6 else "224.0.0.18")
    dta = to_int(_instance_value(inst, "down_timer_adverts") or "3")
    check_src = inst.node.first("check_unicast_src") is not None or _global(config, "vrrp_check_unicast_src") is not None
    group = defs.group_of.get(inst.name)
    trackers = resolve_trackers(defs, inst, group)
    vip_words = _addresses(ip_text(a) or a for a in vip_list)
    vips = _addresses(filter(None, (ip_text(a) for a in vip_list if family_of(a) == family)))
    return Peer(
        node=node, config=config, instance=inst,
        vrid=inst.virtual_router_id.value if inst.virtual_router_id else None,
        family=family, version=version, strict=strict, base=base, want_master=want_master,
        nopreempt=nopreempt, preempt_delay=delay, adv=adv, auth=_auth(inst, strict, version),
        vips=vip_words if vips == vip_words else vips, vip_words=vip_words, src_text=src_text,
        # keepalived drops a peer that is no address; with none left it uses multicast
        unicast=any(ip_text(a.address) for a in inst.unicast_peer), src=ip_text(src_text),
        # canonical addresses; placeholders as written, so that templates still pair
        unicast_peers=_addresses(ip_text(a.address) or a.address for a in inst.unicast_peer),
        check_unicast_src=check_src, mcast_group=mcast,
        down_timer_adverts=3 if strict or dta is None or not 1 <= dta <= 100 else dta,
        sync_group=group, trackers=trackers.kept,
        # an empty list is 56 bytes for each instance of a large config: the shared tuple instead
        dropped=trackers.dropped or (), unresolved=trackers.unresolved or (),
    )


def default_label(config: Config) -> str:
    name = os.path.basename(config.path)
    return f"{name}@{config.config_id}" if config.config_id else name


def vrrp_process_exits(config: Config) -> bool:
    """Whether keepalived's VRRP process exits at start-up (`No VIP specified; at least one is
    required`, then `exited with permanent error CONFIG. Terminating`): an instance that
    keeps no VIP under strict mode or VRRPv3. Then no instance of the config runs at all
    (real daemon: scenario ``strict_only_invalid_vip_terminates``). Found once per config
    (``load`` and the language server's ``instances_independent`` ask)."""
    return config.analysis(_vrrp_process_exits)


def _vrrp_process_exits(config: Config) -> bool:
    return any((is_strict(config, inst) or vrrp_version(config, inst) == 3)  # (cheaper than parsing the VIPs)
               and not any(vip_kept(vip) for vip in inst.virtual_ipaddress)
               for inst in loaded_instances(config))


#: How ``load`` loads one instance (None: ``load_instance``): the language server reuses
#: the loads of instances whose inputs an edit did not touch (``kalint.incremental``).
instance_loader: ContextVar[Callable[[str, Config, VrrpInstance, Definitions], Peer] | None] = ContextVar(
    "kalint_instance_loader", default=None)


def _load(config: Config) -> list[Peer]:
    defs = Definitions(config)
    label = default_label(config)
    one = instance_loader.get() or load_instance
    peers = [one(label, config, inst, defs) for inst in loaded_instances(config)]
    if vrrp_process_exits(config):
        for peer in peers:
            peer.process_exits = True
    members: dict[int, list[Peer]] = {}
    for peer in peers:
        if peer.sync_group is not None:
            members.setdefault(id(peer.sync_group), []).append(peer)
    for group in members.values():
        for peer in group:
            peer.siblings = [p for p in group if p is not peer]
    return peers


#: The top-level blocks besides the instances that what ``load`` gives can depend on:
#: the model it reads is built from these alone (``kalint.model.build``), and a block of
#: another keyword (a virtual server, a keyword keepalived skips) changes no instance.
LOAD_INPUTS = frozenset({"global_defs", "vrrp_script", "vrrp_sync_group", *TRACKER_DEFINITIONS})


def load_context(config: Config) -> tuple[tuple[Block, ...], frozenset[str]]:
    """What ``load_instance`` reads of a config besides the instance and the node label:
    its ``LOAD_INPUTS`` blocks (as objects: the language server compares them by
    identity) and its address owners (they change what a sync group's members load)."""
    return config.analysis(_load_context)


def _load_context(config: Config) -> tuple[tuple[Block, ...], frozenset[str]]:
    blocks = tuple(item for item in config.document.items if isinstance(item, Block) and item.keyword in LOAD_INPUTS)
    owners = frozenset(inst.name for inst in loaded_instances(config) if base_priority(inst) == OWNER)
    return blocks, owners


def load(config: Config) -> list[Peer]:
    """Every instance keepalived keeps, loaded once per config and shared by every reader.

    Sync-group members on this node know each other (``siblings``). The node label is the
    file name until peer grouping gives the configs of one run unique labels.
    """
    return config.analysis(_load)


#: The analyses of this module: what peer grouping and the cluster rules read after the
#: config rules are done (``Config.keep_analyses``).
ANALYSES = frozenset({_load, _loaded_instances, _vrrp_process_exits, _load_context})


def instance_peer(config: Config, inst: VrrpInstance) -> Peer | None:
    """The loaded form of one instance block (None for a duplicate keepalived skips)."""
    return next((p for p in load(config) if p.instance is inst), None)
