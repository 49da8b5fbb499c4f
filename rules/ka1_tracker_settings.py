"""KA145: tracker settings keepalived ignores (vrrp_track_process quorums, track_file init_file)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._lvs import unsigned
from kalint.syntax.tree import Block, Statement, Word

_Problem = tuple[Word, str]
_INT = re.compile(r"\s*[+-]?\d+")
_INT_MAX = 2**31 - 1
_SENSIBLE = 254


def quorum_problems(block: Block) -> Iterator[_Problem]:
    """vrrp_tprocess_quorum(_max)_handler(): each line is checked against the other value
    as set so far (quorum 1 and quorum_max unlimited to start with)."""
    quorum, quorum_max = 1, 2**32 - 1
    for stmt in block.children:
        value = unsigned(stmt.args[0].text, 0, 65535) if stmt.args else None
        if value is None or stmt.keyword not in ("quorum", "quorum_max"):
            continue  # an invalid number: KA104
        if stmt.keyword == "quorum" and value >= 1:
            if value > quorum_max:
                yield stmt.args[0], (f"`Quorum is greater than quorum_max - ignoring`: quorum_max is {quorum_max} "
                                     f"here; keepalived keeps quorum {quorum}")
            else:
                quorum = value
        elif stmt.keyword == "quorum_max":
            if (value or quorum > 1) and value < quorum:
                yield stmt.args[0], f"`quorum_max is less than quorum - ignoring`: quorum is {quorum} here"
                continue
            quorum_max = value
            quorum = 0 if value == 0 else max(quorum, 1)


def init_file_problems(stmt: Statement) -> Iterator[_Problem]:
    """track_file_init_handler(): an integer (sensible within -254..254) and `overwrite`."""
    for word in stmt.args:
        text = word.text.lstrip(" \t")
        if text[:1].isdigit() or text[:1] == "-":
            if not _INT.fullmatch(text) or not -_INT_MAX - 1 <= int(text) <= _INT_MAX:
                yield word, f"`Track file ... init value {text} is invalid`: keepalived writes 0"
            elif not -_SENSIBLE <= int(text) <= _SENSIBLE:
                yield word, (f"`Track file ... init value {int(text)} is outside sensible range [-254, 254]`: "
                             f"keepalived writes it all the same")
        elif text != "overwrite":
            yield word, f"`Unknown track file init option {text}`: the words are a number and `overwrite`"


class TrackerSettings(Rule):
    """A `vrrp_track_process` quorum or `track_file` `init_file` word keepalived ignores.

    - `quorum` above a `quorum_max` given on an earlier line, or `quorum_max` below an
      earlier `quorum`, is ignored (`Quorum is greater than quorum_max - ignoring`): the
      order of the two lines matters.
    - `init_file` takes a number and `overwrite`: a word that is neither, or an invalid
      number, is reported and a number outside -254..254 is called not sensible.

    Bad:

        vrrp_track_process nginx {
            process nginx
            quorum_max 2
            quorum 3
        }

    Good:

        vrrp_track_process nginx {
            process nginx
            quorum 3
            quorum_max 4
        }
    """

    code = "KA145"
    name = "tracker-setting-ignored"
    severity = Severity.WARNING
    summary = "a vrrp_track_process quorum against quorum_max, or a track_file init_file word, that keepalived ignores"

    block_local = True  # one tracker block's own settings

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        found: list[_Problem] = []
        for block in index.path("vrrp_track_process"):
            if isinstance(block, Block):
                found.extend(quorum_problems(block))
        for path in ("track_file.init_file", "vrrp_track_file.init_file"):
            for stmt in index.path(path):
                found.extend(init_file_problems(stmt))
        for word, message in found:
            yield self.diagnostic(word.span, message, help="see the tracker's block in keepalived.conf(5)")
