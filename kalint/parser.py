"""Parse expanded config text with the lark grammar into a ``kalint.tree.Document``.

The grammar (``grammar/keepalived.lark``) is LALR with coarse tokens; a transformer
builds tree nodes while lark reduces, so no intermediate parse tree exists. Brace errors
are recovered from the way keepalived counts them: an extra ``}`` is reported and
skipped, blocks still open at the end of the input are reported and closed there.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from kalint.diagnostic import Collector
from kalint.expand import Expansion
from kalint.tree import BLANKS, Block, Document, Node, Statement, split_words


@lru_cache(maxsize=1)
def grammar_text() -> str:
    return resources.files("kalint.grammar").joinpath("keepalived.lark").read_text(encoding="utf-8")


class _Dispatch:
    """The transformer lark is built with; it forwards to the current document's builder.

    lark compiles its callback table once per Lark instance, and building the instance
    is the expensive part, so one instance serves every document of the process.
    """

    def __init__(self) -> None:
        self.builder: _Builder | None = None

    def statement(self, children: list[Any]) -> Statement:
        return self.builder.statement(children)  # type: ignore[union-attr]

    def block(self, children: list[Any]) -> Block:
        return self.builder.block(children)  # type: ignore[union-attr]

    def stray_open(self, children: list[Any]) -> Block:
        return self.builder.stray_open(children)  # type: ignore[union-attr]

    def start(self, children: list[Statement]) -> list[Statement]:
        return children


_dispatch = _Dispatch()


@lru_cache(maxsize=1)
def _lark() -> Any:
    from lark import Lark

    return Lark(grammar_text(), parser="lalr", lexer="basic", transformer=_dispatch, maybe_placeholders=False)


class _Builder:
    """Transformer callbacks: lark calls them on every reduction."""

    def __init__(self, doc: Document, problems: Collector) -> None:
        self.doc = doc
        self.problems = problems

    def _brace(self, token: Any) -> Node:
        return Node(self.doc, token.line, token.column - 1, token.line, token.column)

    def statement(self, children: list[Any]) -> Statement:
        token = children[0]
        line, column = token.line, token.column - 1
        text = str(token).rstrip(BLANKS)
        words, unmatched = split_words(self.doc, text, line, column)
        if unmatched is not None:
            self.problems.add(
                "KA003",
                self.doc.expansion.span(line, unmatched, line, column + len(text)),
                "unmatched quote: keepalived drops the rest of the line from here",
                help='close the string with `"`',
            )
        end = words[-1].end_column if words else column + len(text)
        return Statement(self.doc, line, column, end, words)

    def block(self, children: list[Any]) -> Block:
        header = self.statement(children[:1])
        return self._make_block(header, children[1], children[2:-1], children[-1])

    def stray_open(self, children: list[Any]) -> Block:
        opening = children[0]
        block = self._make_block(None, opening, children[1:-1], children[-1])
        self.problems.add(
            "KA002",
            self.doc.expansion.span(opening.line, opening.column - 1, opening.line, opening.column),
            "`{` follows no keyword: keepalived ignores it, so the `}` that closes it "
            "closes the enclosing block instead",
            help="remove the braces, or put the block's keyword before `{`",
        )
        return block

    def _make_block(self, header: Statement | None, opening: Any, body: list[Statement], closing: Any) -> Block:
        close_node = self._brace(closing) if str(closing) == "}" else None
        block = Block(self.doc, header, self._brace(opening), body, close_node)
        if close_node is None:
            what = f"`{header.keyword}` block" if header is not None and header.words else "block"
            self.problems.add(
                "KA001",
                block.header_span,
                f"{what} opened here is never closed: keepalived reports a missing `}}` at the end of the file",
                help="add the missing `}`",
            )
        return block



def parse(expansion: Expansion, problems: Collector | None = None) -> Document:
    """Parse ``expansion.text``; syntax problems go to ``problems`` (or the expansion's)."""
    from lark import Token
    from lark.exceptions import UnexpectedToken

    problems = problems if problems is not None else expansion.problems
    doc = Document(expansion)
    builder = _Builder(doc, problems)
    lark = _lark()
    _dispatch.builder = builder
    parser = lark.parse_interactive(expansion.text)

    last_line = expansion.text.count("\n") + 1
    last_column = len(expansion.text) - (expansion.text.rfind("\n") + 1)
    while True:
        try:
            doc.items = parser.resume_parse()
            break
        except UnexpectedToken as error:
            token = error.token
            if token.type == "CLOSE":
                problems.add(
                    "KA001",
                    expansion.span(token.line, token.column - 1, token.line, token.column),
                    "extra `}`: no block is open here (keepalived: \"Extra '}' found\")",
                    help="remove this `}` or add the block it was meant to close",
                )
                parser = error.interactive_parser
                continue
            if token.type == "$END":
                parser = error.interactive_parser
                eof = Token("CLOSE", "", line=last_line, column=last_column + 1)
                # Every `{` still on the stack is an unclosed block: close each once.
                # (``accepts()`` copies the whole stack per call: quadratic when deep.)
                unclosed = sum(
                    1 for value in parser.parser_state.value_stack
                    if isinstance(value, Token) and value.type == "OPEN"
                )
                for _ in range(unclosed):
                    parser.feed_token(eof)
                doc.items = parser.feed_eof(eof)
                break
            raise
    return doc
