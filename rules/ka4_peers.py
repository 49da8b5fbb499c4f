"""KA401–KA417: HA peers that cannot work together, and what the failover simulation shows.

Each rule receives a peer group (kalint.runtime.grouping) and looks at its virtual routers: the
instances, one per node, that serve the same VIPs. A difference that makes one node drop
the other's adverts is split brain: both become MASTER (semantics.md §6).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.rule import Rule
from kalint.rules._cluster import (
    pairs_with_reference,
    related,
    setting_span,
    single_failures,
    track_statement,
)
from kalint.runtime.addresses import ip_text
from kalint.runtime.failover import LOST, STUCK
from kalint.runtime.grouping import PeerGroup, Router, vip_text
from kalint.runtime.loading import OWNER, Peer
from kalint.runtime.priority import arithmetic, evaluate
from kalint.syntax.span import Span

SPLIT_BRAIN = "neither accepts the other's adverts and both become MASTER (split brain)"


class _PairRule(Rule):
    """A setting every node of a virtual router must agree on; compared with the first node."""

    scope = "cluster"
    router_local = True
    keyword = "virtual_router_id"

    def differs(self, ref: Peer, other: Peer) -> str | None:
        raise NotImplementedError

    def applies(self, ref: Peer, other: Peer) -> bool:
        return ref.vrid == other.vrid and ref.family == other.family

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for router in group.routers:
            for ref, other in pairs_with_reference(router):
                if not self.applies(ref, other):
                    continue
                message = self.differs(ref, other)
                if message is not None:
                    yield self.diagnostic(
                        self.span(other), message,
                        severity=self.severity_for(ref, other),
                        related=[related(ref, self.keyword, "the peer's setting")],
                    )

    def severity_for(self, ref: Peer, other: Peer) -> Severity | None:
        return None

    def span(self, peer: Peer) -> Span:
        return setting_span(peer, self.keyword)


class VridMismatch(_PairRule):
    """Peers serve the same virtual IPs under different `virtual_router_id`s.

    keepalived matches adverts by VRID: an advert for an unknown VRID is dropped silently.
    Each node then hears nothing, becomes MASTER and claims the VIP: split brain.

    Bad:

        # lb-a                          # lb-b
        virtual_router_id 51            virtual_router_id 52
        virtual_ipaddress { 192.0.2.10 }    virtual_ipaddress { 192.0.2.10 }

    Good: the same `virtual_router_id` on every node serving 192.0.2.10.
    """

    code = "KA401"
    name = "peer-vrid-mismatch"
    severity = Severity.ERROR
    summary = "peers serve the same VIPs under different virtual_router_ids"

    def applies(self, ref: Peer, other: Peer) -> bool:
        return bool(ref.vips & other.vips)

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.vrid == other.vrid:
            return None
        return (f"{other.name} serves {vip_text(ref.vips & other.vips)} under virtual_router_id {other.vrid}, "
                f"but {ref.name} serves it under {ref.vrid}: adverts are matched by VRID, so {SPLIT_BRAIN}")


class VridCollision(Rule):
    """Two instances use the same VRID and family for disjoint VIPs in one subnet.

    Either they are peers whose VIP lists disagree (split brain), or they are two clusters
    on one segment: each then drops the other's adverts with `ip address associated with
    VRID not present in MASTER advert`, and a cluster whose own peer is unreachable can be
    held BACKUP by the other cluster's adverts when the lists happen to match. Give each
    cluster on a segment its own VRID.

    Bad:

        # cluster X                     # cluster Y, same LAN
        virtual_router_id 51            virtual_router_id 51
        virtual_ipaddress { 192.0.2.10/24 }    virtual_ipaddress { 192.0.2.20/24 }

    Good: `virtual_router_id 52` for cluster Y.
    """

    code = "KA402"
    name = "vrid-collision-segment"
    severity = Severity.WARNING
    summary = "the same VRID for disjoint VIPs in one subnet"
    scope = "cluster"
    keyword = "virtual_router_id"

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for ref, other in group.collisions:
            yield self.diagnostic(
                setting_span(other, self.keyword),
                f"{other.name} ({vip_text(other.vips)}) and {ref.name} ({vip_text(ref.vips)}) both use "
                f"virtual_router_id {ref.vrid} with IPv{ref.family} addresses in one subnet but share no VIP: "
                f"as two clusters on one segment they collide; as peers they disagree on every VIP",
                related=[related(ref, self.keyword, "the same VRID")],
            )


class AdvertIntMismatch(_PairRule):
    """Peers advertise at different `advert_int`s.

    Under VRRPv2 keepalived drops an advert whose interval differs from its own
    (`advertisement interval mismatch`), so both nodes become MASTER. VRRPv3 accepts it
    and the backup adopts the master's interval (info only).

    Bad:

        # lb-a: advert_int 1            # lb-b: advert_int 2

    Good: the same `advert_int` on every node.
    """

    code = "KA403"
    name = "peer-advert-int-mismatch"
    severity = Severity.ERROR
    summary = "peers use different advert_int"
    keyword = "advert_int"

    def applies(self, ref: Peer, other: Peer) -> bool:
        return super().applies(ref, other) and ref.version == other.version

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.adv == other.adv:
            return None
        if ref.version == 3:
            return (f"{other.name} advertises every {other.adv:g} s and {ref.name} every {ref.adv:g} s: "
                    f"VRRPv3 accepts this, and a backup adopts the current master's interval")
        return (f"{other.name} advertises every {other.adv:g} s and {ref.name} every {ref.adv:g} s: under VRRPv2 "
                f"keepalived drops adverts with another interval, so {SPLIT_BRAIN}")

    def severity_for(self, ref: Peer, other: Peer) -> Severity | None:
        return Severity.INFO if ref.version == 3 else None


def _auth_text(peer: Peer) -> str:
    inst = peer.instance
    if inst.authentication is None:
        return "no authentication"
    if peer.auth is not None:
        return f"auth_type {peer.auth[0]} with a password"
    reason = ("strict mode" if peer.strict else "VRRPv3" if peer.version == 3 else "an empty auth_pass")
    return f"authentication ignored ({reason})"


class AuthMismatch(_PairRule):
    """Peers authenticate differently once keepalived has normalised `authentication`.

    Under VRRPv2 the type must match and PASS compares the first 8 bytes of `auth_pass`.
    keepalived ignores authentication with VRRPv3, strict mode or an empty password, so a
    node where it is ignored and one where it is not disagree on the type: split brain.

    Bad:

        # lb-a: auth_pass secret1       # lb-b: auth_pass secret2

    Good: the same `auth_type` and `auth_pass` (at most 8 characters) everywhere.
    """

    code = "KA404"
    name = "peer-auth-mismatch"
    severity = Severity.ERROR
    summary = "peers authenticate differently (VRRPv2)"
    keyword = "authentication"

    def applies(self, ref: Peer, other: Peer) -> bool:
        return super().applies(ref, other) and ref.version == other.version == 2

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.auth == other.auth:
            return None
        mine, theirs = _auth_text(other), _auth_text(ref)
        if mine == theirs:
            return (f"{other.name} and {ref.name} use {mine.replace('a password', 'passwords')} whose first 8 "
                    f"characters differ (only those are compared): {SPLIT_BRAIN}")
        return f"{other.name} has {mine} but {ref.name} has {theirs}: {SPLIT_BRAIN}"


def _version_reason(peer: Peer) -> str:
    if peer.instance.version is not None:
        return f"`version {peer.instance.version.value}`"
    if peer.family == 6:
        return "IPv6 defaults to 3"
    if peer.config.global_defs.get("vrrp_version") is not None:
        return "global vrrp_version"
    return "the default"


class VersionMismatch(_PairRule):
    """Peers run different VRRP versions.

    keepalived drops an advert of the other version (`wrong version`). The version comes
    from the instance's `version`, the global `vrrp_version` (default 2), and IPv6
    instances default to 3.

    Bad:

        # lb-a: global_defs { vrrp_version 3 }     # lb-b: nothing (VRRPv2)

    Good: the same version on every node.
    """

    code = "KA405"
    name = "peer-version-mismatch"
    severity = Severity.ERROR
    summary = "peers run different VRRP versions"
    keyword = "version"

    def span(self, peer: Peer) -> Span:
        stmt = peer.config.global_defs.get("vrrp_version")
        if peer.instance.version is None and stmt is not None:
            return stmt.span
        return super().span(peer)

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.version == other.version:
            return None
        return (f"{other.name} runs VRRPv{other.version} ({_version_reason(other)}) and {ref.name} "
                f"VRRPv{ref.version} ({_version_reason(ref)}): keepalived drops adverts of the other version, "
                f"so {SPLIT_BRAIN}")


class VipSetMismatch(_PairRule):
    """Peers of one VRID list different `virtual_ipaddress` sets.

    A backup checks the number of addresses in the master's advert and that each of its
    own VIPs is there; otherwise it drops the advert and becomes MASTER too. This holds
    as much for sets that share no address at all, as long as the instances are one
    virtual router (unicast peers of each other, for instance).
    `virtual_ipaddress_excluded` is not compared.

    Bad:

        # lb-a: virtual_ipaddress { 192.0.2.10 }
        # lb-b: virtual_ipaddress { 192.0.2.10 192.0.2.11 }

    Good: the same addresses on every node (order and prefix do not matter).
    """

    code = "KA406"
    name = "peer-vip-set-mismatch"
    severity = Severity.ERROR
    summary = "peers of one VRID list different virtual_ipaddress sets"
    keyword = "virtual_ipaddress"

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.vips == other.vips:
            return None
        parts = []
        if other.vips - ref.vips:
            parts.append(f"{vip_text(other.vips - ref.vips)} only on {other.node}")
        if ref.vips - other.vips:
            parts.append(f"{vip_text(ref.vips - other.vips)} only on {ref.node}")
        return (f"{other.name} has {len(other.vips)} VIP(s) and {ref.name} {len(ref.vips)} ({'; '.join(parts)}): "
                f"a backup drops adverts whose addresses differ from its own, so {SPLIT_BRAIN}")


class UnicastMismatch(Rule):
    """Unicast peers that do not point at each other, or unicast on one node only.

    In unicast mode each node sends its adverts only to its own `unicast_peer` list. If
    lb-b does not list lb-a's `unicast_src_ip`, lb-a never hears lb-b and becomes MASTER
    as well. A node in multicast mode and one in unicast mode never meet either.

    Bad:

        # lb-a: unicast_src_ip 10.0.0.1  unicast_peer { 10.0.0.2 }
        # lb-b: unicast_src_ip 10.0.0.2  unicast_peer { 10.0.0.3 }

    Good: every node's source address in every other node's `unicast_peer`.
    """

    code = "KA407"
    name = "peer-unicast-mismatch"
    severity = Severity.ERROR
    summary = "unicast peers that do not list each other"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for router in group.routers:
            peers = router.peers
            for ref, other in pairs_with_reference(router):
                if ref.vrid == other.vrid and ref.unicast != other.unicast:
                    uni, multi = (ref, other) if ref.unicast else (other, ref)
                    yield self.diagnostic(
                        setting_span(uni, "unicast_peer"),
                        f"{uni.name} sends its adverts by unicast and {multi.name} by multicast: "
                        f"{SPLIT_BRAIN}",
                        related=[Related(multi.instance.node.header_span, f"{multi.name}: multicast")],
                    )
            for sender in peers:
                for receiver in peers:
                    if (receiver is sender or not (sender.unicast and receiver.unicast)
                            or sender.vrid != receiver.vrid or receiver.src is None
                            or receiver.src in sender.unicast_peers):
                        continue
                    if receiver.src == sender.src:
                        if peers.index(sender) < peers.index(receiver):  # once per pair
                            yield self.diagnostic(
                                setting_span(receiver, "unicast_src_ip"),
                                f"{receiver.name} and {sender.name} both say unicast_src_ip {receiver.src}: one of "
                                f"them names the other's address, so adverts meant for it go elsewhere and both "
                                f"become MASTER",
                                related=[related(sender, "unicast_src_ip", "the same source address")],
                            )
                        continue
                    yield self.diagnostic(
                        setting_span(sender, "unicast_peer"),
                        f"{sender.name} does not list {receiver.node}'s unicast_src_ip {receiver.src} in unicast_peer "
                        f"({', '.join(sorted(sender.unicast_peers))}): {receiver.name} never hears {sender.node} and "
                        f"becomes MASTER as well",
                        related=[related(receiver, "unicast_src_ip", "the source address")],
                    )


class DownTimerMismatch(_PairRule):
    """`down_timer_adverts` differs between peers.

    The man page requires every router of a VRID to use the same value: it sets how many
    missed adverts make a backup take over, so peers disagree about when the master is
    dead.

    Bad:

        # lb-a: down_timer_adverts 5    # lb-b: (default 3)

    Good: the same value everywhere.
    """

    code = "KA414"
    name = "peer-down-timer-mismatch"
    severity = Severity.WARNING
    summary = "peers use different down_timer_adverts"
    keyword = "down_timer_adverts"

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.down_timer_adverts == other.down_timer_adverts:
            return None
        return (f"{other.name} waits {other.down_timer_adverts} advert intervals before declaring the master dead and "
                f"{ref.name} {ref.down_timer_adverts}: keepalived requires the same down_timer_adverts on every router "
                f"of a VRID")


class McastGroupMismatch(_PairRule):
    """Peers send their multicast adverts to different groups.

    `mcast_dst_ip` (or the global `vrrp_mcast_group4`/`vrrp_mcast_group6`) decides where
    adverts go; peers listening on different groups never meet.

    Bad:

        # lb-a: mcast_dst_ip 224.0.0.19  # lb-b: (default 224.0.0.18)

    Good: the same group everywhere.
    """

    code = "KA415"
    name = "peer-mcast-group-mismatch"
    severity = Severity.ERROR
    summary = "peers multicast to different groups"
    keyword = "mcast_dst_ip"

    def applies(self, ref: Peer, other: Peer) -> bool:
        return super().applies(ref, other) and not ref.unicast and not other.unicast

    def differs(self, ref: Peer, other: Peer) -> str | None:
        if ref.mcast_group == other.mcast_group:
            return None
        return (f"{other.name} multicasts to {other.mcast_group} and {ref.name} to {ref.mcast_group}: {SPLIT_BRAIN}")


class BothStateMaster(Rule):
    """More than one peer says `state MASTER`.

    `state` only sets the start-up timer: a non-owner `state MASTER` starts as BACKUP
    with a timer of one advert interval (plus skew) instead of the full master-down
    interval. A restarting node hears the live master's next advert before that timer
    runs out, so this does not make the VIP flap (two real 2.2.7 daemons: no move in 9
    restarts); priorities decide the master. The config then says something keepalived
    does not do, and only the start-up of a cluster that is entirely down is faster.

    Bad:

        # lb-a: state MASTER  priority 101     # lb-b: state MASTER  priority 100

    Good:

        # lb-a: state MASTER  priority 101     # lb-b: state BACKUP  priority 100
    """

    code = "KA408"
    name = "peers-both-state-master"
    severity = Severity.INFO
    summary = "more than one peer says state MASTER"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for router in group.routers:
            masters = sorted((p for p in router.peers if p.want_master and p.instance.state is not None),
                             key=lambda p: -p.base)
            for peer in masters[1:]:
                top = masters[0]
                if peer.base == top.base == OWNER:
                    continue  # two owners: KA416
                decided = (f"priority makes {top.node} the master" if top.base > peer.base
                           else "with equal priorities whoever comes up first is the master")
                yield self.diagnostic(
                    setting_span(peer, "state"),
                    f"{peer.name} (priority {peer.base}) and {top.name} (priority {top.base}) both say `state MASTER`: "
                    f"`state` only shortens the start-up timer, and a restarting {peer.node} hears {top.node}'s "
                    f"adverts before it runs out; {decided}",
                    related=[related(top, "state", "also `state MASTER`")],
                    help=f"use `state BACKUP` on {peer.node} so the config says what keepalived does",
                )


class EqualPriority(Rule):
    """The healthy peers of a VRID run at the same effective priority.

    A backup accepts adverts of equal priority (RFC 5798 §6.4.2), and the address
    tie-break only applies between two simultaneous masters: whoever comes up first keeps
    the VIP, and a failure that only levels the priorities never moves it.

    Bad:

        # lb-a: priority 100            # lb-b: priority 100

    Good: distinct priorities (or equal ones with `nopreempt`, said on purpose).
    """

    code = "KA409"
    name = "peer-equal-priority"
    severity = Severity.INFO
    summary = "healthy peers run at the same effective priority"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for router in group.routers:
            states = {p.node: evaluate(p) for p in router.peers}
            live = [p for p in router.peers if not states[p.node].fault]
            if len(live) < 2:
                continue
            top = max(states[p.node].eff for p in live)
            tied = [p for p in live if states[p.node].eff == top]
            if len(tied) < 2 or len({p.vrid for p in tied}) > 1 or top == OWNER:
                continue  # (two owners: KA416)
            first, *rest = tied
            names = ", ".join(f"{p.node} {arithmetic(p, states[p.node])}" for p in tied)
            yield self.diagnostic(
                setting_span(rest[0], "priority"),
                f"{rest[0].name} and {first.name} run at the same effective priority ({names}): a backup never takes "
                f"over from an equal master, so whoever comes up first keeps {vip_text(router.vips)}",
                related=[related(first, "priority", f"also {top}")],
            )


class WeightCannotFailover(Rule):
    """A tracked check can fail on the VIP holder without the VIP moving.

    For each weighted check on the healthy holder, kalint recomputes both nodes'
    effective priorities with the check failing. A backup takes over only when its own
    priority is strictly higher (and it does not have `nopreempt`); otherwise the failing
    node keeps serving the VIP.

    Bad:

        # lb-a: priority 200  track_script { chk_nginx weight -30 }   → 170 > 150
        # lb-b: priority 150

    Good: a weight larger than the gap (`weight -60`: 140 < 150), or weight 0 (FAULT).
    """

    code = "KA410"
    name = "weight-cannot-failover"
    severity = Severity.WARNING
    summary = "a failing check on the VIP holder does not move the VIP"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for sim, scenario, failure, holder in single_failures(group, STUCK):
            before = arithmetic(holder, sim.healthy.states[holder.node])
            comparison = scenario.comparison.removeprefix(f"{holder.node} ")
            yield self.diagnostic(
                track_statement(holder, failure.track).span,
                f"{failure.track.label} failing on {holder.node} does not move {vip_text(sim.router.vips)}: "
                f"{holder.node} goes from {before} to {comparison}",
                help=self._help(sim.router, holder),
            )

    @staticmethod
    def _help(router: Router, holder: Peer) -> str:
        others = [p for p in router.peers if p is not holder]
        if others and all(p.nopreempt for p in others):
            names = ", ".join(p.node for p in others)
            return (f"{names} has nopreempt, so no weight can move the VIP: remove nopreempt there, or use weight 0 "
                    f"so a failure means FAULT (a FAULT master's priority-0 advert moves it even to a nopreempt node)")
        if holder.sync_group is not None and holder.siblings:
            return (f"track the check on sync group {holder.sync_group.name} (it then lowers every member), "
                    f"or use weight 0 so a failure means FAULT for the whole group")
        return "make |weight| larger than the gap, or use weight 0 so a failure means FAULT"


class HolderLosesVip(Rule):
    """A failing check on a node without the VIP takes the VIP from a healthy holder.

    This happens with `reverse` weights or positive weights on a backup: the failure
    raises the backup above the master, so the VIP moves away from a node where nothing
    failed.

    Bad:

        # lb-a: priority 150
        # lb-b: priority 100  track_script { chk weight 60 reverse }   → 160 when chk fails

    Good: weights that lower the node whose check fails.
    """

    code = "KA411"
    name = "healthy-holder-loses-vip"
    severity = Severity.WARNING
    summary = "a failure elsewhere takes the VIP from a healthy holder"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for _, scenario, failure, peer in single_failures(group, LOST):
            yield self.diagnostic(
                track_statement(peer, failure.track).span,
                f"{failure} and {scenario.verdict}",
            )


_ADDRESS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")


def _remote_target(command: str, own: set[str]) -> str | None:
    """A non-local IPv4 address a check command names: a dependency shared by the peers."""
    for text in _ADDRESS.findall(command):
        if ip_text(text) and not text.startswith(("127.", "0.")) and text not in own:
            return text
    return None


class AllNodesFault(Rule):
    """Every node tracks the same weight-0 check of a remote address.

    With weight 0 a failing check puts the instance in FAULT. When the check tests
    something all nodes share (a gateway, a database), one outage puts every node in FAULT
    and nobody holds the VIP. That may be intended; kalint says so.

    Bad:

        vrrp_script chk_gw { script "ping -c1 10.0.0.1" }   # on every node, weight 0

    Good: a weight (lower the priority) for checks of shared dependencies.
    """

    code = "KA412"
    name = "all-nodes-fault"
    severity = Severity.INFO
    summary = "a shared dependency failing puts every node in FAULT"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for router in group.routers:
            common = None
            for peer in router.peers:
                names = {t.name for t in peer.trackers if t.kind == "script" and t.weight == 0 and not t.reverse}
                common = names if common is None else common & names
            for name in sorted(common or ()):
                first = router.peers[0]
                script = first.config.script(name)
                command = script.script.value if script and script.script else ""
                own = {p.src for p in router.peers if p.src} | set(router.vips)
                target = _remote_target(command, own)
                if target is None:
                    continue
                track = next(t for t in first.trackers if t.kind == "script" and t.name == name)
                yield self.diagnostic(
                    track_statement(first, track).span,
                    f"every node ({', '.join(p.node for p in router.peers)}) tracks {name} with weight 0, and it tests "
                    f"{target}: if {target} fails, every node goes to FAULT and nobody holds {vip_text(router.vips)}",
                    help="give the check a weight so an outage of the shared dependency lowers priorities instead",
                )


class SyncGroupOrder(Rule):
    """The members of one sync group prefer different nodes.

    A sync group moves its members together: it goes MASTER only when every member wants
    to. If lb-a is preferred for VI_1 and lb-b for VI_2, each node's group always has one
    member that accepts the other node's adverts, so neither takes over: the whole group
    stays on whichever node became MASTER first (start order), and the node preferred
    for a member never takes it back. keepalived.conf(5) says such a group "flips back and
    forth"; two real 2.2.7 daemons stayed put in both start orders.

    Bad:

        # lb-a: VI_1 priority 150, VI_2 priority 100
        # lb-b: VI_1 priority 100, VI_2 priority 150

    Good: the same node highest for every member.
    """

    code = "KA413"
    name = "sync-group-inconsistent-order"
    severity = Severity.WARNING
    summary = "sync group members prefer different nodes"
    scope = "cluster"

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        winners: dict[tuple[str, ...], list[tuple[Router, str]]] = {}
        for router in group.routers:
            grouped = [p for p in router.peers if p.sync_group is not None]
            if len(grouped) < 2:
                continue
            states = {p.node: evaluate(p).eff for p in grouped}
            best = max(states.values())
            top = sorted(n for n, e in states.items() if e == best)
            if len(top) == 1:
                key = tuple(sorted(f"{p.node}:{p.sync_group.name}" for p in grouped if p.sync_group))
                winners.setdefault(key, []).append((router, top[0]))
        for entries in winners.values():
            first_router, first_winner = entries[0]
            for router, winner in entries[1:]:
                if winner == first_winner:
                    continue
                peer = next(p for p in router.peers if p.node == winner)
                other = next(p for p in first_router.peers if p.node == first_winner)
                yield self.diagnostic(
                    setting_span(peer, "priority"),
                    f"sync group {peer.sync_group.name if peer.sync_group else ''}: {winner} is highest for "
                    f"{router.label} but {first_winner} is highest for {first_router.label}: a sync group goes MASTER "
                    f"only when every member wants to, so the whole group stays on whichever node came up first "
                    f"and neither node's priorities are ever honoured for the other member",
                    related=[related(other, "priority", f"highest for {first_router.label}")],
                )


class TwoOwners(Rule):
    """More than one peer has priority 255 (address owner) for one VRID.

    keepalived 2.2.7 logs `CONFIGURATION ERROR: local instance and a remote instance are
    both configured as address owner` and lowers its own priority to 254. Only the node
    that really owns the address should say 255.

    Bad:

        # lb-a: priority 255            # lb-b: priority 255

    Good: 255 on the owner, lower priorities elsewhere.
    """

    code = "KA416"
    name = "peers-two-owners"
    severity = Severity.ERROR
    summary = "more than one peer is address owner (priority 255)"
    scope = "cluster"
    router_local = True

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for router in group.routers:
            owners = [p for p in router.peers if p.base == OWNER]
            for peer in owners[1:]:
                why = "priority 255" if peer.instance.priority is not None else "`state MASTER` with no priority (255)"
                yield self.diagnostic(
                    setting_span(peer, "priority" if peer.instance.priority is not None else "state"),
                    f"{peer.name} ({why}) and {owners[0].name} are both address owners of {vip_text(router.vips)}: "
                    f"keepalived logs a CONFIGURATION ERROR and the receiving side drops itself to 254",
                    related=[related(owners[0], "priority", "also 255")],
                )


class GroupTooLarge(Rule):
    """A peer group has more than 8 nodes: kalint checks it but does not simulate it.

    Large groups are usually many clusters in one directory that kalint could not tell
    apart; lint each cluster's files together to get the failover simulation.

    Bad: a directory of 12 configs that all serve one VIP.

    Good: `kalint lb-a.conf lb-b.conf`.
    """

    code = "KA417"
    name = "peer-group-too-large"
    severity = Severity.INFO
    summary = "a peer group too large to simulate"
    scope = "cluster"

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        if group.too_large:
            first = group.configs[0]
            node = first.vrrp_instances[0].node if first.vrrp_instances else None
            span = node.header_span if node is not None else Span(first.path, 1, 1, 1, 1)
            yield self.diagnostic(
                span,
                f"{len(group.configs)} configs form one peer group ({', '.join(group.nodes[:4])}, …): "
                f"more than 8 nodes, so the failover simulation is skipped",
            )
