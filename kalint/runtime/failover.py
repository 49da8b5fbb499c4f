"""The failover simulator: for each virtual router, who holds the VIPs when healthy, when
each tracked check (and each pair) fails, when each node dies silently and when each node
loses its own interface; with effective priorities, a verdict and the takeover time.

Routers whose instances share a sync group on some node are elected together (they move
as one, semantics.md §5). Every scenario starts from each steady state the start order
can produce, so an outcome that depends on who came up first is reported as such, with
every candidate holder, never as one certain holder.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextvars import ContextVar

from kalint.records import dataclass, field
from kalint.runtime import timing
from kalint.runtime.adverts import accepts, hears, mismatch
from kalint.runtime.components import components
from kalint.runtime.election import Field, Masters, collide, elect, possible, start_outcomes, states_under
from kalint.runtime.grouping import PeerGroup, Router
from kalint.runtime.loading import Peer, Track
from kalint.runtime.priority import Failed, State, arithmetic

#: Verdict kinds; the KA4xx rules report ``stuck`` and ``lost``.
OK, MOVED, STUCK, LOST, SPLIT, NONE, UNSTABLE = "ok", "moved", "stuck", "lost", "split", "none", "unstable"
START_ORDER = "start-order"
#: When start orders disagree on a scenario's kind, the one reported: the worst.
_SEVERITY = (SPLIT, NONE, UNSTABLE, STUCK, LOST, MOVED, OK)
#: Above this many check pairs, double failures are not simulated (each costs an election).
MAX_DOUBLE_FAILURES = 300


@dataclass(frozen=True, slots=True)
class Failure:
    """One tracked object that fails on one node in a scenario."""

    node: str
    track: Track
    #: The instances on that node that track it (peer names).
    tracked_by: frozenset[str]

    def __str__(self) -> str:
        return f"{self.track.label} fails on {self.node}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a scenario leads to from one steady state (the holders it starts from)."""

    before: frozenset[str]
    #: None: the election never settles from there.
    holders: frozenset[str] | None
    kind: str
    verdict: str
    takeover: timing.Duration | None = None
    #: When ``holders`` is None because it depends on timing: every possible holder set.
    candidates: tuple[frozenset[str], ...] = ()


@dataclass(slots=True)
class Scenario:
    """One situation and who holds one router's VIPs in it."""

    label: str
    failures: tuple[Failure, ...] = ()
    #: A node that dies silently.
    down: str | None = None
    #: A node whose own interface goes down, and the interface.
    interface_down: tuple[str, str] | None = None
    #: Node -> its instance's state.
    states: dict[str, State] = field(default_factory=dict)
    #: Every holder set the start orders lead to (one: certain).
    candidates: list[frozenset[str]] = field(default_factory=list)
    #: None when unstable in some start order.
    stable: bool = True
    kind: str = OK
    verdict: str = ""
    takeover: timing.Duration | None = None
    #: For stuck/lost: the arithmetic that decides it, and why the better node does not take over.
    comparison: str = ""
    #: One per steady state the start orders lead to (one when the healthy holder is certain).
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def holders(self) -> frozenset[str] | None:
        """The holders when certain; None when unstable or when they depend on start order."""
        return self.candidates[0] if self.stable and len(self.candidates) == 1 else None


@dataclass(slots=True)
class Simulation:
    """Every scenario of one virtual router."""

    router: Router
    healthy: Scenario
    scenarios: list[Scenario]
    #: The holders once settled when each node starts first.
    start_order: dict[str, frozenset[str] | None]


# -- the scenarios ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Event:
    """One scenario's trigger: tracked checks failing, a node down or an interface down."""

    label: str
    failures: tuple[Failure, ...] = ()
    down: str | None = None
    interface_down: tuple[str, str] | None = None

    def failed(self) -> dict[str, Failed]:
        by_node: dict[str, set[tuple[str, str]]] = {}
        for f in self.failures:
            by_node.setdefault(f.node, set()).add((f.track.kind, f.track.name))
        if self.interface_down is not None:
            by_node.setdefault(self.interface_down[0], set()).add(("interface", self.interface_down[1]))
        return {node: frozenset(items) for node, items in by_node.items()}


def _failures(fld: Field) -> list[Failure]:
    """Every tracked check on every node of the field, once per node."""
    found: dict[tuple[str, str, str], tuple[Track, set[str]]] = {}
    for peer in fld.peers:
        for track in peer.checks():
            entry = found.setdefault((peer.node, track.kind, track.name), (track, set()))
            entry[1].add(peer.name)
    return [Failure(node, track, frozenset(names)) for (node, _, _), (track, names) in found.items()]


def _events(fld: Field) -> list[_Event]:
    single = _failures(fld)
    events = [_Event(str(f), (f,)) for f in single]
    pairs = list(itertools.islice(itertools.combinations(single, 2), MAX_DOUBLE_FAILURES + 1))
    if len(pairs) <= MAX_DOUBLE_FAILURES:
        events += [_Event(f"{a}, {b}", (a, b)) for a, b in pairs]
    for node in fld.nodes:
        events.append(_Event(f"{node} down", down=node))
    interfaces = dict.fromkeys((p.node, p.own_interface) for p in fld.peers
                               if p.own_interface and p.tracks_own_interface())
    for node, interface in interfaces:
        assert interface is not None
        events.append(_Event(f"interface {interface} down on {node}", interface_down=(node, interface)))
    return events


def _field(group_routers: list[Router]) -> Field:
    peers: list[Peer] = []
    router_of: dict[str, int] = {}
    for index, router in enumerate(group_routers):
        for peer in router.peers:
            peers.append(peer)
            router_of[peer.name] = index
    for peer in list(peers):
        for sibling in peer.siblings:
            if sibling.name not in router_of:  # a member with no peer: a router of its own
                router_of[sibling.name] = len(router_of) + len(group_routers)
                peers.append(sibling)
    return Field(peers, router_of)


def _components(routers: list[Router]) -> list[list[Router]]:
    """Routers tied together by sync groups: they are elected together."""
    if not any(peer.siblings for router in routers for peer in router.peers):
        return [[router] for router in routers]  # no sync group: each alone (and no names to make)
    index_of = {p.name: i for i, r in enumerate(routers) for p in r.peers}
    ties = [(i, j) for i, router in enumerate(routers) for peer in router.peers for sibling in peer.siblings
            if (j := index_of.get(sibling.name)) is not None]
    return [[routers[i] for i in members] for members in components(len(routers), ties)]


# -- judging one router's outcome ------------------------------------------------------------


def _names(nodes: frozenset[str] | None) -> str:
    return " and ".join(sorted(nodes)) if nodes else "nobody"


def _project(router: Router, masters: frozenset[str]) -> frozenset[str]:
    return frozenset(p.node for p in router.peers if p.name in masters)


@dataclass(slots=True)
class _Judgement:
    """The kind of an outcome, its verdict in words, and the takeover time when one applies."""

    kind: str
    verdict: str
    takeover: timing.Duration | None = None
    comparison: str = ""


def _baseline_kind(router: Router, holders: frozenset[str]) -> _Judgement:
    if not holders:
        return _Judgement(NONE, "no VIP holder (every node in FAULT)")
    if len(holders) > 1:
        a, b = sorted(holders)[:2]
        by = {p.node: p for p in router.peers}
        why = mismatch(by[a], by[b]) or mismatch(by[b], by[a]) or "they do not hear each other"
        return _Judgement(SPLIT, f"split brain: {_names(holders)} are all MASTER ({why})")
    return _Judgement(OK, f"{_names(holders)} holds the VIP")


class _Judge:
    """Verdicts for one router of a simulated field."""

    def __init__(self, fld: Field, router: Router, healthy: dict[str, State]) -> None:
        self.fld, self.router, self.healthy = fld, router, healthy
        self.by_node = {p.node: p for p in router.peers}
        #: Peer name -> the judge of its router, for sync groups (their members move as one).
        self.judges: dict[str, _Judge] = {}

    def state(self, states: dict[str, State], node: str) -> State:
        return states[self.by_node[node].name]

    def outcome(self, event: _Event, states: dict[str, State], before: frozenset[str],
                after: frozenset[str], recovered: Masters) -> _Judgement:
        old, new = _project(self.router, before), _project(self.router, after)
        if not old and len(new) == 1:  # every node was in FAULT: the first back comes up as BACKUP
            judgement = _baseline_kind(self.router, new)
            judgement.takeover = self.first_master(event, states, self.by_node[next(iter(new))])
            return judgement
        if len(old) != 1 or len(new) != 1:
            return _baseline_kind(self.router, new)
        (o,), (n,) = old, new
        old_peer = self.by_node[o]
        unit = self.fld.units[self.fld.unit_of[old_peer.name]]  # its sync group on that node moves with it
        hit = (event.down == o or (event.interface_down or ("",))[0] == o
               or any(f.tracked_by & {p.name for p in unit} for f in event.failures)
               or any(states[p.name] != self.healthy[p.name] for p in unit))
        if n == o:
            if hit and event.down is None and not self.state(states, o).fault and len(self.router.peers) > 1:
                comparison = self.compare(states, o, after)
                return _Judgement(STUCK, f"VIP stays on {o}: {comparison}", comparison=comparison)
            return _Judgement(OK, f"VIP stays on {o}")
        back = _project(self.router, recovered) if recovered is not None else None
        recovery = (f"; back to {_names(back)} after recovery" if back and back != new
                    else "; stays there after recovery")
        if not hit:
            comparison = self.compare(states, n, after)
            return _Judgement(LOST, f"healthy holder {o} loses the VIP to {n} ({comparison}){recovery}",
                              self.move_time(event, states, before, after), comparison)
        moves = [judge.move_time(event, states, before, after) for judge in
                 dict.fromkeys(self.judges.get(p.name, self) for p in unit)]
        duration = max((m for m in moves if m is not None), key=lambda d: d.worst, default=None) or \
            self.duration(event, states, old_peer, self.by_node[n])
        clean = ", under 1 s on a clean stop" if event.down else ""
        return _Judgement(MOVED, f"VIP moves {o} → {n} ({duration}{clean}){recovery if event.down is None else ''}",
                          takeover=duration)

    def move_time(self, event: _Event, states: dict[str, State], before: frozenset[str],
                  after: frozenset[str]) -> timing.Duration | None:
        """How long this router's VIP takes to move from ``before`` to ``after``, if it moves."""
        old, new = _project(self.router, before), _project(self.router, after)
        if len(old) != 1 or len(new) != 1 or old == new:
            return None
        (o,), (n,) = old, new
        staged = self.staged(event, before) if len(event.failures) > 1 else None
        return staged or self.duration(event, states, self.by_node[o], self.by_node[n])

    def first_master(self, event: _Event, states: dict[str, State], new: Peer) -> timing.Duration:
        """Nobody held the VIP: ``new`` leaves FAULT when its checks say so, as BACKUP, and
        becomes MASTER when its whole down timer has run (vrrp_scheduler.c)."""
        detected = self.detected(event, {new.node})
        down = timing.down_interval(new, states[new.name].eff, new)
        return detected + timing.Duration(down, down)

    def detected(self, event: _Event, nodes: set[str]) -> timing.Duration:
        """The slowest detection among the event's failures on ``nodes``."""
        return max((self.detection(f) for f in event.failures if f.node in nodes),
                   key=lambda d: d.worst, default=timing.Duration(0.0, 0.0))

    def detection(self, failure: Failure) -> timing.Duration:
        return timing.detection(self.fld.by_name[min(failure.tracked_by)], failure.track)

    def duration(self, event: _Event, states: dict[str, State], old: Peer, new: Peer) -> timing.Duration:
        new_eff = states[new.name].eff
        if event.down == old.node or (event.interface_down or ("",))[0] == old.node:
            return timing.takeover(timing.TIMEOUT, new, new_eff, old)
        detected = self.detected(event, {old.node, new.node})  # the master drops, or the backup rises
        cause = timing.PRIORITY_ZERO if states[old.name].fault else timing.LOWER_PRIORITY
        return detected + timing.takeover(cause, new, new_eff, old)

    def staged(self, event: _Event, before: frozenset[str]) -> timing.Duration | None:
        """Several checks failing at once are noticed one after the other (interfaces at
        once, scripts after ``fall`` runs). The VIP can pass through an interim holder,
        and a backup whose own priority changes while its down timer runs restarts that
        timer (vrrp_track.c): the last of these decides the time (real daemons: 0.7 s to
        an interim master then 4.3 s to the final one; 4.3 s when the new master's own
        check failed while it waited). An old master that goes to FAULT before the interim
        holder's down timer has run out is still the master: its priority-0 advert hands
        over after the skew time (real daemons: 0.6 s, not another down interval)."""
        order = sorted(event.failures, key=lambda f: self.detection(f).worst)
        masters, holder = before, _project(self.router, before)
        previous = self.healthy
        result: timing.Duration | None = None
        waiting: tuple[Peer, Peer, str] | None = None  # (new master, old master, cause)
        for count, failure in enumerate(order, 1):
            states = states_under(self.fld, _Event(event.label, tuple(order[:count])).failed())
            noticed = self.detection(failure)
            if waiting is not None and result is not None and noticed.worst < result.typical \
                    and states[waiting[1].name].fault:
                masters, holder = before, frozenset({waiting[1].node})  # the move has not happened yet
            after = elect(self.fld, states, masters)
            if after is None:
                return None
            new = _project(self.router, after)
            if new != holder and len(new) == 1 and len(holder) == 1:
                old_peer, new_peer = self.by_node[next(iter(holder))], self.by_node[next(iter(new))]
                cause = timing.PRIORITY_ZERO if states[old_peer.name].fault else timing.LOWER_PRIORITY
                waiting = (new_peer, old_peer, cause)
                result = noticed + timing.takeover(cause, new_peer, states[new_peer.name].eff, old_peer)
            elif (waiting is not None and result is not None and noticed.worst < result.worst
                  and states[waiting[0].name].eff != previous[waiting[0].name].eff):
                new_peer, old_peer, cause = waiting
                result = noticed + timing.takeover(cause, new_peer, states[new_peer.name].eff, old_peer)
            masters, holder, previous = after, new, states
        return result

    def compare(self, states: dict[str, State], holder: str, masters: frozenset[str]) -> str:
        """``lb-a 200 − 30 = 170 > 150 on lb-b``, against the best other live node, and why
        that node does not take over when it is higher."""
        h = self.state(states, holder)
        others = [n for n in self.by_node if n != holder and not self.state(states, n).fault]
        if not others:
            return f"{holder} {arithmetic(self.by_node[holder], h)}, every other node is in FAULT"
        best = max(others, key=lambda n: self.state(states, n).eff)
        o = self.state(states, best)
        relation = ">" if h.eff > o.eff else "=" if h.eff == o.eff else "<"
        text = (f"{holder} {arithmetic(self.by_node[holder], h)} {relation} "
                f"{arithmetic(self.by_node[best], o)} on {best}")
        if relation == "=":
            return text + " (a backup never preempts an equal priority)"
        if relation == "<":
            return text + self.why_not(states, self.by_node[best], masters)
        return text

    def why_not(self, states: dict[str, State], better: Peer, masters: frozenset[str]) -> str:
        if better.nopreempt:
            return f", but {better.node} has nopreempt"
        for sibling in better.siblings:
            eff = states[sibling.name].eff
            for master in self.fld.rivals(sibling) if sibling.name in self.fld.by_name else ():
                if master.name in masters and hears(sibling, master) and accepts(sibling, eff, states[master.name].eff):
                    group = better.sync_group.name if better.sync_group else ""
                    return (f", but {better.node}'s {sibling.instance.name} still accepts {master.node}'s priority "
                            f"{states[master.name].eff} and sync group {group} goes MASTER only when every member would")
        return ""


def _merge(judged: list[tuple[frozenset[str], frozenset[str] | None, _Judgement]]) -> tuple[list[frozenset[str]], bool, _Judgement]:
    """One scenario's outcomes from every start order -> candidates, stability, the judgement."""
    stable = all(after is not None for _, after, _ in judged)
    candidates = list(dict.fromkeys(after for _, after, _ in judged if after is not None))
    if not stable:
        return candidates, False, _Judgement(UNSTABLE, "no stable master: the election flaps")
    verdicts = list(dict.fromkeys(j.verdict for _, _, j in judged))
    if len(judged) == 1 or len(verdicts) == 1:
        return candidates, True, judged[0][2]
    text = "; ".join(f"if {_names(before)} held the VIP: {j.verdict}" for before, _, j in judged)
    if len(candidates) > 1:
        return candidates, True, _Judgement(START_ORDER, f"depends on start order: {text}")
    worst = min((j for _, _, j in judged), key=lambda j: _SEVERITY.index(j.kind))
    return candidates, True, _Judgement(worst.kind, text, worst.takeover, worst.comparison)


# -- simulating -------------------------------------------------------------------------


def _simulate_field(routers: list[Router]) -> list[Simulation]:
    fld = _field(routers)
    healthy_states = states_under(fld, {})
    starts = start_outcomes(fld, healthy_states)
    baselines = list(dict.fromkeys(m for m in starts.values() if m is not None))
    judges = [_Judge(fld, r, healthy_states) for r in routers]
    for judge in judges:
        judge.judges = {p.name: j for j in judges for p in j.router.peers}
    healthy = [_healthy(judge, starts, healthy_states) for judge in judges]
    scenarios: list[list[Scenario]] = [[] for _ in routers]
    for event in _events(fld):
        states = states_under(fld, event.failed())
        down = frozenset({event.down} if event.down else ())
        results = []
        for before in baselines:
            for after in possible(fld, states, before, down):
                recovered = elect(fld, healthy_states, after) if after is not None else None
                results.append((before, after, recovered))
        for judge, bucket in zip(judges, scenarios):
            bucket.append(_scenario(judge, event, states, results))
    return [Simulation(r, h, s, {node: (_project(r, m) if m is not None else None) for node, m in starts.items()})
            for r, h, s in zip(routers, healthy, scenarios)]


def _router_states(judge: _Judge, states: dict[str, State]) -> dict[str, State]:
    return {p.node: states[p.name] for p in judge.router.peers}


def _healthy(judge: _Judge, starts: dict[str, Masters], states: dict[str, State]) -> Scenario:
    scenario = Scenario("healthy", states=_router_states(judge, states))
    outcomes = {node: (_project(judge.router, m) if m is not None else None) for node, m in starts.items()}
    scenario.candidates = list(dict.fromkeys(h for h in outcomes.values() if h is not None))
    if any(h is None for h in outcomes.values()):
        scenario.stable, scenario.kind, scenario.verdict = False, UNSTABLE, "no stable master: the election flaps"
    elif len(scenario.candidates) > 1:
        firsts = "; ".join(f"{node} first → {_names(h)}" for node, h in outcomes.items())
        scenario.kind = START_ORDER
        scenario.verdict = f"the master depends on start order ({firsts})"
    elif scenario.candidates:
        judgement = _baseline_kind(judge.router, scenario.candidates[0])
        scenario.kind, scenario.verdict = judgement.kind, judgement.verdict
    return scenario


def _scenario(judge: _Judge, event: _Event, states: dict[str, State],
              results: list[tuple[frozenset[str], Masters, Masters]]) -> Scenario:
    judged: list[tuple[frozenset[str], frozenset[str] | None, _Judgement]] = []
    for before, after, recovered in results:
        if after is None:
            judged.append((_project(judge.router, before), None, _Judgement(UNSTABLE, "")))
            continue
        judgement = judge.outcome(event, states, before, after, recovered)
        judged.append((_project(judge.router, before), _project(judge.router, after), judgement))
    # start orders that led to the same holders are one baseline for this router
    distinct = list({(before, after): (before, after, j) for before, after, j in judged}.values())
    candidates, stable, judgement = _merge(distinct)
    return Scenario(event.label, event.failures, event.down, event.interface_down, _router_states(judge, states),
                    candidates, stable, judgement.kind, judgement.verdict, judgement.takeover, judgement.comparison,
                    _outcomes(judge, distinct, _rivals(judge, results), states))


def _rivals(judge: _Judge, results: list[tuple[frozenset[str], Masters, Masters]]) -> dict[frozenset[str], list[frozenset[str]]]:
    """The field's possible masters after the event, by this router's holders before it."""
    found: dict[frozenset[str], list[frozenset[str]]] = {}
    for before, after, _ in results:
        if after is not None:
            found.setdefault(_project(judge.router, before), []).append(after)
    return found


def _outcomes(judge: _Judge, judged: list[tuple[frozenset[str], frozenset[str] | None, _Judgement]],
              rivals_by: dict[frozenset[str], list[frozenset[str]]], states: dict[str, State]) -> list[Outcome]:
    """One outcome per baseline; a baseline with several possible holder sets (timers
    that run out together, nodes leaving FAULT) is reported as such, with each. Such a
    race can cost the winner one more down interval: the losers' adverts restart its
    timer (real daemons: 4.6 s where a single priority-0 takeover takes 1.2 s). Where
    the rivals collide (both claim, both step down), nobody holds the VIPs meanwhile and
    every further collision costs another down interval: the verdict says so."""
    by_before: dict[frozenset[str], list[tuple[frozenset[str] | None, _Judgement]]] = {}
    for before, after, judgement in judged:
        by_before.setdefault(before, []).append((after, judgement))
    outcomes = []
    for before, results in by_before.items():
        if len(results) == 1:
            (after, j), = results
            outcomes.append(Outcome(before, after, j.kind, j.verdict, j.takeover))
            continue
        afters = [after for after, _ in results if after is not None]
        text = "; ".join(f"{_names(after)}: {j.verdict}" for after, j in results)
        moves = [j.takeover for _, j in results if j.takeover is not None]
        race = max(timing.down_interval(p, judge.healthy[p.name].eff, p) for p in judge.router.peers)
        span = timing.Duration(min(m.typical for m in moves), max(m.worst for m in moves) + race) if moves else None
        rivals = list(dict.fromkeys(rivals_by.get(before, [])))
        if any(collide(judge.fld, states, a, b) for a, b in itertools.combinations(rivals, 2)):
            text += (f"; if both claim the VIPs at once, each is outranked in a sync-group member and both step "
                     f"down: nobody holds them until the race is rerun ({race:.1f} s per collision)")
        outcomes.append(Outcome(before, None, START_ORDER, f"depends on which timer runs out first: {text}",
                                span, tuple(afters)))
    return outcomes


#: How the routers of one component are simulated (None: ``_simulate_field``): the
#: language server reuses the simulations of components an edit did not touch
#: (``kalint.incremental``).
simulator: ContextVar[Callable[[list[Router]], list[Simulation]] | None] = ContextVar("kalint_simulator", default=None)


def simulate_component(routers: list[Router]) -> list[Simulation]:
    """The simulations of one component (routers tied by sync groups), in its order."""
    return _simulate_field(routers)


def simulate(routers: list[Router]) -> list[Simulation]:
    """Every scenario of every router; routers tied by sync groups are elected together."""
    result: dict[int, Simulation] = {}
    one = simulator.get() or _simulate_field
    for component in _components(routers):
        for sim in one(component):
            result[id(sim.router)] = sim
    return [result[id(r)] for r in routers]


def simulations(group: PeerGroup) -> list[Simulation]:
    """The group's simulations, computed once and shared by every rule; none when too large."""
    if group.too_large:
        return []
    if group.simulations is None:
        group.simulations = simulate(group.routers)
    return group.simulations
