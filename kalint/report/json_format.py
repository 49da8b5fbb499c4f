"""``--format json``: a stable, versioned shape (documented in README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from kalint.diagnostic import Diagnostic, Fix, PeerTag
from kalint.links import rule_url
from kalint.report import Report, printable
from kalint.syntax.span import Span

if TYPE_CHECKING:
    from kalint.rule import Rule

JSON_VERSION = 1


def span_fields(span: Span) -> dict[str, Any]:
    return {
        "path": printable(span.path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def fix_fields(fix: Fix) -> dict[str, Any]:
    return {
        "description": printable(fix.description),
        "safe": fix.safe,
        "edits": [{**span_fields(e.span), "text": printable(e.text)} for e in fix.edits],
    }


def diagnostic_fields(diag: Diagnostic, url: str | None = None) -> dict[str, Any]:
    return {
        **span_fields(diag.span),
        "code": diag.code,
        "name": diag.name,
        "severity": str(diag.severity),
        "message": printable(diag.message),
        "help": printable(diag.help) if diag.help else None,
        "related": [{**span_fields(r.span), "message": printable(r.message)} for r in diag.related],
        "fix": fix_fields(diag.fix) if diag.fix else None,
        "config_id": printable(diag.config_id) if diag.config_id is not None else None,
        "peer_group": peer_group_fields(diag.peer_group) if diag.peer_group is not None else None,
        "url": url,
    }


def peer_group_fields(tag: PeerTag) -> dict[str, Any]:
    """The peer group a cluster finding came from (also SARIF's ``peerGroup`` property)."""
    return {
        "how": tag.how,
        "name": printable(tag.name) if tag.name is not None else None,
        "configs": [printable(c) for c in tag.configs],
    }


def render(diagnostics: list[Diagnostic], errors: list[tuple[str, str]], urls: Mapping[str, str | None] | None = None) -> str:
    """The report; ``urls`` maps rule codes to their documentation links."""
    document = {
        "version": JSON_VERSION,
        "diagnostics": [diagnostic_fields(d, (urls or {}).get(d.code)) for d in diagnostics],
        "errors": [{"path": printable(p), "message": printable(m)} for p, m in errors],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class JsonReporter:
    """``--format json``."""

    def __init__(self, rules: Iterable[type[Rule]] = ()) -> None:
        self.urls = {rule.code: rule_url(rule) for rule in rules}

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(render(report.diagnostics, report.errors, self.urls))
