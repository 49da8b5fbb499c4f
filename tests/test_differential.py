"""kalint's syntax findings against what `keepalived -t` itself says (skipped without it).

For every syntax fixture: each line keepalived flags with `Extra '}'` or `Unmatched
quote` carries a KA0xx error from kalint; kalint gives no KA0xx error on a line keepalived
does not flag at all; and where keepalived says `There are N missing '}'s` (no line),
kalint reports an unclosed block. The fixtures name only interfaces that exist (eth0, lo).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES
from kalint.diagnostic import Severity
from kalint.engine import Linter

SYNTAX_FIXTURES = sorted(
    p for p in FIXTURES.glob("KA0*/**/*.conf") if p.parent.name != "conf.d"
)

#: Fixtures where keepalived reads the file differently from how it looks and says so
#: with no line, or at another line: each is a documented difference (README).
EXPECTED_DIFFERENCES = {
    "KA004/missing/keepalived.conf": "keepalived logs `Config files missing` (kalint: warning, not an error)",
    "KA011/long_line.conf": "keepalived reports the second piece of the line at a shifted line number",
    "KA012/nul.conf": "keepalived cuts the line at the NUL byte silently",
    "KA013/cr_only.conf": "keepalived reads the CR-only file as one line and says nothing",
    "KA008/outside/keepalived.conf": "kalint does not read includes outside the linted tree; keepalived does",
    "KA016/self_reference.conf": "keepalived loops forever on a self-referencing parameter",
    "KA019/thousand_and_one_braces.conf": "kalint shows 1,000 findings of a rule per file and sums up the rest",
}

_LINE = re.compile(r"^\((?:(?P<file>[^:()]+): )?Line (?P<line>\d+)\) (?P<message>.*)$")


def keepalived_messages(binary: str, path: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]], bool]:
    """(lines with any message, lines with a brace/quote message, missing-brace message?)."""
    run = subprocess.run(
        [binary, "-t", "-f", path.name], cwd=path.parent, capture_output=True, text=True,
        errors="replace", timeout=30,
    )
    flagged: set[tuple[str, int]] = set()
    braces: set[tuple[str, int]] = set()
    for line in run.stderr.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        where = (os.path.basename(m.group("file") or path.name), int(m.group("line")))
        flagged.add(where)
        if "Extra '}'" in m.group("message") or "Unmatched quote" in m.group("message"):
            braces.add(where)
    return flagged, braces, "missing '}'s" in run.stderr


@pytest.mark.parametrize("path", SYNTAX_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_syntax_findings_agree_with_keepalived(keepalived: str, path: Path) -> None:
    key = str(path.relative_to(FIXTURES))
    if key in EXPECTED_DIFFERENCES:
        pytest.skip(EXPECTED_DIFFERENCES[key])
    flagged, braces, missing = keepalived_messages(keepalived, path)
    result = Linter().lint_paths([str(path)])
    errors = [d for d in result.diagnostics if d.code.startswith("KA0") and d.severity is Severity.ERROR]
    unclosed = [d for d in errors if d.code == "KA001" and "never closed" in d.message]
    at = {(os.path.basename(d.span.path), d.span.line) for d in errors if d not in unclosed}

    assert braces <= at, f"keepalived flags {sorted(braces - at)} with a brace/quote error; kalint does not"
    assert at <= flagged, f"kalint reports KA0xx errors on {sorted(at - flagged)}; keepalived flags nothing there"
    assert bool(unclosed) == missing
