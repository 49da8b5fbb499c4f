"""keepalived's VRRP runtime rules as pure functions: load-time normalisation, effective
priority, who accepts whose adverts, and the election (semantics.md §1, §3, §6, §10).

Everything here works on the model only (no files, no host): the interface's primary
address is unknown unless ``unicast_src_ip``/``mcast_src_ip`` names it, and a check
script's runnability or its user cannot be known, so such scripts count as usable.
"""

from __future__ import annotations

# The C module itself: `socket` adds ~2 ms of enum set-up to kalint's cold start, and
# only inet_pton/inet_ntop (keepalived's own parsers) are needed here.
from _socket import AF_INET, AF_INET6, inet_ntop, inet_pton
from dataclasses import dataclass, field
from typing import Iterable

from kalint.model import Config, SyncGroup, Tracker, TrackRef, VrrpInstance, VrrpScript, to_int
from kalint.priority import OWNER, TRACK_BLOCKS as _REF_KINDS, base_priority, clamp

#: Tracked objects whose failure a scenario can simulate, in the order shown.
CHECK_KINDS = ("script", "interface", "process", "bfd")


@dataclass(frozen=True, slots=True)
class Track:
    """A tracked object as keepalived keeps it after loading: weight 0 means FAULT trigger."""

    kind: str
    name: str
    weight: int
    reverse: bool
    #: Declared on the sync group rather than the instance.
    from_group: bool = False

    @property
    def label(self) -> str:
        return self.name if self.kind == "script" else f"{self.kind} {self.name}"


@dataclass(slots=True)
class Peer:
    """One node's instance of a virtual router, normalised the way keepalived loads it."""

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
    #: Trackers keepalived drops at load, with the reason (for messages).
    dropped: list[tuple[Track, str]] = field(default_factory=list)
    #: The other members of its sync group on the same node: any one in FAULT puts
    #: this one in FAULT too (semantics.md §4.1).
    siblings: list["Peer"] = field(default_factory=list)
    #: The words as written, placeholders included, for pairing templates.
    src_text: str | None = None
    vip_words: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return f"{self.node}/{self.instance.name}"

    def checks(self) -> list[Track]:
        """Trackers whose failure a scenario simulates (not the implicit own interface)."""
        return [t for t in self.trackers if t.kind in CHECK_KINDS and not (t.kind == "interface" and t.name == self._own_if)]

    @property
    def _own_if(self) -> str | None:
        return self.instance.interface.value if self.instance.interface else None


def address_int(text: str | None) -> tuple[int, int] | None:
    """(family, the address as a number) via inet_pton; None if malformed."""
    if not text:
        return None
    family = 6 if ":" in text else 4
    try:
        packed = inet_pton(AF_INET6 if family == 6 else AF_INET, text)
    except (OSError, ValueError):
        return None
    return family, int.from_bytes(packed, "big")


def address_key(text: str | None) -> tuple[int, int]:
    """keepalived's addr_cmp order (numeric); unknown addresses sort lowest."""
    return address_int(text) or (0, 0)


def family_of(address: str) -> int:
    return 6 if ":" in address else 4


def ip_text(text: str | None) -> str | None:
    """inet_stosockaddr: the address without ``/mask`` or ``-range``; None if malformed.
    IPv6 comes back in canonical form so that sets compare as keepalived compares."""
    if not text:
        return None
    bare = text.split("/", 1)[0].split("-", 1)[0]
    parsed = address_int(bare)
    if parsed is None:
        return None
    if parsed[0] == 6:
        return inet_ntop(AF_INET6, parsed[1].to_bytes(16, "big"))
    return bare


def _global(config: Config, keyword: str) -> list[str] | None:
    stmt = config.global_defs.get(keyword)
    return stmt.arg_texts() if stmt is not None else None


def _instance_value(inst: VrrpInstance, keyword: str) -> str | None:
    stmt = inst.node.first(keyword)
    return stmt.words[1].text if stmt is not None and len(stmt.words) > 1 else None


@dataclass(slots=True)
class Index:
    """A config's lookups by name, built once: configs can hold thousands of instances."""

    scripts: dict[str, VrrpScript]
    trackers: dict[tuple[str, str], Tracker]
    group_of: dict[str, SyncGroup]
    priority: dict[str, int | None]

    @classmethod
    def of(cls, config: Config) -> "Index":
        group_of: dict[str, SyncGroup] = {}
        for group in config.sync_groups:
            for word in group.members:
                group_of.setdefault(word.text, group)  # keepalived ignores a second membership
        return cls(
            scripts={s.name: s for s in reversed(config.vrrp_scripts)},
            trackers={(t.kind, t.name): t for t in reversed(config.trackers)},
            group_of=group_of,
            priority={i.name: i.priority.value if i.priority else None for i in config.vrrp_instances},
        )


def normalise(node: str, config: Config, inst: VrrpInstance, index: Index | None = None) -> Peer:
    """semantics.md §10 step 1: the values keepalived really runs the instance with."""
    index = index or Index.of(config)
    strict = inst.strict_mode is not None or _global(config, "vrrp_strict") is not None
    vip_list = [a.address for a in inst.virtual_ipaddress]
    family = family_of(vip_list[0]) if vip_list else 4
    global_version = to_int((_global(config, "vrrp_version") or ["2"])[0])
    version = inst.version.value if inst.version and inst.version.value in (2, 3) else None
    if version is None:
        version = 3 if family == 6 else (global_version if global_version in (2, 3) else 2)
    if family == 6 and strict:
        version = 3
    state = inst.state.value if inst.state else None
    base = base_priority(inst)
    want_master = state == "MASTER" if state is not None else base == OWNER
    if strict and want_master != (base == OWNER):
        want_master = base == OWNER
    nopreempt = inst.nopreempt is not None and base != OWNER and not want_master
    raw_adv = inst.advert_int.value if inst.advert_int else 1.0
    adv = round(raw_adv, 2) if version == 3 else float(min(255, max(1, round(raw_adv))))
    auth = None
    if inst.authentication is not None and not strict and version == 2:
        password = (inst.auth_pass.value if inst.auth_pass else "").encode("utf-8", "surrogateescape")[:8]
        if password:
            auth = ((inst.auth_type.value if inst.auth_type else "PASS").upper(), password)
    src_text = (inst.unicast_src_ip.value if inst.unicast_src_ip else None) or (
        inst.mcast_src_ip.value if inst.mcast_src_ip else None)
    src_text = (ip_text(src_text) or src_text.split("/", 1)[0]) if src_text else None
    mcast = inst.mcast_dst_ip.value if inst.mcast_dst_ip else None
    if mcast is None:
        configured = _global(config, "vrrp_mcast_group6" if family == 6 else "vrrp_mcast_group4")
        mcast = configured[0] if configured else ("ff02::12" if family == 6 else "224.0.0.18")
    dta = to_int(_instance_value(inst, "down_timer_adverts") or "3")
    check_src = inst.node.first("check_unicast_src") is not None or _global(config, "vrrp_check_unicast_src") is not None
    peer = Peer(
        node=node, config=config, instance=inst,
        vrid=inst.virtual_router_id.value if inst.virtual_router_id else None,
        family=family, version=version, strict=strict, base=base, want_master=want_master,
        nopreempt=nopreempt, adv=adv, auth=auth,
        vips=frozenset(filter(None, (ip_text(a) for a in vip_list if family_of(a) == family))),
        vip_words=frozenset(ip_text(a) or a for a in vip_list), src_text=src_text,
        unicast=bool(inst.unicast_peer), src=ip_text(src_text),
        # canonical addresses; placeholders as written, so that templates still pair
        unicast_peers=frozenset(ip_text(a.address) or a.address for a in inst.unicast_peer),
        check_unicast_src=check_src, mcast_group=mcast,
        down_timer_adverts=3 if strict or dta is None or not 1 <= dta <= 100 else dta,
        sync_group=index.group_of.get(inst.name),
    )
    resolve_trackers(peer, index)
    return peer


def _ref_weight(ref: TrackRef, default: int, limit: int) -> int:
    """An entry's own weight when valid (±254 becomes ±253), else the definition's."""
    if ref.weight is None:
        return default
    if abs(ref.weight) == 254:
        return 253 if ref.weight > 0 else -253
    return ref.weight if abs(ref.weight) <= limit else default


def _refs(owner: VrrpInstance | SyncGroup, index: Index, from_group: bool) -> Iterable[Track]:
    seen: set[tuple[str, str]] = set()
    for block, kind in _REF_KINDS.items():
        for ref in getattr(owner, block):
            if (kind, ref.name) in seen:
                continue  # `duplicate track_script X - ignoring`
            if kind == "script":
                script = index.scripts.get(ref.name)
                if script is None or script.script is None:
                    continue  # `track script X not found, ignoring...`
                default, default_rev = (script.weight.value if script.weight else 0), script.reverse
                weight = _ref_weight(ref, default, 254)
            elif kind == "interface":
                default_rev = False
                weight = ref.weight if ref.weight is not None and abs(ref.weight) <= 254 else 0
                weight = max(-253, min(253, weight))
            else:
                definition = index.trackers.get((f"track_{kind}", ref.name))
                if definition is None:
                    continue
                fallback = 1 if kind == "file" else 0
                default = definition.weight.value if definition.weight else fallback
                default_rev = definition.reverse
                weight = _ref_weight(ref, default, 253 if kind == "bfd" else 254)
            seen.add((kind, ref.name))
            reverse = ref.reverse if ref.reverse is not None else default_rev
            yield Track(kind, ref.name, weight, reverse, from_group)


def resolve_trackers(peer: Peer, index: Index) -> None:
    """semantics.md §1.5, §1.6: owner and sync-group stripping, group-level trackers."""
    inst = peer.instance
    group = peer.sync_group
    keep_weights = group is not None and group.sync_group_tracking_weight is not None
    reason = "priority 255 (address owner)" if peer.base == OWNER else (
        f"sync group {group.name} without sync_group_tracking_weight" if group is not None and not keep_weights else None)
    result: list[Track] = []
    for track in _refs(inst, index, False):
        if reason is None or track.weight == 0:
            result.append(track)
        elif track.kind == "interface" or (track.kind == "file" and track.weight == 1):
            result.append(Track(track.kind, track.name, 0, track.reverse))
            peer.dropped.append((track, f"weight ignored ({reason}): now a FAULT trigger"))
        elif track.kind == "process" and peer.base != OWNER:
            result.append(track)  # v2.2.7 does not strip weighted track_process in a sync group
        else:
            peer.dropped.append((track, f"ignored ({reason})"))
    own = peer._own_if
    result = [t for t in result if not (t.kind == "interface" and t.name == own)]
    if own and inst.dont_track_primary is None:
        result.append(Track("interface", own, 0, False))
    if group is not None:
        owners_in_group = peer.base == OWNER or any(index.priority.get(w.text) == OWNER for w in group.members)
        for track in _refs(group, index, True):
            weight = 0 if owners_in_group else track.weight
            index = next((i for i, t in enumerate(result) if (t.kind, t.name) == (track.kind, track.name)), None)
            if index is None:
                result.append(Track(track.kind, track.name, weight, track.reverse, True))
            elif result[index].weight != 0:
                result[index] = Track(track.kind, track.name, weight, track.reverse, True)
    peer.trackers = result


# -- evaluation and election ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class State:
    """One node's effective priority and FAULT flag under a set of failures."""

    eff: int
    fault: bool
    total: int
    terms: tuple[tuple[str, int], ...]


def evaluate(peer: Peer, failed: frozenset[tuple[str, str]] = frozenset(),
             file_values: dict[str, int] | None = None) -> State:
    """semantics.md §10 step 2; ``failed`` holds (kind, name) pairs that are not OK."""
    fault = False
    total = peer.base
    terms: list[tuple[str, int]] = []
    for track in peer.trackers:
        if track.kind == "file":
            value = (file_values or {}).get(track.name, 0)
            if track.weight == 0:
                fault |= (value != 0) != track.reverse
            else:
                contribution = max(-254, min(253, value * track.weight * (-1 if track.reverse else 1)))
                if contribution <= -254:
                    fault = True
                elif contribution:
                    total += contribution
                    terms.append((track.label, contribution))
            continue
        ok = (track.kind, track.name) not in failed
        if track.weight == 0:
            fault |= ok == track.reverse
            continue
        sign = -1 if track.reverse else 1
        if (track.weight > 0 and ok) or (track.weight < 0 and not ok):
            total += sign * track.weight
            terms.append((track.label, sign * track.weight))
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


def hears(a: Peer, b: Peer) -> bool:
    """a accepts b's adverts (semantics.md §6)."""
    if a.vrid != b.vrid or a.family != b.family or a.version != b.version or a.unicast != b.unicast:
        return False
    if a.unicast:
        if a.src is not None and a.src not in b.unicast_peers:
            return False
        if a.check_unicast_src and b.src is not None and b.src not in a.unicast_peers:
            return False
    elif a.mcast_group != b.mcast_group:
        return False
    if a.version == 2 and (a.adv != b.adv or a.auth != b.auth):
        return False
    return a.vips == b.vips


def beats(x: Peer, ex: int, y: Peer, ey: int) -> bool:
    return ex > ey or (ex == ey and address_key(x.src) > address_key(y.src))


def mismatch(a: Peer, b: Peer) -> str | None:
    """Why a drops b's adverts, in keepalived's terms; None when it accepts them."""
    if a.vrid != b.vrid:
        return f"virtual_router_id {a.vrid} vs {b.vrid}"
    if a.family != b.family:
        return f"IPv{a.family} vs IPv{b.family}"
    if a.version != b.version:
        return f"VRRP version {a.version} vs {b.version}"
    if a.unicast != b.unicast:
        return "unicast on one side, multicast on the other"
    if a.unicast and a.src is not None and a.src not in b.unicast_peers:
        return f"{b.node} does not list {a.node}'s {a.src} in unicast_peer"
    if a.unicast and a.check_unicast_src and b.src is not None and b.src not in a.unicast_peers:
        return f"{a.node} checks unicast sources and does not list {b.src}"
    if not a.unicast and a.mcast_group != b.mcast_group:
        return f"multicast group {a.mcast_group} vs {b.mcast_group}"
    if a.version == 2 and a.adv != b.adv:
        return f"advert_int {a.adv:g} vs {b.adv:g}"
    if a.version == 2 and a.auth != b.auth:
        return "authentication differs"
    if a.vips != b.vips:
        return "virtual_ipaddress sets differ"
    return None


def elect(peers: list[Peer], states: dict[str, State], masters: set[str], cold: bool,
          down: frozenset[str] = frozenset()) -> set[str] | None:
    """semantics.md §10 step 4; node names of the masters, None when it never settles."""
    by_name = {p.node: p for p in peers}
    live = [p for p in peers if p.node not in down and not states[p.node].fault]
    live_names = {p.node for p in live}
    current = set(masters) & live_names

    def key(p: Peer) -> tuple[int, int, int]:
        # shortest timer first: wanted state (cold start), then priority, then address
        start = (0 if p.want_master and p.base == OWNER else 1 if p.want_master else 2) if cold else 0
        return (start, -states[p.node].eff, -address_key(p.src)[1])

    ordered = sorted(live, key=key)
    for _ in range(len(peers) ** 2 + 1):
        changed = False
        for p in (p for p in ordered if p.node not in current):
            eff = states[p.node].eff
            if not any(hears(p, by_name[m]) and (p.nopreempt or states[m].eff >= eff) for m in current):
                current.add(p.node)
                changed = True
        for name in sorted(current):
            a = by_name[name]
            if any(b != name and hears(a, by_name[b]) and beats(by_name[b], states[b].eff, a, states[name].eff)
                   for b in current):
                current.discard(name)
                changed = True
        if not changed:
            return current
    return None
