"""Helpers shared by the peer (KA4xx) and weight (KA35x) rules: where to point, and the
failover simulation computed once per virtual router."""

from __future__ import annotations

from typing import Iterator

from kalint.cluster import PeerGroup, Router
from kalint.diagnostic import Related
from kalint.failover import Failure, Scenario, Simulation, simulate
from kalint.span import Span
from kalint.tree import Statement
from kalint.vrrp import Peer, Track


def setting_span(peer: Peer, keyword: str) -> Span:
    """The keyword's statement in the instance, else the instance's header."""
    stmt = peer.instance.node.first(keyword)
    return (stmt or peer.instance.node).header_span


def track_statement(peer: Peer, track: Track) -> Statement:
    """The ``track_*`` entry a tracker came from (instance or sync group)."""
    block = {"script": "track_script", "interface": "track_interface", "file": "track_file",
             "process": "track_process", "bfd": "track_bfd"}[track.kind]
    owners = [peer.sync_group, peer.instance] if track.from_group else [peer.instance, peer.sync_group]
    for owner in owners:
        if owner is None:
            continue
        ref = next((r for r in getattr(owner, block) if r.name == track.name), None)
        if ref is not None:
            return ref.node
    return peer.instance.node


def related(peer: Peer, keyword: str, what: str) -> Related:
    return Related(setting_span(peer, keyword), f"{peer.name}: {what}")


def pairs_with_reference(router: Router) -> Iterator[tuple[Peer, Peer]]:
    """(reference, other) for every other node: each difference is reported once, on the
    node that differs from the first config given."""
    reference = router.peers[0]
    for other in router.peers[1:]:
        yield reference, other


def simulation(group: PeerGroup, router: Router) -> Simulation | None:
    """The router's failover simulation; None for a group too large to simulate."""
    if group.too_large:
        return None
    cached = router.cache.get("simulation")
    if cached is None:
        cached = router.cache["simulation"] = simulate(router)
    assert isinstance(cached, Simulation)
    return cached


def single_failures(
    group: PeerGroup, kind: str
) -> Iterator[tuple[Router, Simulation, Scenario, Failure, dict[str, Peer]]]:
    """Scenarios of one kind (e.g. the VIP stuck, or lost) caused by one failing check,
    with the router, its simulation, the failure and the peers by node name."""
    for router in group.routers:
        sim = simulation(group, router)
        if sim is None:
            continue
        by = {p.node: p for p in router.peers}
        for scenario in sim.scenarios:
            if scenario.kind == kind and len(scenario.failures) == 1:
                yield router, sim, scenario, scenario.failures[0], by
