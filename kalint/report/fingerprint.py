"""Fingerprints of findings that survive unrelated edits, for CI systems that track issues.

GitLab (and SARIF consumers) tell a new finding from an old one by its fingerprint. A line
number would make every finding below an inserted line look new, so the fingerprint hashes
what the finding is about instead: the rule, the file (as shown), the config id, and the
text of the finding's own lines with blanks collapsed; identical ones are numbered in file
order so each stays unique.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

from kalint.diagnostic import Diagnostic
from kalint.report import workspace_relative
from kalint.text.source import SourceFile


def _span_text(diag: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    source = sources.get(diag.span.path)
    if source is None:
        return diag.message
    lines = (source.line_text(n) for n in range(diag.span.line, min(diag.span.end_line, diag.span.line + 20) + 1))
    return "\n".join(" ".join(line.split()) for line in lines)


def fingerprints(diagnostics: list[Diagnostic], sources: Mapping[str, SourceFile] | None = None) -> list[str]:
    """One hex fingerprint per finding, in the same order."""
    seen: Counter[str] = Counter()
    result = []
    for diag in diagnostics:
        key = "\0".join((diag.code, workspace_relative(diag.span.path), diag.config_id or "", _span_text(diag, sources or {})))
        seen[key] += 1
        digest = hashlib.sha256(f"{key}\0{seen[key]}".encode("utf-8", "surrogateescape")).hexdigest()
        result.append(digest)
    return result
