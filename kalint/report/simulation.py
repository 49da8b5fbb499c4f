"""``kalint simulate`` output: the scenario table as rows, plain text and JSON."""

from __future__ import annotations

import json
from typing import Any

from kalint.report import printable
from kalint.runtime.failover import Scenario, Simulation
from kalint.runtime.grouping import vip_text
from kalint.runtime.timing import Duration

#: The version of the JSON shape (2: candidates, takeover, interface_down, failure kinds, outcomes).
JSON_VERSION = 2


def cell(scenario: Scenario, node: str) -> str:
    """A node's effective priority in a scenario, or why it has none."""
    if scenario.down == node:
        return "down"
    state = scenario.states[node]
    return "FAULT" if state.fault else str(state.eff)


def holder(scenario: Scenario) -> str:
    if not scenario.stable:
        return "(flapping)"
    if len(scenario.candidates) > 1:
        return " or ".join(", ".join(sorted(c)) or "nobody" for c in scenario.candidates)
    return ", ".join(sorted(scenario.candidates[0])) if scenario.candidates and scenario.candidates[0] else "nobody"


def table(sim: Simulation) -> tuple[list[str], list[list[str]]]:
    """Header and rows: scenario, one column per node, holder, verdict."""
    nodes = [p.node for p in sim.router.peers]
    header = ["scenario", *nodes, "VIP holder", "verdict"]
    rows = [[printable(s.label), *(cell(s, n) for n in nodes), printable(holder(s)), printable(s.verdict)]
            for s in (sim.healthy, *sim.scenarios)]
    return header, rows


def title(sim: Simulation) -> str:
    return printable(f"{sim.router.label}: {vip_text(sim.router.vips)}")


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


def _nodes(nodes: frozenset[str] | None) -> list[str] | None:
    return None if nodes is None else sorted(printable(n) for n in nodes)


def _takeover(duration: Duration | None) -> dict[str, float] | None:
    return {"typical": round(duration.typical, 2), "worst": round(duration.worst, 2)} if duration else None


def _scenario(s: Scenario) -> dict[str, Any]:
    return {
        "scenario": printable(s.label),
        "failures": [{"node": printable(f.node), "check": printable(f.track.label), "kind": f.track.kind,
                      "name": printable(f.track.name)} for f in s.failures],
        "down": printable(s.down) if s.down else None,
        "interface_down": printable(s.interface_down[0]) if s.interface_down else None,
        "interface": printable(s.interface_down[1]) if s.interface_down else None,
        "priorities": {printable(n): (None if s.down == n or st.fault else st.eff) for n, st in s.states.items()},
        "fault": sorted(printable(n) for n, st in s.states.items() if st.fault and s.down != n),
        "holders": _nodes(s.holders),
        "candidates": [_nodes(c) for c in s.candidates] if len(s.candidates) > 1 else None,
        "kind": s.kind,
        "takeover": _takeover(s.takeover),
        "verdict": printable(s.verdict),
        # from each steady state the start orders lead to: what happens from there
        "outcomes": [{"from": _nodes(o.before), "holders": _nodes(o.holders),
                      "candidates": [_nodes(c) for c in o.candidates] if o.candidates else None, "kind": o.kind,
                      "takeover": _takeover(o.takeover), "verdict": printable(o.verdict)} for o in s.outcomes],
    }


def to_json(simulations: list[Simulation]) -> str:
    routers = [{
        "router": printable(sim.router.label),
        "vips": sorted(printable(v) for v in sim.router.vips),
        "nodes": [{"node": printable(p.node), "path": printable(p.config.path), "instance": printable(p.instance.name)}
                  for p in sim.router.peers],
        "start_order": {printable(n): _nodes(h) for n, h in sim.start_order.items()},
        "scenarios": [_scenario(s) for s in (sim.healthy, *sim.scenarios)],
    } for sim in simulations]
    return json.dumps({"version": JSON_VERSION, "routers": routers}, indent=2, ensure_ascii=False) + "\n"


_KIND_STYLE = {"stuck": "yellow", "lost": "yellow", "split": "bold red", "none": "red", "unstable": "red",
               "moved": "green", "start-order": "yellow"}


def write_rich(simulations: list[Simulation]) -> None:
    """The tables, coloured by verdict, on standard output (rich is imported only here)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    for sim in simulations:
        header, rows = table(sim)
        grid = Table(title=title(sim), title_justify="left")
        for i, name in enumerate(header):
            grid.add_column(name, justify="right" if 0 < i < len(header) - 2 else "left", overflow="fold")
        for scenario, row in zip((sim.healthy, *sim.scenarios), rows):
            grid.add_row(*row, style=_KIND_STYLE.get(scenario.kind))
        console.print(grid)
