"""Peers and failover: the seed pair, the simulator against hand calculations, peer
grouping (including the corpus' known pairs) and ``kalint simulate``."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require_shared
from kalint.cli import main
from kalint.engine import Linter, LintOptions
from kalint.runtime import grouping as cluster
from kalint.runtime.failover import LOST, MOVED, STUCK, Simulation, simulate
from kalint.runtime.priority import evaluate

CHK = 'vrrp_script chk {\n    script "/usr/bin/pgrep nginx"\n}\n'


def instance(priority: int, *, vrid: int = 51, vip: str = "192.0.2.10/24", extra: str = "",
             state: str = "BACKUP", name: str = "VI_1") -> str:
    return (f"vrrp_instance {name} {{\n    state {state}\n    interface eth0\n    virtual_router_id {vrid}\n"
            f"    priority {priority}\n{extra}    virtual_ipaddress {{\n        {vip}\n    }}\n}}\n")


def write(tmp_path: Path, **files: str) -> list[str]:
    paths = []
    for name, text in files.items():
        path = tmp_path / f"{name}.conf"
        path.write_text(text)
        paths.append(str(path))
    return paths


def groups(paths: list[str], **options: object) -> list[cluster.PeerGroup]:
    result = Linter(LintOptions(**options)).lint_paths(paths)  # type: ignore[arg-type]
    return [g for g in cluster.peer_groups([c.config for c in result.configs]) if not g.alone]


def simulate_router(router: cluster.Router) -> Simulation:
    """The simulation of one router (elected alone: no sync group ties it to another)."""
    (sim,) = simulate([router])
    return sim


# -- the seed ---------------------------------------------------------------------------


def seed_paths() -> list[str]:
    seed = require_shared("seed")
    return [str(seed / "master.conf"), str(seed / "backup.conf")]


def test_seed_pair_findings() -> None:
    result = Linter().lint_paths(seed_paths())
    found = {(Path(d.span.path).name, d.span.line, d.code) for d in result.diagnostics}
    for name in ("master.conf", "backup.conf"):
        assert (name, 38, "KA201") in found  # maintenance_mode is undefined
        assert (name, 20, "KA202") in found  # check_test_mode is never tracked
        assert (name, 23, "KA350") in found  # weight 50 is a bonus
    assert ("backup.conf", 27, "KA408") in found  # both say state MASTER
    bonus = next(d for d in result.diagnostics if d.code == "KA350" and d.span.path.endswith("master.conf"))
    assert "101 + 50 = 151 while it passes and 101 when it fails" in bonus.message
    assert "backup.conf at 100 + 50 = 150" in bonus.message
    assert "moves the VIP to backup.conf (101 < 150)" in bonus.message


def test_seed_simulation_by_hand() -> None:
    """Hand calculation for the seed pair as keepalived loads it.

    maintenance_mode is undefined and check_test_mode untracked, so each node tracks
    check_test and check_test_processes with the default weight 0 (FAULT triggers) and
    its own interface. master: priority 101, backup: priority 100, both `state MASTER`.
    Healthy: cold start, both want MASTER, 101 has the shorter timer → master holds;
    backup accepts 101 ≥ 100. Any check failing on master → FAULT → backup (100) holds;
    after recovery master preempts (101 > 100). A check failing on backup → FAULT there,
    master keeps it. One check failing on each → both FAULT → nobody. master down → backup.
    """
    (group,) = groups(seed_paths())
    (router,) = group.routers
    sim = simulate_router(router)
    assert {n: s.eff for n, s in sim.healthy.states.items()} == {"master.conf": 101, "backup.conf": 100}
    assert sim.healthy.holders == {"master.conf"}
    rows = {s.label: s for s in sim.scenarios}
    assert len(rows) == 4 + 6 + 2 + 2  # 4 single failures, C(4, 2) double, 2 nodes down, 2 own interfaces down
    for check in ("check_test", "check_test_processes"):
        on_master = rows[f"{check} fails on master.conf"]
        assert on_master.states["master.conf"].fault and on_master.states["backup.conf"].eff == 100
        assert on_master.holders == {"backup.conf"} and on_master.kind == MOVED
        assert on_master.verdict.endswith("back to master.conf after recovery")
        on_backup = rows[f"{check} fails on backup.conf"]
        assert on_backup.holders == {"master.conf"} and on_backup.states["backup.conf"].fault
    both = rows["check_test fails on master.conf, check_test_processes fails on backup.conf"]
    assert both.holders == set() and "every node in FAULT" in both.verdict
    assert rows["master.conf down"].holders == {"backup.conf"}
    assert rows["backup.conf down"].holders == {"master.conf"}


# -- the simulator against hand calculations --------------------------------------------


def test_weight_smaller_than_gap_is_stuck(tmp_path: Path) -> None:
    # lb-a: 200 − 30 = 170 > 150 on lb-b: the VIP stays; with −60: 140 < 150, it moves
    paths = write(tmp_path, **{"lb-a": CHK + instance(200, extra="    track_script {\n        chk weight -30\n    }\n"),
                               "lb-b": instance(150)})
    (group,) = groups(paths)
    sim = simulate_router(group.routers[0])
    row = next(s for s in sim.scenarios if s.label == "chk fails on lb-a.conf")
    assert row.kind == STUCK and row.states["lb-a.conf"].eff == 170
    assert "200 − 30 = 170 > 150 on lb-b.conf" in row.verdict


def test_equal_priority_after_failure_does_not_move(tmp_path: Path) -> None:
    # 110 − 10 = 100 = 100: a backup never preempts an equal master
    paths = write(tmp_path, **{"a": CHK + instance(110, extra="    track_script {\n        chk weight -10\n    }\n"),
                               "b": instance(100)})
    sim = simulate_router(groups(paths)[0].routers[0])
    row = next(s for s in sim.scenarios if s.failures)
    assert row.holders == {"a.conf"} and row.kind == STUCK


def test_nopreempt_backup_blocks_weights_but_not_fault(tmp_path: Path) -> None:
    track = "    track_script {\n        chk weight -80\n    }\n"
    paths = write(tmp_path, a=CHK + instance(200, extra=track), b=CHK + instance(150, extra="    nopreempt\n" + track))
    sim = simulate_router(groups(paths)[0].routers[0])
    row = next(s for s in sim.scenarios if s.label == "chk fails on a.conf")
    assert row.states["a.conf"].eff == 120 and row.holders == {"a.conf"} and "nopreempt" in row.verdict
    assert next(s for s in sim.scenarios if s.label == "a.conf down").holders == {"b.conf"}


def test_reverse_weight_on_backup_takes_vip_from_healthy_holder(tmp_path: Path) -> None:
    paths = write(tmp_path, a=instance(150),
                  b=CHK + instance(200, extra="    track_script {\n        chk weight 60 reverse\n    }\n"))
    sim = simulate_router(groups(paths)[0].routers[0])
    assert sim.healthy.states["b.conf"].eff == 140 and sim.healthy.holders == {"a.conf"}
    row = next(s for s in sim.scenarios if s.label == "chk fails on b.conf")
    assert row.kind == LOST and row.holders == {"b.conf"}


def test_split_brain_names_the_missing_edge(tmp_path: Path) -> None:
    paths = write(tmp_path, a=instance(101, extra="    advert_int 1\n"), b=instance(100, extra="    advert_int 2\n"))
    sim = simulate_router(groups(paths)[0].routers[0])
    assert sim.healthy.holders == {"a.conf", "b.conf"}
    assert "advert_int 1 vs 2" in sim.healthy.verdict


def test_sync_group_strips_instance_weights_but_applies_group_trackers(tmp_path: Path) -> None:
    group = ("vrrp_sync_group G {\n    group {\n        VI_1\n    }\n    track_script {\n        chk weight -70\n"
             "    }\n}\n")
    stripped = CHK + "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n}\n"
    track = "    track_script {\n        chk weight -70\n    }\n"
    (with_group,) = groups(write(tmp_path, a=CHK + group + instance(200), b=instance(150)))
    row = next(s for s in simulate_router(with_group.routers[0]).scenarios if s.label == "chk fails on a.conf")
    assert row.states["a.conf"].eff == 130 and row.holders == {"b.conf"}
    other = tmp_path / "stripped"
    other.mkdir()
    (without,) = groups(write(other, a=stripped + instance(200, extra=track), b=instance(150)))
    peer = without.routers[0].peers[0]
    assert [t.name for t in peer.trackers if t.kind == "script"] == []
    assert peer.dropped and peer.dropped[0].reason == "sync_group" and peer.sync_group.name == "G"


def test_owner_and_defaults(tmp_path: Path) -> None:
    text = CHK + ("vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n"
                  "    track_script {\n        chk weight -50\n    }\n    virtual_ipaddress {\n        192.0.2.10\n"
                  "    }\n}\n")
    (group,) = groups(write(tmp_path, a=text, b=instance(100)))
    owner = group.routers[0].peers[0]
    assert owner.base == 255 and owner.want_master  # state MASTER with no priority
    assert not [t for t in owner.trackers if t.kind == "script"]  # weighted tracking dropped


# -- grouping ---------------------------------------------------------------------------


def test_config_ids_are_separate_nodes(tmp_path: Path) -> None:
    text = ("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n@a    priority 150\n"
            "@b    priority 100\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n")
    (group,) = groups(write(tmp_path, both=text))
    assert group.nodes == ["both.conf@a", "both.conf@b"]
    sim = simulate_router(group.routers[0])
    assert sim.healthy.holders == {"both.conf@a"}


def test_variants_of_one_host_are_not_peers(tmp_path: Path) -> None:
    def node(src: str, peers: list[str], priority: int, vip: str) -> str:
        listed = "".join(f"        {p}\n" for p in peers)
        return instance(priority, vip=vip, extra=f"    unicast_src_ip {src}\n    unicast_peer {{\n{listed}    }}\n")

    paths = write(tmp_path,
                  a1=node("10.0.0.1", ["10.0.0.2"], 150, "10.0.0.100"),
                  a2=node("10.0.0.2", ["10.0.0.1"], 100, "10.0.0.100"),
                  b1=node("10.0.0.1", ["10.0.0.2", "10.0.0.3"], 150, "10.0.0.100"),
                  b2=node("10.0.0.2", ["10.0.0.1", "10.0.0.3"], 100, "10.0.0.100"),
                  b3=node("10.0.0.3", ["10.0.0.1", "10.0.0.2"], 50, "10.0.0.100"))
    found = sorted(sorted(group.nodes) for group in groups(paths))
    assert found == [["a1.conf", "a2.conf"], ["b1.conf", "b2.conf", "b3.conf"]]


def test_group_of_nine_is_too_large(tmp_path: Path) -> None:
    paths = write(tmp_path, **{f"n{i}": instance(100 + i) for i in range(9)})
    (group,) = groups(paths)
    assert group.too_large and len(group.configs) == 9


def test_single_config_is_a_group_of_one(tmp_path: Path) -> None:
    result = Linter().lint_paths(write(tmp_path, a=instance(100)))
    (group,) = cluster.peer_groups([c.config for c in result.configs])
    assert group.alone and group.routers == [] and len(group.peers) == 1


def test_corpus_pairs_are_recovered() -> None:
    """Linting each repository's files together recovers its pair_groups.

    Measured: 75 pair groups; 71 recovered as one group; 2 merged with each other
    (none of the others). The exceptions, all understood:
    - polestarYang-mysqlgit and quydx-scripts: the two files share only a VRID, with VIPs
      in different subnets and no unicast addresses, and "VRID alone is not enough".
    - sergio-gimenez-understanding-keepalived-b and -c: a 2-node and a 3-node variant of one
      lab, whose b master (.20 → .52, .40) is indistinguishable from c's master: its
      addresses fit c exactly. In the repository they sit in different folders, which the
      flattened corpus does not keep.
    """
    real = require_shared("corpus", "real")
    rows = list(csv.DictReader(open(real / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t"))
    by_repo: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_repo[row["repo"]].append(row)
    expected_missing = {"polestarYang-mysqlgit", "quydx-scripts", "sergio-gimenez-understanding-keepalived-b",
                        "sergio-gimenez-understanding-keepalived-c"}
    total = recovered = 0
    missing, merged = set(), set()
    for repo_rows in by_repo.values():
        wanted: dict[str, set[str]] = defaultdict(set)
        for row in repo_rows:
            for label in filter(None, row["pair_group"].split(",")):
                wanted[label].add(str(real / row["file"]))
        if not wanted:
            continue
        found = [{c.path for c in g.configs} for g in groups([str(real / r["file"]) for r in repo_rows])]
        for label, files in wanted.items():
            total += 1
            if any(files <= f for f in found):
                recovered += 1
            else:
                missing.add(label)
        for f in found:
            owners = {label for label, files in wanted.items()
                      if f & files - set().union(*(o for l2, o in wanted.items() if l2 != label))}
            if len(owners) > 1:
                merged |= owners
    print(f"pair groups {total}, recovered {recovered}, merged {sorted(merged)}")
    assert total == 75
    assert missing <= expected_missing
    assert merged <= expected_missing


# -- kalint simulate --------------------------------------------------------------------


def test_simulate_json_and_plain() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["simulate", "--format", "json", *seed_paths()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (router,) = data["routers"]
    healthy = router["scenarios"][0]
    assert healthy["priorities"] == {"master.conf": 101, "backup.conf": 100}
    assert healthy["holders"] == ["master.conf"]
    fault = next(s for s in router["scenarios"] if s["scenario"] == "check_test fails on master.conf")
    assert fault["priorities"]["master.conf"] is None and fault["fault"] == ["master.conf"]
    assert fault["holders"] == ["backup.conf"] and fault["kind"] == "moved"
    plain = runner.invoke(main, ["simulate", *seed_paths()])
    assert plain.exit_code == 0 and "scenario" in plain.output and "\x1b[" not in plain.output


@pytest.mark.parametrize("args", [["simulate"], ["simulate", "/nonexistent.conf"]])
def test_simulate_usage_errors(args: list[str]) -> None:
    assert CliRunner().invoke(main, args).exit_code == 2


def test_simulate_needs_peers(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["simulate", *write(tmp_path, a=instance(100))])
    assert result.exit_code == 2 and "no peers" in result.output


def test_simulate_follows_the_peers_setting(tmp_path: Path) -> None:
    paths = write(tmp_path, a=instance(150), b=instance(100))
    assert CliRunner().invoke(main, ["simulate", *paths]).exit_code == 0
    (tmp_path / ".kalint.toml").write_text('[peers]\nindependent = ["b.conf"]\n')
    result = CliRunner().invoke(main, ["simulate", *paths])
    assert result.exit_code == 2 and "no peers" in result.output


def test_sync_group_member_fault_takes_the_group_down(tmp_path: Path) -> None:
    # chk (weight 0) is tracked by VI_2 only; it failing on a faults VI_1 there too
    group = "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n}\n"
    track = "    track_script {\n        chk\n    }\n"
    a = CHK + group + instance(150) + instance(150, vrid=52, vip="192.0.2.20/24", extra=track, name="VI_2")
    b = CHK + group + instance(100) + instance(100, vrid=52, vip="192.0.2.20/24", extra=track, name="VI_2")
    (peer_group,) = groups(write(tmp_path, a=a, b=b))
    vi_1 = next(r for r in peer_group.routers if r.peers[0].instance.name == "VI_1")
    row = next(s for s in simulate_router(vi_1).scenarios if s.label == "chk fails on a.conf")
    assert row.states["a.conf"].fault and row.holders == {"b.conf"}


def test_normalise_defaults_and_auth(tmp_path: Path) -> None:
    auth = "    authentication {\n        auth_type PASS\n        auth_pass secret12345\n    }\n"
    text = ("global_defs {\n    vrrp_strict\n}\n" + instance(100, extra=auth + "    nopreempt\n", state="master"))
    (group,) = groups(write(tmp_path, a=text, b=instance(90, extra=auth)))
    strict, plain = group.routers[0].peers
    assert strict.strict and strict.auth is None and not strict.want_master and strict.nopreempt
    assert plain.auth == ("PASS", b"secret12")  # only the first 8 bytes count
    assert strict.version == plain.version == 2 and strict.adv == 1.0


def test_evaluate_reverse_clamp_and_fault(tmp_path: Path) -> None:
    scripts = "".join(f'vrrp_script {n} {{\n    script "/bin/true"\n}}\n' for n in ("up", "rev", "big", "zero"))
    track = ("    track_script {\n        up weight 20\n        rev weight 20 reverse\n        big weight -250\n"
             "        zero\n    }\n")
    (group,) = groups(write(tmp_path, a=scripts + instance(240, extra=track), b=instance(100)))
    peer = group.routers[0].peers[0]
    healthy = evaluate(peer)
    assert (healthy.total, healthy.eff, healthy.fault) == (240 + 20 - 20, 240, False)
    saturated = evaluate(peer, frozenset({("script", "rev")}))
    assert (saturated.total, saturated.eff) == (260, 254)  # clamped below 255
    floored = evaluate(peer, frozenset({("script", "big"), ("script", "up")}))
    assert (floored.total, floored.eff, floored.fault) == (240 - 20 - 250, 1, False)  # the floor is not FAULT
    assert evaluate(peer, frozenset({("script", "zero")})).fault  # weight 0: FAULT


def test_ipv6_defaults_to_v3_without_auth(tmp_path: Path) -> None:
    auth = "    authentication {\n        auth_type PASS\n        auth_pass secret\n    }\n"
    (group,) = groups(write(tmp_path, a=instance(101, vip="2001:db8::10", extra=auth),
                            b=instance(100, vip="2001:db8:0::10")))
    a, b = group.routers[0].peers
    assert a.version == b.version == 3 and a.auth is None and a.vips == b.vips == {"2001:db8::10"}
    assert simulate_router(group.routers[0]).healthy.holders == {"a.conf"}


def test_groups_of_a_few_configs_are_their_groups_among_all() -> None:
    """pre-commit groups only the configs the changed ones could be linked to: on the
    corpus (302+ configs grouped as one directory), the groups found for each config and
    for random pairs of configs are exactly the groups containing them among all."""
    import random

    real = require_shared("corpus", "real")
    result = Linter(LintOptions(target_version="2.2.7")).lint_paths([str(real)])
    summaries = [cluster.summary(c.config) for c in result.configs]
    everything = cluster.memberships(summaries)
    assert sum(len(g) > 1 for g in everything) >= 20  # the corpus' known peer sets, and more
    rng = random.Random(7)
    singles = [{i} for i in range(len(summaries))]
    pairs = [set(rng.sample(range(len(summaries)), 2)) for _ in range(100)]
    for focus in singles + pairs:
        focused = cluster.memberships(summaries, focus)
        assert all(group in everything for group in focused)
        assert [g for g in everything if focus & set(g)] == [g for g in focused if focus & set(g)]


class _Named:
    def __init__(self, path: str, config_id: str | None) -> None:
        self.path, self.config_id = path, config_id


def _fewest_parts(configs: list[_Named]) -> list[str]:
    """node_labels' definition, pair by pair: the fewest trailing parts no other config
    with the same id ends with, or the whole path."""
    parts = [c.path.split("/") for c in configs]
    labels = []
    for i, config in enumerate(configs):
        depth = 1
        while depth < len(parts[i]) and any(j != i and parts[j][-depth:] == parts[i][-depth:]
                                            and other.config_id == config.config_id
                                            for j, other in enumerate(configs)):
            depth += 1
        label = "/".join(parts[i][-depth:])
        labels.append(f"{label}@{config.config_id}" if config.config_id else label)
    return labels


@pytest.mark.parametrize("seed", range(20))
def test_node_labels_are_the_fewest_trailing_parts(seed: int) -> None:
    import random

    rng = random.Random(seed)
    configs = [_Named("/".join(rng.choice(["a", "b", "site1", "lb"]) for _ in range(rng.randint(1, 4))) + ".conf",
                      rng.choice([None, None, "lb1", "lb2"]))
               for _ in range(rng.randint(1, 12))]
    assert cluster.node_labels(configs) == _fewest_parts(configs)


class _Part(str):
    """A path part that counts how often it is compared with another."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _Part.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


class _Parted(str):
    """A normalised path whose parts are ``_Part``s."""

    def split(self, sep: str | None = None, maxsplit: int = -1) -> list[str]:  # type: ignore[override]
        return [_Part(part) for part in str.split(self, sep, maxsplit)]


def test_node_labels_do_not_compare_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thousand distinct names, a few comparisons of path parts: pairing every config
    with every other made a repository of 1000 configs cost 0.19 s, 3000 1.7 s (the old
    code compared parts about a million times here)."""
    from types import SimpleNamespace

    monkeypatch.setattr(cluster, "os", SimpleNamespace(sep="/", path=SimpleNamespace(normpath=_Parted)))
    monkeypatch.setattr(_Part, "compared", 0)
    labels = cluster.node_labels([_Named(f"repo/cluster{k}.conf", None) for k in range(1000)])
    assert labels[:2] == ["cluster0.conf", "cluster1.conf"]
    assert _Part.compared < 10_000


def test_a_finding_of_an_automatic_group_is_tagged_without_naming_the_whole_partition() -> None:
    """An automatic partition's tag is its group's: writing out the partition's members for
    each of its groups made a repository of 1000 configs cost 1000 x 1000 names."""
    from types import SimpleNamespace

    from kalint.runtime import partition

    class Unread:
        @property
        def path(self) -> str:
            raise AssertionError("the partition's members were named")

        config_id = None

    group = SimpleNamespace(configs=[_Named("a.conf", None), _Named("b.conf", "lb1")])
    tag = partition.tag_of(partition.Partition("automatic", None, [Unread()] * 1000), group)
    assert (tag.how, tag.name, tag.configs) == ("automatic", None, ("a.conf", "b.conf@lb1"))
    declared = partition.Partition("declared", "web", [_Named("x.conf", None)])
    assert partition.tag_of(declared, group).configs == ("x.conf",)


# -- what grouping keeps between two builds (the language server's keystrokes) ----------


def test_a_group_built_again_links_its_instances_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same instances' links give the same routers without pairing them again; a
    changed link pairs them again."""
    paths = write(tmp_path, a=instance(150) + instance(100, vrid=52, vip="192.0.2.20/24", name="VI_2"),
                  b=instance(100) + instance(150, vrid=52, vip="192.0.2.20/24", name="VI_2"))
    configs = [c.config for c in Linter(LintOptions(jobs=1)).lint_paths(paths).configs]
    (tmp_path / "moved").mkdir()
    (moved_path,) = write(tmp_path / "moved", b=instance(100, vrid=53, vip="192.0.2.30/24")
                          + instance(150, vrid=52, vip="192.0.2.20/24", name="VI_2"))
    moved = [c.config for c in Linter(LintOptions(jobs=1)).lint_paths([moved_path, paths[0]]).configs]
    pairings = []
    pair = cluster._instance_links
    monkeypatch.setattr(cluster, "_instance_links", lambda items: pairings.append(len(items)) or pair(items))
    monkeypatch.setattr(cluster, "_last_pairs", None)
    first = cluster.build(configs, ["a", "b"])
    again = cluster.build(configs, ["a", "b"])
    assert pairings == [4]
    assert [[p.instance.name for p in r.peers] for r in again.routers] == \
        [[p.instance.name for p in r.peers] for r in first.routers] == [["VI_1", "VI_1"], ["VI_2", "VI_2"]]
    assert len(cluster.build(moved, ["b", "a"]).routers) == 1 and pairings == [4, 4]


def test_a_config_is_summarised_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (path,) = write(tmp_path, a=instance(150))
    config = Linter(LintOptions(jobs=1)).lint_paths([path]).configs[0].config
    made = []
    summarise = cluster._summary
    monkeypatch.setattr(cluster, "_summary", lambda c, peers: made.append(c) or summarise(c, peers))
    assert cluster.summary(config) is cluster.summary(config)
    assert made == [config]
