"""Named real-daemon scenarios: peer configs, start orders, one action, extra demands.

Each scenario documents what the real keepalived 2.2.7 does (``real`` checks, verified
against the daemon) and, for the items kalint is known to get wrong (``item``), what kalint
must additionally say (``kalint`` checks). The generic comparison (holders, kind,
priorities, takeover time of kalint's matching scenario) is in ``tests/test_real_daemon.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from realdaemon.harness import (
    CHECKDIR,
    NODE_ADDRESSES,
    Action,
    Case,
    Failure,
    Outcome,
    fail,
    link_down,
    node_down,
    own_interface_down,
    restart,
)

A, B, C = "lb-a.conf", "lb-b.conf", "lb-c.conf"
LABELS = (A, B, C)

# --------------------------------------------------------------------------- config builders


@dataclass(frozen=True)
class Script:
    """A ``vrrp_script`` running a generated check every second (fall 1, rise 1)."""

    name: str = "chk"
    weight: int | None = None
    reverse: bool = False

    def render(self) -> str:
        weight = "" if self.weight is None else f"\n    weight {self.weight}{' reverse' if self.reverse else ''}"
        return (f"vrrp_script {self.name} {{\n    script \"{CHECKDIR}/{self.name}.sh\"\n"
                f"    interval 1\n    fall 1\n    rise 1{weight}\n}}\n")


@dataclass(frozen=True)
class Instance:
    """A ``vrrp_instance`` on ``eth0``; ``unicast`` lists peer node indexes (None: multicast)."""

    name: str = "VI_1"
    vrid: int = 51
    priority: int | None = 100
    state: str = "BACKUP"
    vips: tuple[str, ...] = ("198.51.100.10",)
    advert: float = 1
    version: int | None = None
    nopreempt: bool = False
    scripts: tuple[str, ...] = ()
    interfaces: tuple[tuple[str, int | None], ...] = ()
    auth_pass: str | None = None
    unicast: tuple[int, ...] | None = None
    #: More lines inside the block, as written (keywords the builders do not cover).
    extra: tuple[str, ...] = ()

    def render(self, index: int) -> str:
        lines = [f"vrrp_instance {self.name} {{", f"    state {self.state}", "    interface eth0",
                 f"    virtual_router_id {self.vrid}"]
        lines += [f"    priority {self.priority}"] if self.priority is not None else []
        lines += [f"    advert_int {self.advert:g}"]
        lines += [f"    version {self.version}"] if self.version else []
        lines += ["    nopreempt"] if self.nopreempt else []
        if self.auth_pass is not None:
            lines += ["    authentication {", "        auth_type PASS", f"        auth_pass {self.auth_pass}", "    }"]
        if self.unicast is not None:
            lines += [f"    unicast_src_ip {NODE_ADDRESSES[index]}", "    unicast_peer {",
                      *(f"        {NODE_ADDRESSES[i]}" for i in self.unicast), "    }"]
        lines += _block("virtual_ipaddress", [f"{vip}/24" for vip in self.vips])
        lines += _block("track_script", list(self.scripts))
        lines += _block("track_interface", [f"{name}{'' if w is None else f' weight {w}'}"
                                            for name, w in self.interfaces])
        lines += [f"    {line}" for line in self.extra]
        return "\n".join([*lines, "}"]) + "\n"


def _block(keyword: str, items: list[str]) -> list[str]:
    return [f"    {keyword} {{", *(f"        {item}" for item in items), "    }"] if items else []


@dataclass(frozen=True)
class SyncGroup:
    """A ``vrrp_sync_group``; ``tracking_weight`` adds ``sync_group_tracking_weight``."""

    members: tuple[str, ...] = ("VI_1", "VI_2")
    tracking_weight: bool = False
    name: str = "G1"

    def render(self) -> str:
        lines = [f"vrrp_sync_group {self.name} {{", *_block("group", list(self.members))]
        lines += ["    sync_group_tracking_weight"] if self.tracking_weight else []
        return "\n".join([*lines, "}"]) + "\n"


@dataclass(frozen=True)
class NodeConfig:
    """One node's keepalived.conf. ``scripts_last`` writes the ``vrrp_script`` blocks after
    the instances (keepalived then never tracks them)."""

    instances: tuple[Instance, ...]
    scripts: tuple[Script, ...] = ()
    sync_group: SyncGroup | None = None
    vrrp_version: int | None = None
    scripts_last: bool = False
    #: Top-level blocks after global_defs, as written.
    top: str = ""

    def render(self, index: int) -> str:
        glob = [f"    router_id lb-{'abc'[index]}"]
        glob += ["    enable_script_security", "    script_user root"] if self.scripts else []
        glob += [f"    vrrp_version {self.vrrp_version}"] if self.vrrp_version else []
        scripts = [s.render() for s in self.scripts]
        body = [self.sync_group.render()] if self.sync_group else []
        body += [i.render(index) for i in self.instances]
        parts = ["global_defs {\n" + "\n".join(glob) + "\n}\n", *([self.top] if self.top else []),
                 *([] if self.scripts_last else scripts), *body,
                 *(scripts if self.scripts_last else [])]
        return "\n".join(parts)


def configs(nodes: tuple[NodeConfig, ...]) -> dict[str, str]:
    """File name → text, in file order (lb-a.conf, lb-b.conf, ...)."""
    return {LABELS[i]: node.render(i) for i, node in enumerate(nodes)}


def uses_eth1(nodes: tuple[NodeConfig, ...]) -> bool:
    """Whether any instance tracks ``eth1`` (the harness then adds it to every node)."""
    return any(i.interfaces for n in nodes for i in n.instances)


def single(priority: int | None, *, weight: int | None = None, reverse: bool = False, track: bool = True,
           interfaces: tuple[tuple[str, int | None], ...] = (), scripts_last: bool = False,
           **instance: object) -> NodeConfig:
    """One ``VI_1`` instance, optionally tracking a ``chk`` script with ``weight``."""
    scripts = (Script(weight=weight, reverse=reverse),) if track else ()
    inst = Instance(priority=priority, scripts=("chk",) if track else (), interfaces=interfaces, **instance)
    return NodeConfig((inst,), scripts, scripts_last=scripts_last)


def synced(p1: int, p2: int, *, tracking_weight: bool, weight: int | None = None,
           interfaces: tuple[tuple[str, int | None], ...] = ()) -> NodeConfig:
    """A sync group of VI_1 (VRID 51, .10) and VI_2 (VRID 52, .20); only VI_1 tracks ``chk``
    (when ``weight`` is given) and ``interfaces``."""
    track = weight is not None

    def member(name: str, vrid: int, vip: str, priority: int) -> Instance:
        first = name == "VI_1"
        return Instance(name, vrid, priority, vips=(vip,), scripts=("chk",) if track and first else (),
                        interfaces=interfaces if first else ())

    return NodeConfig((member("VI_1", 51, "198.51.100.10", p1), member("VI_2", 52, "198.51.100.20", p2)),
                      (Script(weight=weight),) if track else (), SyncGroup(tracking_weight=tracking_weight))


# --------------------------------------------------------------------------- checks

#: A check reads an outcome and returns the problems it finds (empty: fine).
Check = Callable[[Outcome], list[str]]


def holders_never_change(outcome: Outcome) -> list[str]:
    """Real: no router's holder set changed at any moment after the action."""
    return [f"real: {router} holders changed after the action: {run.action.describe(router)}"
            for run in outcome.runs if run.action for router in run.action.final
            if len(run.action.history(router)) > 1]


def never_master(node: str) -> Check:
    """Real: ``node`` never logged entering MASTER (catches blips shorter than a sample)."""
    def check(outcome: Outcome) -> list[str]:
        return [f"real: {node} entered MASTER ({run.logs[node].count('Entering MASTER STATE')}x)"
                for run in outcome.runs if "Entering MASTER STATE" in run.logs.get(node, "")]
    return check


def logged(node: str, text: str) -> Check:
    """Real: ``node``'s daemon logged ``text`` in every run (config-time messages)."""
    def check(outcome: Outcome) -> list[str]:
        return [f"real: {node} did not log {text!r}" for run in outcome.runs if text not in run.logs.get(node, "")]
    return check


def priority_after_action(node: str, router_prefix: str, value: int) -> Check:
    """Real: after the action ``node``'s effective priority in the router named
    ``router_prefix``… is ``value`` (None would mean FAULT or down)."""
    def check(outcome: Outcome) -> list[str]:
        return [f"real: {node} in {router} has priority {prios.get(node)} after the action, expected {value}"
                for run in outcome.runs for router, prios in (run.action_priorities or {}).items()
                if router.startswith(router_prefix) and prios.get(node) != value]
    return check


def boot_split(outcome: Outcome) -> list[str]:
    """Real: after the cold start more than one node holds the VIPs."""
    return [f"real: expected split brain, {router} held by {sorted(run.boot.final[router])}"
            for run in outcome.runs for router in run.boot.final if len(run.boot.final[router]) < 2]


def boot_single_holder(outcome: Outcome) -> list[str]:
    """Real: after the cold start exactly one node holds each router's VIPs."""
    return [f"real: expected one holder, {router} held by {sorted(run.boot.final[router])}"
            for run in outcome.runs for router in run.boot.final if len(run.boot.final[router]) != 1]


def first_started_keeps(outcome: Outcome) -> list[str]:
    """Real: in every start order, the node started first holds every router."""
    return [f"real: started {run.order[0]} first, {router} held by {sorted(run.boot.final[router])}"
            for run in outcome.runs for router in run.boot.final if run.boot.final[router] != {run.order[0]}]


def takeover_between(low: float, high: float) -> Check:
    """Real: every router that moved did so between ``low`` and ``high`` seconds."""
    def check(outcome: Outcome) -> list[str]:
        found = []
        for run in outcome.runs:
            for router in run.action.final if run.action else ():
                t = run.action.settle_time(router)
                if t is None or not low <= t <= high:
                    found.append(f"real: {router} took over after {t} s, expected {low}–{high} s")
        return found
    return check


def _action_scenarios(outcome: Outcome) -> list[tuple[str, dict | None]]:
    key = outcome.case.action.key if outcome.case.action else None
    return [(r.router, r.scenario(key)) for r in outcome.prediction] if key else []


def kind_is(*kinds: str) -> Check:
    """kalint: the action's scenario has one of ``kinds`` for every router."""
    def check(outcome: Outcome) -> list[str]:
        return [f"kalint: {router}: kind {(s or {}).get('kind')!r}, expected {' or '.join(kinds)}"
                for router, s in _action_scenarios(outcome) if (s or {}).get("kind") not in kinds]
    return check


def healthy_is_start_order(outcome: Outcome) -> list[str]:
    """kalint: the healthy holder depends on start order: kind start-order, candidates
    covering every single node, no certain holder."""
    found = []
    nodes = {frozenset({n}) for n in outcome.case.configs}
    for r in outcome.prediction:
        h = r.healthy
        candidates = {frozenset(c) for c in h.get("candidates") or ()}
        if h.get("kind") != "start-order" or h.get("holders") is not None:
            found.append(f"kalint: {r.router}: healthy kind {h.get('kind')!r} holders {h.get('holders')}, "
                         f"expected start-order with holders null")
        if not nodes <= candidates:
            found.append(f"kalint: {r.router}: candidates {h.get('candidates')}, expected each node alone")
    return found


def never_tracks(check_name: str) -> Check:
    """kalint: no scenario names ``check_name`` (keepalived ignores it)."""
    def check(outcome: Outcome) -> list[str]:
        return [f"kalint: {r.router} lists scenario {s['scenario']!r} for untracked {check_name}"
                for r in outcome.prediction for s in r.raw["scenarios"]
                if any(f.get("check") == check_name or f.get("name") == check_name for f in s["failures"])]
    return check


def _diagnostics(outcome: Outcome, code: str) -> list[dict]:
    return [d for d in (outcome.check or {}).get("diagnostics", []) if d.get("code") == code]


def no_flap_claim(outcome: Outcome) -> list[str]:
    """kalint check: no KA408 finding says the VIP "can flap" (the daemon never flaps)."""
    return [f"kalint check: KA408 claims a flap: {d['message']}" for d in _diagnostics(outcome, "KA408")
            if "can flap" in d.get("message", "")]


def ka410_blames_nopreempt(outcome: Outcome) -> list[str]:
    """kalint check: KA410 (if it fires) blames nopreempt, not the weight's size."""
    found = []
    for d in _diagnostics(outcome, "KA410"):
        text = d.get("help") or ""
        if "nopreempt" not in text:
            found.append(f"kalint check: KA410 help does not mention nopreempt: {text!r}")
        if "larger" in text or "increase" in text.lower():
            found.append(f"kalint check: KA410 help says to make the weight larger: {text!r}")
    return found


def reports_error(code: str) -> Check:
    """kalint check: an error-severity finding ``code``."""
    return reports(code, "error")


def reports(code: str, severity: str) -> Check:
    """kalint check: a finding ``code`` of ``severity``."""
    def check(outcome: Outcome) -> list[str]:
        if any(d.get("severity") == severity for d in _diagnostics(outcome, code)):
            return []
        codes = sorted({d.get("code") for d in (outcome.check or {}).get("diagnostics", [])})
        return [f"kalint check: no {severity} {code} (findings: {codes})"]
    return check


def healthy_kind_is(kind: str) -> Check:
    """kalint: the healthy scenario of every router has ``kind``."""
    def check(outcome: Outcome) -> list[str]:
        return [f"kalint: {r.router}: healthy kind {r.healthy.get('kind')!r}, expected {kind!r}"
                for r in outcome.prediction if r.healthy.get("kind") != kind]
    return check


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """One named situation: configs, start orders, an action and what must hold.

    ``item``: the known kalint gap (1-9) it pins down; None for behaviour kalint already
    modelled. ``timing``: kalint's takeover range must contain the measured time.
    ``hold``: after each cold start, watch that long and require nothing to move.
    ``all_orders``: cold-start once with each node first (else file order only).
    """

    name: str
    nodes: tuple[NodeConfig, ...]
    action: Action | None = None
    note: str = ""
    item: int | None = None
    all_orders: bool = False
    hold: float = 0.0
    timing: bool = False
    real: tuple[Check, ...] = ()
    kalint: tuple[Check, ...] = ()
    kalint_check: bool = False
    extra_interfaces: tuple[str, ...] = ()

    def case(self) -> Case:
        texts = configs(self.nodes)
        orders = _rotations(tuple(texts)) if self.all_orders else ()
        interfaces = self.extra_interfaces or (("eth1",) if uses_eth1(self.nodes) else ())
        return Case(self.name, texts, self.action, orders, interfaces, self.kalint_check, self.hold)


def _rotations(labels: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each node first once (the rest in file order after it)."""
    return tuple((first, *(label for label in labels if label != first)) for first in labels)


W60 = dict(weight=-60)
STAYS = (holders_never_change,)

SCENARIOS: tuple[Scenario, ...] = (
    # ---- single instance behaviour kalint already models
    Scenario("weight_moves_vip", (single(150, **W60), single(100, **W60)), fail(A),
             "150 − 60 = 90 < 100: the backup's down timer expires, it preempts"),
    Scenario("weight_too_small_stays", (single(150, weight=-20), single(100, weight=-20)), fail(A),
             "150 − 20 = 130 > 100: nothing moves", real=STAYS, kalint=(kind_is("stuck"),)),
    Scenario("weight_zero_faults_and_moves", (single(150, weight=0), single(100, weight=0)), fail(A),
             "weight 0: FAULT, a priority-0 advert hands over at once", real=(takeover_between(0.0, 2.5),)),
    Scenario("drop_to_equal_priority_stays", (single(150, weight=-50), single(100, weight=-50)), fail(A),
             "150 − 50 = 100 = 100: a backup never preempts an equal priority", real=STAYS),
    Scenario("backup_check_fails_nothing_moves", (single(150, **W60), single(100, **W60)), fail(B),
             "the backup losing priority changes nothing", real=STAYS, kalint=(kind_is("ok"),)),
    Scenario("nopreempt_backup_stays", (single(150, **W60), single(100, **W60, nopreempt=True)), fail(A),
             "nopreempt: the backup never takes over from a live, lower master", real=STAYS),
    Scenario("owner_255_keeps_vip", (single(255, **W60), single(100, **W60)), fail(A),
             "an address owner's priority is fixed at 255", real=STAYS),
    Scenario("state_master_without_priority_is_owner",
             (single(None, state="MASTER", **W60), single(254, **W60)), fail(A),
             "state MASTER without priority loads as priority 255", real=STAYS),
    Scenario("sync_group_weights_dropped",
             (synced(150, 150, tracking_weight=False, weight=-60), synced(100, 100, tracking_weight=False,
                                                                               weight=-60)),
             fail(A), "without sync_group_tracking_weight keepalived 2.2.7 logs `ignoring tracked script chk with "
             "weights due to SYNC group`: the check is not tracked at all, nothing moves", real=STAYS),
    Scenario("sync_group_member_fault_moves_group",
             (synced(150, 150, tracking_weight=False, interfaces=(("eth1", None),)),
                   synced(100, 100, tracking_weight=False)), link_down(A),
             "a member's unweighted tracked interface goes down: FAULT, the whole group moves at once",
             real=(takeover_between(0.0, 2.5),)),
    Scenario("sync_group_member_interface_weight_applies",
             (synced(150, 150, tracking_weight=False, interfaces=(("eth1", -20),)),
              synced(100, 100, tracking_weight=False)), link_down(A),
             "keepalived 2.2.7 logs `ignoring eth1 tracked interface weight due to SYNC group`, yet the weight "
             "applies (the interface took it before the instance's copy was zeroed): 150 − 20 = 130 > 100, no "
             "FAULT, nothing moves (seed 4242 cases 131/155: 90 → 30)",
             real=(*STAYS, priority_after_action(A, "VI_1", 130))),
    Scenario("vrid_mismatch_split", (single(150, track=False), single(100, track=False, vrid=52)),
             note="different VRIDs never hear each other: both MASTER", real=(boot_split,)),
    Scenario("advert_mismatch_v2_split", (single(150, track=False), single(100, track=False, advert=2)),
             note="VRRPv2 drops adverts with another interval: split brain", real=(boot_split,)),
    Scenario("auth_mismatch_split",
             (single(150, track=False, auth_pass="secretAA"), single(100, track=False, auth_pass="secretBB")),
             note="PASS authentication mismatch: adverts dropped, split brain", real=(boot_split,)),
    Scenario("unicast_peer_missing_split",
             (single(150, track=False, unicast=(2,)), single(100, track=False, unicast=(0,))),
             note="lb-a never sends to lb-b: lb-b becomes MASTER too", real=(boot_split,)),
    Scenario("auth_pass_truncated_agrees",
             (single(150, track=False, auth_pass="password1"), single(100, track=False, auth_pass="password2")),
             node_down(A), "auth_pass is cut to 8 bytes: both are 'password', no split brain",
             real=(boot_single_holder,)),
    Scenario("master_dies_silently", (single(150, track=False), single(100, track=False)), node_down(A),
             "SIGKILL: no priority-0 advert, the backup's down timer runs out",
             real=(takeover_between(2.5, 4.8),)),
    Scenario("reverse_weight", (single(150, weight=-60, reverse=True), single(100, track=False)), fail(A),
             "reverse: the weight applies while the script succeeds, so failing it restores priority"),
    Scenario("positive_weight_backup", (single(150, track=False), single(100, weight=60)), fail(B),
             "+60 while succeeding: lb-b leads at 160; failing drops it to 100 and lb-a preempts"),
    Scenario("track_interface_eth1", (single(150, track=False, interfaces=(("eth1", -60),)),
                                           single(100, track=False)), link_down(A),
             "a tracked second interface with weight −60 going down moves the VIP"),
    Scenario("track_interface_eth1_fault", (single(150, track=False, interfaces=(("eth1", None),)),
                                                 single(100, track=False)), link_down(A),
             "a tracked interface without weight going down puts the instance in FAULT"),
    Scenario("three_nodes_master_dies",
             (single(150, track=False), single(120, track=False), single(100, track=False)), node_down(A),
             "the highest remaining priority (lb-b, 120) takes over"),
    Scenario("unicast_master_dies",
             (single(150, track=False, unicast=(1,)), single(100, track=False, unicast=(0,))), node_down(A),
             "unicast peers: the backup takes over after its down timer"),
    Scenario("v3_half_second_master_dies",
             (single(150, track=False, version=3, advert=0.5), single(100, track=False, version=3, advert=0.5)),
             node_down(A), "VRRPv3 0.5 s adverts: 3 × 0.5 + skew ≈ 1.8 s",
             real=(takeover_between(1.0, 2.8),)),
    Scenario("double_failure_interim_master",
             (single(100, **W60), single(200, **W60, interfaces=(("eth1", None),)), single(101, **W60)),
             Action(failures=(Failure(B, "interface", "eth1"), Failure(C, "script", "chk"))),
             "found by the random part: lb-b's FAULT is instant, lb-c's check fails up to 1 s later, so lb-c "
             "(101) holds the VIP first and lb-a takes over only after lb-c drops to 41 and lb-a's down timer runs "
             "out (≈ 4.3 s, not the ≈ 0.6 s of a priority-0 hand-over)", timing=True),
    Scenario("fault_before_interim_takeover",
             (single(90, weight=0), single(100, weight=0, interfaces=(("eth1", -20),)),
              single(200, weight=0, nopreempt=True)),
             Action(failures=(Failure(B, "interface", "eth1"), Failure(B, "script", "chk"))),
             "found by the random part (seed 4242 case 33): lb-b drops to 80 at once, so lb-a (90) starts its down "
             "timer, but lb-b's check puts it in FAULT within 1 s: its priority-0 advert hands the VIP to the "
             "highest backup, lb-c (200, nopreempt does not matter with no master), after the skew (real: 0.6 s)",
             timing=True, real=(takeover_between(0.0, 2.0),)),
    # ---- the nine known gaps (the real daemon decides)
    Scenario("sync_tracking_weight_one_member",
             (synced(101, 101, tracking_weight=True, weight=-50), synced(100, 100, tracking_weight=True)),
             fail(A), "VI_1 drops to 51 but its sibling VI_2 (101 > 100) holds the group: nothing moves",
             item=1, real=STAYS),
    Scenario("sync_group_split_preference",
             (synced(150, 100, tracking_weight=False), synced(100, 150, tracking_weight=False)),
             note="members prefer different nodes: the group stays where it became MASTER first",
             item=2, all_orders=True, hold=15.0, real=(first_started_keeps,), kalint=(healthy_is_start_order,)),
    Scenario("v3_advert_mismatch_master_dies",
             (single(150, track=False, version=3, advert=1), single(100, track=False, version=3, advert=2)),
             node_down(A), "VRRPv3: the backup adopts the master's 1 s interval, takes over after ≈ 3.6 s",
             item=3, timing=True, real=(takeover_between(2.5, 4.8),)),
    Scenario("equal_priority_start_order", (single(100, track=False), single(100, track=False)),
             note="equal priorities: whoever's down timer expires first keeps the VIP",
             item=4, all_orders=True, hold=8.0, real=(first_started_keeps,), kalint=(healthy_is_start_order,)),
    Scenario("equal_priority_unicast_start_order",
             (single(100, track=False, unicast=(1,)), single(100, track=False, unicast=(0,))),
             note="equal priorities over unicast: start order decides",
             item=4, all_orders=True, hold=8.0, real=(first_started_keeps,), kalint=(healthy_is_start_order,)),
    Scenario("two_state_master_restart_backup",
             (single(150, track=False, state="MASTER"), single(100, track=False, state="MASTER")),
             restart(B, 5), "a non-owner `state MASTER` starts in BACKUP (init) like any backup: a restarted "
             "lower-priority node hears the master within its down timer and never takes the VIP",
             item=5, real=(*STAYS, never_master(B)), kalint=(no_flap_claim,), kalint_check=True),
    Scenario("nopreempt_backup_weight_stuck",
             (single(150, weight=-50), single(100, weight=-50, nopreempt=True)), fail(A),
             "150 − 50 = 100 on the master, nopreempt on the backup: nothing moves", item=6, real=STAYS,
             kalint=(kind_is("stuck"), ka410_blames_nopreempt), kalint_check=True),
    Scenario("own_interface_down_master", (single(150, track=False), single(100, track=False)),
             own_interface_down(A), "the master's eth0 goes down: it sends nothing, lb-b waits its down timer",
             item=7, timing=True, real=(takeover_between(2.5, 4.8),)),
    Scenario("unicast_disjoint_vips_split",
             (single(150, track=False, unicast=(1,)),
                   single(100, track=False, unicast=(0,), vips=("198.51.100.20",))),
             note="same VRID, no common VIP: adverts are dropped as mismatched, both MASTER",
             item=8, real=(boot_split,), kalint=(healthy_kind_is("split"), reports_error("KA406")),
             kalint_check=True),
    Scenario("unicast_peer_is_own_source_split",
             (single(150, track=False, unicast=(0,)), single(100, track=False, unicast=(0,))),
             note="lb-a lists its own unicast_src_ip as its peer: it sends its adverts to itself, lb-b never hears "
                  "them and both hold the VIP (KA318)",
             real=(boot_split,), kalint=(healthy_kind_is("split"), reports("KA318", "warning")), kalint_check=True),
    Scenario("debounce_timers_reset",
             (NodeConfig((Instance(priority=150),), top="interface_up_down_delays {\n    eth0 5\n}\n"),
              NodeConfig((Instance(extra=("down_timer_adverts 1",)),),
                         top="interface_up_down_delays {\n    eth0 0.5\n}\n")),
             note="keepalived resets eth0's debounce delays: on lb-a they are not below (down_timer_adverts - 1) * "
                  "advert_int, on lb-b the instance has down_timer_adverts 1 (KA337)",
             real=(logged(A, "debounce timer(s) not less that"),
                   logged(B, "cannot use debounce timers with down_timer_adverts = 1")),
             kalint=(reports("KA337", "info"),), kalint_check=True),
    Scenario("vmac_xmit_base_without_vmac_cleared",
             (single(150, track=False, extra=("vmac_xmit_base",)), single(100, track=False)),
             note="vmac_xmit_base without use_vmac: keepalived clears it at start-up (KA328)",
             real=(logged(A, "vmac_xmit_base is only valid with a vmac"),),
             kalint=(reports("KA328", "warning"),), kalint_check=True),
    Scenario("native_ipv6_with_ipv4_ignored",
             (single(150, track=False, extra=("native_ipv6",)), single(100, track=False)),
             note="native_ipv6 after IPv4 addresses: keepalived ignores it and the instance stays IPv4 (KA329)",
             real=(logged(A, "Cannot specify native_ipv6 with IPv4 addresses"), boot_single_holder),
             kalint=(reports("KA329", "warning"),), kalint_check=True),
    Scenario("strict_only_invalid_vip_terminates",
             (NodeConfig((Instance(vips=("198.51.100.300",), priority=150),
                          Instance("VI_2", 52, 150, vips=("198.51.100.20",))), vrrp_version=3),
              NodeConfig((Instance(), Instance("VI_2", 52, 100, vips=("198.51.100.20",))), vrrp_version=3)),
             note="VRRPv3 and VI_1's only VIP invalid: keepalived skips the VIP, the VRRP process exits with a "
                  "configuration error and keepalived terminates, so lb-a never becomes MASTER, not even for its "
                  "valid VI_2 (KA315)",
             real=(never_master(A),), kalint=(reports_error("KA315"),), kalint_check=True),
    Scenario("script_defined_after_instance",
             (single(150, **W60, scripts_last=True), single(100, **W60, scripts_last=True)), fail(A),
             "`track script chk not found, ignoring`: failing it changes nothing", item=9,
             real=STAYS, kalint=(never_tracks("chk"),)),
)

BY_NAME = {s.name: s for s in SCENARIOS}
assert len(BY_NAME) == len(SCENARIOS), "scenario names must be unique"
