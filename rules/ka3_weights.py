"""KA350, KA351: weight arithmetic on one config, with the peers' numbers when they are
linted together (these are cluster-scope rules: a config without a peer is a group of
one, so they speak about single files too)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VrrpScript
from kalint.rule import Rule
from kalint.rules._cluster import setting_span
from kalint.runtime.election import Field, elect, start_outcomes
from kalint.runtime.grouping import PeerGroup, Router
from kalint.runtime.loading import OWNER, Peer, Track
from kalint.runtime.priority import arithmetic, evaluate


def _tracking(peer: Peer, name: str) -> Track | None:
    return next((t for t in peer.trackers if t.kind == "script" and t.name == name), None)


def _with_script(peer: Peer, script: VrrpScript | None) -> tuple[Peer, bool]:
    """The peer as it runs, or as it would run if it tracked ``script`` (hypothetical:
    never for a script it names but keepalived cannot resolve, e.g. one defined later)."""
    if script is None or script.weight is None or _tracking(peer, script.name) is not None:
        return peer, False
    if any(u.kind == "script" and u.ref.name == script.name for u in peer.unresolved):
        return peer, False
    stripped = peer.sync_group is not None and peer.sync_group.sync_group_tracking_weight is None
    if peer.base == OWNER or stripped:
        return peer, False  # keepalived would drop the weight (KA304/KA305 say so)
    return replace(peer, trackers=[*peer.trackers, Track("script", script.name, script.weight.value, script.reverse)],
                   siblings=[]), True


def _router_of(group: PeerGroup, peer: Peer) -> Router | None:
    return next((r for r in group.routers if any(p is peer for p in r.peers)), None)


class PositiveWeight(Rule):
    """A positive `weight` on a `vrrp_script` is a bonus while the check succeeds.

    It is not a penalty when the check fails:
    keepalived adds a positive weight to the priority while the script exits 0 and adds
    nothing when it fails; a negative weight is subtracted while it fails. Both can fail
    over, but the numbers differ from what "weight 50 lowers the priority by 50" suggests:
    kalint shows the arithmetic on the definition (even when nothing tracks it yet), with
    the peers' numbers when they are linted together. It is information; KA410 warns where
    the peers' arithmetic shows the failover cannot happen.

    Bad: the author expected 101 → 51 in maintenance:

        vrrp_script check_test_mode {
            script "/etc/keepalived/check_test3.sh"
            weight 50
        }

    Good: a penalty while failing:

        vrrp_script check_test_mode {
            script "/etc/keepalived/check_test3.sh"
            weight -50
        }
    """

    code = "KA350"
    name = "positive-weight-is-bonus"
    severity = Severity.INFO
    summary = "a positive vrrp_script weight is added while the check passes"
    scope = "cluster"

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        for config in group.configs:
            for script in config.vrrp_scripts:
                if script.weight is None or script.weight.value <= 0 or script.reverse:
                    continue
                yield self.diagnostic(script.weight.node.span, self._message(group, config, script))

    def _message(self, group: PeerGroup, config: Config, script: VrrpScript) -> str:
        w = script.weight.value if script.weight else 0
        head = f"weight {w} is added to the priority while {script.name} succeeds, not subtracted when it fails"
        peers = [p for p in group.peers if p.config is config]
        parts: list[str] = []
        hypothetical = False
        for peer in peers[:2]:
            variant, assumed = _with_script(peer, script)
            track = _tracking(variant, script.name)
            if track is None or track.weight <= 0:
                continue
            hypothetical |= assumed
            parts.append(self._arithmetic(group, peer, variant, script))
        if not parts:
            return head
        if hypothetical:
            head += f"; nothing tracks {script.name} yet, but if it did"
        return f"{head}: " + "; ".join(parts)

    def _arithmetic(self, group: PeerGroup, peer: Peer, variant: Peer, script: VrrpScript) -> str:
        failing = frozenset({("script", script.name)})
        up, down = evaluate(variant), evaluate(variant, failing)
        text = (f"{peer.name} runs at {arithmetic(variant, up)} while it passes and "
                f"{arithmetic(variant, down)} when it fails")
        router = None if group.too_large else _router_of(group, peer)  # too large: not simulated
        if router is None:
            return text
        others = [_with_script(p, p.config.script(script.name))[0] for p in router.peers if p is not peer]
        healthy = {p.name: evaluate(p) for p in others}
        healthy[variant.name] = up
        everyone = Field([variant, *others], {p.name: 0 for p in (variant, *others)})
        text += ", against " + ", ".join(f"{p.node} at {arithmetic(p, healthy[p.name])}" for p in others)
        outcomes = set(start_outcomes(everyone, healthy).values())
        if outcomes != {frozenset({variant.name})}:
            return text
        after = elect(everyone, {**healthy, variant.name: down}, frozenset({variant.name}))
        if after and len(after) == 1 and variant.name not in after:
            new = everyone.by_name[next(iter(after))]
            return text + f": a failure on {peer.node} moves the VIP to {new.node} ({down.eff} < {healthy[new.name].eff})"
        return text + f": a failure on {peer.node} does not move the VIP"


class NopreemptWeights(Rule):
    """An instance with `nopreempt` and weighted checks, linted without its peers.

    With `nopreempt` a backup never takes the VIP from a live master because of
    priorities: only the master's FAULT (a priority-0 advert) or its silence moves it. If
    the peers have `nopreempt` too (the usual template), the weights never move the VIP at
    all. Lint the peers together for the exact answer (KA410).

    Bad:

        vrrp_instance VI_1 {
            state BACKUP
            nopreempt
            track_script { chk_nginx weight -50 }
        }

    Good: weight 0 (FAULT) for checks that must move the VIP, or no `nopreempt`.
    """

    code = "KA351"
    name = "nopreempt-blocks-weights"
    severity = Severity.INFO
    summary = "nopreempt with weighted checks: priorities never move the VIP"
    scope = "cluster"

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        if not group.alone:
            return
        if not any(i.nopreempt is not None for c in group.configs for i in c.vrrp_instances):
            return
        for peer in group.peers:
            weighted = [t for t in peer.trackers if t.weight != 0 and t.kind != "file"]
            if not peer.nopreempt or not weighted:
                continue
            names = ", ".join(f"{t.label} {t.weight:+d}" for t in weighted[:3])
            yield self.diagnostic(
                setting_span(peer, "nopreempt"),
                f"{peer.instance.name} has nopreempt: it never takes the VIP from a live master because of "
                f"priorities, so its weighted checks ({names}) move the VIP only where a peer preempts; a failover "
                f"otherwise needs the master's FAULT or silence",
            )
