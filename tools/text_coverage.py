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
line). With ``--ids`` (root, network namespaces, keepalived 2.2.7 installed), every file
with ``@id`` lines is also run once per id it names: ``keepalived -t -i ID`` inside a
fresh network namespace holding the interfaces the stored run created, against kalint
linted under that id; each (id, line, message) counts once. A message keepalived prints more than once for one file (its processes each read
the configuration) counts once. The misses are printed (``--misses FILE`` writes them, one ``file:line: message``
a line).

Usage: python3 tools/text_coverage.py [--ids] [--misses FILE] [SHARED_DIR]
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
from collections.abc import Callable
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


_ID_LINE = re.compile(r"^[ \t]*@\^?([A-Za-z0-9_.-]+)", re.MULTILINE)


def config_ids(path: str) -> list[str]:
    """The ids a file's ``@id``/``@^id`` lines name, in first-use order."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return list(dict.fromkeys(_ID_LINE.findall(fh.read())))


def run_with_id(path: str, config_id: str, interfaces: list[str]) -> str:
    """keepalived -t -i ID on a copy, in a fresh network namespace with ``interfaces``."""
    namespace = f"kalint-cov-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", namespace], check=True)
    try:
        for name in interfaces:
            subprocess.run(["ip", "-n", namespace, "link", "add", name, "type", "bridge"],
                           capture_output=True, check=False)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(path, os.path.join(tmp, os.path.basename(path)))
            done = subprocess.run(["ip", "netns", "exec", namespace, "keepalived", "-t", "-i", config_id,
                                   "-f", os.path.basename(path)], cwd=tmp, capture_output=True, timeout=20,
                                  check=False)
            return done.stderr.decode("utf-8", "replace")
    finally:
        subprocess.run(["ip", "netns", "del", namespace], check=False)


def _count(result: Coverage, name: str, stderr: str, lines_of: Callable[[], set[int]]) -> None:
    """Add one keepalived run's messages; ``lines_of`` lints only when a message needs it."""
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
                lines = lines_of()
            result.text += 1
            if int(m.group(1)) in lines:
                result.covered += 1
            else:
                result.misses.append(f"{name}:{m.group(1)}: {message}")


def _lines(path: str, config_id: str) -> Callable[[], set[int]]:
    def lint() -> set[int]:
        linter = Linter(LintOptions(config_ids=(config_id,), target_version=TARGET))
        return covered_lines([d for d in linter.lint_paths([path]).diagnostics if d.span.path == path])
    return lint


def measure(shared: str, ids: bool = False) -> Coverage:
    result = Coverage()
    corpus = os.path.join(shared, "corpus")
    with open(os.path.join(corpus, "oracle_full.jsonl"), encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    for row in rows:
        path = os.path.join(corpus, row["file"])
        if not os.path.exists(path):
            continue
        result.files += 1
        _count(result, row["file"], row["ifaces_stderr"], _lines(path, NO_ID))
        for config_id in config_ids(path) if ids else ():
            stderr = run_with_id(path, config_id, row["interfaces_created"])
            _count(result, f"{row['file']}@{config_id}", stderr, _lines(path, config_id))
    return result


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?",
                        default=os.environ.get("KALINT_SHARED", os.path.join(here, "..", "..", "shared")))
    parser.add_argument("--ids", action="store_true",
                        help="also run keepalived -t -i ID for every id of a file with @id lines (root, netns)")
    parser.add_argument("--misses", help="write the uncovered messages to this file")
    args = parser.parse_args(argv)
    result = measure(args.shared, args.ids)
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
