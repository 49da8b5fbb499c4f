"""Helpers shared by the peer (KA4xx) and weight (KA35x) rules: where to point, and the
failover simulation computed once per peer group."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Related
from kalint.runtime.failover import Failure, Scenario, Simulation, simulations
from kalint.runtime.grouping import PeerGroup, Router
from kalint.runtime.loading import Peer, Track
from kalint.syntax.span import Span
from kalint.syntax.tree import Statement


def setting_span(peer: Peer, keyword: str) -> Span:
    """The keyword's statement in the instance, else the instance's header."""
    stmt = peer.instance.node.first(keyword)
    return (stmt or peer.instance.node).header_span


def track_statement(peer: Peer, track: Track) -> Statement:
    """The ``track_*`` entry a tracker came from (instance or sync group); the instance
    itself for its implicitly tracked own interface."""
    return track.ref.node if track.ref is not None else peer.instance.node


def related(peer: Peer, keyword: str, what: str) -> Related:
    return Related(setting_span(peer, keyword), f"{peer.name}: {what}")


def pairs_with_reference(router: Router) -> Iterator[tuple[Peer, Peer]]:
    """(reference, other) for every other node: each difference is reported once, on the
    node that differs from the first config given."""
    reference = router.peers[0]
    for other in router.peers[1:]:
        yield reference, other


def single_failures(
    group: PeerGroup, kind: str
) -> Iterator[tuple[Simulation, Scenario, Failure, Peer]]:
    """Scenarios of one kind (e.g. the VIP stuck, or lost) caused by one failing check that
    the router's own instance on that node tracks, with the simulation, the failure and
    that instance."""
    for sim in simulations(group):
        by = {p.node: p for p in sim.router.peers}
        for scenario in sim.scenarios:
            if scenario.kind != kind or len(scenario.failures) != 1:
                continue
            failure = scenario.failures[0]
            peer = by.get(failure.node)
            if peer is not None and peer.name in failure.tracked_by:
                yield sim, scenario, failure, peer
