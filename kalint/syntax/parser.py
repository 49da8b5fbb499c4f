"""Parse expanded config text with the lark grammar into a ``kalint.syntax.tree.Document``.

The grammar (``grammar/keepalived.lark``) is LALR with coarse tokens; lark computes its
table, ``kalint.syntax.lalr`` runs it, and the builder below makes tree nodes at each
reduction, so no intermediate parse tree exists. Brace errors are recovered from the way
keepalived counts them: an extra ``}`` is reported and skipped, blocks still open at the
end of the input are reported and closed there.

Speed (see docs/performance.md): the table and the scanner are computed once per grammar
and lark version and kept in the per-user cache (``kalint.syntax.cache``), so a start
costs a ``marshal`` load, not a grammar analysis nor lark's import. Tokens come line by
line: the common line shapes are cut with string methods, the others by one regular
expression assembled from the grammar's own terminal definitions (lark's lexer matches
from Python at every position, which was a third of the parse time). The table consumes
them, the statements between two braces as one token.
"""

from __future__ import annotations

import marshal
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from kalint.diagnostic import Collector, Edit, Fix
from kalint.rules import ka0_reading as reading
from kalint.syntax import cache, lalr, lark_adapter
from kalint.syntax.span import Span
from kalint.syntax.tree import BLANKS, Block, Document, Index, Statement, split_words
from kalint.text.expand import Expansion

_LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "basic", "maybe_placeholders": False}
#: Bump when what the cache file holds changes shape.
_CACHE_FORMAT = 3


@lru_cache(maxsize=1)
def grammar_text() -> str:
    data = pkgutil.get_data("kalint.grammar", "keepalived.lark")
    assert data is not None
    return data.decode("utf-8")


class _Builder:
    """What one ``parse`` call builds: the table calls its methods on every reduction
    (lark checks their names when it computes the table), and they build into this
    document, its problems and its statements by keyword in file order (``Index``).
    One builder per parse, so parses in other threads (the language server) never see
    each other's document.
    """

    __slots__ = ("doc", "problems", "by_keyword")

    def __init__(self, doc: Document, problems: Collector) -> None:
        self.doc = doc
        self.problems = problems
        self.by_keyword: dict[str, list[Statement]] = {}

    def start(self, children: list[list[Statement]]) -> list[Statement]:
        return children[0]

    def items(self, children: list[Any]) -> list[Statement]:
        """Every statement and block passes here once, as it joins its parent's list."""
        if not children:
            return []
        item, by_keyword, doc = children[1], self.by_keyword, self.doc
        if isinstance(item, _Lines):
            for token in item.tokens:
                stmt = self.statement(doc, token)
                by_keyword.setdefault(stmt.keyword, []).append(stmt)
                children[0].append(stmt)
        else:
            _index_block(by_keyword.setdefault(item.keyword, []), item)
            children[0].append(item)
        return children[0]

    def statement(self, doc: Document, token: Any) -> Statement:
        line, column = token.line, token.column - 1
        text = token.value.rstrip(BLANKS)
        words, unmatched = split_words(doc, text, line, column)
        if unmatched is not None:
            self.problems.add(
                reading.UnmatchedQuote,
                doc.expansion.span(line, unmatched, line, column + len(text)),
                "unmatched quote: keepalived drops the rest of the line from here",
                help='close the string with `"`',
            )
        end = words[-1].end_column if words else column + len(text)
        return Statement(doc, line, column, end, words)

    def block(self, children: list[Any]) -> Block:
        doc = self.doc
        return self._make_block(doc, self.statement(doc, children[0]), children[1], children[2], children[3])

    def stray_open(self, children: list[Any]) -> Block:
        opening = children[0]
        block = self._make_block(self.doc, None, opening, children[1], children[2])
        if not self.problems.wants(reading.StrayBrace):
            return block
        self.problems.add(
            reading.StrayBrace,
            self.doc.expansion.span(opening.line, opening.column - 1, opening.line, opening.column),
            "`{` follows no keyword: keepalived ignores it, so the `}` that closes it "
            "closes the enclosing block instead",
            help="remove the braces, or put the block's keyword before `{`",
        )
        return block

    def _make_block(
        self, doc: Document, header: Statement | None, opening: Any, body: list[Statement], closing: Any
    ) -> Block:
        closed = closing.value == "}"
        block = Block(doc, header, (opening.line, opening.column - 1), body,
                      (closing.line, closing.column - 1) if closed else None)
        if not closed and self.problems.wants(reading.UnbalancedBraces):
            what = f"`{header.keyword}` block" if header is not None and header.words else "block"
            self.problems.add(
                reading.UnbalancedBraces,
                block.header_span,
                f"{what} opened here is never closed: keepalived reports a missing `}}` at the end of the file",
                help="add the missing `}`",
                fix=self._close_at_end(block, what) if header is not None else None,
            )
        return block

    def _close_at_end(self, block: Block, what: str) -> Fix | None:
        """A `}` at the end of the file the block opens in, indented like the block: what
        keepalived assumes anyway, so only its warning goes; unsafe, because the author may
        have meant to close the block earlier (kalint cannot know where)."""
        source, start = self.doc.expansion.locate(block.line, block.column)
        text = source.text
        line_start = text.rfind("\n", 0, start) + 1
        indent = text[line_start:start][: len(text[line_start:start]) - len(text[line_start:start].lstrip(" \t"))]
        line, column = source.position(len(text))
        lead = "" if not text or text.endswith(("\n", "\r")) else source.line_break
        edit = Edit(Span(source.path, line, column, line, column), f"{lead}{indent}}}{source.line_break}")
        return Fix(f"close the {what} at the end of the file", (edit,), safe=False, repairs_structure=True)


def _index_block(same: list[Statement], block: Block) -> None:
    """Add ``block`` to the statements of its keyword, in file order.

    A block is complete only at its `}`, after its own lines: those of them with its
    keyword are the list's tail, and the block goes before them.
    """
    at = len(same)
    while at and (same[at - 1].line, same[at - 1].column) > (block.line, block.column):
        at -= 1
    same.insert(at, block)


# -- building or loading the parser ---------------------------------------------------------


def _cache_name(grammar: str) -> tuple[str, str]:
    from kalint.hashing import sha256  # not hashlib: OpenSSL's import costs more than this small key

    key = "\0".join(
        (str(_CACHE_FORMAT), grammar, lark_adapter.installed_version(), sys.implementation.cache_tag, sys.version,
         repr(sorted(_LARK_OPTIONS.items())))
    )
    digest = sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
    return f"parser-{digest[:32]}.marshal", digest


def _scanner_source(parser: Any) -> str:
    """One pattern that skips every ignored terminal, then matches the next token: an
    alternation of the other terminals in the order lark's own lexer tries them, the end
    of the text, or (``_BAD``, empty) the character no terminal matches.

    The skipping is atomic (a lookahead, which never backtracks, and a backreference to
    what it matched), so no input makes the engine search through ways of splitting
    blanks. It yields lark's tokens because no kept terminal can start where an ignored
    one does (a blank, `#` or `!`; tests/test_parser_cache.py compares the streams).
    Matching the ignored terminals as tokens of their own made Python loop over twice
    as many matches.
    """
    terminals = sorted(
        parser.terminals,
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    ignore = set(parser.ignore_tokens)
    skipped = "|".join(t.pattern.to_regexp() for t in terminals if t.name in ignore)
    kept = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals if t.name not in ignore)
    return f"(?=((?:{skipped})*))\\1(?:{kept}|\\Z|(?P<_BAD>))"


@lru_cache(maxsize=1)
def _parser() -> tuple[lalr.Table, re.Pattern[str]]:
    """The grammar's LALR table (cached when trustworthy) and the scanner for its terminals."""
    grammar = grammar_text()
    name, digest = _cache_name(grammar)
    stored = cache.read(name)
    if stored is not None:
        try:
            entry = marshal.loads(stored)
            table = lalr.Table(*entry["table"])
            if entry["key"] == digest and all(_builds(method) for _, _, method in table.rules):
                return table, re.compile(entry["scanner"])
        except Exception:  # stale, truncated or foreign: rebuild below
            pass
    table, source = _build(grammar)
    cache.write(name, marshal.dumps({"key": digest, "table": tuple(table), "scanner": source}))
    return table, re.compile(source)


def _builds(method: str) -> bool:
    """A rule's method the table may call: one of the builder's public methods (a table
    read from the cache names only those lark checked)."""
    return not method.startswith("_") and callable(getattr(_Builder, method, None))


def _build(grammar: str) -> tuple[lalr.Table, str]:
    """Have lark compute the grammar's table; the terminals give the scanner's pattern."""
    from lark import Lark

    builder = _Builder.__new__(_Builder)  # lark only looks its methods up
    parser = Lark(grammar, transformer=builder, **_LARK_OPTIONS)
    return lark_adapter.parse_table(parser, builder), _scanner_source(parser)


# -- tokens -----------------------------------------------------------------------------------


class _Token(NamedTuple):
    """What lark's parser needs of a token (``type``) and the builder reads.

    A tuple, built in C: lark's own Token (a str subclass made in Python) cost a
    quarter of the tokenizing time. Positions are 1-based as lark's lexer gives them.
    """

    type: str
    value: str
    start_pos: int
    line: int
    column: int


class _Lines(NamedTuple):
    """Statements in a row that open no block, one ``LINES`` token for lark's parser."""

    type: str
    tokens: list[_Token]


#: The characters that end a STMT or start another terminal of the grammar.
_SPECIAL = re.compile(r'[{}"#!\\]')
_LINE_BLANKS = BLANKS.replace("\n", "")


def _tokens(text: str, scanner: re.Pattern[str]) -> Iterator[_Token]:
    """The grammar's tokens, line by line (no terminal spans a line end).

    Most lines are a statement, a brace, or a statement and the brace that ends it; those
    are cut with string methods as the grammar reads them (a STMT starts at the first
    non-blank and runs up to a brace or the line end, its trailing blanks included).
    Other lines go through the scanner. Cutting the common lines by hand halved the
    tokenizing time; tests/test_parser_cache.py compares the stream with lark's lexer.
    """
    make = tuple.__new__
    special, finditer = _SPECIAL.search, scanner.finditer
    line_start = 0
    for number, line in enumerate(text.split("\n"), 1):
        first = special(line)
        if first is None:  # a statement, or nothing
            stmt = line.lstrip(_LINE_BLANKS)
            if stmt:
                start = line_start + len(line) - len(stmt)
                yield make(_Token, ("STMT", stmt, start, number, start - line_start + 1))
        elif line[first.start()] in "{}" and len(line.rstrip(_LINE_BLANKS)) == first.start() + 1:
            brace = first.start()  # the line's one special character, and its last: a brace
            lead = len(line) - len(line.lstrip(_LINE_BLANKS))
            if lead < brace:
                yield make(_Token, ("STMT", line[lead:brace], line_start + lead, number, lead + 1))
            yield make(_Token, ("OPEN" if line[brace] == "{" else "CLOSE", line[brace], line_start + brace, number, brace + 1))
        else:
            for m in finditer(text, line_start, line_start + len(line)):
                kind = m.lastgroup
                if kind is None:  # nothing but ignored text up to the line end
                    break
                value = m[kind]
                if not value:  # _BAD: no terminal matches here
                    raise _unexpected(text, m.end())
                start = m.end() - len(value)
                yield make(_Token, (kind, value, start, number, start - line_start + 1))
        line_start += len(line) + 1


class UnexpectedCharacter(Exception):
    """A character no terminal of the grammar matches (a kalint bug: the STMT terminal
    takes any character keepalived reads; tests/test_parser_cache.py tries them all)."""


def _unexpected(text: str, pos: int) -> Exception:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return UnexpectedCharacter(f"no terminal matches {text[pos:pos + 1]!r} at line {line}, column {column}")


# -- parsing -----------------------------------------------------------------------------------


def parse(expansion: Expansion, problems: Collector | None = None, text: str | None = None) -> Document:
    """Parse ``expansion.text``; syntax problems go to ``problems`` (or the expansion's).

    ``text``: parse this instead, ``expansion.text`` with the lines outside some blocks
    blanked (``kalint.incremental`` re-parses the blocks an edit touched): the nodes get
    the lines and columns they have in the whole text.
    """
    problems = problems if problems is not None else expansion.problems
    builder = _Builder(Document(expansion), problems)
    builder.doc.items = _parse_items(builder, expansion.text if text is None else text)
    builder.doc.use_index(Index(builder.by_keyword))
    return builder.doc


#: Blocks nested deeper than this are skipped (real configs nest five levels): lark
#: builds a block per `{`, and 200 KB of `{` would be 200,000 nested blocks.
MAX_DEPTH = 100


def _too_deep(expansion: Expansion, problems: Collector, token: _Token) -> None:
    problems.add(
        reading.ExpansionBudget,
        expansion.span(token.line, token.column - 1, token.line, token.column),
        f"blocks nested deeper than {MAX_DEPTH} levels: kalint skips what is inside this `{{` and checks the rest",
    )


def _extra_close(expansion: Expansion, problems: Collector, token: _Token) -> None:
    if problems.wants(reading.UnbalancedBraces):
        problems.add(
            reading.UnbalancedBraces,
            expansion.span(token.line, token.column - 1, token.line, token.column),
            "extra `}`: no block is open here (keepalived: \"Extra '}' found\")",
            help="remove this `}` or add the block it was meant to close",
        )


def _feed_lines(feed: Callable[[Any], Any], run: list[_Token], heads_block: bool) -> None:
    """Statements in a row as one LINES token; the last one alone, as the STMT that heads
    the block, when a `{` lark reads follows it."""
    header = run.pop() if heads_block else None
    if run:
        feed(_Lines("LINES", run))
    if header is not None:
        feed(header)


def _parse_items(builder: _Builder, text: str) -> list[Statement]:
    expansion, problems = builder.doc.expansion, builder.problems
    table, scanner = _parser()
    run = lalr.Run(table, builder)
    feed = run.feed
    depth = 0  # blocks open, counted here too: an extra `}` or a too deep `{` never reaches the table
    lines: list[_Token] = []  # statements since the last brace the table read
    for token in _tokens(text, scanner):
        kind = token.type
        if kind == "STMT":
            if depth <= MAX_DEPTH:
                lines.append(token)
            continue
        if kind == "OPEN":
            depth += 1
            if depth > MAX_DEPTH:
                if depth == MAX_DEPTH + 1:
                    _too_deep(expansion, problems, token)
                continue
        else:
            if depth == 0:
                _extra_close(expansion, problems, token)
                continue
            depth -= 1
            if depth >= MAX_DEPTH:
                continue
        if lines:  # a brace the table reads ends the row (one it never sees does not)
            _feed_lines(feed, lines, heads_block=kind == "OPEN")
            lines = []
        feed(token)
    if lines:
        _feed_lines(feed, lines, heads_block=False)
    # Blocks still open at the end: close each where the text ends, as keepalived does
    # (an empty CLOSE value tells the builder the block was never closed).
    last_line = text.count("\n") + 1
    last_column = len(text) - (text.rfind("\n") + 1)
    eof = _Token("CLOSE", "", len(text), last_line, last_column + 1)
    for _ in range(min(depth, MAX_DEPTH)):
        feed(eof)
    result: list[Statement] = run.finish()
    return result
