"""KA301–KA307: state, preemption, priority and tracker weights of one instance."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, SyncGroup, VrrpInstance
from kalint.rule import Rule
from kalint.rules._common import replace_fix
from kalint.runtime.loading import (
    CAP,
    FLOOR,
    OWNER,
    Definitions,
    base_priority,
    is_strict,
    load,
    loaded_instances,
    wants_master,
)
from kalint.runtime.priority import clamp, extremes, weighted
from kalint.syntax.span import Span


class PreemptWithMaster(Rule):
    """`nopreempt` or `preempt_delay` where keepalived clears it.

    keepalived clears `nopreempt` and `preempt_delay` on an instance with `state MASTER`
    (`nopreempt will not work with initial state MASTER - clearing`), clears `nopreempt`
    at priority 255, and resets `preempt_delay` together with `nopreempt` or in strict
    mode. The node then preempts although the config says it should not.

    Bad:

        vrrp_instance VI_1 {
            state MASTER
            nopreempt
            priority 150
        }

    Good:

        vrrp_instance VI_1 {
            state BACKUP
            nopreempt
            priority 150
        }
    """

    code = "KA301"
    name = "nopreempt-with-master"
    severity = Severity.WARNING
    summary = "`nopreempt`/`preempt_delay` that keepalived clears"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            strict = is_strict(config, inst)
            # Strict mode first corrects `state MASTER` to match the priority (vrrp.c 2915).
            master = wants_master(inst) and not (strict and base_priority(inst) != OWNER)
            if inst.nopreempt is not None:
                if master:
                    yield self._cleared(inst.nopreempt.span, inst, "nopreempt", "with `state MASTER`", "set `state BACKUP` on every node that uses nopreempt")
                elif base_priority(inst) == OWNER:
                    yield self._cleared(inst.nopreempt.span, inst, "nopreempt", "at priority 255 (address owner)", "lower the priority below 255")
            if inst.preempt_delay is not None:
                span = inst.preempt_delay.node.span
                if master:
                    yield self._cleared(span, inst, "preempt_delay", "with `state MASTER`", "set `state BACKUP`")
                elif inst.nopreempt is not None:
                    yield self._cleared(span, inst, "preempt_delay", "together with `nopreempt`", "remove one of the two")
                elif strict:
                    yield self._cleared(span, inst, "preempt_delay", "in strict mode (vrrp_strict)", "remove preempt_delay, or strict mode")

    def _cleared(self, span: Span, inst: VrrpInstance, what: str, why: str, help: str) -> Diagnostic:
        return self.diagnostic(
            span,
            f"`{inst.name}`: keepalived clears `{what}` {why}, so this instance preempts anyway",
            help=help,
        )


class StateCase(Rule):
    """`state` other than exactly `MASTER` or `BACKUP`.

    keepalived compares the value case-sensitively: `state master` or `state Master`
    logs `unknown state 'master', defaulting to BACKUP`. A node meant as the initial
    master starts as a backup (and one meant with priority 255 implicitly loses it).

    Bad:

        vrrp_instance VI_1 {
            state master
        }

    Good:

        vrrp_instance VI_1 {
            state MASTER
        }
    """

    code = "KA302"
    name = "state-case"
    severity = Severity.ERROR
    summary = "`state` is not exactly `MASTER` or `BACKUP`"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            for stmt in inst.node.find("state"):
                if len(stmt.texts) < 2 or stmt.texts[1] in ("MASTER", "BACKUP"):
                    continue
                text = stmt.texts[1]
                meant = text.upper() if text.upper() in ("MASTER", "BACKUP") else None
                hint = f"; write `{meant}` (the value is case-sensitive)" if meant else ""
                yield self.diagnostic(
                    stmt.words[1].span,
                    f"`state {text}` is not MASTER or BACKUP: keepalived logs `unknown state '{text}', "
                    f"defaulting to BACKUP`{hint}",
                    help=f"write `state {meant}`" if meant else "use `state MASTER` or `state BACKUP`",
                    fix=replace_fix(stmt.words[1], meant, f"write `state {meant}`") if meant else None,
                )


class MasterWithoutPriority(Rule):
    """`state MASTER` with no `priority`: the instance becomes the address owner (255).

    keepalived gives a `state MASTER` instance without `priority` the base priority 255,
    not 100. An owner never changes priority: every weighted tracker is dropped
    (`ignoring tracked script X with weights due to address_owner`), `nopreempt` is
    cleared, and a peer configured the same way is a second owner. The finding is a
    warning when weighted trackers are lost, information otherwise.

    Bad:

        vrrp_instance VI_1 {
            state MASTER
            track_script {
                chk_nginx weight -20
            }
        }

    Good:

        vrrp_instance VI_1 {
            state MASTER
            priority 150
            track_script {
                chk_nginx weight -20
            }
        }
    """

    code = "KA303"
    name = "master-without-priority"
    severity = Severity.WARNING
    summary = "`state MASTER` without `priority` makes the instance an address owner (255)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for peer in load(config):
            inst = peer.instance
            if inst.priority_given or not wants_master(inst) or inst.state is None:
                continue
            lost = [d for d in peer.dropped if d.reason == "owner"]
            if lost:
                names = ", ".join(f"`{d.track.name}` ({d.track.weight})" for d in lost)
                message = (
                    f"`{inst.name}` has `state MASTER` and no `priority`, so its priority is 255 (address owner): "
                    f"keepalived drops its weighted trackers {names}, and they can never move the VIP"
                )
                severity = None
            else:
                message = (
                    f"`{inst.name}` has `state MASTER` and no `priority`, so its priority is 255 (address owner), "
                    f"not 100: it always wins, ignores weights and `nopreempt`"
                )
                severity = Severity.INFO
            yield self.diagnostic(
                inst.state.node.span,
                message,
                severity=severity,
                related=[Related(d.track.ref.word.span, f"weight {d.track.weight} dropped") for d in lost if d.track.ref],
                help="add an explicit `priority` below 255 (e.g. 150 here, 100 on the backup)",
            )


class OwnerWeightsIgnored(Rule):
    """Weighted trackers on an instance with `priority 255`.

    An address owner's priority never changes (vrrp_track.c): keepalived removes its
    weighted track_script, track_interface, track_bfd and track_file entries when it loads
    (`(VI) ignoring tracked script X with weights due to address_owner`), and a
    sync group with an owner member clears the weights of its group-level trackers.
    Only weight-0 trackers (FAULT triggers) still act.

    Bad:

        vrrp_instance VI_1 {
            priority 255
            track_script {
                chk_nginx weight -20
            }
        }

    Good:

        vrrp_instance VI_1 {
            priority 254
            track_script {
                chk_nginx weight -20
            }
        }
    """

    code = "KA304"
    name = "owner-weights-ignored"
    severity = Severity.WARNING
    summary = "weighted trackers on a priority-255 instance are dropped"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for peer in load(config):
            inst = peer.instance
            if not inst.priority_given:
                continue  # KA303 covers the implicit owner
            for item in peer.dropped:
                if item.reason != "owner" or item.track.ref is None:
                    continue
                if item.became_fault:
                    effect = "turns it into a FAULT trigger"
                elif item.track.kind == "process":
                    effect = "keeps it but never applies it"
                else:
                    effect = "removes it"
                yield self.diagnostic(
                    item.track.ref.word.span,
                    f"`{inst.name}` has priority 255 (address owner), whose priority never changes: keepalived "
                    f"{effect}, so weight {item.track.weight} of `{item.track.name}` has no effect",
                    related=[Related(inst.priority.node.span, "priority 255 here")] if inst.priority else [],
                    help="use a priority below 255 if this tracker should move the VIP, or weight 0 for FAULT",
                )


class SyncGroupWeightsDropped(Rule):
    """A weighted tracker on a member of a sync group without `sync_group_tracking_weight`.

    When an instance belongs to a `vrrp_sync_group` that does not set
    `sync_group_tracking_weight`, keepalived deletes its weighted track_script, track_bfd
    and (explicitly weighted) track_file entries outright (`ignoring tracked script X
    with weights due to SYNC group`), and turns a track_file at its default weight 1 into
    a FAULT trigger. A failing check then changes nothing. Trackers declared on the group
    itself keep their weights and apply to every member. A weighted track_interface is not
    reported: keepalived logs that it ignores its weight, but the weight still moves the
    priority (the real 2.2.7 daemon applies it; the interface took the weight before the
    sync-group rule zeroed the instance's copy).

    Bad:

        vrrp_sync_group G1 {
            group { VI_1 VI_2 }
        }
        vrrp_instance VI_1 {
            track_script { chk_nginx weight -20 }
        }

    Good:

        vrrp_sync_group G1 {
            group { VI_1 VI_2 }
            track_script { chk_nginx weight -20 }
        }
    """

    code = "KA305"
    name = "sync-group-weights-dropped"
    severity = Severity.WARNING
    summary = "weighted tracking on a sync-group member is dropped"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for peer in load(config):
            inst, group = peer.instance, peer.sync_group
            for item in peer.dropped:
                tracked = item.track
                if item.reason != "sync_group" or group is None or tracked.ref is None:
                    continue
                effect = (
                    "turns it into a FAULT trigger (weight 0)" if item.became_fault
                    else "deletes the entry, so its failure changes nothing"
                )
                yield self.diagnostic(
                    tracked.ref.word.span,
                    f"`{inst.name}` is in sync group `{group.name}`, which has no `sync_group_tracking_weight`: "
                    f"keepalived {effect}; weight {tracked.weight} of `{tracked.name}` is ignored",
                    related=[Related(group.node.header_span, f"sync group `{group.name}`")],
                    help=(
                        f"move `{tracked.name} weight {tracked.weight}` into `vrrp_sync_group {group.name}`'s "
                        f"`{tracked.ref.node.parent.keyword if tracked.ref.node.parent else 'track_script'}` block "
                        f"(it then applies to every member), or add `sync_group_tracking_weight` to the group"
                    ),
                )


class PrioritySaturation(Rule):
    """Tracker weights that push the effective priority past 254 or below 1.

    keepalived clamps a non-owner's effective priority to 1..254 (vrrp_track.c). When the
    base plus every bonus exceeds 254, part of each bonus is cut off at the cap, so losing
    a check lowers the priority by less than its weight (or not at all). When the base
    minus every penalty goes below 1, further failures no longer lower it. The message
    shows the sums.

    Bad:

        vrrp_instance VI_1 {
            priority 250
            track_script {
                chk_nginx weight 20
            }
        }

    Good:

        vrrp_instance VI_1 {
            priority 200
            track_script {
                chk_nginx weight 20
            }
        }
    """

    code = "KA306"
    name = "priority-saturation"
    severity = Severity.WARNING
    summary = "effective priority leaves 1..254 and is clamped"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for peer in load(config):
            inst, base = peer.instance, peer.base
            if base == OWNER:
                continue
            high, low = extremes(peer)
            moving = weighted(peer)
            node = inst.priority.node if inst.priority else None
            if high <= CAP and low >= FLOOR:
                continue
            span = node.span if node is not None else inst.node.header_span
            if high > CAP:
                bonuses = [t for t in moving if t.signed > 0]
                terms = " + ".join(f"{abs(t.weight)} ({t.name})" for t in bonuses)
                drops = [
                    f"losing `{t.name}` lowers it by {CAP - clamp(high - abs(t.weight))}, not {abs(t.weight)}"
                    for t in bonuses
                    if CAP - clamp(high - abs(t.weight)) < abs(t.weight)
                ]
                yield self.diagnostic(
                    span,
                    f"`{inst.name}`: {base} + {terms} = {high} > {CAP}, so a healthy node is clamped to {CAP}: "
                    + "; ".join(drops),
                    related=[Related(t.ref.word.span, f"+{abs(t.weight)}") for t in bonuses if t.ref],
                    help=f"keep priority + bonuses at or below {CAP}",
                )
            if low < FLOOR:
                penalties = [t for t in moving if t.signed < 0]
                terms = " - ".join(f"{abs(t.weight)} ({t.name})" for t in penalties)
                yield self.diagnostic(
                    span,
                    f"`{inst.name}`: {base} - {terms} = {low} < {FLOOR}: the effective priority stops at {FLOOR} "
                    f"(it does not go to FAULT), so failures beyond that make no difference",
                    severity=Severity.INFO,
                    related=[Related(t.ref.word.span, f"-{abs(t.weight)}") for t in penalties if t.ref],
                    help="use weight 0 for a check that must take the node down",
                )


class DefaultWeightIsFault(Rule):
    """A tracked `vrrp_script` without `weight`: a failure means FAULT, not a lower priority.

    The default weight of a vrrp_script is 0 (`VRRP_SCRIPT_DW`; old documents said 2).
    With weight 0 a failing check puts the instance into FAULT: it gives up the VIP and
    stops advertising. A non-zero weight only changes the priority, and whether the VIP
    moves then depends on the peers' priorities. This note makes the choice explicit.

    Bad:

        vrrp_script chk_nginx {
            script "/usr/bin/pgrep nginx"
        }

    Good:

        vrrp_script chk_nginx {
            script "/usr/bin/pgrep nginx"
            weight 0        # fail into FAULT, on purpose
        }
    """

    code = "KA307"
    name = "default-weight-is-fault"
    severity = Severity.INFO
    summary = "a tracked `vrrp_script` without `weight` fails into FAULT"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        if all(script.weight is not None for script in config.vrrp_scripts):
            return  # (no script can fall back to weight 0: its track_script entries need not be read)
        unweighted: dict[str, VrrpInstance | SyncGroup] = {}
        for owner, ref in config.all_track_script_refs():
            if ref.weight is None:
                unweighted.setdefault(ref.name, owner)
        for script in Definitions(config).scripts.values():
            if script.weight is not None or script.name not in unweighted:
                continue
            yield self.diagnostic(
                script.node.header_span,
                f"vrrp_script `{script.name}` has no `weight`, so it uses weight 0: when it fails, "
                f"`{unweighted[script.name].name}` goes to FAULT (gives up its VIPs) instead of lowering its priority",
                help="write `weight 0` to make FAULT explicit, or a negative weight to lower the priority instead",
            )
