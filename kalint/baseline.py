"""``--baseline FILE`` / ``--write-baseline FILE``: adopt kalint in a repository that has
findings already, and fail only on new ones.

The baseline is a JSON file of finding fingerprints (kalint.fingerprint), with paths
relative to the baseline's own directory so that it works from any working directory;
code, path and message are kept beside each fingerprint for people reading the file.
A fingerprint is the rule, the file, the statement's text and its occurrence: a known
finding stays known when lines move, and a second copy of it is new.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence

from kalint.diagnostic import Diagnostic
from kalint.fingerprint import fingerprints, relative
from kalint.text.source import SourceFile

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or is not kalint's (exit 2)."""


def _base(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def write(path: str, diagnostics: Sequence[Diagnostic], sources: Mapping[str, SourceFile]) -> int:
    """Write every finding's fingerprint; the number written."""
    base = _base(path)
    entries = [
        {"fingerprint": print_, "code": d.code, "path": relative(d.span.path, base), "message": d.message}
        for d, print_ in zip(diagnostics, fingerprints(diagnostics, sources, base))
    ]
    document = {"version": VERSION, "findings": sorted(entries, key=lambda e: (e["path"], e["code"], e["fingerprint"]))}
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    return len(entries)


def load(path: str) -> set[str]:
    """The fingerprints a baseline file holds."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror})") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a kalint baseline (invalid JSON: {exc})") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not a kalint baseline (version {VERSION} with a `findings` list)")
    return {str(f["fingerprint"]) for f in findings if isinstance(f, dict) and "fingerprint" in f}


def new_findings(path: str, known: set[str], diagnostics: Sequence[Diagnostic],
                 sources: Mapping[str, SourceFile]) -> list[Diagnostic]:
    """The findings whose fingerprint the baseline does not have."""
    prints = fingerprints(diagnostics, sources, _base(path))
    return [d for d, print_ in zip(diagnostics, prints) if print_ not in known]
