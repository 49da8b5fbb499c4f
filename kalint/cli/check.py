"""The workflow half of ``kalint check``: settings flags, pre-commit mode, --fix/--diff,
statistics, output format choice and the progress bar.

cli.py keeps the command itself short: it declares these options with ``@options``
and calls the functions below.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence

import click

from kalint.diagnostic import Diagnostic, Severity
from kalint.settings import Overrides, Resolver, SettingsError, parse_severity_overrides, split_codes

if TYPE_CHECKING:
    from kalint.engine import Linter, RunResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MACHINE_FORMATS = frozenset({"json", "sarif", "github"})
#: Fewer roots than this lint too fast for a progress bar to help.
PROGRESS_MIN_FILES = 20


def options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The settings, fix and pre-commit options of ``kalint check``."""
    decorators = [
        click.option("--select", multiple=True, metavar="CODES",
                     help="Only these rules: codes, prefixes (KA2), names or ALL; comma-separated, "
                          "repeatable. Replaces `select` from the configuration file."),
        click.option("--extend-select", multiple=True, metavar="CODES",
                     help="Rules to add to the selection."),
        click.option("--ignore", multiple=True, metavar="CODES", help="Rules to leave out."),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Skip files matching GLOB when searching directories (adds to `exclude`); repeatable."),
        click.option("--severity", "severity_overrides", multiple=True, metavar="CODE=LEVEL",
                     help="Report CODE (or a prefix) as error, warning or info; repeatable."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
                     help="Use this .kalint.toml or pyproject.toml for every file instead of discovering them."),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option("--statistics", is_flag=True, help="Print the number of findings per code instead of the findings."),
        click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report what is left."),
        click.option("--unsafe-fixes", is_flag=True,
                     help="With --fix or --diff, also apply fixes that change what keepalived does."),
        click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; write nothing "
                                                  "(exit 1 when there is something to fix)."),
        click.option("--show-settings", is_flag=True,
                     help="Print which configuration file applies to each PATH and what it resolves to; lint nothing."),
        click.option("--changed-files", is_flag=True,
                     help="PATHs are changed files (pre-commit): lint the configs under the working "
                          "directory that are or include them, with their peers, and report only "
                          "findings located in them."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def resolver(workflow: dict[str, Any], fail_on: str | None) -> Resolver:
    """Settings from the flags; a configuration problem exits 2 with its message."""
    from kalint.registry import load

    try:
        overrides = Overrides(
            select=split_codes(workflow["select"]) or None,
            ignore=split_codes(workflow["ignore"]),
            extend_select=split_codes(workflow["extend_select"]),
            severity=parse_severity_overrides(workflow["severity_overrides"]),
            fail_on=Severity.parse(fail_on) if fail_on else None,
            exclude=tuple(workflow["exclude"]),
        )
        return Resolver(overrides, workflow["config_file"], workflow["isolated"], load().names())
    except SettingsError as exc:
        fail(str(exc))


def show_settings(settings: Resolver, paths: Sequence[str]) -> None:
    """``--show-settings``: the settings each path gets, after discovery and flags."""
    for path in paths:
        try:
            chosen = settings.for_path(path)
        except SettingsError as exc:
            fail(str(exc))
        click.echo(f"{path}: {chosen.path or '(no configuration file)'}")
        for name in chosen.__slots__:
            if name != "path":
                click.echo(f"  {name.replace('_', '-')} = {_shown(getattr(chosen, name))}")


def _shown(value: Any) -> str:
    """TOML-like: strings quoted, (key, value) pairs as a table."""
    if value is None:
        return "(unset)"
    if isinstance(value, Severity):
        return f'"{value}"'
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return "{ " + ", ".join(f'"{k}" = {_shown(v)}' for k, v in value) + " }"
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else str(value)


def fail(message: str) -> NoReturn:
    click.echo(f"kalint: {message}", err=True)
    sys.exit(EXIT_ERROR)


def output_format(given: str | None, output: str | None, statistics: bool = False) -> str:
    """``--format`` when given; otherwise ``github`` inside GitHub Actions (annotations on
    the pull request) unless the report goes to a file or is ``--statistics``, else ``text``."""
    if given:
        return given
    if os.environ.get("GITHUB_ACTIONS") == "true" and output is None and not statistics:
        return "github"
    return "text"


def lint(
    linter: Linter, paths: Sequence[str], workflow: dict[str, Any], show_progress: bool, again: bool = False
) -> RunResult:
    """Run the linter the way the flags ask (pre-commit mode or paths), with a progress bar
    on a terminal; plugins that failed to load are named once (not ``again``)."""
    for origin, problem in () if again else linter.registry.errors:
        click.echo(f"kalint: plugin {origin}: {problem}", err=True)
    with ProgressBar(show_progress) as progress:
        try:
            if workflow["changed_files"]:
                return linter.lint_changed(paths, progress=progress.update)
            return linter.lint_paths(paths, progress=progress.update)
        except SettingsError as exc:  # a configuration file found next to a linted file
            fail(str(exc))


def fix(linter: Linter, paths: Sequence[str], result: RunResult, workflow: dict[str, Any]) -> RunResult:
    """``--diff``: print the diff and exit (0 nothing to fix, 1 otherwise). ``--fix``:
    write the files, report on stderr, and return a fresh result for what is left."""
    from kalint import fix as fixmod
    from kalint.writer import WriteRefused

    fixes = fixmod.plan(result.diagnostics, result.sources, unsafe=workflow["unsafe_fixes"])
    if not workflow["unsafe_fixes"]:
        hidden = sum(1 for d in result.diagnostics if d.fix is not None and not d.fix.safe)
        if hidden:
            click.echo(f"kalint: {hidden} more fix{'es' if hidden != 1 else ''} available with --unsafe-fixes "
                       "(they change what keepalived does; review the --diff first)", err=True)
    if workflow["diff"]:
        for file_fix in fixes:
            click.echo(file_fix.diff(), nl=False)
        count = sum(len(f.fixed) for f in fixes)
        click.echo(f"kalint: {count} fix{'es' if count != 1 else ''} in {len(fixes)} "
                   f"file{'s' if len(fixes) != 1 else ''} would be applied", err=True)
        sys.exit(EXIT_FINDINGS if fixes else EXIT_CLEAN)
    written = fixed = 0
    for file_fix in fixes:
        try:
            if file_fix.write():
                written += 1
                fixed += len(file_fix.fixed)
        except (WriteRefused, OSError) as exc:
            click.echo(f"kalint: not fixed: {exc}", err=True)
    if fixed:
        click.echo(f"kalint: fixed {fixed} problem{'s' if fixed != 1 else ''} in {written} "
                   f"file{'s' if written != 1 else ''}", err=True)
        return lint(linter, paths, workflow, show_progress=False, again=True)
    return result


def exit_code(result: RunResult, settings: Resolver) -> int:
    """2 on input errors, 1 when a finding reaches its file's ``fail-on``, else 0."""
    if result.errors:
        return EXIT_ERROR
    failing = any((d.severity or Severity.ERROR) >= settings.fail_on(d.span.path) for d in result.diagnostics)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def statistics_lines(diagnostics: list[Diagnostic]) -> list[str]:
    """``--statistics``: count, code, name and severity, most frequent first."""
    counts = Counter((d.code, d.name, str(d.severity)) for d in diagnostics)
    width = len(str(max(counts.values(), default=0)))
    return [
        f"{count:>{width}}  {code}  {name:<28} {severity}"
        for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


class ProgressBar:
    """A rich progress bar on stderr, shown only when asked for and once a run has
    enough files to be worth it; rich is imported only then."""

    def __init__(self, enabled: bool, console: Any = None) -> None:
        self.enabled = enabled
        self.console = console
        self._progress: Any = None
        self._task: Any = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_MIN_FILES:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            console = self.console or Console(stderr=True)
            self._progress = Progress(
                TextColumn("linting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=console, transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("lint", total=total)
        self._progress.update(self._task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def progress_wanted(output_format: str, quiet: bool, stderr: Any = None) -> bool:
    """Only for people: text formats, not --quiet, stderr a terminal."""
    stream = stderr or sys.stderr
    return output_format not in MACHINE_FORMATS and not quiet and stream.isatty()
