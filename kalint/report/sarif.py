"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run with the full ``rules`` array (every registered rule, plugins included),
results whose locations are relative to the working directory (``%SRCROOT%``), regions
in 1-based code points with an exclusive end column (``columnKind``
``unicodeCodePoints``), related locations, and fixes. kalint's ``info`` is SARIF's
``note``. Input errors (exit 2) become ``toolExecutionNotifications`` and
``executionSuccessful: false``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, TextIO
from urllib.parse import quote

from kalint import __version__
from kalint.diagnostic import Diagnostic, Fix, Severity
from kalint.fingerprint import SARIF_KEY, fingerprints
from kalint.links import rule_url
from kalint.report import Report, printable
from kalint.report.json_format import peer_group_fields
from kalint.rule import Rule
from kalint.syntax.span import Span
from kalint.text.source import SourceFile

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/kalint/"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _text(text: str) -> dict[str, str]:
    return {"text": printable(text)}


def artifact(path: str, cwd: str) -> dict[str, str]:
    """A relative URI under %SRCROOT% when the file is below the working directory."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, cwd)
    raw = relative if not relative.startswith(os.pardir) else absolute
    uri = quote(raw.replace(os.sep, "/").encode("utf-8", "surrogateescape"), safe="/")
    if raw is relative:
        return {"uri": uri, "uriBaseId": SRCROOT}
    return {"uri": "file://" + uri}


def region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": max(span.end_column, 1),
    }


def location(span: Span, cwd: str, message: str | None = None, id_: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact(span.path, cwd), "region": region(span)}}
    if id_ is not None:
        found["id"] = id_
    if message is not None:
        found["message"] = _text(message)
    return found


def _fix(fix: Fix, cwd: str) -> dict[str, Any]:
    by_file: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        by_file.setdefault(edit.span.path, []).append(
            {"deletedRegion": region(edit.span), "insertedContent": _text(edit.text)}
        )
    return {
        "description": _text(fix.description + ("" if fix.safe else " (unsafe: changes what keepalived does)")),
        "artifactChanges": [
            {"artifactLocation": artifact(path, cwd), "replacements": replacements}
            for path, replacements in by_file.items()
        ],
    }


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    documentation = rule.documentation()
    first_paragraph = documentation.split("\n\n", 1)[0].replace("\n", " ")
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": _text(rule.summary),
        "fullDescription": _text(first_paragraph or rule.summary),
        "help": {"text": printable(documentation), "markdown": printable(documentation)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }
    url = rule_url(rule)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def result_entry(diag: Diagnostic, index: dict[str, int], cwd: str, fingerprint: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": diag.code,
        "level": LEVELS[diag.severity or Severity.ERROR],
        "message": _text(diag.message + (f" (help: {diag.help})" if diag.help else "")),
        "locations": [location(diag.span, cwd)],
    }
    if fingerprint is not None:
        entry["partialFingerprints"] = {SARIF_KEY: fingerprint}
    if diag.code in index:
        entry["ruleIndex"] = index[diag.code]
    if diag.related:
        entry["relatedLocations"] = [
            location(r.span, cwd, r.message, i) for i, r in enumerate(diag.related, start=1)
        ]
    if diag.fix is not None:
        entry["fixes"] = [_fix(diag.fix, cwd)]
    properties: dict[str, Any] = {}
    if diag.config_id:
        properties["configId"] = printable(diag.config_id)
    if diag.peer_group is not None:
        properties["peerGroup"] = peer_group_fields(diag.peer_group)
    if properties:
        entry["properties"] = properties
    return entry


def render(
    diagnostics: list[Diagnostic],
    errors: list[tuple[str, str]],
    rules: Iterable[type[Rule]],
    cwd: str | None = None,
    sources: Mapping[str, SourceFile] | None = None,
) -> str:
    """The SARIF document; with ``sources``, each result has kalint's fingerprint (the
    one ``--baseline`` uses) in ``partialFingerprints``."""
    cwd = cwd or os.getcwd()
    prints: list[str | None] = (
        list(fingerprints(diagnostics, sources, cwd)) if sources is not None else [None] * len(diagnostics)
    )
    rules = list(rules)
    index = {rule.code: i for i, rule in enumerate(rules)}
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": _text(message),
                "locations": [{"physicalLocation": {"artifactLocation": artifact(path, cwd)}}],
            }
            for path, message in errors
        ]
    run = {
        "tool": {
            "driver": {
                "name": "kalint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": "file://" + quote(cwd.rstrip("/").encode("utf-8", "surrogateescape")) + "/"}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [result_entry(d, index, cwd, p) for d, p in zip(diagnostics, prints)],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class SarifReporter:
    """``--format sarif``: one run describing every loaded rule."""

    def __init__(self, rules: Iterable[type[Rule]]) -> None:
        self.rules = list(rules)

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(render(report.diagnostics, report.errors, self.rules, sources=report.sources))
