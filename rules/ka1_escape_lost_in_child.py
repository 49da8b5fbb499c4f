"""KA110: a `\\#` or `\\!` escape that keepalived's child processes never see."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.syntax.span import Span
from kalint.syntax.tree import Block, Statement

#: Top-level sections keepalived's parent process reads itself (keepalived/core).
_PARENT_SECTIONS = frozenset({"global_defs"})
#: Which child process reads a top-level section, when it is not the VRRP process.
_READERS = {"virtual_server": "checker", "virtual_server_group": "checker", "SSL": "checker",
            "bfd_instance": "BFD, VRRP and checker", "track_file": "VRRP and checker"}


def _escape_at(line: str) -> int | None:
    """Offset of the first `\\#`/`\\!` outside double quotes, before any comment."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "\\" and line[i + 1:i + 2] in ("#", "!"):
            return i
        elif not quoted and char in "#!":
            return None
    return None


class EscapeLostInChild(Rule):
    """A `\\#` or `\\!` escape in a section a child process reads: there it is a comment.

    keepalived's parent reads the configuration, removes each escape's backslash, and
    writes the result to the copy its VRRP, checker and BFD processes read; they see a
    bare `#` or `!` and cut the line there. So the escape works only in `global_defs` and
    the root keywords (lib/parser.c `decomment()`; keepalived 2.2.7 `-t`: `vrrp_script
    chk\\#x {` gives `Missing '{'`, and the block's lines land at the top level). When
    the cut removes the `{` of a block, the whole block is lost; otherwise the value is
    shorter than written. Double quotes keep the character for every process.

    Bad:

        vrrp_instance VI_\\#1 {
            interface eth0
        }

    Good:

        vrrp_instance "VI_#1" {
            interface eth0
        }
    """

    code = "KA110"
    name = "escape-lost-in-child"
    severity = Severity.WARNING
    summary = "a `\\#`/`\\!` escape in a section a child process reads, where it starts a comment"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        expansion = config.document.expansion
        if not any("\\#" in src.text or "\\!" in src.text for src in expansion.sources):
            return  # the usual case, decided without walking every statement
        seen: set[tuple[str, int]] = set()
        reader: str | None = None  # the process that reads the current top-level section
        for stmt in config.document.walk():
            if stmt.parent is None:
                child = isinstance(stmt, Block) and stmt.keyword not in _PARENT_SECTIONS and bool(stmt.words)
                reader = _READERS.get(stmt.keyword, "VRRP") if child else None
            if reader is None:
                continue
            source, start = expansion.locate(stmt.line, 0)
            line_no, _ = source.position(start)
            if (source.path, line_no) in seen:
                continue
            seen.add((source.path, line_no))
            text = source.line_text(line_no)
            cut = _escape_at(text)
            if cut is not None:
                yield self._finding(stmt, reader, Span(source.path, line_no, cut + 1, line_no, len(text) + 1), text, cut)

    def _finding(self, stmt: Statement, reader: str, span: Span, text: str, cut: int) -> Diagnostic:
        kept = text[:cut].strip()
        escaped = text[cut + 1]
        opens_here = isinstance(stmt, Block) and stmt.open_line == stmt.line
        if opens_here:
            assert isinstance(stmt, Block)
            return self.diagnostic(
                stmt.span,
                f"keepalived's {reader} process reads this line as `{kept}`: the parent turns `\\{escaped}` into "
                f"`{escaped}`, which starts a comment there, so the `{{` is cut off and the lines of the block are "
                f"not read as `{stmt.keyword}`'s",
                severity=Severity.ERROR,
                help=f"write the name in double quotes instead of escaping `{escaped}`",
            )
        return self.diagnostic(
            span,
            f"keepalived's {reader} process reads this line as `{kept}`: the parent turns `\\{escaped}` into "
            f"`{escaped}`, which starts a comment there",
            help=f"write the value in double quotes instead of escaping `{escaped}`",
        )
