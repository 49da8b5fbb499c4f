"""``--format gitlab``: a GitLab Code Quality report (JSON array of issues).

GitLab shows these in merge requests. Each issue carries the fields GitLab documents:
``description``, ``check_name``, ``fingerprint`` (unique per issue, stable across runs so
GitLab can tell new findings from old ones), ``severity`` (info, minor, major, critical,
blocker) and ``location.path`` with ``location.lines.begin``. Paths are relative to the
directory kalint runs in (the repository root in CI).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from kalint.diagnostic import Diagnostic, Severity
from kalint.fingerprint import fingerprints
from kalint.links import rule_url
from kalint.report import Report, printable, workspace_relative

if TYPE_CHECKING:
    from kalint.rule import Rule

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(diag: Diagnostic, fingerprint: str, url: str | None) -> dict[str, Any]:
    description = diag.message + (f" (help: {diag.help})" if diag.help else "")
    entry: dict[str, Any] = {
        "description": printable(f"{diag.code} {description}"),
        "check_name": f"{diag.code} {diag.name}",
        "fingerprint": fingerprint,
        "severity": SEVERITIES[diag.severity or Severity.ERROR],
        "location": {"path": printable(workspace_relative(diag.span.path)), "lines": {"begin": diag.span.line}},
    }
    if url:
        entry["url"] = url
    return entry


def render(report: Report, urls: Mapping[str, str | None] | None = None) -> str:
    """Findings and files that could not be read (as blockers: nothing in them was checked)."""
    urls = urls or {}
    diagnostics = report.diagnostics
    issues = [issue(d, f, urls.get(d.code)) for d, f in zip(diagnostics, fingerprints(diagnostics, report.sources, os.getcwd()))]
    for path, message in report.errors:
        issues.append({
            "description": printable(f"kalint cannot lint this file: {message}"),
            "check_name": "kalint input error",
            "fingerprint": hashlib.sha256(f"error\0{workspace_relative(path)}\0{message}".encode("utf-8", "surrogateescape"))
                                  .hexdigest(),
            "severity": "blocker",
            "location": {"path": printable(workspace_relative(path)), "lines": {"begin": 1}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


class GitlabReporter:
    """``--format gitlab``."""

    def __init__(self, rules: Iterable[type[Rule]] = ()) -> None:
        self.urls = {rule.code: rule_url(rule) for rule in rules}

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(render(report, self.urls))
