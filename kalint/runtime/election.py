"""Who is MASTER: the election as a fixpoint, with sync groups moving together.

semantics.md §3 and §5, as two real keepalived 2.2.7 daemons behave:

- a BACKUP becomes MASTER when its down timer runs out, that is when it hears no master
  it accepts (`nopreempt`, or a priority at least its own);
- of two masters that hear each other, the lower priority (then the lower address)
  steps down;
- the members of a sync group on one node move as one: the group goes MASTER only when
  *every* member wants to (``vrrp_sync_can_goto_master()``), one member stepping down
  takes all of them to BACKUP, and one in FAULT takes all of them to FAULT.

Who comes up first is not in the config. The steady state is therefore computed from
every start order (each node starting alone first): when they disagree, the holder
depends on start order, and kalint says so instead of naming one.
"""

from __future__ import annotations

from kalint.records import dataclass, field
from kalint.runtime.addresses import address_key
from kalint.runtime.adverts import accepts, beats, hears
from kalint.runtime.loading import Peer
from kalint.runtime.priority import Failed, State, evaluate

#: A set of masters, by peer name; None: the election never settles.
Masters = frozenset[str] | None


@dataclass(slots=True)
class Field:
    """The instances that take part in one election: virtual routers and the sync-group
    siblings that tie them together (an instance with no peer is a router of its own)."""

    peers: list[Peer]
    #: Peer name -> its router's index.
    router_of: dict[str, int]
    by_name: dict[str, Peer] = field(init=False)
    units: list[list[Peer]] = field(init=False)
    unit_of: dict[str, int] = field(init=False)
    _rivals: dict[str, list[Peer]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {p.name: p for p in self.peers}
        keys: dict[tuple[str, str], int] = {}
        self.units, self.unit_of = [], {}
        for peer in self.peers:
            key = (peer.node, f"group {peer.sync_group.name}") if peer.sync_group is not None else (peer.node, peer.name)
            if key not in keys:
                keys[key] = len(self.units)
                self.units.append([])
            self.units[keys[key]].append(peer)
            self.unit_of[peer.name] = keys[key]
        routers: dict[int, list[Peer]] = {}
        for peer in self.peers:
            routers.setdefault(self.router_of[peer.name], []).append(peer)
        self._rivals = {p.name: [q for q in routers[self.router_of[p.name]] if q.node != p.node] for p in self.peers}

    def rivals(self, peer: Peer) -> list[Peer]:
        """The other nodes' instances of the same virtual router."""
        return self._rivals[peer.name]

    @property
    def nodes(self) -> list[str]:
        return list(dict.fromkeys(p.node for p in self.peers))


def states_under(fld: Field, failed: dict[str, Failed], file_values: dict[str, int] | None = None) -> dict[str, State]:
    """Every peer's state with ``failed[node]`` not OK; a sync-group member in FAULT puts
    its whole group on that node in FAULT (semantics.md §4.1)."""
    states = {p.name: evaluate(p, failed.get(p.node, frozenset()), file_values) for p in fld.peers}
    for unit in fld.units:
        if len(unit) > 1 and any(states[p.name].fault for p in unit):
            for p in unit:
                s = states[p.name]
                states[p.name] = State(s.eff, True, s.total, s.terms)
    return states


def _wants_master(fld: Field, peer: Peer, states: dict[str, State], current: set[str]) -> bool:
    """Its down timer runs out: no current master of its router that it hears and accepts."""
    eff = states[peer.name].eff
    return not any(m.name in current and hears(peer, m) and accepts(peer, eff, states[m.name].eff)
                   for m in fld.rivals(peer))


def _outranked(fld: Field, peer: Peer, states: dict[str, State], current: set[str]) -> bool:
    """A master that hears a better master steps down."""
    eff = states[peer.name].eff
    return any(m.name in current and hears(peer, m) and beats(m, states[m.name].eff, peer, eff)
               for m in fld.rivals(peer))


def elect(fld: Field, states: dict[str, State], masters: frozenset[str] | set[str],
          down: frozenset[str] = frozenset(), first: str | None = None) -> Masters:
    """The masters once timers have run, starting from ``masters``; None if it never settles.

    Timers that run out together (equal priorities, addresses the config does not give)
    are won by ``first``'s instances, then by file order: ``possible`` tries each node.
    """
    live = {p.name for p in fld.peers if p.node not in down and not states[p.name].fault}
    current = set(masters) & live
    rank = {node: (node != first, index) for index, node in enumerate(fld.nodes)}

    def timer(unit: list[Peer]) -> tuple[int, int, tuple[bool, int]]:
        # the unit moves when its slowest member's timer runs out: lowest priority, then address
        slowest = min(unit, key=lambda p: states[p.name].eff)
        return -states[slowest.name].eff, -address_key(slowest.src)[1], rank[slowest.node]

    order = sorted((u for u in fld.units), key=timer)
    for _ in range(len(fld.peers) ** 2 + 2):
        changed = False
        for unit in order:
            names = {p.name for p in unit}
            if not names <= live or names <= current:
                continue
            if all(p.name in current or _wants_master(fld, p, states, current) for p in unit):
                current |= names
                changed = True
        for name in sorted(current):
            peer = fld.by_name[name]
            if name in current and _outranked(fld, peer, states, current):
                current -= {p.name for p in fld.units[fld.unit_of[name]]}
                changed = True
        if not changed:
            return frozenset(current)
    return None


def collide(fld: Field, states: dict[str, State], a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether masters ``a`` and ``b``, claiming at once, both step down: each has an
    instance the other outranks, and sync groups take their siblings along (real daemons:
    two groups whose members prefer different nodes both went MASTER, both went BACKUP,
    and raced again one down interval later)."""
    current = set(a | b)
    return all(any(_outranked(fld, fld.by_name[name], states, current) for name in side - (a & b))
               for side in (a, b))


def start_outcomes(fld: Field, states: dict[str, State], down: frozenset[str] = frozenset()) -> dict[str, Masters]:
    """The masters once settled, when each node starts first (alone, so MASTER in all it runs).

    A node that starts first in FAULT everywhere holds nothing: the others come up as
    backups with nobody to hear and their timers decide, as if they started together
    (real daemons: nobody for one down timer, then the highest priority). Every live node
    has an entry; "" stands for "all together" when no node is live."""
    together = elect(fld, states, frozenset(), down)
    outcomes: dict[str, Masters] = {}
    for node in fld.nodes:
        started = {p.name for p in fld.peers if p.node == node and not states[p.name].fault}
        if node not in down:
            outcomes[node] = elect(fld, states, started, down, first=node) if started else together
    return outcomes or {"": together}


def possible(fld: Field, states: dict[str, State], masters: frozenset[str],
             down: frozenset[str] = frozenset()) -> list[Masters]:
    """Every steady state reachable from ``masters`` after a change, distinct.

    The election is decided by timers, and timers that run out together are decided by
    addresses the config may not give: each node is tried as the winner of such ties.
    That holds when the masters went to FAULT or died too: the backups were running, and
    the priority-0 advert (or the last advert heard) started their timers together, so
    the highest priority wins (real daemons: a 200 `nopreempt` backup took over 0.3 s
    after the master's FAULT, ahead of a running 90). Only with no master before (every
    node was in FAULT) does who comes back first decide: each node is tried first.
    """
    if not masters:
        return list(dict.fromkeys(start_outcomes(fld, states, down).values()))
    return list(dict.fromkeys(elect(fld, states, masters, down, first=node) for node in fld.nodes))
