"""Fixture expectations, shared by kalint's own tests and by plugin authors' tests.

A fixture is a config whose lines say what kalint must report on them::

    maintenance_mode    ! expect: KA201

``! expect-next: KA003`` on its own line expects the code on the following line (for
lines that cannot carry a comment). A directory of configs is linted together (HA
peers). Only the codes a fixture is about are compared: the codes it expects plus the
code of the folder it is in, so a fixture with no expectation asserts silence.

Each comma-separated item is one finding, optionally with the column (1-based, in code
points) and the severity it must have::

    maintenance_mode    ! expect: KA201 col=9 severity=error
    state master        ! expect: KA104 col=11, KA302 col=11

Findings are compared as a multiset: two findings of one code on one line are written
as two items (``! expect: KA201, KA201``; there is no ``x2`` shorthand), and one item
never stands for two findings. An attribute that is not written is not compared, so
``! expect: KA201`` matches a KA201 at any column and severity; a misspelt one is a
:class:`FixtureError`. Messages are not compared here: compare them with a snapshot of
:func:`concise` output.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from kalint.diagnostic import Diagnostic, Severity
from kalint.engine import Linter, LintOptions
from kalint.records import dataclass
from kalint.report import text
from kalint.settings import Resolver

_CODE = r"[A-Z]{2,}[0-9]{3}"
#: An expectation comment: the items run to the end of the line or to the next comment.
_EXPECT = re.compile(rf"[!#]\s*expect(-next)?:\s*({_CODE}[^!#\r]*)")
_ATTRIBUTE = re.compile(r"(\w+)=(\S+)")


class FixtureError(ValueError):
    """An ``expect:`` comment that cannot be read; never silently ignored, since a
    misspelt attribute would otherwise expect less than its author meant."""


@dataclass(frozen=True, order=True)
class Finding:
    """One finding as a fixture compares it: ``file`` relative to the fixture (its name,
    for a one-file fixture); ``col`` 0 and ``severity`` "" mean "not compared" (not
    None, so that findings sort).
    """

    file: str
    line: int
    code: str
    col: int = 0
    severity: str = ""

    def matches(self, other: Finding) -> bool:
        """Whether ``other`` (what kalint reported) satisfies this expectation."""
        return (
            (self.file, self.line, self.code) == (other.file, other.line, other.code)
            and self.col in (0, other.col)
            and self.severity in ("", other.severity)
        )

    def narrowed_to(self, expectation: Finding) -> Finding:
        """This reported finding with only the attributes ``expectation`` compares."""
        return Finding(
            self.file,
            self.line,
            self.code,
            self.col if expectation.col else 0,
            self.severity if expectation.severity else "",
        )


@dataclass(frozen=True)
class Outcome:
    """What a fixture expects and what kalint reported, as sorted lists of findings.

    ``outcome.actual == outcome.expected`` is the whole check: each reported finding is
    paired with an expectation it satisfies and shown with only the attributes that
    expectation compares, so the lists are equal exactly when every expectation has its
    own finding and no finding is left over; a leftover is shown with its column and
    severity. ``diagnostics`` are the reported findings of the compared codes, in
    report order, for snapshots of their messages.
    """

    expected: list[Finding]
    actual: list[Finding]
    diagnostics: list[Diagnostic]


def _parse_item(item: str, where: str) -> tuple[str, int, str]:
    code, *attributes = item.split()
    if not re.fullmatch(_CODE, code):
        raise FixtureError(f"{where}: {code!r} is not a rule code")
    col, severity = 0, ""
    for attribute in attributes:
        m = _ATTRIBUTE.fullmatch(attribute)
        if m and m.group(1) == "col" and m.group(2).isdigit() and int(m.group(2)) > 0:
            col = int(m.group(2))
        elif m and m.group(1) == "severity":
            try:
                severity = str(Severity.parse(m.group(2)))
            except ValueError as exc:
                raise FixtureError(f"{where}: {exc}") from None
        else:
            raise FixtureError(f"{where}: {attribute!r} is not col=N or severity=error|warning|info")
    return code, col, severity


def expected_findings(path: str, name: str | None = None) -> list[Finding]:
    """Every finding the ``expect:`` comments of one file ask for (``name``: how the
    file is called in the findings, its base name by default)."""
    name = name or os.path.basename(path)
    found: list[Finding] = []
    with open(path, "rb") as handle:
        lines = handle.read().decode("utf-8", "surrogateescape").split("\n")
    for number, line in enumerate(lines, start=1):
        for m in _EXPECT.finditer(line):
            target = number + 1 if m.group(1) else number
            for item in m.group(2).split(","):
                code, col, severity = _parse_item(item, f"{path}:{number}")
                found.append(Finding(name, target, code, col, severity))
    return found


def expectations(path: str) -> set[tuple[str, int, str]]:
    """The (file base name, line, code) places one file expects findings at."""
    return {(f.file, f.line, f.code) for f in expected_findings(path)}


def fixture_files(fixture: str) -> list[str]:
    """The files of a fixture: itself, or every file under a fixture directory."""
    if not os.path.isdir(fixture):
        return [fixture]
    found: list[str] = []
    for root, dirs, files in os.walk(fixture):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(files) if not n.startswith("."))
    return found


def _pair(expected: list[Finding], reported: list[Finding]) -> list[int | None]:
    """For each reported finding, the index of the expectation it is paired with.

    A maximum bipartite matching (augmenting paths): a greedy pairing could give a
    loose expectation (``KA201``) the only finding a stricter one (``KA201 col=9``)
    accepts and then fail a fixture that is right.
    """
    owner: list[int | None] = [None] * len(reported)

    def assign(e: int, seen: set[int]) -> bool:
        for r, finding in enumerate(reported):
            if r in seen or not expected[e].matches(finding):
                continue
            seen.add(r)
            current = owner[r]
            if current is None or assign(current, seen):
                owner[r] = e
                return True
        return False

    for e in range(len(expected)):
        assign(e, set())
    return owner


def compare(expected: Iterable[Finding], reported: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(expected, actual) as :class:`Outcome` holds them, from full reported findings."""
    groups: dict[tuple[str, int, str], tuple[list[Finding], list[Finding]]] = defaultdict(lambda: ([], []))
    for finding in expected:
        groups[finding.file, finding.line, finding.code][0].append(finding)
    for finding in reported:
        groups[finding.file, finding.line, finding.code][1].append(finding)
    actual = []
    for wanted, got in groups.values():
        for finding, owner in zip(got, _pair(wanted, got)):
            actual.append(finding if owner is None else finding.narrowed_to(wanted[owner]))
    return sorted(expected), sorted(actual)


def run_fixture(fixture: str, folder_code: str | None = None, options: LintOptions | None = None) -> Outcome:
    """Lint a fixture (a file, or a directory linted together) and compare its findings
    of the expected codes and of ``folder_code`` with its ``expect:`` comments."""
    files = fixture_files(fixture)
    base = fixture if os.path.isdir(fixture) else os.path.dirname(fixture)
    expected = [f for path in files for f in expected_findings(path, os.path.relpath(path, base))]
    codes = {f.code for f in expected} | ({folder_code} if folder_code else set())
    roots = [fixture] if os.path.isdir(fixture) else files
    # Isolated by default: a [tool.kalint] table in the repository must not change what
    # a rule's fixtures mean.
    result = Linter(options or LintOptions(settings=Resolver(isolated=True))).lint_paths(roots)
    diagnostics = [d for d in result.diagnostics if d.code in codes]
    reported = [
        Finding(os.path.relpath(d.span.path, base), d.span.line, d.code, d.span.column, str(d.severity))
        for d in diagnostics
    ]
    wanted, actual = compare(expected, reported)
    return Outcome(wanted, actual, diagnostics)


def concise(diagnostics: Iterable[Diagnostic], base: str) -> str:
    """Diagnostics in kalint's concise text format (``path:line:col: CODE [severity]
    message``), paths relative to ``base``, in the locations and in the messages that
    name a file: a snapshot that reads like kalint's output and does not depend on where
    the checkout is."""
    prefixes = {os.path.join(os.path.abspath(base), ""), os.path.join(os.path.realpath(base), "")}

    def relative(d: Diagnostic) -> Diagnostic:
        message = d.message
        for prefix in prefixes:
            message = message.replace(prefix, "")
        return d.with_(span=replace(d.span, path=os.path.relpath(d.span.path, base)), message=message)

    lines = text.render_lines([relative(d) for d in diagnostics], [], {}, show_source=False, concise=True, quiet=True)
    out: list[str] = []
    text.write(lines, out.append, color=False)
    return "".join(out)

