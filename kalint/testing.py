"""Fixture expectations, shared by kalint's own tests and by plugin authors' tests.

A fixture is a config whose lines say what kalint must report on them::

    maintenance_mode    ! expect: KA201

``! expect-next: KA003`` on its own line expects the code on the following line (for
lines that cannot carry a comment). A directory of configs is linted together (HA
peers). Only the codes a fixture is about are compared: the codes it expects plus the
code of the folder it is in, so a fixture with no expectation asserts silence.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from kalint.engine import LintOptions, Linter
from kalint.settings import Resolver

_EXPECT = re.compile(r"[!#]\s*expect(-next)?:\s*([A-Z]{2,}[0-9]{3}(?:\s*,\s*[A-Z]{2,}[0-9]{3})*)")


@dataclass(frozen=True)
class Outcome:
    """What a fixture expects and what kalint reported, as (file, line, code)."""

    expected: set[tuple[str, int, str]]
    actual: set[tuple[str, int, str]]


def expectations(path: str) -> set[tuple[str, int, str]]:
    found = set()
    with open(path, "rb") as handle:
        lines = handle.read().decode("utf-8", "surrogateescape").split("\n")
    for number, line in enumerate(lines, start=1):
        for m in _EXPECT.finditer(line):
            target = number + 1 if m.group(1) else number
            for code in re.split(r"\s*,\s*", m.group(2)):
                found.add((os.path.basename(path), target, code))
    return found


def fixture_files(fixture: str) -> list[str]:
    """The files of a fixture: itself, or every file under a fixture directory."""
    if not os.path.isdir(fixture):
        return [fixture]
    found = []
    for root, dirs, files in os.walk(fixture):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(files) if not n.startswith("."))
    return found


def run_fixture(fixture: str, folder_code: str | None = None, options: LintOptions | None = None) -> Outcome:
    files = fixture_files(fixture)
    expected: set[tuple[str, int, str]] = set()
    for path in files:
        expected |= expectations(path)
    codes = {code for _, _, code in expected} | ({folder_code} if folder_code else set())
    roots = [fixture] if os.path.isdir(fixture) else files
    # Isolated by default: a [tool.kalint] table in the repository must not change what
    # a rule's fixtures mean.
    result = Linter(options or LintOptions(settings=Resolver(isolated=True))).lint_paths(roots)
    actual = {
        (os.path.basename(d.span.path), d.span.line, d.code)
        for d in result.diagnostics
        if d.code in codes
    }
    return Outcome(expected, actual)
