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
from typing import Any, Protocol

from kalint.diagnostic import Collector, Edit, Fix
from kalint.rules import ka0_reading as reading
from kalint.syntax import cache, lalr, lark_adapter
from kalint.syntax.span import Span
from kalint.syntax.tree import BLANKS, Block, Document, Index, Statement, TextsSeen, read_statement, read_words
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
    """What one ``parse`` call builds, as the scanner reads the text (``statement``,
    ``brace``) and the table reduces it (its public methods: lark checks their names
    when it computes the table).

    Statements are made as their line is read, each pointing to the block open there,
    and a block at its `{`, from the statement before it; the table then only groups
    them into lists. The statements by keyword (``Index``) are collected in file order
    on the way. One builder per parse, so parses in other threads (the language server)
    never see each other's document.
    """

    __slots__ = ("doc", "problems", "by_keyword", "feed", "pending", "depth", "blocks", "inner", "seen", "texts_of")

    #: The methods the table calls, one per rule of the grammar (below); a table read from
    #: the cache that names any other method is not run.
    REDUCTIONS = frozenset({"start", "items", "block", "stray_open"})

    def __init__(self, doc: Document, problems: Collector) -> None:
        self.doc = doc
        self.problems = problems
        self.by_keyword: dict[str, list[Statement]] = {}
        self.feed: Callable[[str, Any], Any] = lambda kind, value: None
        #: Statements read since the last brace the table read.
        self.pending: list[Statement] = []
        #: Braces open, counted here too: an extra `}` or a too deep `{` never reaches the table.
        self.depth = 0
        #: The blocks the table has open, innermost last, and that innermost one (what a
        #: statement read now is in: looked up for every line).
        self.blocks: list[Block] = []
        self.inner: Block | None = None
        self.seen = TextsSeen()
        self.texts_of = self.seen.get

    # -- what the scanner reads ----------------------------------------------------------

    def plain(self, value: str, line: int, column: int) -> None:
        """A STMT token without quotes or backslashes (the scanner knows): one equal to a
        statement read before is made here, sharing its texts, without the general path's
        checks (most lines of a large config; docs/performance.md)."""
        text = value.rstrip(BLANKS)
        texts = self.texts_of(text)
        if texts is None or self.depth > MAX_DEPTH:
            self.statement(value, line, column)
            return
        stmt = Statement(self.doc, line, column, column + len(text), texts, None, self.inner)
        self.by_keyword[texts[0]].append(stmt)  # a known text: its keyword is indexed
        self.pending.append(stmt)

    def statement(self, value: str, line: int, column: int) -> None:
        """A STMT token (``column`` 0-based)."""
        if self.depth > MAX_DEPTH:
            return
        doc = self.doc
        text = value.rstrip(BLANKS)
        stmt, unmatched = read_statement(doc, text, line, column, self.inner, self.seen)
        if unmatched is not None:
            self.problems.add(
                reading.UnmatchedQuote,
                doc.expansion.span(line, unmatched, line, column + len(text)),
                "unmatched quote: keepalived drops the rest of the line from here",
                help='close the string with `"`',
            )
        by_keyword = self.by_keyword
        same = by_keyword.get(stmt.keyword)
        if same is None:
            by_keyword[stmt.keyword] = [stmt]
        else:
            same.append(stmt)
        self.pending.append(stmt)

    def brace(self, opening: bool, line: int, column: int) -> None:
        """A `{` or `}` (``column`` 0-based): the table reads it, unless it is an extra
        `}` or nested too deep; a `{` opens a block headed by the statement before it."""
        if opening:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                if self.depth == MAX_DEPTH + 1:
                    _too_deep(self.doc.expansion, self.problems, line, column)
                return
            pending = self.pending
            header = pending.pop() if pending else None
            if header is None:
                self._open(None, line, column)
            else:  # in the index, the block takes the place of its header, the last statement read
                self.by_keyword[header.keyword].pop()
                self._open((header.line, header.column, header.texts, header._words), line, column)
            return
        if self.depth == 0:
            _extra_close(self.doc.expansion, self.problems, line, column)
            return
        self.depth -= 1
        if self.depth >= MAX_DEPTH:
            return
        self._flush()
        self.feed("CLOSE", (line, column))
        blocks = self.blocks
        blocks.pop()
        self.inner = blocks[-1] if blocks else None

    def headed(self, value: str, line: int, column: int, at: int) -> None:
        """A STMT token without quotes or backslashes and the `{` at ``at`` on its line
        (most block headers): the block is made from the header's words, without the
        statement ``plain`` and ``brace`` would make first and then drop."""
        if self.depth >= MAX_DEPTH:
            self.plain(value, line, column)
            self.brace(True, line, at)
            return
        self.depth += 1
        text = value.rstrip(BLANKS)
        texts = self.texts_of(text)
        if texts is None:  # (as in ``plain``: a known text skips the general path's checks)
            texts, words, _, _ = read_words(self.doc, text, line, column, self.seen)
            self._open((line, column, texts, words), line, at)
        else:
            self._open((line, column, texts, None), line, at)

    def _open(self, header: tuple[int, int, tuple[str, ...], Any] | None, line: int, column: int) -> None:
        """A block headed by ``header`` (see ``Block``) or by nothing, its `{` at ``line``,
        ``column``: the table reads the statements before it, then the block."""
        self._flush()  # the run before the header
        block = Block(self.doc, header, (line, column), self.inner)
        same = self.by_keyword.get(block.keyword)
        if same is None:
            self.by_keyword[block.keyword] = [block]
        else:
            same.append(block)
        if header is not None:
            self.feed("STMT", block)
        self.blocks.append(block)
        self.inner = block
        self.feed("OPEN", block)

    def end(self) -> None:
        """The end of the text: blocks still open are closed where it ends, as keepalived
        does (a CLOSE without a position tells ``block`` the block was never closed)."""
        self._flush()
        for _ in self.blocks:
            self.feed("CLOSE", None)
        self.blocks.clear()
        self.inner = None

    def _flush(self) -> None:
        """The statements read since the last brace, as one LINES token."""
        if self.pending:
            self.feed("LINES", self.pending)
            self.pending = []

    # -- what the table reduces ----------------------------------------------------------

    def start(self, children: list[list[Statement]]) -> list[Statement]:
        return children[0]

    def items(self, children: list[Any]) -> list[Statement]:
        if not children:
            return []
        item = children[1]
        if type(item) is list:  # LINES: the statements of a run
            children[0] += item
        else:
            children[0].append(item)
        return children[0]

    def block(self, children: list[Any]) -> Block:
        return self._close(children[1], children[2], children[3], headed=True)

    def stray_open(self, children: list[Any]) -> Block:
        block = self._close(children[0], children[1], children[2], headed=False)
        if not self.problems.wants(reading.StrayBrace):
            return block
        self.problems.add(
            reading.StrayBrace,
            self.doc.expansion.span(block.open_line, block.open_column, block.open_line, block.open_column + 1),
            "`{` follows no keyword: keepalived ignores it, so the `}` that closes it "
            "closes the enclosing block instead",
            help="remove the braces, or put the block's keyword before `{`",
        )
        return block

    def _close(self, block: Block, children: list[Statement], closing: tuple[int, int] | None, headed: bool) -> Block:
        block.close(children, closing)
        if closing is None and self.problems.wants(reading.UnbalancedBraces):
            what = f"`{block.keyword}` block" if headed and block.texts else "block"
            self.problems.add(
                reading.UnbalancedBraces,
                block.header_span,
                f"{what} opened here is never closed: keepalived reports a missing `}}` at the end of the file",
                help="add the missing `}`",
                fix=self._close_at_end(block, what) if headed else None,
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
    """A rule's method the table may call: one of the builder's reductions (a table read
    from the cache names only those lark checked)."""
    return method in _Builder.REDUCTIONS


def _build(grammar: str) -> tuple[lalr.Table, str]:
    """Have lark compute the grammar's table; the terminals give the scanner's pattern."""
    from lark import Lark

    builder = _Builder.__new__(_Builder)  # lark only looks its methods up
    parser = Lark(grammar, transformer=builder, **_LARK_OPTIONS)
    return lark_adapter.parse_table(parser, builder), _scanner_source(parser)


# -- tokens -----------------------------------------------------------------------------------


class _Sink(Protocol):
    def statement(self, value: str, line: int, column: int) -> None: ...

    def plain(self, value: str, line: int, column: int) -> None: ...

    def brace(self, opening: bool, line: int, column: int) -> None: ...

    def headed(self, value: str, line: int, column: int, at: int) -> None: ...


#: The characters that end a STMT or start another terminal of the grammar.
_SPECIAL = re.compile(r'[{}"#!\\]')
_LINE_BLANKS = BLANKS.replace("\n", "")
#: The text is split into lines this many characters at a time: a 100 MB config's lines,
#: all at once, took a third as much memory again as its tree.
_CHUNK = 1 << 20


def _scan(text: str, scanner: re.Pattern[str], sink: _Sink, first_line: int = 1) -> None:
    """Hand ``sink`` the grammar's tokens in order, line by line (no terminal spans a
    line end): each STMT with its trailing blanks, as lark's lexer cuts it, and each brace.
    ``text`` starts at line ``first_line``.

    Most lines are a statement, a brace, or a statement and the brace that ends it (a
    block's header and `{` go to ``headed`` together); those
    are cut with string methods as the grammar reads them (a STMT starts at the first
    non-blank and runs up to a brace or the line end, its trailing blanks included).
    Other lines go through the scanner. Cutting the common lines by hand halved the
    tokenizing time; tests/test_parser_cache.py compares the tokens with lark's lexer.
    """
    statement, plain, brace, headed = sink.statement, sink.plain, sink.brace, sink.headed
    special, finditer = _SPECIAL.search, scanner.finditer
    number = first_line - 1
    for chunk_start, chunk in _chunks(text):
        line_start = chunk_start
        for line in chunk.split("\n"):
            number += 1
            first = special(line)
            if first is None:  # a statement, or nothing
                stmt = line.lstrip(_LINE_BLANKS)
                if stmt:
                    plain(stmt, number, len(line) - len(stmt))
            elif line[first.start()] in "{}" and len(line.rstrip(_LINE_BLANKS)) == first.start() + 1:
                at = first.start()  # the line's one special character, and its last: a brace
                lead = len(line) - len(line.lstrip(_LINE_BLANKS))
                if lead == at:
                    brace(line[at] == "{", number, at)
                elif line[at] == "{":
                    headed(line[lead:at], number, lead, at)
                else:
                    plain(line[lead:at], number, lead)
                    brace(False, number, at)
            else:
                for m in finditer(text, line_start, line_start + len(line)):
                    kind = m.lastgroup
                    if kind is None:  # nothing but ignored text up to the line end
                        break
                    value = m[kind]
                    if not value:  # _BAD: no terminal matches here
                        raise _unexpected(text, m.end())
                    column = m.end() - len(value) - line_start
                    if kind == "STMT":
                        statement(value, number, column)
                    else:
                        brace(kind == "OPEN", number, column)
            line_start += len(line) + 1


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of about ``_CHUNK`` characters that end at a line end (the
    last one excepted), each with where it starts."""
    start = 0
    while True:
        cut = text.find("\n", start + _CHUNK)
        if cut < 0:
            yield start, text[start:] if start else text
            return
        yield start, text[start:cut]
        start = cut + 1


class UnexpectedCharacter(Exception):
    """A character no terminal of the grammar matches (a kalint bug: the STMT terminal
    takes any character keepalived reads; tests/test_parser_cache.py tries them all)."""


def _unexpected(text: str, pos: int) -> Exception:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return UnexpectedCharacter(f"no terminal matches {text[pos:pos + 1]!r} at line {line}, column {column}")


# -- parsing -----------------------------------------------------------------------------------


def parse(expansion: Expansion, problems: Collector | None = None, text: str | None = None,
          first_line: int = 1) -> Document:
    """Parse ``expansion.text``; syntax problems go to ``problems`` (or the expansion's).

    ``text``: parse this instead, the lines of ``expansion.text`` from ``first_line`` on
    with those outside some blocks blanked (``kalint.incremental`` re-parses the blocks
    an edit touched): the nodes get the lines and columns they have in the whole text.
    """
    problems = problems if problems is not None else expansion.problems
    builder = _Builder(Document(expansion), problems)
    table, scanner = _parser()
    run = lalr.Run(table, builder)
    builder.feed = run.feed
    _scan(expansion.text if text is None else text, scanner, builder, first_line)
    builder.end()
    builder.doc.items = run.finish()
    builder.doc.use_index(Index(builder.by_keyword))
    return builder.doc


#: Blocks nested deeper than this are skipped (real configs nest five levels): lark
#: builds a block per `{`, and 200 KB of `{` would be 200,000 nested blocks.
MAX_DEPTH = 100


def _too_deep(expansion: Expansion, problems: Collector, line: int, column: int) -> None:
    problems.add(
        reading.ExpansionBudget,
        expansion.span(line, column, line, column + 1),
        f"blocks nested deeper than {MAX_DEPTH} levels: kalint skips what is inside this `{{` and checks the rest",
    )


def _extra_close(expansion: Expansion, problems: Collector, line: int, column: int) -> None:
    if problems.wants(reading.UnbalancedBraces):
        problems.add(
            reading.UnbalancedBraces,
            expansion.span(line, column, line, column + 1),
            "extra `}`: no block is open here (keepalived: \"Extra '}' found\")",
            help="remove this `}` or add the block it was meant to close",
        )
