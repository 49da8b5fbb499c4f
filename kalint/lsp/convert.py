"""kalint diagnostics and spans as LSP types (lsprotocol comes with pygls)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

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


#: An LSP range as plain numbers: start line, start character, end line, end character.
Place = tuple[int, int, int, int]


class Positions:
    """Line indexes of the texts one analysis reads, built once each."""

    def __init__(self, analysis: Analysis, to_uri: Callable[[str], str], encoding: str = UTF16) -> None:
        self.analysis = analysis
        self.to_uri = to_uri
        self.encoding = encoding
        self._indexes: dict[int, LineIndex] = {}
        self._uris: dict[str, str] = {}
        #: Per source: whether it is ASCII and the editor's lines are kalint's (its index
        #: is shared), where an LSP position is kalint's line and column less one.
        self._plain: dict[int, bool] = {}
        #: Per path a span names: its source and ``_plain_lines`` (each span asked for both).
        self._by_path: dict[str, tuple[SourceFile | None, tuple[Sequence[int], int] | None]] = {}

    def index(self, src: SourceFile) -> LineIndex:
        """The LSP lines the editor shows for ``src`` (without a BOM, which editors hide)."""
        found = self._indexes.get(id(src))
        if found is None:
            text = src.text
            if "\r" in text or text.startswith(_BOM):
                found = LineIndex(text.removeprefix(_BOM), self.encoding)
            else:  # the editor's lines are kalint's: share the source's index
                found = LineIndex(text, self.encoding, src.line_starts())
            self._indexes[id(src)] = found
        return found

    def place(self, span: Span, src: SourceFile | None = None) -> Place:
        """Where ``span`` shows in the editor (in ``src``, else the file it names)."""
        if src is None:
            src, lines = self._path(span.path)
        else:
            lines = self._plain_lines(src)
        if src is None:  # a file kalint did not read: its positions are all we have
            return max(span.line - 1, 0), max(span.column - 1, 0), max(span.end_line - 1, 0), max(span.end_column - 1, 0)
        if lines is not None:
            found = _plain_place(lines[0], lines[1], span)
            if found is not None:
                return found
        first, last = span_offsets(src, span)
        if src.text.startswith(_BOM):
            first, last = max(first - 1, 0), max(last - 1, 0)
        index = self.index(src)
        return (*index.position(first), *index.position(last))

    def _plain_lines(self, src: SourceFile) -> tuple[Sequence[int], int] | None:
        """Where the lines of ``src`` start and its length, when the editor's positions
        in it are kalint's less one (``_plain``); None otherwise."""
        plain = self._plain.get(id(src))
        if plain is None:
            plain = self._plain[id(src)] = self.index(src).starts is src.line_starts() and src.text.isascii()
        return (src.line_starts(), len(src.text)) if plain else None

    def plain(self, path: str) -> bool:
        """Whether ``path`` is a text kalint read whose editor positions are kalint's less
        one (``_plain_lines``): where a span's place depends on the lengths of its lines alone."""
        return self._path(path)[1] is not None

    def _path(self, path: str) -> tuple[SourceFile | None, tuple[Sequence[int], int] | None]:
        known = self._by_path.get(path)
        if known is None:
            src = self.analysis.source(path)
            known = self._by_path[path] = (src, self._plain_lines(src) if src else None)
        return known

    def range(self, span: Span, src: SourceFile | None = None) -> lsp.Range:
        return _range(self.place(span, src))

    def uri(self, path: str) -> str:
        found = self._uris.get(path)
        if found is None:
            found = self._uris[path] = self.to_uri(path)
        return found

    def location(self, span: Span) -> lsp.Location:
        return lsp.Location(self.uri(span.path), self.range(span))


def _plain_place(starts: Sequence[int], size: int, span: Span) -> Place | None:
    """``Positions.place`` in an ASCII text with LF line breaks (``starts``: where its
    lines start): the span's lines and columns less one, where both ends lie inside their
    line and in order; None otherwise (the general path clamps them)."""
    count = len(starts)
    line, end_line = span.line, span.end_line
    if not (1 <= line <= end_line <= count):
        return None
    line_start, end_start = starts[line - 1], starts[end_line - 1]
    first = line_start + span.column - 1
    last = end_start + span.end_column - 1
    # (each end before the start of the line after its own)
    past_first = starts[line] if line < count else size + 1
    past_last = starts[end_line] if end_line < count else size + 1
    if not (line_start <= first <= last <= size and end_start <= last and first < past_first and last < past_last):
        return None
    return line - 1, first - line_start, end_line - 1, last - end_start


def _range(place: Place) -> lsp.Range:
    return lsp.Range(lsp.Position(place[0], place[1]), lsp.Position(place[2], place[3]))


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


class Shown(NamedTuple):
    """One published finding: kalint's, its LSP form, and that form's JSON text."""

    finding: Diagnostic
    diagnostic: lsp.Diagnostic
    #: The LSP form as pygls serialises it in a message (its converter, then ``json.dumps``
    #: with the defaults: ASCII).
    json: str


class Converter:
    """The LSP forms of one document's findings, each kept while the finding and where
    it shows in the editor stay the same.

    Typing a word in the benchmark's 10k-line config leaves 440 of its 441 findings as
    they were; building each again (lsprotocol's validated objects, then their JSON form
    for the wire) took a third of the time from the edit to the diagnostics. A finding's
    LSP form depends on the finding, the places of its spans (``Positions.place``), the
    URIs they name, the position encoding and the rule's URL: the key holds all of them
    but the URL, which is fixed for a session.

    A finding that is the same object as one the last publish showed skips even the
    key, whose places took most of a publish's 5 ms: the language server gives a
    finding object again only for text an edit left as it was, at the same lines (the
    findings of untouched blocks, ``Rule.kept``, the unchanged roots of
    ``kalint.lsp.analysis``), and in a plain text (``Positions.plain``) a span's place
    depends on its lines' lengths alone. Anywhere else (a wide character, a lone CR,
    the disk's text) the key decides."""

    def __init__(self, unstructure: Callable[[Any], Any]) -> None:
        self.unstructure = unstructure
        self._known: dict[tuple, Shown] = {}
        #: The last publish's findings in plain texts by identity: (finding, the paths its
        #: spans name, its key, what was shown).
        self._same: dict[int, tuple[Diagnostic, frozenset[str], tuple, Shown]] = {}

    def document(self, analysis: Analysis, doc: OpenDocument, positions: Positions,
                 rule_url: Callable[[str], str | None]) -> list[Shown]:
        """Everything to publish for ``doc``; only what the last call did not give is built."""
        used: dict[tuple, Shown] = {}
        same: dict[int, tuple[Diagnostic, frozenset[str], tuple, Shown]] = {}
        out = []
        for diag, on_disk in shown(analysis, doc):
            if not on_disk:
                last = self._same.get(id(diag))
                if last is not None and last[0] is diag and last[2][1] == positions.encoding \
                        and all(positions.plain(p) for p in last[1]):
                    same[id(diag)] = last
                    used[last[2]] = last[3]
                    out.append(last[3])
                    continue
            src = doc.disk_source if on_disk else None
            places = (positions.place(diag.span, src),
                      *((positions.uri(r.span.path), positions.place(r.span)) for r in diag.related))
            key = (_fields(diag), positions.encoding, places)
            found = self._known.get(key)
            if found is None:
                found = used.get(key)  # the same finding twice in one publish
                if found is None:
                    lsp_diag = diagnostic(diag, positions, rule_url, src)
                    found = Shown(diag, lsp_diag, json.dumps(self.unstructure(lsp_diag)))
            used[key] = found
            out.append(found)
            if not on_disk:
                paths = frozenset(span.path for span in diag.spans())
                if all(positions.plain(p) for p in paths):
                    same[id(diag)] = (diag, paths, key, found)
        self._known = used
        self._same = same
        return out


def _fields(diag: Diagnostic) -> tuple:
    """``diag`` as a flat tuple of its fields, equal exactly when the findings are: what
    the converter's dict hashes in C. Hashing the finding itself runs the dataclasses'
    Python ``__hash__`` for it, its span and each related location, twice per finding
    and publish (a third of the converter's time with 441 findings)."""
    span = diag.span
    return (diag.code, diag.message, span.path, span.line, span.column, span.end_line, span.end_column,
            diag.severity, diag.name, diag.help, diag.fix, diag.config_id, diag.peer_group,
            tuple((r.message, r.span.path, r.span.line, r.span.column, r.span.end_line, r.span.end_column)
                  for r in diag.related))


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
