"""Hover, completion, navigation, rename and quick fixes on one analysed document.

Each function takes the analysis of the document's latest text and a cursor in kalint's
terms (1-based line, code-point column) and returns lsprotocol values; the server only
converts positions and sends them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lsprotocol import types as lsp

from kalint.diagnostic import Diagnostic
from kalint.lsp import keywords
from kalint.lsp.convert import Positions
from kalint.lsp.positions import span_offsets, units
from kalint.lsp.priority_hover import priority_markdown
from kalint.lsp.symbols import INSTANCE, SCRIPT, TRACK_FILE, TRACK_PROCESS, VS_GROUP, Occurrence, Symbols, covers
from kalint.report import printable
from kalint.syntax.tree import Block, Statement
from kalint.text import expand
from kalint.text.source import MAX_LINE_BYTES, encode

#: Longest definition shown in a hover, in lines.
HOVER_LINES = 20
ROOT_KEYWORDS = (
    "global_defs", "vrrp_script", "vrrp_instance", "vrrp_sync_group", "virtual_server",
    "virtual_server_group", "vrrp_track_file", "vrrp_track_process", "static_ipaddress",
    "static_routes", "static_rules", "include",
)
#: List blocks whose entries name a definition of this kind.
_REFERENCE_BLOCKS = {"track_script": SCRIPT, "track_file": TRACK_FILE, "track_process": TRACK_PROCESS}
_VALID_NAME = re.compile(r'^[^\s"{}!#]+$')
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _undecodable(text: str) -> bool:
    """Holds a byte that was not UTF-8 (kept as a lone surrogate), which LSP text cannot carry."""
    return not text.isascii() and _UNDECODABLE.search(text) is not None


class RequestError(Exception):
    """A request the user can correct (e.g. an invalid new name): sent as an LSP error."""


# -- hover ----------------------------------------------------------------------------------


def hover(symbols: Symbols, line: int, column: int) -> lsp.Hover | None:
    parts: list[str] = []
    occ = symbols.at(line, column)
    if occ is not None:
        parts.append(_describe(symbols, occ))
    else:
        stmt = symbols.statement_at(line, column)
        if stmt is not None and stmt.texts and covers(stmt.words[0].span, line, column):
            parts.extend(_keyword_hover(symbols, stmt))
    parts = [p for p in parts if p]
    if not parts:
        return None
    text = printable("\n\n---\n\n".join(parts))  # undecodable bytes as \xNN, as every reporter shows them
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text))


def _describe(symbols: Symbols, occ: Occurrence) -> str:
    if occ.definition:
        uses = [o for o in symbols.same(occ) if not o.definition]
        return f"`{occ.kind} {occ.name}`: referenced {len(uses)} time{'s' if len(uses) != 1 else ''}"
    defs = symbols.definitions(occ.kind, occ.name)
    if not defs:
        return f"`{occ.name}`: no `{occ.kind}` of this name is defined"
    return "\n\n".join(_definition_text(symbols, d) for d in defs)


def _definition_text(symbols: Symbols, occ: Occurrence) -> str:
    node = occ.block or occ.word
    span = node.span
    src = symbols.analysis.source(span.path)
    where = f"{span.path}:{span.line}"
    if src is None:
        return f"defined at {where}"
    last = min(span.end_line, span.line + HOVER_LINES - 1)
    body = "\n".join(src.line_text(n) for n in range(span.line, last + 1))
    more = "\n…" if last < span.end_line else ""
    return f"defined at `{where}`\n```keepalived\n{body}{more}\n```"


def _keyword_hover(symbols: Symbols, stmt: Statement) -> list[str]:
    parts = []
    info = keywords.lookup(stmt.path())
    if info is not None:
        parts.append(info.markdown())
    if stmt.keyword == "priority" and stmt.parent is not None and stmt.parent.keyword == "vrrp_instance":
        for config in symbols.configs[:1]:
            inst = next((i for i in config.vrrp_instances if i.node is stmt.parent), None)
            if inst is not None:
                parts.append(priority_markdown(config, inst))
    return parts


# -- completion -----------------------------------------------------------------------------


def completion(symbols: Symbols, line_before: str, line: int, column: int) -> list[lsp.CompletionItem]:
    """What may be typed at the cursor; ``line_before`` is the line's text up to it."""
    _, end, _ = expand.decomment(line_before)
    if end < len(line_before.rstrip()):
        return []  # in a comment
    text = re.split(r"[{}]", line_before)[-1]
    words = text.split()
    if words and not text[-1:].isspace():
        words.pop()  # the word being typed: the client filters on it
    block = symbols.block_at(line, column)
    block_path = tuple(block.path()) if block is not None else ()
    if not words:
        kind = _reference_kind(block)
        if kind is not None:
            return _names(symbols, kind)
        return _keywords(symbols, block_path)
    if len(words) == 1:
        values = keywords.enum_values(block_path, words[0])
        if values:
            return [lsp.CompletionItem(v, kind=lsp.CompletionItemKind.EnumMember) for v in values]
    if not block_path and words == ["virtual_server", "group"]:
        return _names(symbols, VS_GROUP)
    return []


def _reference_kind(block: Block | None) -> str | None:
    if block is None:
        return None
    if block.keyword == "group" and block.parent is not None and block.parent.keyword == "vrrp_sync_group":
        return INSTANCE
    return _REFERENCE_BLOCKS.get(block.keyword)


def _names(symbols: Symbols, kind: str) -> list[lsp.CompletionItem]:
    names = sorted({o.name for o in symbols.definitions(kind) if not _undecodable(o.name)})
    return [lsp.CompletionItem(n, kind=lsp.CompletionItemKind.Reference, detail=kind) for n in names]


def _keywords(symbols: Symbols, block_path: tuple[str, ...]) -> list[lsp.CompletionItem]:
    known = keywords.children(block_path)
    if known:
        return [
            lsp.CompletionItem(k.path[-1], kind=lsp.CompletionItemKind.Keyword, detail=k.args or None,
                               documentation=lsp.MarkupContent(lsp.MarkupKind.Markdown, k.markdown()))
            for k in known
        ]
    names = set(ROOT_KEYWORDS) if not block_path else set()
    for config in symbols.configs[:1]:
        for stmt in config.document.walk():
            if stmt.texts and tuple(stmt.path()[:-1]) == block_path:
                names.add(stmt.keyword)
    return [lsp.CompletionItem(n, kind=lsp.CompletionItemKind.Keyword) for n in sorted(names)]


# -- navigation and rename ------------------------------------------------------------------


def definition(symbols: Symbols, positions: Positions, line: int, column: int) -> list[lsp.Location]:
    occ = symbols.at(line, column)
    if occ is None:
        return []
    return [positions.location(d.span) for d in symbols.definitions(occ.kind, occ.name)]


def references(symbols: Symbols, positions: Positions, line: int, column: int,
               include_declaration: bool) -> list[lsp.Location]:
    occ = symbols.at(line, column)
    if occ is None:
        return []
    return [positions.location(o.span) for o in symbols.same(occ) if include_declaration or not o.definition]


def rename(symbols: Symbols, positions: Positions, line: int, column: int, new_name: str,
           to_uri: Callable[[str], str]) -> lsp.WorkspaceEdit | None:
    occ = symbols.at(line, column)
    if occ is None:
        return None
    if not _VALID_NAME.match(new_name):
        raise RequestError(f"{new_name!r} is not a valid {occ.kind} name: no blanks, quotes, braces or comments")
    changes: dict[str, list[lsp.TextEdit]] = {}
    for other in symbols.same(occ):
        span = other.span
        src = symbols.analysis.source(span.path)
        if src is None:
            continue
        start, end = span_offsets(src, span)
        written = src.text[start:end]
        if written not in (other.name, f'"{other.name}"'):
            continue  # made by $NAME substitution or a generator: no text of its own to change
        rng = positions.range(span, src)
        if written != other.name:  # quoted: keep the quotes
            rng = lsp.Range(lsp.Position(rng.start.line, rng.start.character + 1),
                            lsp.Position(rng.end.line, rng.end.character - 1))
        changes.setdefault(to_uri(span.path), []).append(lsp.TextEdit(rng, new_name))
    return lsp.WorkspaceEdit(changes=changes)


# -- code actions ---------------------------------------------------------------------------


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and \
        (b.start.line, b.start.character) <= (a.end.line, a.end.character)


def code_actions(published: Iterable[tuple[Diagnostic, lsp.Diagnostic]], wanted: lsp.Range, uri: str,
                 line_text: Callable[[int], str], positions: Positions,
                 to_uri: Callable[[str], str]) -> list[lsp.CodeAction]:
    actions = []
    for diag, shown in published:
        if not _overlaps(shown.range, wanted):
            continue
        # An edit that writes undecodable bytes back cannot travel as LSP text: no quick fix.
        if diag.fix is not None and not any(_undecodable(e.text) for e in diag.fix.edits):
            changes: dict[str, list[lsp.TextEdit]] = {}
            for edit in diag.fix.edits:
                changes.setdefault(to_uri(edit.span.path), []).append(
                    lsp.TextEdit(positions.range(edit.span), edit.text))
            actions.append(lsp.CodeAction(
                title=printable(diag.fix.description) + ("" if diag.fix.safe else " (changes what keepalived does)"),
                kind=lsp.CodeActionKind.QuickFix, diagnostics=[shown],
                edit=lsp.WorkspaceEdit(changes=changes), is_preferred=diag.fix.safe,
            ))
        if diag.code:
            actions.append(disable_action(diag.code, shown, uri, line_text(shown.range.start.line),
                                          positions.encoding))
    return actions


def disable_action(code: str, shown: lsp.Diagnostic, uri: str, line: str, encoding: str) -> lsp.CodeAction:
    """``! kalint: disable=CODE`` after the line, or on its own line above when the line has a
    comment already or would grow past keepalived's 1023-byte line buffer."""
    directive = f"! kalint: disable={code}"
    row = shown.range.start.line
    _, end, _ = expand.decomment(line)
    has_comment = end < len(line.rstrip())
    trailing = f"{line.rstrip()} {directive}"
    if not has_comment and len(encode(trailing)) <= MAX_LINE_BYTES:
        kept = len(line.rstrip())
        at = units(line[:kept], encoding)
        edit = lsp.TextEdit(lsp.Range(lsp.Position(row, at), lsp.Position(row, at)), f" {directive}")
    else:
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        edit = lsp.TextEdit(lsp.Range(lsp.Position(row, 0), lsp.Position(row, 0)), f"{indent}{directive}\n")
    return lsp.CodeAction(
        title=f"Disable {code} for this line", kind=lsp.CodeActionKind.QuickFix, diagnostics=[shown],
        edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
    )
