"""``kalint simulate PATH...``: the failover scenario table for HA peers.

For every virtual router the given configs share: the healthy state, every single and
double tracked-check failure and every node down, with each node's effective priority,
the VIP holder and a verdict. A rich table on a terminal, plain text when piped, JSON
with ``--format json``.
"""

from __future__ import annotations

import sys
from typing import Sequence

import click

EXIT_CLEAN, EXIT_ERROR = 0, 2


@click.command("simulate")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
              help="A rich table (auto: only on a terminal).")
@click.option("--config-id", "config_ids", multiple=True, metavar="ID",
              help="Simulate the file as the host with this config id; repeatable. Default: every id it names.")
def simulate(paths: Sequence[str], output_format: str, color: str, config_ids: Sequence[str]) -> None:
    """Simulate failover across HA peers: `kalint simulate lb-a.conf lb-b.conf`."""
    from kalint.cli import _color
    from kalint.engine import LintOptions, Linter
    from kalint.registry import Registry
    from kalint.runtime import grouping
    from kalint.runtime.failover import simulate as run
    from kalint.report import simulation

    result = Linter(LintOptions(config_ids=tuple(config_ids) or None), registry=Registry()).lint_paths(paths)
    for path, message in result.errors:
        click.echo(f"kalint: {path}: {message}", err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    groups = grouping.peer_groups([item.config for item in result.configs])
    sims, skipped = [], []
    for group in groups:
        if group.too_large:
            skipped.append(group)
            continue
        sims.extend(run(group.routers))
    for group in skipped:
        click.echo(f"kalint: {len(group.configs)} configs form one peer group: more than "
                   f"{grouping.MAX_SIMULATED_NODES} nodes, not simulated", err=True)
    if not sims:
        click.echo("kalint: no peers among these configs: give the configs of at least two nodes that share "
                   "a VIP, unicast addresses or a VRID in one subnet", err=True)
        sys.exit(EXIT_ERROR)
    if output_format == "json":
        click.echo(simulation.to_json(sims), nl=False)
    elif _color(color, sys.stdout.isatty()):
        _rich(sims)
    else:
        click.echo(simulation.plain(sims), nl=False)
    sys.exit(EXIT_CLEAN)


_KIND_STYLE = {"stuck": "yellow", "lost": "yellow", "split": "bold red", "none": "red", "unstable": "red",
               "moved": "green", "start-order": "yellow"}


def _rich(sims: list) -> None:
    from rich.console import Console
    from rich.table import Table

    from kalint.report import simulation

    console = Console(highlight=False)
    for sim in sims:
        header, rows = simulation.table(sim)
        table = Table(title=simulation.title(sim), title_justify="left")
        for i, name in enumerate(header):
            table.add_column(name, justify="right" if 0 < i < len(header) - 2 else "left",
                             overflow="fold")
        for scenario, row in zip((sim.healthy, *sim.scenarios), rows):
            table.add_row(*row, style=_KIND_STYLE.get(scenario.kind))
        console.print(table)
