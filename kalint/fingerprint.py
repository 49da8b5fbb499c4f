"""Fingerprints of findings that survive edits elsewhere in a file: the rule's code, the
file (relative to a base directory), the normalised text of the statement the finding
is on (comments and spacing left out), the config id, and which occurrence of that same
(code, file, statement) it is. Lines moving, comments and blank lines being added, or
a message naming another line do not change them.

Used by ``--baseline`` (findings that are already known), SARIF ``partialFingerprints``
and pre-commit mode (findings that exist with and without a change).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence

from kalint.diagnostic import Diagnostic
from kalint.text.source import SourceFile

#: The key of kalint's fingerprint in SARIF ``partialFingerprints``.
SARIF_KEY = "kalintStatement/v1"
_COMMENT = re.compile(r"(?:^|\s)[#!].*$")
_SPACE = re.compile(r"\s+")


def statement_text(diag: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    """The finding's first line without its comment, spacing collapsed."""
    source = sources.get(diag.span.path)
    if source is None:
        return ""
    line = _COMMENT.sub("", source.line_text(diag.span.line))
    return _SPACE.sub(" ", line).strip()


def relative(path: str, base: str) -> str:
    if path.startswith("<"):
        return path  # <stdin>
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


def fingerprints(diagnostics: Sequence[Diagnostic], sources: Mapping[str, SourceFile], base: str) -> list[str]:
    """One fingerprint per finding, in the order given (occurrences count in that order)."""
    seen: dict[tuple[str, ...], int] = {}
    found = []
    for diag in diagnostics:
        key = (diag.code, relative(diag.span.path, base), statement_text(diag, sources), diag.config_id or "")
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8", "surrogateescape"))
        found.append(digest.hexdigest()[:32])
    return found
