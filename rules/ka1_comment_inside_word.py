"""KA108: a comment character glued to a word cuts the value there."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Edit, Fix, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import written_as
from kalint.syntax.span import Span
from kalint.syntax.tree import Statement, Word

_COMMENT = ("#", "!")
#: Values where a trailing `#`/`!` is more likely part of the value than a comment.
_OPAQUE = frozenset({"auth_pass"})


def _cut(keyword: str, after: str) -> bool:
    """Whether the text from the comment character on looks like the rest of the value:
    printable ASCII right after it (`Pa55#word`), or a password ending in it. A blank or a
    non-ASCII letter after it (`3# 重试`, `3#重试`) reads as a comment written without space."""
    following = after[1:2]
    if not following or following.isspace():
        return keyword in _OPAQUE
    return following.isascii() and following.isprintable()


def _glued(text: str) -> bool:
    """What every finding needs in its file: a comment character right after a non-blank.

    A find per comment character: the regular expression `[^\\s][#!]` tested two
    characters at every position of the text (30 ms on a 130k-line config).
    """
    for char in _COMMENT:
        at = text.find(char, 1)
        while at > 0:
            if not text[at - 1].isspace():
                return True
            at = text.find(char, at + 1)
    return False


class CommentInsideWord(Rule):
    """A `#` or `!` glued to a word: keepalived reads the word only up to it.

    keepalived starts a comment at a `#` or `!` anywhere outside double quotes, also in
    the middle of a word (`decomment()` in lib/parser.c). `router_id test!backup` is
    read as `router_id test`, and `auth_pass Secr3t!x` as `Secr3t` — with nothing
    reported. Double quotes around the value keep the character (`decomment()` honours
    only `"`); `kalint format` already separates such comments, this says what the value
    becomes. (keepalived 2.2.7's own dump of `router_id lb!backup` and `auth_pass
    Pa55#word`: `Router ID = lb`, `Password = Pa55`.) A blank or a non-ASCII letter after
    the character reads as a comment written without its blank and is not reported,
    except after `auth_pass`, whose value often ends in `!` or `#`.

    Bad:

        vrrp_instance VI_1 {
            authentication {
                auth_pass Pa55!word
            }
        }

    Good:

        vrrp_instance VI_1 {
            authentication {
                auth_pass "Pa55!word"
            }
        }
    """

    code = "KA108"
    name = "comment-inside-word"
    severity = Severity.WARNING
    summary = "a comment character glued to a word cuts the value there"

    block_local = True  # the characters after a statement's last word, on its own line

    def check(self, config: Config) -> Iterator[Diagnostic]:
        sources = {src.path: src for src in config.expansion.sources}
        if not any(_glued(src.text) for src in sources.values()):
            return
        locate = config.expansion.locate
        for stmt in config.document.walk():
            if len(stmt.texts) < 2:
                continue
            last = stmt.words[-1]
            if last.quoted:
                continue
            # The character right after the word, straight from the expansion's map: a
            # comment character there is needed below, and building spans costs far more.
            after, offset = locate(last.line, last.end_column)
            if after.text[offset:offset + 1] not in _COMMENT:
                continue
            src = sources.get(last.span.path)
            if src is None:
                continue
            line = src.line_text(last.span.line)
            end = last.span.end_column - 1
            if (end < len(line) and line[end] in _COMMENT and line[end - len(last.text):end] == last.text
                    and _cut(stmt.keyword, line[end:])):
                yield self._finding(stmt, line, end)

    def _finding(self, stmt: Statement, line: str, end: int) -> Diagnostic:
        last = stmt.words[-1]
        cut = line[end:].rstrip()
        meant = last.text + cut.split()[0] if cut.split() else last.text
        return self.diagnostic(
            last.span,
            f"`{cut[0]}` starts a comment even inside a word: keepalived reads `{stmt.keyword} {last.text}`, "
            f"not `{meant}`",
            help=f'quote the value to keep the character: `{stmt.keyword} "{meant}"`',
            fix=self._quote(last, meant),
        )

    @staticmethod
    def _quote(last: Word, meant: str) -> Fix | None:
        """Double quotes around the whole value (unsafe: keepalived then reads a longer value)."""
        if '"' in meant or not written_as(last, last.text):
            return None
        span = last.span
        whole = Span(span.path, span.line, span.column, span.line, span.column + len(meant))
        return Fix(f'quote the value: "{meant}"', (Edit(whole, f'"{meant}"'),), safe=False)
