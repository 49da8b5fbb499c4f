"""The failover simulator: for one virtual router, every single and double tracked-check
failure and every node down, each node's effective priority and who holds the VIPs.

Steady state only (semantics.md §10): the healthy cluster elects from a cold start, each
scenario re-elects from that holder (so ``nopreempt`` and equal priorities keep it), and
recovery re-elects from the scenario's holder.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from kalint.cluster import Router
from kalint.vrrp import Peer, State, Track, arithmetic, elect, evaluate, mismatch

#: Verdict kinds; the ones the KA4xx rules report are ``stuck`` and ``lost``.
OK, MOVED, STUCK, LOST, SPLIT, NONE, UNSTABLE = "ok", "moved", "stuck", "lost", "split", "none", "unstable"


@dataclass(frozen=True, slots=True)
class Failure:
    """One tracked object that fails in a scenario."""

    node: str
    track: Track

    def __str__(self) -> str:
        return f"{self.track.label} fails on {self.node}"


@dataclass(slots=True)
class Scenario:
    """One simulated situation and who holds the VIPs in it."""

    label: str
    failures: tuple[Failure, ...] = ()
    down: str | None = None
    states: dict[str, State] = field(default_factory=dict)
    holders: set[str] | None = None
    after_recovery: set[str] | None = None
    kind: str = OK
    verdict: str = ""


@dataclass(slots=True)
class Simulation:
    """Every scenario of one virtual router."""

    router: Router
    healthy: Scenario
    scenarios: list[Scenario]
    #: Cold-start holders when each node starts first, where they differ from the usual one
    #: (only computed when asked for).
    start_order: dict[str, set[str]]


def _states(peers: list[Peer], failures: tuple[Failure, ...]) -> dict[str, State]:
    states = {}
    for p in peers:
        failed = frozenset((f.track.kind, f.track.name) for f in failures if f.node == p.node)
        state = evaluate(p, failed)
        if not state.fault and any(evaluate(s, failed).fault for s in p.siblings):
            state = replace(state, fault=True)  # a sync group member in FAULT takes the group down
        states[p.node] = state
    return states


def _names(nodes: set[str] | None) -> str:
    return " and ".join(sorted(nodes)) if nodes else "nobody"


def failures_of(router: Router) -> list[Failure]:
    """Every tracked check on every node (its sync group siblings' checks too)."""
    found: dict[tuple[str, str, str], Failure] = {}
    for p in router.peers:
        for owner in (p, *p.siblings):
            for t in owner.checks():
                found.setdefault((p.node, t.kind, t.name), Failure(p.node, t))
    return list(found.values())


def simulate(router: Router, start_orders: bool = False) -> Simulation:
    """Every scenario; ``start_orders`` also tries each node starting first (for display)."""
    peers = router.peers
    healthy_states = _states(peers, ())
    m0 = elect(peers, healthy_states, set(), cold=True)
    healthy = Scenario("healthy", states=healthy_states, holders=m0)
    _judge_baseline(healthy, peers)
    start_order = {}
    for p in peers if start_orders else ():
        if not healthy_states[p.node].fault:
            first = elect(peers, healthy_states, {p.node}, cold=False)
            if first != m0:
                start_order[p.node] = first or set()
    single = [(f,) for f in failures_of(router)]
    double = list(itertools.combinations([f for (f,) in single], 2))
    scenarios = []
    for failures in [*single, *double]:
        scenarios.append(_run(peers, m0, healthy_states, Scenario(", ".join(map(str, failures)), failures)))
    for p in peers:
        scenarios.append(_run(peers, m0, healthy_states, Scenario(f"{p.node} down", down=p.node)))
    return Simulation(router, healthy, scenarios, start_order)


def _judge_baseline(s: Scenario, peers: list[Peer]) -> None:
    if s.holders is None:
        s.kind, s.verdict = UNSTABLE, "no stable master: the election flaps"
    elif not s.holders:
        s.kind, s.verdict = NONE, "no VIP holder (every node in FAULT)"
    elif len(s.holders) > 1:
        s.kind, s.verdict = SPLIT, f"split brain: {_names(s.holders)} are all MASTER ({_why_split(peers, s.holders)})"
    else:
        s.verdict = f"{_names(s.holders)} holds the VIP"


def _why_split(peers: list[Peer], holders: set[str]) -> str:
    by = {p.node: p for p in peers}
    a, b = sorted(holders)[:2]
    return mismatch(by[a], by[b]) or mismatch(by[b], by[a]) or "they do not hear each other"


def _run(peers: list[Peer], m0: set[str] | None, healthy_states: dict[str, State], s: Scenario) -> Scenario:
    s.states = _states(peers, s.failures)
    down = frozenset({s.down} if s.down else ())
    s.holders = elect(peers, s.states, m0 or set(), cold=False, down=down)
    if m0 is None or len(m0) != 1:
        _judge_baseline(s, peers)
        return s
    (old,) = m0
    hit_holder = s.down == old or any(f.node == old for f in s.failures)
    if s.holders is None or len(s.holders) != 1:
        _judge_baseline(s, peers)
        return s
    (new,) = s.holders
    s.after_recovery = elect(peers, healthy_states, s.holders, cold=False)
    by = {p.node: p for p in peers}
    if new == old:
        if hit_holder and s.down is None and not s.states[old].fault and len(peers) > 1:
            s.kind = STUCK
            s.verdict = f"VIP stays on {old}: {_compare(by, s.states, old)}"
        else:
            s.verdict = f"VIP stays on {old}"
        return s
    back = s.after_recovery
    recovery = f"; back to {_names(back)} after recovery" if back and back != s.holders else "; stays there after recovery"
    if hit_holder:
        s.kind = MOVED
        timing = _takeover_time(by[old], by[new], s)
        s.verdict = f"VIP moves {old} → {new} ({timing}){recovery if s.down is None else ''}"
    else:
        s.kind = LOST
        s.verdict = f"healthy holder {old} loses the VIP to {new} ({_compare(by, s.states, new)}){recovery}"
    return s


def _takeover_time(old: Peer, new: Peer, s: Scenario) -> str:
    """Roughly how long the move takes (semantics.md §8): detection, then a priority-0
    advert on FAULT, or the new master's down timer when the old one keeps advertising
    a lower priority or dies silently."""
    skew = (256 - s.states[new.node].eff) / 256 * (new.adv if new.version == 3 else 1)
    down_timer = new.down_timer_adverts * new.adv + skew
    if s.down is not None:
        return f"≈ {down_timer:.1f} s if {old.node} dies silently, under 1 s on a clean stop"
    detection = 0.0
    for failure in s.failures:
        script = old.config.script(failure.track.name) if failure.track.kind == "script" else None
        if failure.node == old.node and script is not None:
            interval = script.interval.value if script.interval else 1.0
            fall = script.fall.value if script.fall else 1
            detection = max(detection, interval * fall)
    if s.states[old.node].fault:
        return f"≈ {detection + skew:.1f} s: detection, then a priority-0 advert"
    inst = new.instance
    delay = inst.preempt_delay.value if inst.preempt_delay and not new.want_master and not new.strict else 0.0
    return f"≈ {detection + delay + down_timer:.1f} s: detection, then {new.node}'s down timer"


def _compare(by: dict[str, Peer], states: dict[str, State], holder: str) -> str:
    """``lb-a 200 − 30 = 170 ≥ 150 on lb-b`` against the best other live node."""
    h = states[holder]
    others = [n for n in states if n != holder and not states[n].fault]
    if not others:
        return f"{holder} {arithmetic(by[holder], h)}, every other node is in FAULT"
    best = max(others, key=lambda n: states[n].eff)
    o = states[best]
    relation = ">" if h.eff > o.eff else "=" if h.eff == o.eff else "<"
    text = f"{holder} {arithmetic(by[holder], h)} {relation} {arithmetic(by[best], o)} on {best}"
    if relation == "<" and by[best].nopreempt:
        text += f", but {best} has nopreempt"
    elif relation == "=":
        text += " (a backup never preempts an equal priority)"
    return text
