"""``kalint check PATH...`` (or just ``kalint PATH...``): the command, its options as a
typed :class:`Workflow`, settings flags, pre-commit mode, --fix/--diff, the output
format choice and the progress bar. Reports are written by kalint.report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from kalint.cli.caching import cache_options, open_cache
from kalint.cli.config_ids import chosen_ids, config_id_options
from kalint.cli.exit_codes import ExitCode
from kalint.diagnostic import Severity
from kalint.records import dataclass
from kalint.settings import Overrides, Resolver, SettingsError, parse_severity_overrides, split_codes
from kalint.templates.detect import CHOICES as TEMPLATE_CHOICES

if TYPE_CHECKING:
    from kalint.engine import Linter, RunResult
    from kalint.report import Reporter

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
MACHINE_FORMATS = frozenset({"json", "sarif", "github", "gitlab", "junit"})
#: Fewer roots than this lint too fast for a progress bar to help.
PROGRESS_MIN_FILES = 20


@dataclass(frozen=True, slots=True)
class Workflow:
    """The settings, fix and pre-commit flags of ``kalint check`` (``workflow_options``)."""

    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    exclude: tuple[str, ...]
    severity_overrides: tuple[str, ...]
    config_file: str | None
    isolated: bool
    statistics: bool
    fix: bool
    unsafe_fixes: bool
    force: bool
    diff: bool
    show_settings: bool
    changed_files: bool
    no_peers: bool
    baseline: str | None
    write_baseline: str | None
    show_files: bool


def workflow_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The click options that fill a :class:`Workflow`."""
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
                     envvar="KALINT_CONFIG", show_envvar=True,
                     help="Use this .kalint.toml or pyproject.toml for every file instead of discovering them."),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option("--statistics", is_flag=True, help="Print the number of findings per code instead of the findings."),
        click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report what is left."),
        click.option("--unsafe-fixes", is_flag=True,
                     help="With --fix or --diff, also apply fixes that change what keepalived does."),
        click.option("--force", is_flag=True,
                     help="With --fix, also rewrite hard-linked files (splitting the link) and read-only files."),
        click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; write nothing "
                                                  "(exit 1 when there is something to fix)."),
        click.option("--show-settings", is_flag=True,
                     help="Print which configuration file applies to each PATH and what it resolves to; lint nothing."),
        click.option("--changed-files", is_flag=True,
                     help="PATHs are changed files (pre-commit): lint the configs under the working "
                          "directory that are or include them, with their peers, and report only "
                          "findings they take part in (see docs/pre-commit.md)."),
        click.option("--no-peers", is_flag=True,
                     help="Lint every config as nobody's HA peer (overrides the `peers` setting)."),
        click.option("--baseline", type=click.Path(dir_okay=False, exists=True), default=None, metavar="FILE",
                     help="Report only findings this baseline (from --write-baseline) does not have."),
        click.option("--write-baseline", type=click.Path(dir_okay=False, writable=True), default=None,
                     metavar="FILE", help="Write every finding to FILE as the baseline, report nothing, exit 0."),
        click.option("--show-files", is_flag=True,
                     help="Print the configs that would be linted (directories searched, `exclude` and "
                          ".gitignore applied); lint nothing."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def resolver(workflow: Workflow, fail_on: str | None) -> Resolver:
    """Settings from the flags; a configuration problem exits 2 with its message."""
    from kalint.registry import load

    try:
        overrides = Overrides(
            select=split_codes(workflow.select) or None,
            ignore=split_codes(workflow.ignore),
            extend_select=split_codes(workflow.extend_select),
            severity=parse_severity_overrides(workflow.severity_overrides),
            fail_on=Severity.parse(fail_on) if fail_on else None,
            exclude=tuple(workflow.exclude),
        )
        return Resolver(overrides, workflow.config_file, workflow.isolated, load().names())
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


def stdin_as_file(paths: Sequence[str], stdin_filename: str | None,
                  workflow: Workflow) -> tuple[Sequence[str], dict[str, bytes] | None]:
    """The paths to lint, and standard input as an unsaved buffer of ``--stdin-filename``.

    The buffer goes through the same overlay the language server uses for unsaved
    editor text, so includes, settings and peers resolve around the named file. No PATH
    means the current directory.
    """
    if stdin_filename is None:
        return paths or (".",), None
    if paths not in ((), ("-",)):
        fail("--stdin-filename lints standard input: give no PATH, or -")
    if workflow.fix:
        fail("--fix cannot write standard input back; use --diff to see the fixes")
    return (stdin_filename,), {os.path.realpath(stdin_filename): sys.stdin.buffer.read()}


def fail(message: str) -> NoReturn:
    click.echo(f"kalint: {message}", err=True)
    sys.exit(ExitCode.ERROR)


def choose_format(given: str | None, output: str | None, statistics: bool = False) -> str:
    """``--format`` when given; otherwise ``github`` inside GitHub Actions (annotations on
    the pull request) unless the report goes to a file or is ``--statistics``, else ``text``."""
    if given:
        return given
    if os.environ.get("GITHUB_ACTIONS") == "true" and output is None and not statistics:
        return "github"
    return "text"


def lint(
    linter: Linter, paths: Sequence[str], workflow: Workflow, show_progress: bool, again: bool = False
) -> RunResult:
    """Run the linter the way the flags ask (pre-commit mode or paths), with a progress bar
    on a terminal; plugins that failed to load are named once (not ``again``)."""
    for origin, problem in () if again else linter.registry.errors:
        click.echo(f"kalint: plugin {origin}: {problem}", err=True)
    with ProgressBar(show_progress) as progress:
        try:
            if workflow.changed_files:
                return linter.lint_changed(paths, progress=progress.update)
            return linter.lint_paths(paths, progress=progress.update)
        except SettingsError as exc:  # a configuration file found next to a linted file
            fail(str(exc))


def fix(linter: Linter, paths: Sequence[str], result: RunResult, workflow: Workflow) -> RunResult:
    """``--diff``: print the diff and exit (0 nothing to fix, 1 otherwise). ``--fix``:
    write the files, report on stderr, and return a fresh result for what is left; a file
    that could not be written is an error of that result (exit 2), never counted as fixed."""
    from kalint import fix as fixmod
    from kalint.writer import WriteRefused

    fixes = fixmod.plan(result.diagnostics, result.sources, unsafe=workflow.unsafe_fixes)
    if not workflow.unsafe_fixes:
        hidden = sum(1 for d in result.diagnostics if d.fix is not None and not d.fix.safe)
        if hidden:
            click.echo(f"kalint: {hidden} more fix{'es' if hidden != 1 else ''} available with --unsafe-fixes "
                       "(they change what keepalived does; review the --diff first)", err=True)
    if workflow.diff:
        for file_fix in fixes:
            click.echo(file_fix.diff(), nl=False)
        count = sum(len(f.fixed) for f in fixes)
        click.echo(f"kalint: {count} fix{'es' if count != 1 else ''} in {len(fixes)} "
                   f"file{'s' if len(fixes) != 1 else ''} would be applied", err=True)
        sys.exit(ExitCode.FINDINGS if fixes else ExitCode.CLEAN)
    written = fixed = 0
    failures: list[tuple[str, str]] = []
    for file_fix in fixes:
        try:
            if file_fix.write(force=workflow.force):
                written += 1
                fixed += len(file_fix.fixed)
        except (WriteRefused, OSError) as exc:
            failures.append((file_fix.path, f"not fixed: {str(exc).removeprefix(f'{file_fix.path}: ')}"))
    if fixed:
        click.echo(f"kalint: fixed {fixed} problem{'s' if fixed != 1 else ''} in {written} "
                   f"file{'s' if written != 1 else ''}", err=True)
        result = lint(linter, paths, workflow, show_progress=False, again=True)
    result.errors.extend(failures)
    return result


def baseline(result: RunResult, workflow: Workflow) -> None:
    """``--write-baseline``: write it and exit 0; ``--baseline``: drop the known findings."""
    if not (workflow.write_baseline or workflow.baseline):
        return  # kalint.baseline (json, fingerprints) is not imported on a plain run
    from kalint import baseline as baselinemod

    if workflow.write_baseline:
        try:
            count = baselinemod.write(workflow.write_baseline, result.diagnostics, result.sources)
        except OSError as exc:
            fail(f"{workflow.write_baseline}: cannot write the baseline ({exc.strerror})")
        click.echo(f"kalint: wrote {count} finding{'s' if count != 1 else ''} to {workflow.write_baseline}", err=True)
        sys.exit(ExitCode.ERROR if result.errors else ExitCode.CLEAN)
    if workflow.baseline:
        try:
            known = baselinemod.load(workflow.baseline)
        except baselinemod.BaselineError as exc:
            fail(str(exc))
        result.diagnostics = baselinemod.new_findings(workflow.baseline, known, result.diagnostics, result.sources)


def exit_code(result: RunResult, settings: Resolver) -> ExitCode:
    """ERROR on input errors, FINDINGS when a finding reaches its file's ``fail-on``, else CLEAN."""
    if result.errors:
        return ExitCode.ERROR
    failing = any((d.severity or Severity.ERROR) >= settings.fail_on(d.span.path) for d in result.diagnostics)
    return ExitCode.FINDINGS if failing else ExitCode.CLEAN


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


@click.command("check")
@click.argument("paths", nargs=-1, required=False, metavar="[PATH]...")
@click.option("--format", "--output-format", "output_format", type=click.Choice(FORMATS), default=None,
              envvar=["KALINT_OUTPUT_FORMAT", "KALINT_FORMAT"], show_envvar=True,
              help="Output format [default: text; github when GITHUB_ACTIONS=true and no --output].")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
              help="Colour text output (auto: only on a terminal; NO_COLOR and FORCE_COLOR are honoured).")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default=None,
              envvar="KALINT_FAIL_ON", show_envvar=True,
              help="Lowest severity that makes kalint exit 1 [default: `fail-on` of the configuration, else warning].")
@click.option("--show-source/--no-show-source", default=True, help="Show the source line under each finding.")
@click.option("--quiet", "-q", is_flag=True, help="Only the findings, no summary line.")
@click.option("--exit-zero", is_flag=True, envvar="KALINT_EXIT_ZERO", show_envvar=True,
              help="Exit 0 even when findings reach --fail-on (input and usage errors still exit 2).")
@click.option("--stdin-filename", metavar="PATH", default=None,
              help="Lint standard input as the file PATH: its name in findings and reports, its directory "
                   "for includes, settings discovery and peers.")
@config_id_options("Lint")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Read absolute include paths under DIR (for repositories that mirror /etc/keepalived).")
@click.option("--allow-outside-includes", is_flag=True,
              help="Read includes that resolve outside the linted tree (off by default so CI logs "
                   "never show files from elsewhere).")
@click.option("--target-version", default=None, metavar="VERSION", envvar="KALINT_TARGET_VERSION", show_envvar=True,
              help="The keepalived release the configs run on (e.g. 2.2.7): keywords newer than it are "
                   "flagged. Default: `target-version` of the configuration, else the newest kalint knows.")
@click.option("--template", "template", default=None,
              type=click.Choice(TEMPLATE_CHOICES),
              help="Read every file as a template of this engine (`none`: as a plain config). Default: "
                   "the `template` setting, else by extension and content (docs/templates.md).")
@click.option("--vars", "vars_files", multiple=True, metavar="FILE[,FILE...]",
              help="Render Jinja2 templates with these YAML/JSON variables (later files win); "
                   "repeat for one rendering per host, linted as peers. Needs `kalint[templates]`.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, envvar="KALINT_JOBS",
              show_envvar=True,
              help="Processes to lint many configs with: 0 is auto (one per core for 16 or more files "
                   "on 4 or more cores; a config of 20,000 to 400,000 lines runs its rules on two cores), "
                   "1 lints in-process.")
@cache_options
@workflow_options
def check(
    paths: Sequence[str],
    output_format: str,
    output: str | None,
    color: str,
    fail_on: str,
    show_source: bool,
    quiet: bool,
    exit_zero: bool,
    stdin_filename: str | None,
    config_ids: Sequence[str],
    other_host: bool,
    root: str | None,
    allow_outside_includes: bool,
    target_version: str | None,
    template: str | None,
    vars_files: Sequence[str],
    jobs: int,
    no_cache: bool,
    cache_dir: str | None,
    **flags: Any,
) -> None:
    """Lint keepalived configs: files, directories (searched for configs) or - for stdin
    (no PATH: the current directory)."""
    from kalint.engine import Linter, LintOptions
    from kalint.report import ReportOptions, color_wanted, reporter

    workflow = Workflow(**flags)
    paths, overlay = stdin_as_file(paths, stdin_filename, workflow)

    if target_version is not None:
        from kalint.model import schema

        try:
            schema.known_version(target_version)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--target-version") from None
    output_format = choose_format(output_format, output, workflow.statistics)
    settings = resolver(workflow, fail_on)
    if workflow.show_settings:
        show_settings(settings, paths)
        return
    options = LintOptions(
        config_ids=chosen_ids(config_ids, other_host),
        root=root,
        allow_outside_includes=allow_outside_includes,
        target_version=target_version,
        settings=settings,
        template=template,
        vars=tuple(vars_files),
        jobs=jobs,
        overlay=overlay,
        no_peers=workflow.no_peers,
    )
    linter = Linter(options)
    if workflow.show_files:
        for name in linter.files(paths):
            click.echo(name)
        return
    if not no_cache and overlay is None:
        options.cache = open_cache(linter, settings, cache_dir)
    show_progress = progress_wanted(output_format, quiet)
    result = lint(linter, paths, workflow, show_progress)
    if workflow.fix or workflow.diff:
        result = fix(linter, paths, result, workflow)
    baseline(result, workflow)
    for path, message in result.errors:
        click.echo(f"kalint: {path}: {message}", err=True)

    report = reporter(ReportOptions(
        output_format, color=color_wanted(color, output is None and sys.stdout.isatty()), show_source=show_source,
        quiet=quiet, statistics=workflow.statistics, rules=tuple(linter.registry.sorted()),
    ))
    if output:
        write_output(report, result, output)
    else:
        report.write(result, sys.stdout)
    code = exit_code(result, settings)
    sys.exit(ExitCode.CLEAN if exit_zero and code == ExitCode.FINDINGS else code)


def write_output(report: Reporter, result: RunResult, output: str) -> None:
    """``--output``: through the writer (never through a symbolic link); exit 2 when refused."""
    from kalint.report import write_file
    from kalint.writer import WriteRefused

    try:
        write_file(report, result, output)
    except (WriteRefused, OSError) as exc:
        fail(f"{output}: report not written: {str(exc).removeprefix(f'{output}: ')}")
