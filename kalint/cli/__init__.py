"""Command line: ``kalint check PATH...`` (or just ``kalint PATH...``), ``kalint rules``,
``kalint rule CODE``.

Exit codes: 0 nothing at or above the ``--fail-on`` threshold (default: warning),
1 findings, 2 usage or input error (a path missing, unreadable or not a config).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any, Sequence

import click

from kalint import __version__
from kalint.cli import check as workflow_of_check
from kalint.cli.check import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS  # noqa: F401 (one definition, used by subcommands)

FORMATS = ("text", "concise", "json", "sarif", "github")


#: Subcommands imported only when used: `kalint PATH` must not pay for the formatter,
#: the simulator or the language server (cold start is measured in bench/).
_LAZY_COMMANDS = {
    "format": ("kalint.cli.format", "format_command"),
    "lsp": ("kalint.cli.lsp", "lsp_command"),
    "simulate": ("kalint.cli.simulate", "simulate"),
}


class _DefaultToCheck(click.Group):
    """``kalint [OPTIONS] PATH...`` means ``kalint check [OPTIONS] PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = set(self.commands) | set(_LAZY_COMMANDS)
        if args and args[0] not in known and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(_LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in _LAZY_COMMANDS:
            import importlib

            module, attribute = _LAZY_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)


@click.group(
    cls=_DefaultToCheck,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=False,
)
@click.version_option(__version__, prog_name="kalint")
def main() -> None:
    """kalint: find the keepalived configuration mistakes that keepalived itself
    ignores, logs and starts anyway.

    \b
    Examples:
      kalint keepalived.conf              lint one config
      kalint lb-a.conf lb-b.conf          lint two HA peers together
      kalint configs/                     lint every keepalived config under a directory
      kalint --format json keepalived.conf
      kalint rule KA201                   explain a rule

    `kalint PATH...` is short for `kalint check PATH...`; a path named like a
    subcommand is given as ./rules.
    """


def _color(choice: str, output_is_tty: bool) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return output_is_tty


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="Output format [default: text; github when GITHUB_ACTIONS=true and no --output].")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
              help="Colour text output (auto: only on a terminal; NO_COLOR and FORCE_COLOR are honoured).")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default=None,
              help="Lowest severity that makes kalint exit 1 [default: `fail-on` of the configuration, else warning].")
@click.option("--show-source/--no-show-source", default=True, help="Show the source line under each finding.")
@click.option("--quiet", "-q", is_flag=True, help="Only the findings, no summary line.")
@click.option("--config-id", "config_ids", multiple=True, metavar="ID",
              help="Lint as the host with this config id (for `@ID` lines); repeatable. "
                   "Default: once per id the file names.")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Read absolute include paths under DIR (for repositories that mirror /etc/keepalived).")
@click.option("--allow-outside-includes", is_flag=True,
              help="Read includes that resolve outside the linted tree (off by default so CI logs "
                   "never show files from elsewhere).")
@click.option("--target-version", default=None, metavar="VERSION",
              help="The keepalived release the configs run on (e.g. 2.2.7): keywords newer than it are "
                   "flagged. Default: `target-version` of the configuration, else the newest kalint knows.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes to lint many configs with: 0 is auto (one per core for 16 or more files "
                   "on 4 or more cores), 1 lints in-process.")
@workflow_of_check.options
def check(
    paths: Sequence[str],
    output_format: str,
    output: str | None,
    color: str,
    fail_on: str,
    show_source: bool,
    quiet: bool,
    config_ids: Sequence[str],
    root: str | None,
    allow_outside_includes: bool,
    target_version: str | None,
    jobs: int,
    **workflow: Any,
) -> None:
    """Lint keepalived configs: files, directories (searched for configs) or - for stdin."""
    from kalint.engine import LintOptions, Linter

    if target_version is not None:
        from kalint.model import schema

        try:
            schema.version_key(target_version)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--target-version") from None
    output_format = workflow_of_check.output_format(output_format, output, workflow["statistics"])
    settings = workflow_of_check.resolver(workflow, fail_on)
    if workflow["show_settings"]:
        workflow_of_check.show_settings(settings, paths)
        return
    options = LintOptions(
        config_ids=tuple(config_ids) or None,
        root=root,
        allow_outside_includes=allow_outside_includes,
        target_version=target_version,
        settings=settings,
        jobs=jobs,
    )
    linter = Linter(options)
    show_progress = workflow_of_check.progress_wanted(output_format, quiet)
    result = workflow_of_check.lint(linter, paths, workflow, show_progress)
    if workflow["fix"] or workflow["diff"]:
        result = workflow_of_check.fix(linter, paths, result, workflow)
    for path, message in result.errors:
        click.echo(f"kalint: {path}: {message}", err=True)

    stream: Any = open(output, "w", encoding="utf-8", errors="replace") if output else sys.stdout
    try:
        if workflow["statistics"] and output_format in ("text", "concise"):
            stream.write("".join(line + "\n" for line in workflow_of_check.statistics_lines(result.diagnostics)))
        else:
            _report(result, output_format, stream, color, show_source, quiet, output is None, linter.registry)
    finally:
        if output:
            stream.close()
    sys.exit(workflow_of_check.exit_code(result, settings))


def _report(result: Any, output_format: str, stream: Any, color: str, show_source: bool, quiet: bool,
            to_stdout: bool, registry: Any) -> None:
    if output_format == "json":
        from kalint.report import json_format

        stream.write(json_format.render(result.diagnostics, result.errors))
        return
    if output_format == "sarif":
        from kalint.report import sarif

        stream.write(sarif.render(result.diagnostics, result.errors, registry.sorted()))
        return
    if output_format == "github":
        from kalint.report import github

        stream.write(github.render(result.diagnostics, result.errors))
        return
    from kalint.report import text

    use_color = _color(color, to_stdout and stream.isatty())
    lines = text.render_lines(
        result.diagnostics, result.errors, result.sources,
        show_source=show_source, concise=output_format == "concise", quiet=quiet,
    )
    text.write(lines, stream.write, use_color)


@main.command("rules")
def list_rules() -> None:
    """List every rule: code, name, default severity and summary."""
    from kalint.registry import load

    registry = load()
    for rule in registry.sorted():
        click.echo(f"{rule.code}  {rule.name:<28} {str(rule.severity):<8} {rule.summary}")
    for origin, problem in registry.errors:
        click.echo(f"kalint: plugin {origin}: {problem}", err=True)


@main.command("rule")
@click.argument("code")
def show_rule(code: str) -> None:
    """Explain one rule (by code, e.g. KA201, or by name)."""
    from kalint.registry import load

    registry = load()
    wanted = code.upper()
    rule = registry.get(wanted) or next((r for r in registry.sorted() if r.name == code), None)
    if rule is None:
        click.echo(f"kalint: no rule {code!r}; `kalint rules` lists them", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{rule.code} {rule.name} ({rule.severity})\n")
    click.echo(f"{rule.summary}\n")
    click.echo(rule.documentation())


def run() -> None:
    """Entry point that turns any unexpected exception into exit 2 with a message.

    The process is short-lived and what it builds stays alive to the end, so the cyclic
    garbage collector stays off, and everything is frozen before exit so the collection
    Python runs at shutdown skips it (on a 130k-line config that collection took longer
    than the linting; docs/performance.md).
    """
    gc.disable()
    try:
        main()
    except SystemExit:
        gc.freeze()
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a bare traceback
        click.echo(f"kalint: internal error: {type(exc).__name__}: {exc} (this is a bug, please report it)", err=True)
        sys.exit(EXIT_ERROR)
