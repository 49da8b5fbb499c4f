"""Where keepalived puts each line: a replay of its parser over kalint's tree.

kalint's tree follows the braces as the author wrote them. keepalived's
``process_stream`` follows its keyword tables instead: an unknown keyword's `{` is
ignored (its lines land in the enclosing block and its `}` closes that block), a plain
keyword's `{` likewise, a block keyword without `{` opens its block anyway, and a list
block without `{` swallows lines up to the next `}`. Replaying that over the tree's
statements and braces tells, for every line, whether keepalived reads it where the
author put it ("in sync") and, where it does not, which statement started the
divergence, so a cascade is reported once, at its cause, with a span covering every
line it displaces.

The replay is shared by the KA1xx rules and computed once per config.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from kalint.model import Analysis, Config, schema
from kalint.model.schema import KeywordSpec
from kalint.records import dataclass, field
from kalint.syntax.tree import Block, Mark, Node, Statement

BOM = "\ufeff"


@dataclass(slots=True)
class Cascade:
    """A divergence between the written structure and keepalived's reading of it.

    ``cause`` is ``unknown-block`` (an unknown keyword with a block), ``plain-block``
    (a keyword that takes no block, given one), ``missing-brace`` (a block keyword
    without `{`), ``stray-brace`` (a `{` after no keyword), ``nested-in-list`` (a block
    inside a list block) or ``bom``.
    """

    cause: str
    statement: Statement | None  # None for a stray brace
    start: Node
    spec: KeywordSpec | None = None
    #: Last node keepalived reads at the wrong level (the cascade's end).
    last: Node | None = None
    #: Lines keepalived reports as unknown keywords inside the cascade.
    unknown_lines: list[int] = field(default_factory=list)
    displaced: int = 0


@dataclass(slots=True)
class Placement:
    """Where keepalived reads each line of a config."""

    config: Config
    #: Statements keepalived reads where they were written (``placed`` pairs them with ``specs``).
    nodes: list[Statement] = field(default_factory=list)
    #: ``specs[i]``: the keyword spec ``nodes[i]`` is read with (two lists, not a list of
    #: pairs: a pair was 72 bytes for each of the 100k lines of a large config).
    specs: list[KeywordSpec] = field(default_factory=list)
    #: The blocks among ``nodes``.
    blocks: list[Block] = field(default_factory=list)
    #: Entries of list blocks read where they were written, with the list's spec.
    entries: list[tuple[Statement, KeywordSpec]] = field(default_factory=list)
    #: Unknown keywords in their written place (no cascade): (statement, parent path).
    unknown: list[tuple[Statement, str]] = field(default_factory=list)
    cascades: list[Cascade] = field(default_factory=list)

    @property
    def placed(self) -> Iterator[tuple[Statement, KeywordSpec]]:
        """Each statement keepalived reads where it was written, with its keyword spec."""
        return zip(self.nodes, self.specs)


_OPEN, _CLOSE, _STMT = 0, 1, 2
#: The written path of a block inside a block no keyword path names (compares unequal
#: to every keyword path and to the top level "").
_NO_KEYWORD_PATH = "\x00"


def child_path(path: str, block: Block) -> str:
    """The path the author wrote for the lines inside ``block`` (written at ``path``).

    A `{` that follows no keyword (KA002) adds no level, as keepalived ignores it.
    """
    inner = (f"{path}.{block.keyword}" if path else block.keyword) if block.texts else path
    if inner and inner not in schema.SPECS:
        # No keyword lives there, so it never equals keepalived's level; one constant
        # keeps 50,000 nested blocks from building ever longer paths.
        return _NO_KEYWORD_PATH
    return inner


@Analysis
def placement(config: Config) -> Placement:
    """Replay keepalived's parser (every keyword active, as the union of its processes),
    once for all the KA1xx rules that need it."""
    replay = _Replay(Placement(config))
    replay.run(config.document.items)
    return replay.result


@cache
def _readable(path: str, version: str | None) -> dict[str, KeywordSpec]:
    """The keywords valid inside the block at ``path``, each with its spec as release
    ``version`` reads the value: worked out once per level, not once per line (a spec
    adjusted for an older release was a new tuple for every line it placed)."""
    return {name: schema.for_version(spec, version) for name, spec in schema.block_keywords(path).items()}


class _Replay:
    """keepalived's parser state while the tree's statements and braces go by in file order.

    ``event`` is the replay itself, one statement, `{` or `}` at a time. ``run`` walks the
    tree and hands it every event, except where the outcome is already known: while
    keepalived reads lines where they were written (no cascade, no list block open), a
    plain keyword line is placed or unknown, a known block keyword opens its level, and
    its `}` closes it. That covers nearly every line of a real config, so most lines cost
    one lookup and one append instead of three events.
    """

    def __init__(self, result: Placement) -> None:
        self.result = result
        self.version = result.config.target_version
        self.levels: list[str] = []  # keepalived's open blocks, as paths (the root is implicit)
        self.list_spec: KeywordSpec | None = None  # inside a list block
        self.list_needs_brace = False
        self.cascade: Cascade | None = None
        self.first = True

    def run(self, items: list[Statement]) -> None:  # noqa: C901 (the walk and its fast paths, as one loop)
        result = self.result
        nodes, specs, blocks, unknown = result.nodes, result.specs, result.blocks, result.unknown
        levels = self.levels
        version, event = self.version, self.event
        tables: dict[str, dict[str, KeywordSpec]] = {}  # _readable(level, version) by level
        stack: list[tuple[Iterator[Statement], Block | None, str]] = [(iter(items), None, "")]
        in_sync = False  # no cascade, no list block open, past the first line (BOM check)
        while stack:
            it, block, path = stack[-1]
            for node in it:
                keyword = node.keyword
                if in_sync and keyword and "." not in keyword:
                    current = levels[-1] if levels else ""
                    table = tables.get(current)
                    if table is None:
                        table = tables[current] = _readable(current, version)
                    spec = table.get(keyword)
                    if not isinstance(node, Block):
                        if spec is None:
                            unknown.append((node, current))
                            continue
                        if spec.kind == "statement":
                            nodes.append(node)
                            specs.append(spec)
                            continue
                    elif spec is not None and spec.kind not in ("statement", "list"):
                        nodes.append(node)
                        specs.append(spec)
                        blocks.append(node)
                        levels.append(spec.path)
                        stack.append((iter(node.children), node, child_path(path, node)))
                        break
                if isinstance(node, Block):
                    if node.texts:
                        event(_STMT, node, path)
                    event(_OPEN, node, path)
                    stack.append((iter(node.children), node, child_path(path, node)))
                    in_sync = self.in_sync()
                    break
                event(_STMT, node, path)
                in_sync = self.in_sync()
            else:
                stack.pop()
                if block is None or not block.closed:
                    continue
                if in_sync and block.texts:
                    if levels:
                        levels.pop()
                else:
                    event(_CLOSE, block, path)
                    in_sync = self.in_sync()

    def in_sync(self) -> bool:
        return self.cascade is None and self.list_spec is None and not self.first

    def event(self, kind: int, node: Node, written: str) -> None:  # noqa: C901 (keepalived's parser loop)
        """One statement (``_STMT``), `{` (``_OPEN``) or `}` (``_CLOSE``) written at ``written``."""
        result, levels, cascade = self.result, self.levels, self.cascade
        current = levels[-1] if levels else ""
        if kind == _STMT:
            assert isinstance(node, Statement)
            if cascade is not None and self.list_spec is None and written == current:
                cascade = self.cascade = None  # keepalived reads this line where the author put it
        list_spec = self.list_spec
        if list_spec is not None:  # alloc_value_block: lines are entries up to a `}`
            if kind == _OPEN and self.list_needs_brace:
                self.list_needs_brace = False
                return
            self.list_needs_brace = False
            if kind == _STMT and isinstance(node, Block) and cascade is None:
                # A block inside a list block: its lines are entries up to the first `}`.
                cascade = self._diverge("nested-in-list", node, node, list_spec)
            if cascade is not None:
                _displace(cascade, node, kind)
            if kind == _CLOSE:
                self.list_spec = None
            elif kind == _STMT and cascade is None and written == list_spec.path:
                result.entries.append((node, list_spec))  # type: ignore[arg-type]
            return
        # The tree pairs `{` with `}` exactly as keepalived counts them, so a `{` only
        # matters as a displaced line; what keepalived does with it (open a block, or
        # "Unexpected '{'") was decided at the keyword before it.
        if kind == _OPEN:
            if cascade is not None:
                _displace(cascade, node, kind)
            return
        if kind == _CLOSE:
            assert isinstance(node, Block)
            if levels:
                levels.pop()
            if not node.texts and cascade is None:
                # keepalived ignored this block's `{`, so its `}` closes the enclosing block.
                cascade = self._diverge("stray-brace", None, node.open_brace, None)
            if cascade is not None:
                _displace(cascade, node, kind)
            return
        stmt = node
        assert isinstance(stmt, Statement)
        keyword = stmt.keyword
        bom = self.first and keyword.startswith(BOM)
        self.first = False
        spec = None if bom else schema.SPECS.get(f"{current}.{keyword}" if current else keyword)
        has_block = isinstance(stmt, Block)
        if cascade is not None:
            _displace(cascade, stmt, kind, unknown=spec is None)
        if spec is None:
            if has_block:  # "Unexpected '{'": the lines inside land in this block
                known = schema.SPECS.get(keyword[1:]) if bom else None
                opened = self._diverge("bom" if bom else "unknown-block", stmt, stmt, known)
                if opened.statement is stmt:
                    opened.unknown_lines.append(stmt.line)
            elif cascade is None and not bom:
                result.unknown.append((stmt, current))
            return
        if cascade is None:  # the spec as the target release reads its value
            readable = _readable(current, self.version).get(keyword)
            result.nodes.append(stmt)
            result.specs.append(readable if readable is not None else schema.for_version(spec, self.version))
            if isinstance(stmt, Block):
                result.blocks.append(stmt)
        if spec.kind == "statement":
            if has_block:
                self._diverge("plain-block", stmt, stmt, spec)
        elif spec.kind == "list":
            self.list_spec = spec
            self.list_needs_brace = has_block
            if not has_block:
                self._diverge("missing-brace", stmt, stmt, spec)
        else:
            levels.append(spec.path)  # entered even without `{` ("Missing '{'")
            if not has_block:
                self._diverge("missing-brace", stmt, stmt, spec)

    def _diverge(self, cause: str, stmt: Statement | None, start: Node, spec: KeywordSpec | None) -> Cascade:
        """The cascade in progress, or a new one starting at ``start``."""
        if self.cascade is None:
            self.cascade = Cascade(cause, stmt, start, spec, last=_header_end(stmt) if stmt is not None else start)
            self.result.cascades.append(self.cascade)
        return self.cascade


def _displace(cascade: Cascade, node: Node, kind: int, unknown: bool = False) -> None:
    """Extend ``cascade`` over ``node`` (a statement, or a block's `{` or `}`)."""
    if kind == _STMT:
        assert isinstance(node, Statement)
        cascade.last = _header_end(node)
        cascade.displaced += 1
        if unknown:
            cascade.unknown_lines.append(node.line)
    else:
        assert isinstance(node, Block)
        cascade.last = node.open_brace if kind == _OPEN else node.close_brace


def _header_end(stmt: Statement) -> Node:
    """The statement's own line as a node (a Block's span would run to its `}`)."""
    return Mark(stmt.doc, stmt.line, stmt.column, stmt.header_end_column)


#: Cascades that can leave keepalived inside a block (or a list) when a top-level block
#: ends: a block or list keyword without `{` (its level is never left, or the list takes
#: the block's `}`), a block inside a list. An unknown keyword's or a plain keyword's
#: braces only close levels early, so the next top-level block is read at the top level.
_CROSSING = frozenset({"missing-brace", "nested-in-list", "bom", "stray-brace"})


class ReplayedPerBlock:
    """Mixin for a rule that reads the replay and looks at one top-level block at a time
    (``kalint.rule.Rule.block_local``): unless a cascade leaves keepalived inside a block
    where a top-level block ends, the next one starts at the top level, so replaying a
    block alone places its lines as replaying the whole config does."""

    block_local = True

    def blocks_independent(self, config: Config) -> bool:
        return not any(cascade.cause in _CROSSING for cascade in placement(config).cascades)


@Analysis
def placed_blocks(config: Config) -> frozenset[Block]:
    """Every block ``placement(config)`` places (nodes hash by identity), built once per
    config: rules that ask "is this block read where it is written?" for a few blocks
    would otherwise each rebuild it from the 100k placed statements of a large config."""
    return frozenset(placement(config).blocks)


@Analysis
def placed_specs(config: Config) -> dict[str, KeywordSpec]:
    """The keyword paths ``placement(config)`` places, each with one of its specs,
    built once: a rule about a few keywords (deprecated, too new, ``umask``) returns at
    once when none of them is placed, instead of reading every placed line."""
    return {spec.path: spec for spec in placement(config).specs}


def list_entries(block: Block) -> Iterator[Statement]:
    """The lines keepalived reads as entries of the list block ``block``, in order.

    A block nested in a list is no block to keepalived (KA102's `nested-in-list`): its
    header line is an entry, its lines too, and its first `}` closes the list, so the
    lines after it are read at the enclosing level, not as entries."""
    yield from _entries_until_close(block.children)


def _entries_until_close(children: Sequence[Statement]) -> Iterator[Statement]:
    for child in children:
        yield child
        if isinstance(child, Block):
            yield from _entries_until_close(child.children)
            return  # the nested block's first `}` ends the list
