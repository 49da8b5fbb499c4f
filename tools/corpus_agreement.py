#!/usr/bin/env python3
"""How far kalint agrees with `keepalived -t` on the shared corpus.

For every corpus file, keepalived 2.2.7's stderr (stored in corpus/oracle_full.jsonl,
or produced live with --live) is compared with kalint's diagnostics
(``--target-version 2.2.7``, linted under a config id that matches no `@id` line, as
keepalived -t without -i does). Two numbers:

(a) of keepalived's ``Unknown keyword`` lines, how many kalint covers with a diagnostic
    on that line or whose span or related locations include it (target 100%);
(b) of the files keepalived accepts without any message about the configuration text
    (messages only about this host: missing interfaces, scripts or users, are set aside),
    how many get a KA0xx/KA1xx error from kalint (target 0).

Usage: python3 tools/corpus_agreement.py [--live] [--verbose] [SHARED_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from kalint.diagnostic import Severity
from kalint.engine import Linter, LintOptions

TARGET = "2.2.7"
NO_ID = "kalint-corpus-no-such-id"
_LINE = re.compile(r"^\((?:[^)]*: )?Line (\d+)\) (.*)$")
#: keepalived messages about this machine, not about the configuration text.
HOST_ONLY = re.compile(
    r"Non-existent interface|interface \S+ for .* doesn't exist|tracked interface \S+ doesn't exist"
    r"|SECURITY VIOLATION|since not found/accessible|track script \S+ not found, ignoring"
    r"|script uid/gid|Unable to set (default user|uid/gid)|Unknown interface!|unknown interface \S+ specified"
    r"|interface \S+ specified for garp_group doesn't exist|cannot track route .* with no interface"
    r"|iptables not supported, using nftables|doesn't exist$"
)


@dataclass(slots=True)
class Report:
    unknown_total: int = 0
    unknown_covered: int = 0
    uncovered: list[str] = field(default_factory=list)
    accepted_files: int = 0
    false_errors: list[str] = field(default_factory=list)
    files: int = 0
    crashes: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return 100.0 * self.unknown_covered / self.unknown_total if self.unknown_total else 100.0


def oracle(shared: str, live: bool) -> list[tuple[str, str]]:
    """(corpus-relative file, keepalived stderr) for every corpus file."""
    corpus = os.path.join(shared, "corpus")
    rows = []
    with open(os.path.join(corpus, "oracle_full.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            rows.append((item["file"], item["stderr"]))
    if live:
        rows = [(name, run_keepalived(os.path.join(corpus, name))) for name, _ in rows]
    return rows


def run_keepalived(path: str) -> str:
    """keepalived -t on a copy in a fresh directory, as the stored oracle was made."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(path))
        shutil.copyfile(path, copy)
        done = subprocess.run(["keepalived", "-t", "-f", os.path.basename(copy)], cwd=tmp,
                              capture_output=True, timeout=20, check=False)
        return done.stderr.decode("utf-8", "replace")


def covered_lines(diagnostics) -> set[int]:
    lines: set[int] = set()
    for diag in diagnostics:
        for span in (diag.span, *(r.span for r in diag.related)):
            lines.update(range(span.line, span.end_line + 1))
    return lines


def measure(shared: str, live: bool = False) -> Report:
    report = Report()
    linter = Linter(LintOptions(config_ids=(NO_ID,), target_version=TARGET))
    for name, stderr in oracle(shared, live):
        path = os.path.join(shared, "corpus", name)
        if not os.path.exists(path):
            continue
        report.files += 1
        try:
            result = linter.lint_paths([path])
        except Exception as exc:  # a core bug must not hide the other files' numbers
            report.crashes.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            continue
        mine = [d for d in result.diagnostics if d.span.path == path]
        lines = covered_lines(mine)
        text_problem = False
        for raw in stderr.splitlines():
            m = _LINE.match(raw)
            message = m.group(2) if m else raw.strip()
            if not message:
                continue
            if not HOST_ONLY.search(message):
                text_problem = True
            if m and message.startswith("Unknown keyword"):
                report.unknown_total += 1
                if int(m.group(1)) in lines:
                    report.unknown_covered += 1
                else:
                    report.uncovered.append(f"{name}:{m.group(1)}: {message}")
        if not text_problem:
            report.accepted_files += 1
            errors = [d for d in mine if d.severity == Severity.ERROR and d.code[2] in "01"]
            for d in errors:
                report.false_errors.append(f"{name}:{d.span.line}: {d.code} {d.message}")
    return report


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?",
                        default=os.environ.get("KALINT_SHARED", os.path.join(here, "..", "..", "shared")))
    parser.add_argument("--live", action="store_true", help="run keepalived -t instead of the stored oracle")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    report = measure(args.shared, args.live)
    print(f"files: {report.files}")
    print(f"(a) Unknown keyword lines covered: {report.unknown_covered}/{report.unknown_total} "
          f"({report.coverage:.1f}%)")
    print(f"(b) files keepalived accepts (no message about the text): {report.accepted_files}; "
          f"with a KA0xx/KA1xx error from kalint: {len({e.split(':')[0] for e in report.false_errors})}")
    for line in report.crashes:
        print(f"kalint crashed on {line}")
    if args.verbose:
        for line in report.uncovered:
            print(f"  uncovered: {line}")
        for line in report.false_errors:
            print(f"  false error: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
