"""The positioned syntax tree: statements and blocks of words, as keepalived splits them.

Nodes keep positions in the expanded text (see ``kalint.text.expand``) and turn them into
real file spans only when asked, because most nodes never appear in a diagnostic.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from sys import intern
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

    __slots__ = ()
    if TYPE_CHECKING:  # each kind of node keeps them its own way
        doc: Document
        column: int
        end_column: int

        @property
        def line(self) -> int: ...

    @property
    def end_line(self) -> int:
        return self.line

    @property
    def span(self) -> Span:
        return self.doc.expansion.span(self.line, self.column, self.end_line, self.end_column)


class Mark(Node):
    """A position and nothing else: a brace, a statement's header."""

    __slots__ = ("doc", "line", "column", "end_column")
    line: int  # a slot here, settable; Node only promises to read it

    def __init__(self, doc: Document, line: int, column: int, end_column: int) -> None:
        self.doc = doc
        self.line = line
        self.column = column
        self.end_column = end_column


class Word(Node):
    """One word of a statement; ``text`` has quotes and ``\\#`` escapes removed."""

    __slots__ = ("doc", "line", "column", "end_column", "text", "quoted")
    line: int  # a slot here, as in Mark

    def __init__(self, doc: Document, line: int, column: int, end_column: int, text: str, quoted: bool) -> None:
        self.doc = doc
        self.line = line
        self.column = column
        self.end_column = end_column
        self.text = text
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


class Statement(Node):
    """``keyword arg arg ...`` up to the end of the line, a brace or a comment.

    ``texts`` are the words' texts and ``keyword`` the first one ("" for none), stored
    because the model and every rule compare them again and again. The words as nodes
    (``words``) are made when first asked for: a clean lint of a large config reads the
    texts of nearly every line and the positions of almost none, and 190k words were a
    sixth of the memory of a 130k-line config. Neither is reassigned after construction.

    A statement in a block keeps its line as the distance from the block's (``_line``):
    a line number above 256 is an object of its own (32 bytes) and a distance seldom is.
    A line number per line was a sixth of a large config's tree.
    """

    __slots__ = ("doc", "_line", "column", "end_column", "texts", "keyword", "parent", "_words")
    _line: int  # the line itself at the top (and in a Block), else the distance from the parent's

    def __init__(
        self,
        doc: Document,
        line: int,
        column: int,
        end_column: int,
        texts: tuple[str, ...],
        words: list[Word] | tuple[int, ...] | None = None,
        parent: Block | None = None,
    ) -> None:
        """``words``: the word nodes made already, or their columns, or None when one
        space separates them from ``column`` on."""
        self.doc = doc
        self._line = line if parent is None else line - parent._line
        self.column = column
        self.end_column = end_column
        self.texts = texts
        self.keyword = texts[0] if texts else ""
        self.parent = parent
        #: the word nodes once made; until then their columns, or None (single spaces)
        self._words = words

    @property
    def line(self) -> int:
        parent = self.parent
        return self._line if parent is None else parent._line + self._line

    @property
    def words(self) -> list[Word]:
        words = self._words
        if not isinstance(words, list):
            words = self._words = self._make_words(words)
        return words

    def _make_words(self, starts: tuple[int, ...] | None) -> list[Word]:
        doc, line = self.doc, self.line
        words: list[Word] = []
        if starts is None:
            start = self.column
            for text in self.texts:
                end = start + len(text)
                words.append(Word(doc, line, start, end, text, False))
                start = end + 1
        else:
            for text, start in zip(self.texts, starts):
                words.append(Word(doc, line, start, start + len(text), text, False))
        return words

    @property
    def args(self) -> list[Word]:
        return self.words[1:]

    def arg_texts(self) -> tuple[str, ...]:
        return self.texts[1:]

    @property
    def header_span(self) -> Span:
        """The statement's own line (for a block: its keyword line, not the body)."""
        return self.doc.expansion.span(self.line, self.column, self.line, self.header_end_column)

    @property
    def header_end_column(self) -> int:
        return self.end_column if self.texts else self.column + 1

    def path(self) -> list[str]:
        """Keywords of the enclosing blocks, outermost first, then this one."""
        names = []
        node: Statement | None = self
        while node is not None:
            names.append(node.keyword)
            node = node.parent
        return names[::-1]

    def __repr__(self) -> str:
        return f"Statement({' '.join(self.texts)!r})"


class Block(Statement):
    """``keyword args { ... }``; no words for a stray ``{`` with no keyword.

    Made at its `{` (so the statements inside can point to it as they are read) and
    completed at its `}` (``close``). The braces are kept as positions, and made nodes
    when asked for: a 130k-line config has 32k blocks, and two nodes each were 7% of a
    lint's memory. A block keeps its own line (``_line``) whole, the lines of its braces
    as distances from it.
    """

    __slots__ = ("_end_lines", "children", "_braces", "open_column", "_index_pair")

    def __init__(
        self,
        doc: Document,
        header: tuple[int, int, tuple[str, ...], list[Word] | tuple[int, ...] | None] | None,
        opening: tuple[int, int],
        parent: Block | None,
    ) -> None:
        """``header``: (line, column, texts, words) of the statement before the `{` (as
        ``Statement`` takes them), None for a stray `{`; ``opening``: (line, column) of
        the `{`."""
        open_line, open_column = opening
        if header is not None:
            line, column, texts, words = header
        else:
            line, column, texts, words = open_line, open_column, (), []
        Statement.__init__(self, doc, line, column, open_column + 1, texts, words)  # no parent: its line whole
        self.parent = parent
        self._end_lines = open_line - line
        #: the `{`'s distance from the block's line, twice, plus 1 once the block is closed
        #: (one small integer for two fields: a 100 MB config has 1.3 million blocks)
        self._braces = 2 * (open_line - line)
        self.children: tuple[Statement, ...] = ()
        self.open_column = open_column
        #: (keyword path, depth) of the block, set by the first ``Index`` that needs it:
        #: it depends on the block's ancestors alone, which never change (a dict by
        #: block in the index was 3 MiB for a 4 MB config's 51k blocks).
        self._index_pair: tuple[str | None, int] | None = None

    @property
    def line(self) -> int:
        return self._line

    @property
    def end_line(self) -> int:
        """The line of the block's `}` (of its last statement if it was never closed)."""
        return self._line + self._end_lines

    @property
    def open_line(self) -> int:
        return self._line + (self._braces >> 1)

    @property
    def closed(self) -> bool:
        """Whether a `}` closes the block (False: kalint closed it at the end of the file)."""
        return bool(self._braces & 1)

    def close(self, children: list[Statement], closing: tuple[int, int] | None) -> None:
        """The block's statements, and (line, column) of its `}` (None: never closed,
        kalint closed it at the end of the file). Kept as a tuple: a list built by appends
        carries spare room, and blocks are a quarter of a large config's statements."""
        self.children = tuple(children)
        if closing is not None:
            self._end_lines, self.end_column = closing[0] - self._line, closing[1] + 1
            self._braces |= 1
        elif children:
            last = children[-1]
            self._end_lines, self.end_column = last.end_line - self._line, last.end_column

    @property
    def open_brace(self) -> Node:
        return Mark(self.doc, self.open_line, self.open_column, self.open_column + 1)

    @property
    def close_brace(self) -> Node | None:
        """The `}` that closes the block: its last character (None: never closed)."""
        if not self.closed:
            return None
        return Mark(self.doc, self.end_line, self.end_column - 1, self.end_column)

    @property
    def header_end_column(self) -> int:
        """Where the header's last word ends, worked out from the words as the header kept
        them (not stored: a slot per block)."""
        texts, words = self.texts, self._words
        if not texts:  # a stray `{`, or a header without words (an unmatched quote)
            return self.open_column + 1 if self._braces >> 1 == 0 else self.column + 1
        if words is None:  # single spaces between the words
            return self.column + sum(map(len, texts)) + len(texts) - 1
        if isinstance(words, list):
            return words[-1].end_column
        return words[-1] + len(texts[-1])

    def find(self, keyword: str) -> Iterator[Statement]:
        for child in self.children:
            if child.keyword == keyword:
                yield child

    def first(self, keyword: str) -> Statement | None:
        for child in self.children:  # not next(self.find(...)): rules ask this of every block
            if child.keyword == keyword:
                return child
        return None

    def __repr__(self) -> str:
        return f"Block({' '.join(self.texts)!r}, {len(self.children)} children)"


class Index:
    """Every statement and block of a document by keyword and by keyword path
    (``"vrrp_instance.track_script.weight"``, as ``".".join(stmt.path())``), each list
    in file order: rules that look for a few keywords anywhere read a dict entry instead
    of each walking the whole tree (a walk of a 130k-line config costs about 25 ms).

    The parser collects ``by_keyword`` while it builds the tree (``Document.use_index``);
    a document put together otherwise builds it in one walk on first use. A path's list
    is found when first asked for, among the statements with its last keyword.
    """

    __slots__ = ("by_keyword", "_paths", "_pairs")

    #: keepalived's deepest keyword path has 5 levels; statements nested deeper are indexed
    #: by keyword only, so that 50,000 nested braces do not build quadratic path strings.
    MAX_PATH_DEPTH = 8

    def __init__(self, by_keyword: dict[str, list[Statement]]) -> None:
        self.by_keyword = by_keyword
        self._paths: dict[str, list[Statement]] = {}
        #: A block's pair is (its path, None past MAX_PATH_DEPTH; its depth, 1 at the top),
        #: kept on the block (``Block._index_pair``). (a block's pair, a keyword) -> the
        #: pair of a block with that keyword inside it: blocks at one path share one pair
        #: (a 130k-line config has 32k blocks at a few dozen paths; a pair and a path
        #: string each were 2 MiB).
        self._pairs: dict[tuple[tuple[str | None, int] | None, str], tuple[str | None, int]] = {}

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

    def spliced(self, first: int, last: int, removed: Iterable[Statement], inserted: Index) -> Index:
        """This index with the statements on lines ``first``..``last`` (the whole top-level
        items ``removed``) replaced by those of ``inserted``: the index of a document the
        language server put together from the previous one's items and a part parsed
        again, without walking all of it. Only the lists of keywords found in ``removed``
        or ``inserted`` change (each stays in file order: the replaced lines are one
        stretch, and what replaces them lies on it); the others are this index's own
        lists, shared (no one changes an index's lists once it is made)."""
        touched = set(inserted.by_keyword)
        stack = list(removed)
        while stack:
            node = stack.pop()
            touched.add(node.keyword)
            if isinstance(node, Block):
                stack.extend(node.children)
        by_keyword = dict(self.by_keyword)
        for keyword in touched:
            nodes = by_keyword.pop(keyword, [])
            lo = bisect_left(nodes, first, key=_line_of)
            hi = bisect_right(nodes, last, lo, key=_line_of)
            nodes = nodes[:lo] + inserted.by_keyword.get(keyword, []) + nodes[hi:]
            if nodes:
                by_keyword[keyword] = nodes
        return Index(by_keyword)

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
        known = parent._index_pair
        path, depth = known if known is not None else self._block(parent)
        return path if depth < self.MAX_PATH_DEPTH and path is not None else False

    def _block(self, block: Block) -> tuple[str | None, int]:
        """A block's path and depth, from the nearest ancestor already known."""
        pairs = self._pairs
        chain: list[Block] = []
        node: Block | None = block
        while node is not None and node._index_pair is None:
            chain.append(node)
            node = node.parent
        pair = node._index_pair if node is not None else None
        for link in reversed(chain):
            key = (pair, link.keyword)
            inner = pairs.get(key)
            if inner is None:
                path, depth = pair if pair is not None else (None, 0)
                depth += 1
                if depth > self.MAX_PATH_DEPTH:
                    path = None
                else:
                    path = link.keyword if depth == 1 else f"{path}.{link.keyword}"
                inner = pairs[key] = (path, depth)
            link._index_pair = pair = inner
        assert pair is not None  # the chain held ``block`` itself, last
        return pair


def _line_of(node: Statement) -> int:
    return node.line


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


#: How many statement texts a ``TextsSeen`` keeps before it starts again.
TEXTS_SEEN_MAX = 4096


class TextsSeen(dict[str, tuple[str, ...]]):
    """The texts of plain statements read lately, by the statement's text: equal
    statements share one tuple of texts (and its strings).

    Large configs are mostly the same lines again (`weight 1`, `connect_timeout 3`, one
    `interface` for many instances): in a 130k-line generated config 78% of the
    statements repeat one of the 4096 distinct ones read before them. Sharing their
    texts saves a tuple and the argument strings per repeated line, and the splitting.
    The dict starts again when full, so a config of distinct lines keeps at most
    ``TEXTS_SEEN_MAX`` texts it would not have kept.
    """

    __slots__ = ()

    def remember(self, text: str, texts: tuple[str, ...]) -> None:
        if len(self) >= TEXTS_SEEN_MAX:
            self.clear()
        self[text] = texts


def read_statement(
    doc: Document, text: str, line: int, column: int, parent: Block | None = None,
    seen: TextsSeen | None = None,
) -> tuple[Statement, int | None]:
    """A STMT token's text (its trailing blanks removed) at ``line``, ``column`` as a
    statement; also the column of an unmatched quote, if any. ``seen``: texts to share
    with equal statements read before (see ``TextsSeen``)."""
    texts, words, end, unmatched = read_words(doc, text, line, column, seen)
    return Statement(doc, line, column, end, texts, words, parent), unmatched


def read_words(
    doc: Document, text: str, line: int, column: int, seen: TextsSeen | None = None,
) -> tuple[tuple[str, ...], list[Word] | tuple[int, ...] | None, int, int | None]:
    """What ``Statement`` takes of a STMT token's text (trailing blanks removed): its
    words' texts, the words (as ``Statement`` takes them), where the last word ends, and
    the column of an unmatched quote, if any.

    The keyword is interned: a large config repeats a few dozen keywords on every line,
    each a string of its own until then.
    """
    if '"' not in text and "\\" not in text:
        if seen is not None:
            known = seen.get(text)
            if known is not None:
                return known, None, column + len(text), None
        parts = text.split(" ")
        # Printable text has no blank but " " (whatever counts as blank); without an
        # empty part every blank is a single space, so columns add up without a regex.
        if text.isprintable() and "" not in parts:
            parts[0] = intern(parts[0])
            texts = tuple(parts)
            if seen is not None:
                seen.remember(text, texts)
            return texts, None, column + len(text), None
        matches = list(_PLAIN_WORD.finditer(text))
        found = [m.group() for m in matches]
        if found:
            found[0] = intern(found[0])
        end = column + matches[-1].end() if matches else column + len(text)
        return tuple(found), tuple(column + m.start() for m in matches), end, None
    words, unmatched = _quoted_words(doc, text, line, column)
    end = words[-1].end_column if words else column + len(text)
    return tuple(w.text for w in words), words, end, unmatched


def _quoted_words(doc: Document, text: str, line: int, column: int) -> tuple[list[Word], int | None]:
    """Words of a statement with quotes or backslashes, as keepalived's alloc_strvec splits them."""
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
