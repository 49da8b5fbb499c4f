"""Which findings on a template's text depend on what its placeholders become.

* A finding whose first word holds a placeholder is about an unknown value, keyword or
  name.
* A block holding a statement whose keyword is a placeholder (``{{ extra_options }}``,
  a macro call, an include) can hold anything: a finding at that block's keyword (a
  missing keyword, an empty list) is not known.
* A file whose top level holds no keyword valid there is a fragment included inside a
  block: its statements are not out of place at the top level.
* Findings that relate definitions and uses across the config (a tracked script that is
  not defined, a script nobody tracks, script security) are not known once a name or a
  keyword anywhere is a placeholder, or a tracking list holds one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kalint.diagnostic import Diagnostic
from kalint.model import schema
from kalint.syntax.tree import Block, Document
from kalint.templates.branches import PLACEHOLDER
from kalint.text.source import SourceFile

#: Findings that compare definitions with uses anywhere in the config.
DEPENDENT = frozenset({
    "KA201", "KA202", "KA203", "KA204", "KA205", "KA206", "KA207", "KA213", "KA601", "KA602",
})
#: Blocks whose entries are names of other blocks.
_LISTS = ("track", "group")


@dataclass(slots=True)
class Unknowns:
    open_headers: set[tuple[str, int, int]] = field(default_factory=set)
    names: bool = False
    #: Lines of a fragment (a file included inside a block, such as a real_server's
    #: checks) that hold statements out of place at the top level.
    fragment_lines: set[tuple[str, int]] = field(default_factory=set)

    def hides(self, diag: Diagnostic, variant: SourceFile) -> bool:
        span = diag.span
        if span.path != variant.path:
            return False
        if PLACEHOLDER in _first_word(variant.line_text(span.line), span.column):
            return True
        if (span.path, span.line, span.column) in self.open_headers:
            return True
        if diag.code == "KA101" and (span.path, span.line) in self.fragment_lines:
            return True
        return self.names and diag.code in DEPENDENT


def _first_word(line: str, column: int) -> str:
    rest = line[column - 1:]
    return rest.split(None, 1)[0] if rest.strip() else ""


def find(documents: Iterable[Document]) -> Unknowns:
    found = Unknowns()
    top = schema.block_keywords("")
    for document in documents:
        if any(PLACEHOLDER in item.keyword for item in document.items):
            found.names = True
        if document.items and not any(item.keyword in top for item in document.items):
            found.names = True  # a fragment: what it refers to is in the file that includes it
            for item in document.items:
                span = item.span
                found.fragment_lines.update((span.path, line) for line in range(span.line, span.end_line + 1))
        for node in document.walk():
            if PLACEHOLDER in node.keyword:
                found.names = True
                if node.parent is not None:
                    found.open_headers.add(_start(node.parent))
            if not isinstance(node, Block):
                continue
            if len(node.words) > 1 and PLACEHOLDER in node.words[1].text:
                found.names = True
            if node.keyword.startswith(_LISTS) and any(PLACEHOLDER in w.text for c in node.children for w in c.words):
                found.names = True
    return found


def _start(block: Block) -> tuple[str, int, int]:
    span = block.span
    return span.path, span.line, span.column
