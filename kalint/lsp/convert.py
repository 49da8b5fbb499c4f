"""kalint diagnostics and spans as LSP types (lsprotocol comes with pygls)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lsprotocol import types as lsp

from kalint.diagnostic import Diagnostic, Severity
from kalint.lsp.analysis import Analysis, OpenDocument, shown
from kalint.lsp.positions import UTF16, LineIndex, span_offsets
from kalint.report import printable
from kalint.syntax.span import Span
from kalint.text.source import SourceFile

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_BOM = "\ufeff"


class Positions:
    """Line indexes of the texts one analysis reads, built once each."""

    def __init__(self, analysis: Analysis, to_uri: Callable[[str], str], encoding: str = UTF16) -> None:
        self.analysis = analysis
        self.to_uri = to_uri
        self.encoding = encoding
        self._indexes: dict[int, LineIndex] = {}

    def index(self, src: SourceFile) -> LineIndex:
        """The LSP lines the editor shows for ``src`` (without a BOM, which editors hide)."""
        found = self._indexes.get(id(src))
        if found is None:
            found = self._indexes[id(src)] = LineIndex(src.text.removeprefix(_BOM), self.encoding)
        return found

    def range(self, span: Span, src: SourceFile | None = None) -> lsp.Range:
        src = src or self.analysis.source(span.path)
        if src is None:  # a file kalint did not read: its positions are all we have
            start = lsp.Position(max(span.line - 1, 0), max(span.column - 1, 0))
            end = lsp.Position(max(span.end_line - 1, 0), max(span.end_column - 1, 0))
            return lsp.Range(start, end)
        first, last = span_offsets(src, span)
        if src.text.startswith(_BOM):
            first, last = max(first - 1, 0), max(last - 1, 0)
        index = self.index(src)
        return lsp.Range(lsp.Position(*index.position(first)), lsp.Position(*index.position(last)))

    def location(self, span: Span) -> lsp.Location:
        return lsp.Location(self.to_uri(span.path), self.range(span))


def diagnostic(diag: Diagnostic, positions: Positions, rule_url: Callable[[str], str | None],
               src: SourceFile | None = None) -> lsp.Diagnostic:
    message = printable(diag.message)
    if diag.help:
        message += f"\nhelp: {printable(diag.help)}"
    if diag.config_id:
        message += f"\n(as config id {diag.config_id})"
    url = rule_url(diag.code)
    return lsp.Diagnostic(
        range=positions.range(diag.span, src),
        message=message,
        severity=SEVERITY.get(diag.severity or Severity.ERROR, lsp.DiagnosticSeverity.Error),
        code=diag.code,
        code_description=lsp.CodeDescription(href=url) if url else None,
        source="kalint",
        related_information=[
            lsp.DiagnosticRelatedInformation(positions.location(r.span), printable(r.message)) for r in diag.related
        ] or None,
    )


def document_diagnostics(analysis: Analysis, doc: OpenDocument, positions: Positions,
                         rule_url: Callable[[str], str | None]) -> list[tuple[Diagnostic, lsp.Diagnostic]]:
    """Everything to publish for ``doc``, each kalint finding with its LSP form."""
    pairs = []
    for diag, on_disk in shown(analysis, doc):
        src = doc.disk_source if on_disk else None
        pairs.append((diag, diagnostic(diag, positions, rule_url, src)))
    return pairs


def errors(analysis: Analysis, doc: OpenDocument) -> Iterable[lsp.Diagnostic]:
    """Files kalint could not lint at all (binary, UTF-16) as one finding on line 1."""
    for path, message in analysis.result.errors:
        if doc.path is not None and analysis.key_of(path) == doc.key:
            yield lsp.Diagnostic(
                range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                message=f"kalint cannot lint this file: {printable(message)}",
                severity=lsp.DiagnosticSeverity.Error,
                source="kalint",
            )
