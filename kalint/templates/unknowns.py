"""Which findings on a template's text depend on what its placeholders become.

* A finding whose first word holds a placeholder is about an unknown value, keyword or
  name; so is one whose message quotes a placeholder (an address, a port or a name the
  rule judges), unless it relates definitions and uses (below).
* A block holding a statement whose keyword is a placeholder (``{{ extra_options }}``,
  a macro call, an include) can hold anything: a finding at that block's keyword (a
  missing keyword, an empty list) is not known.
* A file whose top level holds no keyword valid there is a fragment included inside a
  block: its statements are not out of place at the top level.
* Findings that relate definitions and uses across the config are not known when what
  they relate is: an undefined tracked script once a vrrp_script's name is a placeholder,
  an unused script once a track list, an instance or a sync group holds a placeholder,
  script security once global_defs does, or when there is none in a file not named as a
  whole config (one a main template includes); all of them when the top level does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from kalint.diagnostic import Diagnostic
from kalint.model import schema
from kalint.records import dataclass, field
from kalint.syntax.tree import Block, Document
from kalint.templates.branches import PLACEHOLDER
from kalint.text.source import SourceFile

#: Tracker definitions a track list can name.
_TRACKERS = ("vrrp_script", "vrrp_track_process", "vrrp_track_file", "track_file", "bfd_instance")


@dataclass(slots=True)
class Unknowns:
    open_headers: set[tuple[str, int, int]] = field(default_factory=set)
    #: Keywords of blocks that hold a statement whose keyword is a placeholder.
    open_keywords: set[str] = field(default_factory=set)
    #: Keywords of blocks whose name holds a placeholder.
    unknown_names: set[str] = field(default_factory=set)
    #: A placeholder in a tracking list or a sync group's `group`.
    unknown_uses: bool = False
    #: A placeholder keyword at the top level (an include, a macro printing blocks), or
    #: a fragment: the config around what kalint sees is unknown.
    top_open: bool = False
    #: Lines of a fragment (a file included inside a block, such as a real_server's
    #: checks) that hold statements out of place at the top level.
    fragment_lines: set[tuple[str, int]] = field(default_factory=set)
    global_defs: bool = False

    def hides(self, diag: Diagnostic, variant: SourceFile) -> bool:
        span = diag.span
        if span.path != variant.path:
            return False
        if PLACEHOLDER in _first_word(variant.line_text(span.line), span.column):
            return True
        if PLACEHOLDER in diag.message and diag.code not in _RELATIONS and diag.code not in _QUOTES_ONLY:
            return True  # the finding quotes a value it judges (an address, a port), which is unknown
        if (span.path, span.line, span.column) in self.open_headers:
            return True
        if diag.code == "KA101" and (span.path, span.line) in self.fragment_lines:
            return True
        return self.top_open and diag.code in _RELATIONS or self._relation_unknown(diag.code, span.path)

    def _relation_unknown(self, code: str, path: str) -> bool:
        names = self.unknown_names
        if code == "KA201":
            return "vrrp_script" in names
        if code in ("KA204", "KA213"):
            return bool(names.intersection(_TRACKERS))
        if code == "KA203":
            return "vrrp_instance" in names
        if code == "KA205":
            return "virtual_server_group" in names
        if code in ("KA202", "KA206", "KA207"):
            return self.unknown_uses or bool(self.open_keywords & {"vrrp_instance", "vrrp_sync_group"})
        if code in ("KA601", "KA602"):
            return "global_defs" in self.open_keywords or not (self.global_defs or whole_config(path))
        return False


#: Findings that relate definitions and uses across the whole config.
_RELATIONS = frozenset({
    "KA201", "KA202", "KA203", "KA204", "KA205", "KA206", "KA207", "KA213", "KA601", "KA602",
})
#: Findings that quote another line's value without judging it (a keyword given twice).
_QUOTES_ONLY = frozenset({"KA105"})
#: Blocks whose entries are names of other blocks.
_LISTS = ("track", "group")


def whole_config(path: str) -> bool:
    """A template named as the whole config (``keepalived.conf.j2``, ``keepalived.tmpl``);
    one named otherwise without global_defs (``vrrp_instance.conf.erb``) is a part a main
    template includes, and global settings are that one's business."""
    name = os.path.basename(path).lower()
    return "keepalived.conf" in name or bool(re.search(r"keepalived\.[a-z0-9]+$", name))


def _first_word(line: str, column: int) -> str:
    rest = line[column - 1:]
    return rest.split(None, 1)[0] if rest.strip() else ""


def find(documents: Iterable[Document]) -> Unknowns:
    found = Unknowns()
    top = schema.block_keywords("")
    for document in documents:
        if document.items and not any(item.keyword in top for item in document.items):
            found.top_open = True  # a fragment: what it refers to is in the file that includes it
            for item in document.items:
                span = item.span
                found.fragment_lines.update((span.path, line) for line in range(span.line, span.end_line + 1))
        found.global_defs |= any(item.keyword == "global_defs" for item in document.items)
        for node in document.walk():
            if PLACEHOLDER in node.keyword:
                if node.parent is None:
                    found.top_open = True
                else:
                    found.open_headers.add(_start(node.parent))
                    found.open_keywords.add(node.parent.keyword)
                    found.unknown_uses |= node.parent.keyword.startswith(_LISTS)
            if not isinstance(node, Block):
                continue
            if len(node.texts) > 1 and PLACEHOLDER in node.texts[1]:
                found.unknown_names.add(node.keyword)
            if node.keyword.startswith(_LISTS) and any(PLACEHOLDER in w.text for c in node.children for w in c.words):
                found.unknown_uses = True
    return found


def _start(block: Block) -> tuple[str, int, int]:
    span = block.span
    return span.path, span.line, span.column
