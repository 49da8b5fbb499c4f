"""kalint.runtime against what two real keepalived 2.2.7 daemons did (semantics.md §5, §8,
issue "one model of keepalived's runtime"): each case here is also a real-daemon scenario
in tests/realdaemon; these run without root and pin the model's answer."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import shared_dir
from kalint.cli import main
from kalint.diagnostic import Severity
from kalint.engine import Linter, LintOptions
from kalint.lsp.priority_hover import priority_markdown
from kalint.model import Config
from kalint.runtime import grouping
from kalint.runtime.failover import MOVED, START_ORDER, STUCK, Scenario, Simulation, simulate
from kalint.runtime.loading import OWNER, Peer, is_strict, load
from kalint.runtime.priority import evaluate, priority_range

SCRIPT = 'vrrp_script {name} {{\n    script "/usr/local/bin/{name}.sh"\n    weight {weight}\n}}\n'


def instance(priority: int, *, name: str = "VI_1", vrid: int = 51, vip: str = "192.0.2.100/24",
             extra: str = "", state: str = "BACKUP", interface: str = "eth0") -> str:
    return (f"vrrp_instance {name} {{\n    state {state}\n    interface {interface}\n    virtual_router_id {vrid}\n"
            f"    priority {priority}\n{extra}    virtual_ipaddress {{\n        {vip}\n    }}\n}}\n")


def lint(tmp_path: Path, **files: str) -> tuple[list[Config], list]:
    paths = []
    for name, text in files.items():
        path = tmp_path / f"{name}.conf"
        path.write_text(text)
        paths.append(str(path))
    result = Linter(LintOptions()).lint_paths(paths)
    return [c.config for c in result.configs], result.diagnostics


def simulations(configs: list[Config]) -> list[Simulation]:
    (group,) = [g for g in grouping.peer_groups(configs) if not g.alone]
    return simulate(group.routers)


def row(sim: Simulation, label: str) -> Scenario:
    return next(s for s in sim.scenarios if s.label == label)


SYNC = "vrrp_sync_group G {{\n    group {{\n        VI_1\n        VI_2\n    }}\n{extra}}}\n"


def sync_pair(a1: int, a2: int, b1: int, b2: int, *, a_extra: str = "", group_extra: str = "") -> dict[str, str]:
    """Two nodes, one sync group of two members (VRIDs 51, 52) on each."""
    def node(p1: int, p2: int, extra: str) -> str:
        return (SCRIPT.format(name="chk", weight=-50) + SYNC.format(extra=group_extra)
                + instance(p1, extra=extra) + instance(p2, name="VI_2", vrid=52, vip="192.0.2.101/24"))
    return {"a": node(a1, a2, a_extra), "b": node(b1, b2, "")}


# -- item 1: one member's priority drop does not move a sync group -----------------------


def test_sync_group_member_drop_moves_nothing(tmp_path: Path) -> None:
    files = sync_pair(101, 101, 100, 100, a_extra="    track_script {\n        chk\n    }\n",
                      group_extra="    sync_group_tracking_weight\n")
    configs, diagnostics = lint(tmp_path, **files)
    vi_1, vi_2 = simulations(configs)
    for sim in (vi_1, vi_2):
        assert sim.healthy.holders == {"a.conf"}
        assert row(sim, "chk fails on a.conf").holders == {"a.conf"}
    failing = row(vi_1, "chk fails on a.conf")
    assert failing.kind == STUCK and failing.states["a.conf"].eff == 51
    assert "b.conf's VI_2 still accepts a.conf's priority 101" in failing.comparison
    (ka410,) = [d for d in diagnostics if d.code == "KA410"]  # on VI_1 only: VI_2 tracks nothing
    assert "192.0.2.100" in ka410.message and "sync group G" in ka410.help


def test_sync_group_fault_moves_every_member(tmp_path: Path) -> None:
    files = sync_pair(101, 101, 100, 100, a_extra="    track_script {\n        chk weight 0\n    }\n")
    configs, _ = lint(tmp_path, **files)
    for sim in simulations(configs):
        moved = row(sim, "chk fails on a.conf")
        assert moved.holders == {"b.conf"} and moved.kind == MOVED


# -- item 2: members preferring different nodes stay wherever the group started ------------


def test_sync_group_inconsistent_order_depends_on_start_order(tmp_path: Path) -> None:
    configs, diagnostics = lint(tmp_path, **sync_pair(150, 100, 100, 150))
    for sim in simulations(configs):
        assert sim.healthy.kind == START_ORDER and sim.healthy.holders is None
        assert sorted(map(sorted, sim.healthy.candidates)) == [["a.conf"], ["b.conf"]]
        assert sim.start_order == {"a.conf": {"a.conf"}, "b.conf": {"b.conf"}}
    (ka413,) = [d for d in diagnostics if d.code == "KA413"]
    assert "whichever node came up first" in ka413.message and "flips" not in ka413.message


# -- item 3: a VRRPv3 backup runs its timers with the master's interval ---------------------


def test_vrrp3_takeover_uses_the_masters_interval(tmp_path: Path) -> None:
    v3 = "    version 3\n"
    configs, _ = lint(tmp_path, a=instance(150, extra=v3 + "    advert_int 1\n"),
                      b=instance(100, extra=v3 + "    advert_int 2\n"))
    (sim,) = simulations(configs)
    death = row(sim, "a.conf down")
    assert death.holders == {"b.conf"} and death.takeover is not None
    skew = (256 - 100) / 256 * 1
    assert death.takeover.worst == pytest.approx(3 * 1 + skew)
    assert death.takeover.typical == pytest.approx(3 * 1 + skew - 0.5)


# -- item 4: equal priorities: whoever comes up first ------------------------------------


@pytest.mark.parametrize("unicast", [False, True])
def test_equal_priorities_depend_on_start_order(tmp_path: Path, unicast: bool) -> None:
    def extra(src: str, peer: str) -> str:
        return f"    unicast_src_ip {src}\n    unicast_peer {{\n        {peer}\n    }}\n" if unicast else ""
    configs, _ = lint(tmp_path, a=instance(100, extra=extra("192.0.2.1", "192.0.2.2")),
                      b=instance(100, extra=extra("192.0.2.2", "192.0.2.1")))
    (sim,) = simulations(configs)
    assert sim.healthy.kind == START_ORDER and sim.healthy.holders is None
    assert set(sim.healthy.candidates) == {frozenset({"a.conf"}), frozenset({"b.conf"})}
    # a silent death has one answer whoever held the VIP
    assert row(sim, "a.conf down").holders == {"b.conf"}


# -- item 5: two `state MASTER` do not make the VIP flap --------------------------------------


def test_both_state_master_is_information_without_flapping(tmp_path: Path) -> None:
    _, diagnostics = lint(tmp_path, a=instance(150, state="MASTER"), b=instance(100, state="MASTER"))
    (ka408,) = [d for d in diagnostics if d.code == "KA408"]
    assert ka408.severity is Severity.INFO and "flap" not in ka408.message
    assert "priority makes a.conf the master" in ka408.message


# -- item 6: under nopreempt the help says so ------------------------------------------------


def test_weight_help_under_nopreempt(tmp_path: Path) -> None:
    chk = SCRIPT.format(name="chk", weight=-50)
    _, diagnostics = lint(tmp_path, a=chk + instance(150, extra="    track_script {\n        chk\n    }\n"),
                          b=instance(100, extra="    nopreempt\n"))
    (ka410,) = [d for d in diagnostics if d.code == "KA410"]
    assert "nopreempt" in ka410.help and "larger than the gap" not in ka410.help


# -- item 7: the master's own interface going down --------------------------------------------


def test_own_interface_down_waits_for_the_full_down_timer(tmp_path: Path) -> None:
    configs, _ = lint(tmp_path, a=instance(150), b=instance(100))
    (sim,) = simulations(configs)
    cut = row(sim, "interface eth0 down on a.conf")
    assert cut.interface_down == ("a.conf", "eth0") and cut.states["a.conf"].fault
    assert cut.holders == {"b.conf"} and cut.takeover is not None
    assert cut.takeover.worst == pytest.approx(3 + (256 - 100) / 256)  # no priority-0 advert gets out


def test_dont_track_primary_has_no_interface_scenario(tmp_path: Path) -> None:
    configs, _ = lint(tmp_path, a=instance(150, extra="    dont_track_primary\n"), b=instance(100))
    (sim,) = simulations(configs)
    labels = {s.label for s in sim.scenarios}
    assert "interface eth0 down on b.conf" in labels and "interface eth0 down on a.conf" not in labels


# -- item 8: disjoint VIP sets of one router are split brain in check too ---------------------


def test_disjoint_vip_sets_of_unicast_peers(tmp_path: Path) -> None:
    def extra(src: str, peer: str) -> str:
        return f"    unicast_src_ip {src}\n    unicast_peer {{\n        {peer}\n    }}\n"
    configs, diagnostics = lint(tmp_path, a=instance(150, extra=extra("192.0.2.1", "192.0.2.2")),
                                b=instance(100, vip="192.0.2.200/24", extra=extra("192.0.2.2", "192.0.2.1")))
    assert any(d.code == "KA406" for d in diagnostics)
    (sim,) = simulations(configs)
    assert sim.healthy.kind == "split"


# -- item 9: a script defined after its user is never tracked -----------------------------


def test_script_defined_after_the_instance_is_not_tracked(tmp_path: Path) -> None:
    late = instance(101, extra="    track_script {\n        chk\n    }\n") + SCRIPT.format(name="chk", weight=2)
    configs, diagnostics = lint(tmp_path, a=late, b=instance(100))
    (peer,) = load(configs[0])
    assert not [t for t in peer.trackers if t.kind == "script"]
    assert [(u.ref.name, u.later is not None) for u in peer.unresolved] == [("chk", True)]
    (sim,) = simulations(configs)
    assert not [s for s in sim.scenarios if any(f.track.name == "chk" for f in s.failures)]
    assert not [d for d in diagnostics if d.code == "KA350" and "103" in d.message]


def test_script_defined_before_the_instance_is_tracked(tmp_path: Path) -> None:
    early = SCRIPT.format(name="chk", weight=-2) + instance(101, extra="    track_script {\n        chk\n    }\n")
    configs, _ = lint(tmp_path, a=early)
    (peer,) = load(configs[0])
    assert [(t.name, t.weight) for t in peer.trackers if t.kind == "script"] == [("chk", -2)]


# -- disagreements between the former copies ----------------------------------------------


def test_strict_mode_off_keeps_authentication(tmp_path: Path) -> None:
    def auth(password: str) -> str:
        return f"    strict_mode off\n    authentication {{\n        auth_type PASS\n        auth_pass {password}\n    }}\n"
    _, diagnostics = lint(tmp_path, a=instance(150, extra=auth("secret1")), b=instance(100, extra=auth("secret2")))
    assert any(d.code == "KA404" for d in diagnostics)


def test_track_process_weight_254_stays_254(tmp_path: Path) -> None:
    text = ("vrrp_track_process nginx {\n    process nginx\n}\n"
            + instance(100, extra="    track_process {\n        nginx weight 254\n    }\n"))
    configs, _ = lint(tmp_path, a=text)
    (peer,) = load(configs[0])
    assert [(t.kind, t.weight) for t in peer.checks()] == [("process", 254)]
    assert "track_process `nginx`: +254" in priority_markdown(configs[0], peer.instance)


def test_hover_agrees_with_ka305_on_sync_group_weights(tmp_path: Path) -> None:
    text = (SCRIPT.format(name="chk", weight=-20) + SYNC.format(extra="")
            + instance(120, extra="    track_script {\n        chk\n    }\n") + instance(100, name="VI_2", vrid=52))
    configs, diagnostics = lint(tmp_path, a=text)
    assert any(d.code == "KA305" for d in diagnostics)
    hover = priority_markdown(configs[0], configs[0].vrrp_instances[0])
    assert hover.startswith("**effective priority 120..120**") and "track_script `chk` weight -20: dropped" in hover


# -- the hover and the model agree on every instance of the corpus -----------------------


def _by_enumeration(peer: Peer) -> tuple[int, int] | None:
    """The effective priority's range found by failing every combination of weighted checks
    (weight-0 triggers only decide FAULT, not the priority)."""
    running = replace(peer, trackers=[t for t in peer.trackers if t.weight != 0])
    checks = sorted({(t.kind, t.name) for t in running.trackers})
    if len(checks) > 10 or any(t.kind == "file" for t in running.trackers):
        return None
    effs = {evaluate(running, frozenset(c for c, flag in zip(checks, flags) if flag)).eff
            for flags in itertools.product((False, True), repeat=len(checks))}
    return min(effs), max(effs)


_RANGE = re.compile(r"\*\*effective priority (\d+)\.\.(\d+)\*\*")


def test_hover_matches_the_model_on_the_corpus() -> None:
    base = shared_dir()
    if base is None or not (base / "corpus").is_dir():
        pytest.skip("../shared/corpus is not available")
    files = sorted(p for p in (base / "corpus").rglob("*") if p.is_file() and p.suffix not in (".tsv", ".md"))
    checked = 0
    for path in files:
        result = Linter(LintOptions()).lint_paths([str(path)])
        for item in result.configs:
            config = item.config
            for peer in load(config):
                hover = priority_markdown(config, peer.instance)
                if peer.base == OWNER:
                    assert hover.startswith("**priority 255**"), path
                    continue
                expected = _by_enumeration(peer)
                match = _RANGE.match(hover)
                assert match is not None, (path, hover)
                shown = (int(match.group(1)), int(match.group(2)))
                assert shown == priority_range(peer), path
                if expected is not None:
                    assert shown == expected, (path, peer.instance.name, hover)
                checked += 1
    assert checked > 300


def test_simulate_json_names_every_candidate(tmp_path: Path) -> None:
    (tmp_path / "a.conf").write_text(instance(100))
    (tmp_path / "b.conf").write_text(instance(100))
    result = CliRunner().invoke(main, ["simulate", "--format", "json", str(tmp_path / "a.conf"),
                                       str(tmp_path / "b.conf")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == 2
    healthy, *rest = data["routers"][0]["scenarios"]
    assert healthy["kind"] == "start-order" and healthy["holders"] is None
    assert healthy["candidates"] == [["a.conf"], ["b.conf"]]
    death = next(s for s in rest if s["down"] == "a.conf")
    assert death["holders"] == ["b.conf"] and 0 < death["takeover"]["typical"] < death["takeover"]["worst"]
    cut = next(s for s in rest if s["interface_down"] == "b.conf")
    assert cut["interface"] == "eth0" and cut["holders"] == ["a.conf"]


@pytest.mark.parametrize(("globals_", "local", "target", "strict"), [
    ("vrrp_strict\n", "", None, True),
    ("vrrp_strict false\n", "", None, False),
    ("vrrp_strict false\n", "", "2.2.7", True),  # 2.2.7's handler takes no value (checked with -t)
    ("vrrp_strict False\n", "", None, False),  # invalid word: nothing set
    ("", "    strict_mode Yes\n", None, False),  # "invalid strict_mode Yes specified" (2.2.7 -t)
    ("vrrp_strict\n", "    strict_mode off\n", None, False),
    ("", "    strict_mode\n", None, True),
])
def test_strict_mode_as_keepalived_reads_it(tmp_path: Path, globals_: str, local: str, target: str | None,
                                             strict: bool) -> None:
    path = tmp_path / "k.conf"
    path.write_text(f"global_defs {{\n{globals_}}}\n" + instance(100, extra=local))
    (checked,) = Linter(LintOptions(target_version=target)).lint_paths([str(path)]).configs
    (inst,) = checked.config.vrrp_instances
    assert is_strict(checked.config, inst) is strict


# -- seed 4242 cases 33 and 108 of the real-daemon run ------------------------------------------

TRACKS = "    track_script {{\n        chk\n    }}\n{more}"


def test_fault_before_the_interim_takeover_hands_over_after_the_skew(tmp_path: Path) -> None:
    """lb-b drops to 80 (lb-a's 90 starts its down timer), then goes to FAULT within 1 s:
    the priority-0 advert reaches the running backups and the highest, lb-c (nopreempt
    plays no part without a master), takes over after its skew (real: 0.5-0.6 s)."""
    chk = SCRIPT.format(name="chk", weight=0)
    configs, _ = lint(tmp_path, a=chk + instance(90, extra=TRACKS.format(more="")),
                      b=chk + instance(100, extra=TRACKS.format(
                          more="    track_interface {\n        eth1 weight -20\n    }\n")),
                      c=chk + instance(200, extra=TRACKS.format(more="    nopreempt\n")))
    (sim,) = simulations(configs)
    both = row(sim, "chk fails on b.conf, interface eth1 fails on b.conf")
    (from_b,) = [o for o in both.outcomes if o.before == {"b.conf"}]
    assert from_b.holders == {"c.conf"} and from_b.kind == MOVED
    assert from_b.takeover is not None
    assert from_b.takeover.worst == pytest.approx(1 + (256 - 200) / 256)  # one script run + lb-c's skew


def test_a_node_starting_first_in_fault_has_a_start_order_outcome(tmp_path: Path) -> None:
    """lb-a is in FAULT while healthy (weight 0 reverse, its check succeeds): started first,
    it holds nothing, and the others' timers decide (real: nobody, then lb-c at 3.4 s)."""
    reverse = 'vrrp_script chk {\n    script "/usr/local/bin/chk.sh"\n    weight 0 reverse\n}\n'
    configs, _ = lint(tmp_path, a=reverse + instance(101, extra=TRACKS.format(more="")),
                      b=instance(100), c=instance(150, extra="    nopreempt\n"))
    (sim,) = simulations(configs)
    assert sim.start_order == {"a.conf": {"c.conf"}, "b.conf": {"b.conf"}, "c.conf": {"c.conf"}}


def test_sync_groups_preferring_different_nodes_race_and_can_collide(tmp_path: Path) -> None:
    """Default seed, case 5: lb-a's group goes to FAULT; lb-b (VI_2 at 200) and lb-c (VI_1 at
    150) both wait for their 90 member, whose timers run out together. Real daemons: lb-b
    or lb-c, and once both claimed, both stepped down (each outranked in one member) and
    lb-b won a down interval later (4.6 s)."""
    def node(p1: int, p2: int, extra: str = "") -> str:
        return (SCRIPT.format(name="chk", weight=0) + SYNC.format(extra="") + instance(p1, extra=extra)
                + instance(p2, name="VI_2", vrid=52, vip="192.0.2.101/24"))
    configs, _ = lint(tmp_path, a=node(150, 150, "    track_script {\n        chk\n    }\n"),
                      b=node(90, 200), c=node(150, 90))
    for sim in simulations(configs):
        (race,) = [o for o in row(sim, "chk fails on a.conf").outcomes if o.before == {"a.conf"}]
        assert race.kind == START_ORDER and sorted(map(sorted, race.candidates)) == [["b.conf"], ["c.conf"]]
        assert "both step down" in race.verdict
