"""Group configs linted together into HA peer groups, and their instances into virtual
routers, for the cluster rules (KA4xx) and ``kalint simulate``.

A config does not say which segment it is on, so two instances in different configs are
linked when they share a virtual IP, when their unicast source and peer addresses name
each other under one VRID, or (weakly) when they share a VRID and family with VIPs in a
common subnet. Configs are then grouped strongest link first. Two configs that use the
same source address for one router are the same host (two variants of one file), never
peers; and two groups already held together by stronger links are not merged by a weaker
one, so a directory holding a 2-node and a 3-node variant of one lab yields two groups.
A config left alone because its best partner's group already has its host joins that
partner in a group of their own (a config may then belong to two groups).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, cast

from kalint.model import Config
from kalint.records import dataclass, field
from kalint.runtime.addresses import address_int
from kalint.runtime.components import components
from kalint.runtime.loading import Peer, load

if TYPE_CHECKING:
    from kalint.runtime.failover import Simulation

#: The score of a link by VRID, family and subnet alone.
WEAK = 1
#: Above this many nodes a group is reported once and not simulated (2^n start orders).
MAX_SIMULATED_NODES = 8


@dataclass(slots=True)
class Router:
    """One virtual router as the peers see it: one normalised instance per node."""

    peers: list[Peer]

    @property
    def vips(self) -> frozenset[str]:
        """The VIPs, for messages (placeholders as written when no VIP is an address)."""
        valid = frozenset().union(*(p.vips for p in self.peers))
        return valid or frozenset().union(*(p.vip_words for p in self.peers))

    @property
    def label(self) -> str:
        names = sorted({p.instance.name for p in self.peers})
        vrids = sorted({str(p.vrid) for p in self.peers})
        return f"{'/'.join(names)} (VRID {'/'.join(vrids)})"


@dataclass(slots=True)
class PeerGroup:
    """The configs that are HA peers of each other, with the virtual routers they share."""

    configs: list[Config]
    nodes: list[str]
    routers: list[Router] = field(default_factory=list)
    #: Every instance of every config, normalised (also those in no router); None until
    #: asked for in a group of one (most single configs never need it).
    normalised: list[Peer] | None = None
    #: Instances linked only by VRID, family and subnet (disjoint VIPs): not one router.
    collisions: list[tuple[Peer, Peer]] = field(default_factory=list)
    #: The failover simulation of every router, computed once (kalint.runtime.failover).
    simulations: list[Simulation] | None = None

    @property
    def too_large(self) -> bool:
        return len(self.configs) > MAX_SIMULATED_NODES

    @property
    def alone(self) -> bool:
        """A config with no peer among those linted with it (a group of one)."""
        return len(self.configs) == 1

    @property
    def peers(self) -> list[Peer]:
        if self.normalised is None:
            self.normalised = [p for label, c in zip(self.nodes, self.configs) for p in _normalised(label, c)]
        return self.normalised


def vip_text(vips: frozenset[str] | set[str]) -> str:
    """Up to three VIPs for a message, then how many more."""
    ordered = sorted(vips)
    if not ordered:
        return "no VIP"
    return ", ".join(ordered[:3]) + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")


class Member(Protocol):
    """What naming and partitioning read of a linted config: its path and config id."""

    @property
    def path(self) -> str: ...

    @property
    def config_id(self) -> str | None: ...


def node_labels(configs: Sequence[Member]) -> list[str]:
    """Short unique names: the file name (then parent folders as needed) and ``@id``.

    A config's name takes the fewest trailing path parts that no other config with its
    id ends with (or its whole path). Names are counted level by level, so a repository
    of a thousand configs costs a few passes, not a comparison of every pair."""
    parts = [tuple(os.path.normpath(c.path).split(os.sep)) for c in configs]
    depths = [1] * len(configs)
    pending = list(range(len(configs)))
    depth = 1
    while pending:
        ends = Counter((config.config_id, path[-depth:]) for config, path in zip(configs, parts))
        pending = [i for i in pending if depth < len(parts[i]) and ends[(configs[i].config_id, parts[i][-depth:])] > 1]
        depth += 1
        for i in pending:
            depths[i] = depth
    labels = []
    for config, path, depth in zip(configs, parts, depths):
        label = "/".join(path[-depth:])
        labels.append(f"{label}@{config.config_id}" if config.config_id else label)
    return labels


# -- linking instances ------------------------------------------------------------------


#: A subnet as (family, network number, prefix length).
Net = tuple[int, int, int]


class Link(NamedTuple):
    """What grouping reads of one instance: plain values, so that the result cache can
    group a config it did not parse again (``kalint.resultcache``)."""

    vrid: int | None
    family: int
    vip_words: frozenset[str]
    unicast_peers: frozenset[str]
    src_text: str | None
    src: str | None
    nets: tuple[Net, ...]


class Summary(NamedTuple):
    """What grouping reads of one config: its instances' links and its signature."""

    links: tuple[Link, ...]
    signature: frozenset


def link_of(peer: Peer) -> Link:
    found = peer.derived.get("link")
    if found is None:
        found = peer.derived["link"] = Link(peer.vrid, peer.family, peer.vip_words, peer.unicast_peers, peer.src_text,
                                            peer.src, _nets(peer))
    return cast(Link, found)


def summary(config: Config) -> Summary:
    """What grouping reads of ``config``, computed once per config (the language server
    groups an unchanged peer's config again on each keystroke)."""
    return config.analysis(_config_summary)


def _config_summary(config: Config) -> Summary:
    return _summary(config, load(config))


#: The analyses of this module: computed after the config rules, from ``loading.ANALYSES``.
ANALYSES = frozenset({_config_summary})


def _summary(config: Config, peers: list[Peer]) -> Summary:
    return Summary(tuple(map(link_of, peers)), _signature(config))


def _nets(peer: Peer) -> tuple[Net, ...]:
    """The subnets a VIP is assumed to sit in: its prefix, or /24 (IPv4) and /64 (IPv6)."""
    nets = []
    for addr in peer.instance.virtual_ipaddress:
        parsed = address_int(addr.address)
        if parsed is None or parsed[0] != peer.family:
            continue
        width, default = (32, 24) if peer.family == 4 else (128, 64)
        # keepalived's default VIP prefix is the full width: that says nothing of the subnet
        prefix = addr.prefix if addr.prefix is not None and width // 2 <= addr.prefix < width else default
        nets.append((peer.family, parsed[1] >> (width - prefix) << (width - prefix), prefix))
    return tuple(nets)


def _shifts(links: Iterable[Link]) -> dict[int, int]:
    """Per family, how many low bits of a subnet's number its bucket drops: the host bits
    of the shortest prefix of that family in ``links``. Two subnets can only lie one
    within the other when they start with the same bits that far."""
    floors = {4: 32, 6: 128}
    for link in links:
        for family, _, prefix in link.nets:
            if prefix < floors[family]:
                floors[family] = prefix
    return {4: 32 - floors[4], 6: 128 - floors[6]}


def _within(inner: Net, outer: Net) -> bool:
    width = 32 if outer[0] == 4 else 128
    shift = width - outer[2]
    return inner[0] == outer[0] and inner[1] >> shift == outer[1] >> shift


def _link(a: Link, b: Link) -> tuple[int, bool]:
    """(score, same host) for two instances in different configs; score 0: not linked."""
    shared = a.vip_words & b.vip_words
    same_vrid = a.vrid == b.vrid and a.family == b.family
    score = 0
    if shared:
        score += 2 + (a.vip_words == b.vip_words and same_vrid)
    if a.unicast_peers and b.unicast_peers and (same_vrid or shared):  # as written: templates pair too
        forward = a.src_text is not None and a.src_text in b.unicast_peers
        backward = b.src_text is not None and b.src_text in a.unicast_peers
        score += 2 * forward + 2 * backward
        if (forward or backward) and a.unicast_peers | {a.src_text} == b.unicast_peers | {b.src_text}:
            score += 2
    if not score and same_vrid and any(_within(x, y) or _within(y, x) for x in a.nets for y in b.nets):
        score = WEAK
    same_host = score > 0 and a.src is not None and a.src == b.src
    return score, same_host


#: One instance as grouping sees it: (the index of its config, its link).
_Inst = tuple[int, Link]


def _instance_links(items: list[_Inst]) -> Iterator[tuple[int, int, int, bool]]:
    """Linked pairs (i, j, score, same host), found through shared keys (``_keys``), not
    by comparing all pairs. An instance goes into a key's bucket once, however often the
    key repeats (two VIPs in one subnet)."""
    by_key: dict[object, list[int]] = {}
    shifts = _shifts(link for _, link in items)
    for index, (_, link) in enumerate(items):
        for key in dict.fromkeys(_keys(link, shifts)):
            by_key.setdefault(key, []).append(index)
    seen: set[tuple[int, int]] = set()
    for bucket in by_key.values():
        for x, i in enumerate(bucket):
            for j in bucket[x + 1:]:
                if items[i][0] == items[j][0] or (i, j) in seen:
                    continue
                seen.add((i, j))
                score, same_host = _link(items[i][1], items[j][1])
                if score:
                    yield i, j, score, same_host


def _keys(link: Link, shifts: dict[int, int]) -> list[object]:
    """What two linked instances must share (``_link`` scores nothing else): a VIP (the
    only keys that are strings), a VRID and family with a subnet's bucket (``_shifts``),
    a VRID with a unicast address. A key may repeat. Plain values, no sets: this runs for
    every instance of a repository on each pre-commit call."""
    vrid = link.vrid
    keys: list[object] = [*link.vip_words]
    keys += [(vrid, family, number >> shifts[family]) for family, number, _ in link.nets]
    if link.unicast_peers:
        keys += [("addr", vrid, a) for a in (*link.unicast_peers, link.src_text) if a]
    return keys


def _reach(summaries: list[Summary], focus: set[int]) -> list[int]:
    """The configs ``focus`` could be linked to, through any chain of shared keys, in
    order: grouping decides each such component on its own, so the groups of ``focus``
    are found among these alone."""
    first: dict[object, int] = {}
    shifts = _shifts(link for summary in summaries for link in summary.links)
    shared = [(first.setdefault(key, index), index) for index, summary in enumerate(summaries)
              for link in summary.links for key in _keys(link, shifts)]
    return sorted(x for members in components(len(summaries), shared) if focus.intersection(members) for x in members)


def _signature(config: Config) -> frozenset:
    return frozenset(
        (i.virtual_router_id.value if i.virtual_router_id else None, frozenset(a.address for a in i.virtual_ipaddress))
        for i in config.vrrp_instances
    )


# -- grouping configs -------------------------------------------------------------------


def _normalised(label: str, config: Config) -> list[Peer]:
    peers = load(config)
    for peer in peers:
        peer.node = label
    return peers


def peer_groups(configs: list[Config]) -> list[PeerGroup]:
    """Groups of peers, and a group of one for each config without a peer, so that
    cluster rules can also say what is known of a config alone."""
    labels = node_labels(configs)
    if len(configs) < 2:
        return [PeerGroup(list(configs), labels)]
    peers = [_normalised(label, config) for label, config in zip(labels, configs)]
    plan = memberships([_summary(c, p) for c, p in zip(configs, peers)])
    return [build([configs[i] for i in members], [labels[i] for i in members], [peers[i] for i in members])
            for members in plan]


def memberships(summaries: list[Summary], focus: set[int] | None = None) -> list[list[int]]:
    """Which configs are peers, as lists of indexes into ``summaries``: the groups, then
    each config with no peer alone. Reads link data only (the first half of
    ``peer_groups``; ``build`` is the second), so cached configs need no model. With
    ``focus``, only the groups of configs linked to those at all are given (pre-commit
    asks for the changed configs' groups among a repository's). The last answer is
    kept: pre-commit groups the committed version too, which most changes leave
    grouped as it was."""
    global _last
    key = (tuple(summaries), None if focus is None else frozenset(focus))
    last = _last  # one read: another thread may replace it
    if last is None or last[0] != key:
        last = _last = (key, _focused(summaries, focus))
    return [list(group) for group in last[1]]


_last: tuple[tuple, list[list[int]]] | None = None


def _focused(summaries: list[Summary], focus: set[int] | None) -> list[list[int]]:
    if focus is None:
        return _memberships(summaries)
    keep = _reach(summaries, focus)
    return [[keep[i] for i in group] for group in _memberships([summaries[i] for i in keep])]


def _memberships(summaries: list[Summary]) -> list[list[int]]:
    items = [(ci, link) for ci, s in enumerate(summaries) for link in s.links]
    pair_score: dict[tuple[int, int], int] = {}
    conflict: set[tuple[int, int]] = set()
    named: set[tuple[int, int]] = set()  # (x, y): y's unicast_peer names x's source address
    for i, j, score, same_host in _instance_links(items):
        a, b = sorted((items[i][0], items[j][0]))
        pair_score[(a, b)] = pair_score.get((a, b), 0) + score
        if same_host:
            conflict.add((a, b))
        for x, y in ((i, j), (j, i)):
            if items[x][1].src_text is not None and items[x][1].src_text in items[y][1].unicast_peers:
                named.add((items[x][0], items[y][0]))
    for (a, b) in pair_score:
        pair_score[(a, b)] += summaries[a].signature == summaries[b].signature
    count = len(summaries)
    members = _cluster(count, pair_score, conflict)
    named_by: dict[int, set[int]] = {}
    for x, y in named:
        named_by.setdefault(y, set()).add(x)
    for group in members:
        # a config every member sends its adverts to is theirs too, even if it is in
        # another group already (one backup shared by a 2-node and a 3-node variant)
        candidates = set.intersection(*(named_by.get(m, set()) for m in group))
        for config in sorted(candidates - group):
            if all((config, m) in named and (min(config, m), max(config, m)) not in conflict for m in group):
                group.add(config)
    grouped = set().union(*members) if members else set()
    return [sorted(group) for group in members] + [[i] for i in range(count) if i not in grouped]


def declared_group(configs: list[Config]) -> PeerGroup:
    """The configs a user declared peers (``[peers] groups``): one group, whatever links
    them; the virtual routers are still found from their instances."""
    return build(configs, node_labels(configs))


def build(configs: list[Config], labels: list[str], peers: list[list[Peer]] | None = None) -> PeerGroup:
    """The peer group of ``configs`` (named ``labels``; ``peers``: their normalised
    instances, when already loaded): its virtual routers and VRID collisions, found among
    these configs alone."""
    if peers is None:
        if len(configs) == 1:
            return PeerGroup(list(configs), list(labels))  # its instances are loaded if a rule asks
        peers = [_normalised(label, config) for label, config in zip(labels, configs)]
    flat = [p for config_peers in peers for p in config_peers]
    items = [(ci, link_of(p)) for ci, config_peers in enumerate(peers) for p in config_peers]
    linked, weak = _linked_pairs(items)
    group = PeerGroup(list(configs), list(labels), normalised=flat)
    group.routers = _routers(items, flat, linked)
    group.collisions = [(flat[i], flat[j]) for i, j in weak]
    return group


def _linked_pairs(items: list[_Inst]) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """The sets of ``items`` (by index) linked into one router, and the weakly linked
    pairs (a VRID collision). The last answer is kept: the language server builds the same group on
    each keystroke, and an edit seldom changes what an instance links by (the links of
    unchanged instances are the same objects, compared at the cost of a pointer)."""
    global _last_pairs
    last = _last_pairs  # one read: another thread may replace it
    if last is None or last[0] != items:
        links: list[tuple[int, int]] = []
        weak: list[tuple[int, int]] = []
        for i, j, score, _ in _instance_links(items):
            (links if score > WEAK else weak).append((i, j))
        last = _last_pairs = (items, components(len(items), links), weak)
    return last[1], last[2]


_last_pairs: tuple[list[_Inst], list[list[int]], list[tuple[int, int]]] | None = None


def _cluster(count: int, pair_score: dict[tuple[int, int], int], conflict: set[tuple[int, int]]) -> list[set[int]]:
    group_of = list(range(count))
    groups: dict[int, set[int]] = {i: {i} for i in range(count)}
    cohesion: dict[int, int] = {i: 0 for i in range(count)}

    def clash(x: set[int], y: set[int]) -> bool:
        return any((min(a, b), max(a, b)) in conflict for a in x for b in y)

    for (a, b), score in sorted(pair_score.items(), key=lambda kv: (-kv[1], kv[0])):
        ga, gb = group_of[a], group_of[b]
        if ga == gb or clash(groups[ga], groups[gb]):
            continue
        if len(groups[ga]) > 1 and len(groups[gb]) > 1 and score < max(cohesion[ga], cohesion[gb]):
            continue  # two groups held together by stronger links: variants, not one cluster
        for member in groups[gb]:
            group_of[member] = ga
        groups[ga] |= groups.pop(gb)
        cohesion[ga] = min(c for c in (cohesion[ga], cohesion[gb], score) if c)
    result = [g for g in groups.values() if len(g) > 1]
    alone = {i for i in range(count) if len(groups[group_of[i]]) == 1}
    for config in sorted(alone):
        # its partner's group already has this host: pair with the partner alone; with no
        # other choice, two lone configs that claim one address still pair (a copy-paste slip)
        partners = [(s, b if a == config else a) for (a, b), s in pair_score.items()
                    if config in (a, b) and ((a, b) not in conflict or {a, b} <= alone)]
        if partners:
            pair = {config, max(partners)[1]}
            if pair not in result:
                result.append(pair)
    return result


def _routers(items: list[_Inst], peers: list[Peer], linked: list[list[int]]) -> list[Router]:
    routers = []
    for indexes in linked:
        first_per_config: dict[int, Peer] = {}
        for i in indexes:
            first_per_config.setdefault(items[i][0], peers[i])
        if len(first_per_config) > 1:
            routers.append(Router([first_per_config[c] for c in sorted(first_per_config)]))
    return routers
