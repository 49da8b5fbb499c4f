"""What sits under the cursor: named definitions, their references, statements, blocks.

Definitions and references come from the model of every config that reads the document
(its roots, once per config id), so a reference in one file finds its definition in an
include and a rename reaches every file that names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from kalint.lsp.analysis import Analysis
from kalint.model import Config
from kalint.syntax.span import Span
from kalint.syntax.tree import Block, Statement, Word

#: Kinds of names: what a reference of each kind must resolve to.
SCRIPT, TRACK_FILE, TRACK_PROCESS, INSTANCE, VS_GROUP = (
    "vrrp_script", "track_file", "vrrp_track_process", "vrrp_instance", "virtual_server_group",
)
_TRACKER_KIND = {"track_file": TRACK_FILE, "track_process": TRACK_PROCESS}


@dataclass(frozen=True, slots=True)
class Occurrence:
    kind: str
    name: str
    word: Word
    definition: bool
    #: The block a definition names (None for a reference).
    block: Block | None = None
    span: Span = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "span", self.word.span)  # asked for again and again: compute once


def _name_word(block: Block) -> Word | None:
    return block.words[1] if len(block.texts) > 1 else None


def occurrences(config: Config) -> Iterator[Occurrence]:  # noqa: C901 (one loop per kind of name)
    """Every definition and reference of a nameable thing in one config."""
    for script in config.vrrp_scripts:
        if (word := _name_word(script.node)) is not None:
            yield Occurrence(SCRIPT, script.name, word, True, script.node)
    for tracker in config.trackers:
        kind = _TRACKER_KIND.get(tracker.kind)
        if kind and (word := _name_word(tracker.node)) is not None:
            yield Occurrence(kind, tracker.name, word, True, tracker.node)
    for block in config.virtual_server_groups:
        if (word := _name_word(block)) is not None:
            yield Occurrence(VS_GROUP, word.text, word, True, block)
    for inst in config.vrrp_instances:
        if (word := _name_word(inst.node)) is not None:
            yield Occurrence(INSTANCE, inst.name, word, True, inst.node)
    for owner in config.track_owners():
        for ref in owner.track_script:
            yield Occurrence(SCRIPT, ref.name, ref.word, False)
        for ref in owner.track_file:
            yield Occurrence(TRACK_FILE, ref.name, ref.word, False)
        for ref in owner.track_process:
            yield Occurrence(TRACK_PROCESS, ref.name, ref.word, False)
    for group in config.sync_groups:
        for word in group.members:
            yield Occurrence(INSTANCE, word.text, word, False)
    for vs in config.virtual_servers:
        if len(vs.node.texts) > 2 and vs.node.texts[1] == "group":
            word = vs.node.words[2]
            yield Occurrence(VS_GROUP, word.text, word, False)


def covers(span: Span, line: int, column: int) -> bool:
    """The cursor touches the span (its end too: the cursor often sits after a word)."""
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


class Symbols:
    """The names, statements and blocks of the configs that read one document."""

    def __init__(self, analysis: Analysis, doc_key: str) -> None:
        self.analysis = analysis
        self.doc_key = doc_key
        self.configs = [item.config for item in analysis.configs_with(doc_key)]
        self._occurrences: list[Occurrence] | None = None
        self._by_line: dict[int, list[Statement]] | None = None

    @classmethod
    def of(cls, analysis: Analysis, doc_key: str) -> Symbols:
        """The (cached) view of one document in one analysis."""
        found = analysis.views.get(doc_key)
        if not isinstance(found, cls):
            found = analysis.views[doc_key] = cls(analysis, doc_key)
        return found

    def warm(self) -> None:
        """Build the indexes now (in the lint thread) rather than on the first request."""
        try:
            self.all()
            self._statements_by_line()
        except Exception:  # the request that needs them will answer with the error
            pass

    def all(self) -> list[Occurrence]:
        if self._occurrences is None:
            seen: dict[tuple, Occurrence] = {}
            for config in self.configs:
                for occ in occurrences(config):
                    seen.setdefault((occ.kind, occ.definition, occ.span), occ)
            self._occurrences = list(seen.values())
        return self._occurrences

    def in_document(self, span: Span) -> bool:
        return self.analysis.key_of(span.path) == self.doc_key

    def at(self, line: int, column: int) -> Occurrence | None:
        for occ in self.all():
            span = occ.span
            if span.line <= line <= span.end_line and self.in_document(span) and covers(span, line, column):
                return occ
        return None

    def same(self, occ: Occurrence) -> list[Occurrence]:
        return [o for o in self.all() if o.kind == occ.kind and o.name == occ.name]

    def definitions(self, kind: str, name: str | None = None) -> list[Occurrence]:
        return [o for o in self.all() if o.definition and o.kind == kind and (name is None or o.name == name)]

    def statement_at(self, line: int, column: int) -> Statement | None:
        """The innermost statement whose header (keyword line) holds the cursor."""
        found = None
        for stmt in self._statements_by_line().get(line, ()):
            if covers(stmt.header_span, line, column):
                found = stmt
        return found

    def _statements_by_line(self) -> dict[int, list[Statement]]:
        """Statements of this document by the line of their keyword, built once."""
        if self._by_line is None:
            by_line: dict[int, list[Statement]] = {}  # complete before it is seen (another thread warms it)
            for config in self.configs[:1]:
                for stmt in config.document.walk():
                    if stmt.texts:
                        span = stmt.header_span
                        if self.in_document(span):
                            by_line.setdefault(span.line, []).append(stmt)
            self._by_line = by_line
        return self._by_line

    def block_at(self, line: int, column: int) -> Block | None:
        """The innermost block whose braces enclose the cursor."""
        if not self.configs:
            return None
        items: Sequence[Statement] = self.configs[0].document.items
        found = None
        while True:
            for item in items:
                if isinstance(item, Block) and self._inside(item, line, column):
                    found = item
                    items = item.children
                    break
            else:
                return found

    def _inside(self, block: Block, line: int, column: int) -> bool:
        opening = block.open_brace.span
        if not self.in_document(opening) or (line, column) < (opening.end_line, opening.end_column):
            return False
        if block.close_brace is None:
            return True
        closing = block.close_brace.span
        return self.in_document(closing) and (line, column) <= (closing.line, closing.column)
