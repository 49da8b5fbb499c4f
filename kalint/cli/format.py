"""``kalint format PATH...``: rewrite configs into the canonical layout (kalint.formatter).

Exit codes: 0 every file is formatted (or left as it is with a note), 1 with ``--check``
when a file would change, 2 when a file cannot be formatted (unreadable input, syntax
errors, a line keepalived would cut into pieces), a path is missing, or a write was
refused or failed (the file changed meanwhile, a symlink, a hard-linked or read-only file
without ``--force``, a full disk): such a file is reported as not written, never as
reformatted.
"""

from __future__ import annotations

import difflib
import os
import sys

import click

from kalint import discovery
from kalint.cli.exit_codes import ExitCode
from kalint.diagnostic import Diagnostic, Severity
from kalint.formatter import SYNTAX_CODES, Outcome, Style, format_source
from kalint.records import dataclass, field
from kalint.rules import ka0_reading as reading
from kalint.rules.ka9_kalint import FormatNote
from kalint.syntax import parser
from kalint.text import expand as expandmod
from kalint.text import source as sourcemod
from kalint.text.source import SourceError, SourceFile
from kalint.writer import WriteRefused, write_atomic

STDIN_PATH = "-"
#: A fragment may only be unbalanced; a quote error is its own.
_FRAGMENT_CODES = frozenset((reading.UnbalancedBraces.code, reading.StrayBrace.code))


@dataclass(slots=True)
class _Run:
    """The outcome of formatting the files of one command."""

    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    left: int = 0
    refused: int = 0
    unwritten: int = 0
    failed: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)


@click.command("format")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
@click.option("--indent-width", type=click.IntRange(1, 16), default=4, show_default=True, metavar="N",
              help="Spaces per block level.")
@click.option("--use-tabs", is_flag=True, help="Indent with one tab per block level.")
@click.option("--force", is_flag=True, help="Also rewrite hard-linked files (splitting the link) and read-only files.")
def format_command(paths: tuple[str, ...], check: bool, show_diff: bool, indent_width: int, use_tabs: bool,
                   force: bool) -> None:
    """Rewrite keepalived configs in one canonical layout, keeping every comment.

    PATH is a file, a directory (searched for configs) or - (stdin to stdout). A file
    is only written when its layout changes, atomically, with its permissions kept;
    never through a symlink, nor when it changed since it was read.
    Exit 0: done (or left as is, with a note); 1: --check found a file to change;
    2: a file could not be formatted (syntax errors, BOM, NUL, CR-only line ends, a line
    over 1023 bytes) or written (hard-linked or read-only without --force, changed
    meanwhile, disk full) and was not touched.
    """
    style = Style(indent_width=indent_width, use_tabs=use_tabs)
    run = _Run()
    files = _expand_paths(paths, run)
    for path in files:
        if path == STDIN_PATH:
            _format_stdin(run, style, check, show_diff)
        else:
            _format_file(path, files, run, style, check, show_diff, force)
    _report(run, check or show_diff)
    if run.failed:
        sys.exit(ExitCode.ERROR)
    sys.exit(ExitCode.FINDINGS if check and run.changed else ExitCode.CLEAN)


def _expand_paths(paths: tuple[str, ...], run: _Run) -> list[str]:
    files: list[str] = []
    for path in paths:
        if path != STDIN_PATH and os.path.isdir(path):
            found = discovery.find_configs(path)
            if not found:
                _error(run, path, "no keepalived configuration found in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files


def _format_file(path: str, files: list[str], run: _Run, style: Style, check: bool, show_diff: bool,
                 force: bool) -> None:
    try:
        src = sourcemod.load(path)
    except SourceError as exc:
        _error(run, path, str(exc).removeprefix(f"{path}: "))
        return
    outcome = format_source(src, style)
    if outcome.refused and _only_codes(outcome, _FRAGMENT_CODES):
        note = _balance_note(path, files)
        if note is not None:
            outcome = Outcome(None, [outcome.problems[0].with_(
                code=FormatNote.code, name=FormatNote.name, severity=Severity.INFO, message=note, help=None
            )])
    if not _record(run, src, outcome):
        return
    assert outcome.text is not None
    if show_diff:
        _write_stdout(_diff(src.text, outcome.text, path))
    if check or show_diff:
        return
    try:
        write_atomic(path, sourcemod.encode(outcome.text), original=sourcemod.encode(src.text), force=force)
    except (OSError, WriteRefused) as exc:
        run.changed.remove(src.path)
        run.unwritten += 1
        _error(run, path, f"not written: {str(exc).removeprefix(f'{path}: ')}")


def _format_stdin(run: _Run, style: Style, check: bool, show_diff: bool) -> None:
    data = sys.stdin.buffer.read()
    try:
        src = sourcemod.load("<stdin>", data)
    except SourceError as exc:
        _error(run, "<stdin>", str(exc).removeprefix("<stdin>: "))
        return
    outcome = format_source(src, style)
    formatted = _record(run, src, outcome)
    if show_diff:
        if formatted:
            _write_stdout(_diff(src.text, outcome.text or "", "<stdin>"))
    elif not check and not outcome.refused:
        _write_stdout(outcome.text if formatted and outcome.text is not None else src.text)


def _record(run: _Run, src: SourceFile, outcome: Outcome) -> bool:
    """Count the outcome; True when the file's layout changes."""
    run.sources[src.path] = src
    run.diagnostics.extend(outcome.problems)
    if outcome.refused:
        run.failed = True
        run.refused += 1
        return False
    if outcome.text is None:
        run.left += 1
        return False
    if outcome.text == src.text:
        run.unchanged += 1
        return False
    run.changed.append(src.path)
    return True


def _only_codes(outcome: Outcome, codes: frozenset[str]) -> bool:
    return bool(outcome.problems) and all(d.code in codes for d in outcome.problems)


def _balance_note(path: str, files: list[str]) -> str | None:
    """Why unbalanced braces are fine here: they balance together with included files."""
    if _balances_with_includes(path, None):
        return "its braces balance only together with the files it includes; left as it is"
    includer = find_includer(path, files)
    if includer is not None:
        return f"include fragment: its braces balance only inside `{includer}`, which includes it; left as it is"
    return None


def find_includer(path: str, files: list[str]) -> str | None:
    """A config that includes ``path`` and whose braces balance with it, if there is one.

    Candidates are the other files being formatted and the configs in the fragment's
    directory and its parent (``keepalived.conf`` beside ``conf.d/``).
    """
    real = os.path.realpath(path)
    directory = os.path.dirname(real)
    candidates = [f for f in files if f != STDIN_PATH]
    for folder in (directory, os.path.dirname(directory)):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        candidates.extend(os.path.join(folder, n) for n in names if discovery.looks_like_config(os.path.join(folder, n)))
    seen = {real}
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key in seen:
            continue
        seen.add(key)
        if _balances_with_includes(candidate, real):
            return candidate
    return None


def _balances_with_includes(config: str, fragment: str | None) -> bool:
    """Does ``config``, with its includes read, parse without brace errors (and read ``fragment``)?"""
    try:
        main = sourcemod.load(config)
    except SourceError:
        return False
    if "include" not in main.text:
        return False
    here = os.path.dirname(os.path.realpath(config))
    allowed = (here, os.path.dirname(fragment)) if fragment else (here,)
    expansion = expandmod.expand(main, expandmod.Options(allowed_dirs=allowed))
    read = {os.path.realpath(s.path) for s in expansion.sources[1:]}
    if not read or (fragment is not None and fragment not in read):
        return False
    try:
        parser.parse(expansion)
    except Exception:  # the grammar rejects the text: no evidence either way
        return False
    return not any(d.code in SYNTAX_CODES for d in expansion.problems.items)


def _diff(before: str, after: str, path: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{path}", f"{path} (formatted)"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _write_stdout(text: str) -> None:
    stream = sys.stdout.buffer
    stream.write(sourcemod.encode(text))
    stream.flush()


def _error(run: _Run, path: str, message: str) -> None:
    run.failed = True
    click.echo(f"kalint: {path}: {message}", err=True)


def _report(run: _Run, dry: bool) -> None:
    from kalint.report import text

    if run.diagnostics:
        lines = text.render_lines(sorted(run.diagnostics, key=Diagnostic.sort_key), [], run.sources, quiet=True)
        text.write(lines, lambda s: click.echo(s, nl=False, err=True), False)
    verb = "would reformat" if dry else "reformatted"
    for path in run.changed:
        if path != "<stdin>":
            click.echo(f"{verb} {path}", err=True)
    parts = [f"{len(run.changed)} {verb}", f"{run.unchanged} unchanged"]
    if run.left:
        parts.append(f"{run.left} left as they are")
    if run.refused:
        parts.append(f"{run.refused} not formatted")
    if run.unwritten:
        parts.append(f"{run.unwritten} not written")
    click.echo(f"kalint format: {', '.join(parts)}.", err=True)
