"""``kalint simulate PATH...``: the failover scenario table for HA peers.

For every virtual router the given configs share: the healthy state, every single and
double tracked-check failure, every node down and every node's own interface down, with
each node's effective priority, the VIP holder(s) and a verdict. A rich table on a terminal, plain text when piped, JSON
with ``--format json``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from kalint.cli.config_ids import chosen_ids, config_id_options
from kalint.cli.exit_codes import ExitCode

if TYPE_CHECKING:
    from kalint.engine import LintedConfig
    from kalint.runtime.grouping import PeerGroup


@click.command("simulate")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
              help="A rich table (auto: only on a terminal).")
@config_id_options("Simulate the file")
def simulate(paths: Sequence[str], output_format: str, color: str, config_ids: Sequence[str],
             other_host: bool) -> None:
    """Simulate failover across HA peers: `kalint simulate lb-a.conf lb-b.conf`."""
    from kalint.engine import Linter, LintOptions
    from kalint.registry import Registry
    from kalint.report import color_wanted, simulation
    from kalint.runtime import grouping
    from kalint.runtime.failover import simulate as run

    result = Linter(LintOptions(config_ids=chosen_ids(config_ids, other_host)), registry=Registry()).lint_paths(paths)
    for path, message in result.errors:
        click.echo(f"kalint: {path}: {message}", err=True)
    if result.errors:
        sys.exit(ExitCode.ERROR)
    groups = _peer_groups(result.configs)
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
        sys.exit(ExitCode.ERROR)
    if output_format == "json":
        click.echo(simulation.to_json(sims), nl=False)
    elif color_wanted(color, sys.stdout.isatty()):
        simulation.write_rich(sims)
    else:
        click.echo(simulation.plain(sims), nl=False)
    sys.exit(ExitCode.CLEAN)



def _peer_groups(configs: Sequence[LintedConfig]) -> list[PeerGroup]:
    """The peer groups of the linted configs, as ``kalint check`` sees them (the
    ``peers`` setting of each config's .kalint.toml, automatic discovery otherwise)."""
    from kalint.runtime import partition
    from kalint.settings import Resolver, SettingsError

    settings = Resolver()
    try:
        return [group for part in partition.split([(item, 0) for item in configs], settings.for_path)
                for group in part.groups([item.config for item in part.members])]
    except SettingsError as exc:
        click.echo(f"kalint: {exc}", err=True)
        sys.exit(ExitCode.ERROR)
