"""Random peer configs for the property-based part: kalint and keepalived must agree.

From a seed and a case index, :func:`generate` draws two or three peer configs mixing the
features whose interplay decides failover: priorities (an address owner sometimes), script
weights of either sign (0 = FAULT, ``reverse``), ``nopreempt``, ``state MASTER``, a sync
group of two members with or without ``sync_group_tracking_weight``, ``track_interface`` on
a second interface, VRRP v2/v3 and unicast/multicast. Everything drawn stays within what
keepalived accepts (checked with ``keepalived -t`` in the node namespace by the tests) and
stays consistent between peers (same VRIDs, VIPs, version, interval), so disagreements are
about behaviour, not about a broken cluster.

:func:`random_case` then asks kalint for its scenario list and picks ONE drivable scenario
(script or tracked-interface failures, a node dying, an own interface going down).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from realdaemon.harness import DRIVABLE_KINDS, Action, Case, KalintFailed, ScenarioKey, Workspace, node_down, predict
from realdaemon.scenarios import Instance, NodeConfig, Script, SyncGroup, configs, uses_eth1

PRIORITIES = (90, 100, 101, 110, 150, 200)
WEIGHTS = (-60, -30, -10, 0, 20, 50, None)
INTERFACE_WEIGHTS = (-60, -20, None)
VIPS = {"VI_1": ("198.51.100.10", 51), "VI_2": ("198.51.100.20", 52)}


def _rng(seed: int, index: int, purpose: str) -> random.Random:
    return random.Random(f"kalint-realdaemon:{seed}:{index}:{purpose}")


@dataclass(frozen=True)
class Shared:
    """What every peer agrees on: otherwise the case would be about a broken cluster."""

    count: int
    version: int
    advert: float
    version_in_globals: bool
    unicast: bool
    sync: bool
    tracking_weight: bool
    script: Script
    tracked_members: tuple[str, ...]

    @classmethod
    def draw(cls, rng: random.Random) -> Shared:
        version = rng.choice((2, 3))
        return cls(count=rng.choice((2, 2, 3)), version=version,
                   advert=1 if version == 2 else rng.choice((1, 0.5)),
                   version_in_globals=version == 3 and rng.random() < 0.5,
                   unicast=rng.random() < 0.3, sync=rng.random() < 0.3, tracking_weight=rng.random() < 0.5,
                   script=Script(weight=rng.choice(WEIGHTS), reverse=rng.random() < 0.15),
                   tracked_members=rng.choice((("VI_1",), ("VI_1", "VI_2"))))


def generate(seed: int, index: int) -> tuple[NodeConfig, ...]:
    """Peer configs for case ``index`` of run ``seed`` (deterministic)."""
    rng = _rng(seed, index, "configs")
    shared = Shared.draw(rng)
    priorities = [rng.choice(PRIORITIES) for _ in range(shared.count)]
    if not shared.sync and rng.random() < 0.15:
        priorities[rng.randrange(shared.count)] = 255
    nopreempt = rng.randrange(shared.count) if rng.random() < 0.25 else None
    if nopreempt is not None and priorities[nopreempt] == 255:
        nopreempt = None  # keepalived resets nopreempt on an address owner
    master = rng.randrange(shared.count) if rng.random() < 0.2 else None
    return tuple(_node(rng, shared, i, priorities[i], nopreempt=nopreempt == i,
                       master=master == i and nopreempt != i)
                 for i in range(shared.count))


def _node(rng: random.Random, shared: Shared, index: int, priority: int, *, nopreempt: bool,
          master: bool) -> NodeConfig:
    tracks = rng.random() < 0.7
    eth1 = (("eth1", rng.choice(INTERFACE_WEIGHTS)),) if rng.random() < 0.25 else ()
    peers = tuple(i for i in range(shared.count) if i != index) if shared.unicast else None
    instances = []
    for name in ("VI_1", "VI_2") if shared.sync else ("VI_1",):
        vip, vrid = VIPS[name]
        tracked = tracks and (not shared.sync or name in shared.tracked_members)
        instances.append(Instance(
            name, vrid, priority if name == "VI_1" or rng.random() < 0.6 else rng.choice(PRIORITIES),
            state="MASTER" if master else "BACKUP", vips=(vip,), advert=shared.advert,
            version=None if shared.version == 2 or shared.version_in_globals else shared.version,
            nopreempt=nopreempt, scripts=("chk",) if tracked else (), interfaces=eth1 if name == "VI_1" else (),
            unicast=peers))
    return NodeConfig(tuple(instances), (shared.script,) if tracks else (),
                      SyncGroup(tracking_weight=shared.tracking_weight) if shared.sync else None,
                      3 if shared.version_in_globals else None)


def drivable_keys(texts: dict[str, str]) -> list[ScenarioKey]:
    """kalint's non-healthy scenarios the harness can drive for real, in a stable order."""
    with Workspace(texts) as workspace:
        _, prediction = predict(workspace.paths.values())
    keys = {key for router in prediction for key in router.scenarios
            if key != ScenarioKey() and all(f.kind in DRIVABLE_KINDS for f in key.failures)}
    return sorted(keys, key=str)


def random_case(seed: int, index: int) -> Case:
    """Case ``index`` of run ``seed``: the configs and one scenario picked from kalint's list
    (a node dying when kalint cannot be asked, so the daemons still run)."""
    nodes = generate(seed, index)
    texts = configs(nodes)
    try:
        keys = drivable_keys(texts)
    except KalintFailed:
        keys = []
    key = _rng(seed, index, "action").choice(keys) if keys else None
    action = (Action(tuple(sorted(key.failures)), key.down, key.interface_down) if key
              else node_down(next(iter(texts))))
    return Case(f"random-{seed}-{index}", texts, action, (), ("eth1",) if uses_eth1(nodes) else ())
