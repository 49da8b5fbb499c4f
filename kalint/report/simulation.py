"""``kalint simulate`` output: the scenario table as rows, plain text and JSON."""

from __future__ import annotations

import json
from typing import Any

from kalint.cluster import vip_text
from kalint.failover import Scenario, Simulation
from kalint.report import printable


def cell(scenario: Scenario, node: str) -> str:
    """A node's effective priority in a scenario, or why it has none."""
    if scenario.down == node:
        return "down"
    state = scenario.states[node]
    return "FAULT" if state.fault else str(state.eff)


def holder(scenario: Scenario) -> str:
    if scenario.holders is None:
        return "(flapping)"
    return ", ".join(sorted(scenario.holders)) or "nobody"


def table(sim: Simulation) -> tuple[list[str], list[list[str]]]:
    """Header and rows: scenario, one column per node, holder, verdict."""
    nodes = [p.node for p in sim.router.peers]
    header = ["scenario", *nodes, "VIP holder", "verdict"]
    rows = [[printable(s.label), *(cell(s, n) for n in nodes), printable(holder(s)), printable(s.verdict)]
            for s in (sim.healthy, *sim.scenarios)]
    return header, rows


def title(sim: Simulation) -> str:
    title = f"{sim.router.label}: {vip_text(sim.router.vips)}"
    if sim.start_order:
        firsts = ", ".join(f"{n} first → {', '.join(sorted(h)) or 'nobody'}" for n, h in sim.start_order.items())
        title += f" (the master depends on start order: {firsts})"
    return printable(title)


def plain(simulations: list[Simulation]) -> str:
    out = []
    for sim in simulations:
        header, rows = table(sim)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
        out.append(title(sim))
        for row in [header, *rows]:
            out.append("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[-1])
        out.append("")
    return "\n".join(out)


def to_json(simulations: list[Simulation]) -> str:
    def scenario(s: Scenario) -> dict[str, Any]:
        return {
            "scenario": printable(s.label),
            "failures": [{"node": printable(f.node), "check": printable(f.track.label)} for f in s.failures],
            "down": printable(s.down) if s.down else None,
            "priorities": {printable(n): (None if s.down == n or st.fault else st.eff) for n, st in s.states.items()},
            "fault": sorted(printable(n) for n, st in s.states.items() if st.fault and s.down != n),
            "holders": None if s.holders is None else sorted(printable(h) for h in s.holders),
            "verdict": printable(s.verdict),
            "kind": s.kind,
        }

    routers = [{
        "router": printable(sim.router.label),
        "vips": sorted(printable(v) for v in sim.router.vips),
        "nodes": [{"node": printable(p.node), "path": printable(p.config.path), "instance": printable(p.instance.name)}
                  for p in sim.router.peers],
        "start_order": {printable(n): sorted(printable(x) for x in h) for n, h in sim.start_order.items()},
        "scenarios": [scenario(s) for s in (sim.healthy, *sim.scenarios)],
    } for sim in simulations]
    return json.dumps({"version": 1, "routers": routers}, indent=2, ensure_ascii=False) + "\n"
