"""The positioned syntax tree: statements and blocks of words, as keepalived splits them.

Nodes keep positions in the expanded text (see ``kalint.text.expand``) and turn them into
real file spans only when asked, because most nodes never appear in a diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kalint.syntax.span import Span

if TYPE_CHECKING:
    from kalint.text.expand import Expansion

# alloc_strvec_r: a word that starts with `"` runs to the next `"`; a `"` inside a
# word ends that word; `\#` and `\!` are literal outside quotes. Only ASCII blanks
# separate words: a no-break space (bytes >= 0x80) is a word character to keepalived.
BLANKS = " \t\f\v\r\n"
_WORD = re.compile(r'"([^"]*)"|(")|((?:[^ \t\f\v\r\n"\\]|\\[^\n]?)+)')
#: Most statements hold neither quotes nor backslashes: their words are blank-separated.
_PLAIN_WORD = re.compile(r"[^ \t\f\v\r\n]+")


class Node:
    """Anything with a position; lines 1-based, columns 0-based and end-exclusive."""

    __slots__ = ("doc", "line", "column", "end_line", "end_column")

    def __init__(self, doc: Document, line: int, column: int, end_line: int, end_column: int) -> None:
        self.doc = doc
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    @property
    def span(self) -> Span:
        return self.doc.expansion.span(self.line, self.column, self.end_line, self.end_column)


class Word(Node):
    """One word of a statement; ``text`` has quotes and ``\\#`` escapes removed."""

    __slots__ = ("text", "quoted")

    def __init__(self, doc: Document, line: int, column: int, end_column: int, text: str, quoted: bool) -> None:
        # Node's fields set inline: a 130k-line config makes about 400k words.
        self.doc = doc
        self.line = self.end_line = line
        self.column = column
        self.end_column = end_column
        self.text = text
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


class Statement(Node):
    """``keyword arg arg ...`` up to the end of the line, a brace or a comment.

    ``keyword`` is the first word's text ("" for none), stored because the model and
    every rule that walks statements compare it again and again; ``words`` is never
    reassigned after construction.
    """

    __slots__ = ("words", "parent", "keyword")

    def __init__(self, doc: Document, line: int, column: int, end_column: int, words: list[Word]) -> None:
        self.doc = doc
        self.line = self.end_line = line
        self.column = column
        self.end_column = end_column
        self.words = words
        self.keyword = words[0].text if words else ""
        self.parent: Block | None = None

    @property
    def args(self) -> list[Word]:
        return self.words[1:]

    def arg_texts(self) -> list[str]:
        return [w.text for w in self.words[1:]]

    @property
    def header_span(self) -> Span:
        """The statement's own line (for a block: its keyword line, not the body)."""
        return self.doc.expansion.span(self.line, self.column, self.line, self.header_end_column)

    @property
    def header_end_column(self) -> int:
        return self.words[-1].end_column if self.words else self.column + 1

    def path(self) -> list[str]:
        """Keywords of the enclosing blocks, outermost first, then this one."""
        names = []
        node: Statement | None = self
        while node is not None:
            names.append(node.keyword)
            node = node.parent
        return names[::-1]

    def __repr__(self) -> str:
        return f"Statement({' '.join(w.text for w in self.words)!r})"


class Block(Statement):
    """``keyword args { ... }``; ``words`` is empty for a stray ``{`` with no keyword.

    The braces are kept as positions, and made nodes when asked for: a 130k-line config
    has 32k blocks, and two nodes each were 7% of a lint's memory.
    """

    __slots__ = ("children", "open_line", "open_column", "closed")

    def __init__(
        self,
        doc: Document,
        header: Statement | None,
        opening: tuple[int, int],
        children: list[Statement],
        closing: tuple[int, int] | None,
    ) -> None:
        """``opening``/``closing``: (line, column) of the braces; ``closing`` None for a
        block never closed (kalint closed it at the end of the file)."""
        open_line, open_column = opening
        if header is not None:
            Statement.__init__(self, doc, header.line, header.column, header.end_column, header.words)
        else:
            Statement.__init__(self, doc, open_line, open_column, open_column + 1, [])
        if closing is not None:
            self.end_line, self.end_column = closing[0], closing[1] + 1
        elif children:
            self.end_line, self.end_column = children[-1].end_line, children[-1].end_column
        else:
            self.end_line, self.end_column = open_line, open_column + 1
        self.children = children
        self.open_line = open_line
        self.open_column = open_column
        self.closed = closing is not None
        for child in children:
            child.parent = self

    @property
    def open_brace(self) -> Node:
        return Node(self.doc, self.open_line, self.open_column, self.open_line, self.open_column + 1)

    @property
    def close_brace(self) -> Node | None:
        """The `}` that closes the block: its last character (None: never closed)."""
        if not self.closed:
            return None
        return Node(self.doc, self.end_line, self.end_column - 1, self.end_line, self.end_column)

    @property
    def header_end_column(self) -> int:
        if self.words:
            return self.words[-1].end_column
        if self.open_line == self.line:
            return self.open_column + 1
        return self.column + 1  # a header without words (an unmatched quote) on a line of its own

    def find(self, keyword: str) -> Iterator[Statement]:
        for child in self.children:
            if child.keyword == keyword:
                yield child

    def first(self, keyword: str) -> Statement | None:
        return next(self.find(keyword), None)

    def __repr__(self) -> str:
        return f"Block({' '.join(w.text for w in self.words)!r}, {len(self.children)} children)"


class Index:
    """Every statement and block of a document by keyword and by keyword path
    (``"vrrp_instance.track_script.weight"``, as ``".".join(stmt.path())``), each list
    in file order: rules that look for a few keywords anywhere read a dict entry instead
    of each walking the whole tree (a walk of a 130k-line config costs about 25 ms).

    The parser collects ``by_keyword`` while it builds the tree (``Document.use_index``);
    a document put together otherwise builds it in one walk on first use. A path's list
    is found when first asked for, among the statements with its last keyword.
    """

    __slots__ = ("by_keyword", "_paths", "_blocks")

    #: keepalived's deepest keyword path has 5 levels; statements nested deeper are indexed
    #: by keyword only, so that 50,000 nested braces do not build quadratic path strings.
    MAX_PATH_DEPTH = 8

    def __init__(self, by_keyword: dict[str, list[Statement]]) -> None:
        self.by_keyword = by_keyword
        self._paths: dict[str, list[Statement]] = {}
        #: id of a block -> (its path, None past MAX_PATH_DEPTH; its depth, 1 at the top)
        self._blocks: dict[int, tuple[str | None, int]] = {}

    @classmethod
    def of(cls, items: list[Statement]) -> Index:
        """The index of a tree, in one walk."""
        by_keyword: dict[str, list[Statement]] = {}
        stack: list[Iterator[Statement]] = [iter(items)]
        while stack:
            for node in stack[-1]:
                by_keyword.setdefault(node.keyword, []).append(node)
                if isinstance(node, Block):
                    stack.append(iter(node.children))
                    break
            else:
                stack.pop()
        return cls(by_keyword)

    def keyword(self, keyword: str) -> list[Statement]:
        return self.by_keyword.get(keyword, [])

    def path(self, path: str) -> list[Statement]:
        found = self._paths.get(path)
        if found is None:
            found = self._paths[path] = self._find(path)
        return found

    def _find(self, path: str) -> list[Statement]:
        # A statement at ``path`` has the whole path or what follows one of its dots as
        # its keyword (keywords may hold dots: `192.0.2.1/24` in an address list), and
        # its parent the rest.
        found: list[Statement] = []
        keywords = 0
        dots = [-1]  # where the path may split (str.split, not a Python loop over every character)
        for part in path.split(".")[:-1]:
            dots.append(dots[-1] + len(part) + 1)
        for at in dots:
            prefix = path[:at] if at >= 0 else None
            matches = [s for s in self.by_keyword.get(path[at + 1:], ()) if self._inside(s.parent) == prefix]
            if matches:
                found.extend(matches)
                keywords += 1
        if keywords > 1:  # back to file order
            found.sort(key=lambda s: (s.line, s.column))
        return found

    def _inside(self, parent: Block | None) -> str | None | bool:
        """The path of the lines inside ``parent``: None at the top, False (equal to no
        path) when they are nested deeper than ``MAX_PATH_DEPTH``."""
        if parent is None:
            return None
        known = self._blocks.get(id(parent))
        path, depth = known if known is not None else self._block(parent)
        return path if depth < self.MAX_PATH_DEPTH and path is not None else False

    def _block(self, block: Block) -> tuple[str | None, int]:
        """A block's path and depth, from the nearest ancestor already known."""
        blocks = self._blocks
        chain: list[Block] = []
        node: Block | None = block
        while node is not None and id(node) not in blocks:
            chain.append(node)
            node = node.parent
        path, depth = blocks[id(node)] if node is not None else (None, 0)
        for link in reversed(chain):
            depth += 1
            if depth > self.MAX_PATH_DEPTH:
                path = None
            else:
                path = link.keyword if depth == 1 else f"{path}.{link.keyword}"
            blocks[id(link)] = (path, depth)
        return blocks[id(block)]


class Document:
    """A parsed config: top-level statements and blocks, and the expansion behind them."""

    __slots__ = ("expansion", "items", "_index")

    def __init__(self, expansion: Expansion) -> None:
        self.expansion = expansion
        self.items: list[Statement] = []
        self._index: Index | None = None

    def index(self) -> Index:
        """The statements by keyword and by path, built once (see ``Index``)."""
        if self._index is None:
            self._index = Index.of(self.items)
        return self._index

    def use_index(self, index: Index) -> None:
        """Take the index the parser collected while building ``items`` (all of them)."""
        self._index = index

    @property
    def path(self) -> str:
        return self.expansion.main.path

    def walk(self) -> Iterator[Statement]:
        """Every statement and block, depth first, in file order (no recursion limit)."""
        stack: list[Iterator[Statement]] = [iter(self.items)]
        while stack:
            for node in stack[-1]:
                yield node
                if isinstance(node, Block):
                    stack.append(iter(node.children))
                    break
            else:
                stack.pop()


def split_words(doc: Document, text: str, line: int, column: int) -> tuple[list[Word], int | None]:
    """Words of a STMT token; also the column of an unmatched quote, if any."""
    if '"' not in text and "\\" not in text:
        parts = text.split(" ")
        # Printable text has no blank but " " (whatever counts as blank); without an
        # empty part every blank is a single space, so columns add up without a regex.
        if text.isprintable() and "" not in parts:
            spaced: list[Word] = []
            start = column
            for part in parts:
                end = start + len(part)
                spaced.append(Word(doc, line, start, end, part, False))
                start = end + 1
            return spaced, None
        return [Word(doc, line, column + m.start(), column + m.end(), m.group(), False)
                for m in _PLAIN_WORD.finditer(text)], None
    words: list[Word] = []
    unmatched: int | None = None
    for m in _WORD.finditer(text):
        quoted_text, lone_quote, plain = m.groups()
        if lone_quote is not None:
            unmatched = column + m.start()
            break
        start = column + m.start()
        end = column + m.end()
        if quoted_text is not None:
            words.append(Word(doc, line, start, end, quoted_text, True))
        else:
            if "\\" in plain:
                plain = plain.replace("\\#", "#").replace("\\!", "!")
            words.append(Word(doc, line, start, end, plain, False))
    return words, unmatched
