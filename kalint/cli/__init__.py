"""Command line: ``kalint check PATH...`` (or just ``kalint PATH...``), ``kalint rules``,
``kalint rule CODE``.

Exit codes: 0 nothing at or above the ``--fail-on`` threshold (default: warning),
1 findings, 2 usage or input error (a path missing, unreadable or not a config).
"""

from __future__ import annotations

import gc
import sys

import click

from kalint import __version__
from kalint.cli.check import check
from kalint.cli.exit_codes import ExitCode

#: Subcommands imported only when used: `kalint PATH` must not pay for the formatter,
#: the simulator or the language server (cold start is measured in bench/).
_LAZY_COMMANDS = {
    "clean": ("kalint.cli.caching", "clean_command"),
    "format": ("kalint.cli.format", "format_command"),
    "lsp": ("kalint.cli.lsp", "lsp_command"),
    "simulate": ("kalint.cli.simulate", "simulate"),
}


class _DefaultToCheck(click.Group):
    """``kalint [OPTIONS] PATH...`` means ``kalint check [OPTIONS] PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = set(self.commands) | set(_LAZY_COMMANDS)
        if not args or (args[0] not in known and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]  # bare `kalint` lints the current directory
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


main.add_command(check)


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
        sys.exit(ExitCode.ERROR)
    click.echo(f"{rule.code} {rule.name} ({rule.severity})\n")
    click.echo(f"{rule.summary}\n")
    click.echo(rule.documentation())


def entry() -> None:
    """The ``kalint`` program (its console script, ``python -m kalint``): ``run``, then
    an exit that skips the interpreter's teardown.

    Python's own exit frees every object still alive one by one (the tree and model of
    the configs linted, the findings: 30 ms after a 130k-line config, nothing the user
    waits for). Once the output is flushed and the atexit handlers have run, nothing is
    left to do, so ``os._exit`` ends the process. Python's own exit stays where it does
    more: a message as the exit value, a flush that fails (a closed pipe), other threads
    still running. ``run`` alone keeps raising ``SystemExit`` (tests call it in-process).
    """
    try:
        run()
    except SystemExit as done:
        _exit_now(done.code)
        raise


def _exit_now(code: object) -> None:
    """End the process with ``code`` now, or return when Python's own exit is needed."""
    if code is not None and not isinstance(code, int):
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # reported by Python's exit as it always was
        return
    import atexit
    import os

    atexit._run_exitfuncs()
    os._exit(code or 0)


def run() -> None:
    """Entry point that turns any unexpected exception into exit 2 with a message.

    The process is short-lived and what it builds stays alive to the end, so the cyclic
    garbage collector stays off, and everything is frozen before exit so the collection
    Python runs at shutdown skips it (on a 130k-line config that collection took longer
    than the linting; docs/performance.md).
    """
    gc.disable()
    try:
        # Not click's standalone mode: it turns an interrupt into "Aborted!" and exit 1,
        # which a CI job would read as "findings".
        code = main(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else ExitCode.CLEAN)
    except SystemExit:
        gc.freeze()
        raise
    except (KeyboardInterrupt, click.exceptions.Abort):
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as exc:  # a usage error: click's message and exit code
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # never a bare traceback
        click.echo(f"kalint: internal error: {type(exc).__name__}: {exc} (this is a bug, please report it)", err=True)
        sys.exit(ExitCode.ERROR)
