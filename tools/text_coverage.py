#!/usr/bin/env python3
"""How many of keepalived's messages about a config's text kalint covers at their line.

From corpus/oracle_full.jsonl (keepalived 2.2.7 ``-t`` run inside a network namespace in
which every interface a file names exists: the ``ifaces_stderr`` column), every message
that carries a line number (``(FILE: Line N) ...``) and is about the text is counted;
messages that depend on this host are set aside: interfaces, users, missing scripts and
included files, DNS, kernel or build features and the script-security violation
(``HOST``), and ``track script NAME not found`` when keepalived removed that script for a
host reason first (a missing file or user). A message is covered when a kalint finding
(``--target-version 2.2.7``, linted under a config id no ``@id`` line names, as
``keepalived -t`` without ``-i`` reads it) spans or relates to its line.

Messages without a line number are counted apart (kalint cannot be matched to them by
line). A message keepalived prints more than once for one file (its processes each read
the configuration) counts once. The misses are printed (``--misses FILE`` writes them, one ``file:line: message``
a line).

Usage: python3 tools/text_coverage.py [--misses FILE] [SHARED_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field

from corpus_agreement import _LINE, HOST_ONLY, NO_ID, TARGET, covered_lines

from kalint.engine import Linter, LintOptions

#: besides corpus_agreement.HOST_ONLY: users, missing scripts and includes, DNS, build features.
HOST = re.compile(
    HOST_ONLY.pattern.replace(r"|cannot track route .* with no interface", "")
    + r"|Unable to set (default user|uid/gid)|Error setting global script uid/gid|vrrp script \S+ - removing"
    + r"|Config files missing|Cannot find script|Unable to access script|not executable|No such file"
    + r"|Invalid smtp server|not supported|kernel does not support"  # smtp_server: a name is resolved (DNS)
)
_REMOVED = re.compile(r"Disabling track script (\S+) since|Unable to set default user for vrrp script (\S+) - removing")
_USER_MISSING = "Unable to set uid/gid for script"
_TRACK_MISSING = re.compile(r"track script (\S+) not found, ignoring")


@dataclass(slots=True)
class Coverage:
    text: int = 0
    covered: int = 0
    misses: list[str] = field(default_factory=list)
    without_line: int = 0
    host: int = 0
    files: int = 0


def _host_removed(stderr: str) -> set[str]:
    """vrrp_scripts keepalived dropped for a host reason (missing file or user); ``*`` when
    a script's own ``user`` does not exist here (that message names no vrrp_script)."""
    names = {next(g for g in m.groups() if g) for m in _REMOVED.finditer(stderr)}
    return names | ({"*"} if _USER_MISSING in stderr else set())


def is_host(message: str, removed: set[str]) -> bool:
    missing = _TRACK_MISSING.search(message)
    if missing:
        return missing.group(1) in removed or "*" in removed
    return bool(HOST.search(message))


def measure(shared: str) -> Coverage:
    result = Coverage()
    linter = Linter(LintOptions(config_ids=(NO_ID,), target_version=TARGET))
    corpus = os.path.join(shared, "corpus")
    with open(os.path.join(corpus, "oracle_full.jsonl"), encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    for row in rows:
        path = os.path.join(corpus, row["file"])
        if not os.path.exists(path):
            continue
        result.files += 1
        stderr = row["ifaces_stderr"]
        removed = _host_removed(stderr)
        lines: set[int] | None = None
        for raw in dict.fromkeys(stderr.splitlines()):  # each of keepalived's processes reads the file
            m = _LINE.match(raw)
            message = (m.group(2) if m else raw).strip()
            if not message:
                continue
            if is_host(message, removed):
                result.host += 1
            elif not m:
                result.without_line += 1
            else:
                if lines is None:
                    diagnostics = linter.lint_paths([path]).diagnostics
                    lines = covered_lines([d for d in diagnostics if d.span.path == path])
                result.text += 1
                if int(m.group(1)) in lines:
                    result.covered += 1
                else:
                    result.misses.append(f"{row['file']}:{m.group(1)}: {message}")
    return result


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?",
                        default=os.environ.get("KALINT_SHARED", os.path.join(here, "..", "..", "shared")))
    parser.add_argument("--misses", help="write the uncovered messages to this file")
    args = parser.parse_args(argv)
    result = measure(args.shared)
    print(f"files: {result.files}")
    print(f"text messages with a line: {result.text}; covered by kalint at that line: {result.covered}; "
          f"missed: {len(result.misses)}")
    print(f"text messages without a line: {result.without_line}; host-dependent messages set aside: {result.host}")
    for miss in result.misses:
        print(f"  miss: {miss}")
    if args.misses:
        with open(args.misses, "w", encoding="utf-8") as fh:
            fh.writelines(f"{miss}\n" for miss in result.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
