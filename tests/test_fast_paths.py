"""Rules' fast paths give what the plain formulation they replaced gives (docs/performance.md)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kalint.rules import ka1_comment_inside_word
from kalint.text.source import SourceFile

_GLUED = re.compile(r"[^\s][#!]")


@pytest.mark.parametrize("seed", range(20))
def test_comment_glued_check_matches_the_regular_expression(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["#", "!", " ", "\t", "\n", "a", "\u00a0", "\u2003", "é", "\x1c"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert ka1_comment_inside_word._glued(text) is bool(_GLUED.search(text)), repr(text)


@given(st.text(alphabet="ab \t\r\n\u00e9", max_size=40), st.sampled_from(["\n", "\r"]))
def test_line_starts_are_the_offsets_after_each_line_break(text: str, line_break: str) -> None:
    """SourceFile.line_starts sums line lengths in C; the plain formulation searches for
    each break in turn."""
    expected = [0] + [at + 1 for at, char in enumerate(text) if char == line_break]
    assert list(SourceFile("k.conf", text, line_break=line_break).line_starts()) == expected


@given(st.lists(st.sampled_from(["a", "bc", "é", " ", "  ", "\t", "\x0b", "\r", "\u00a0", "\x1c"]), max_size=12)
       .map(lambda parts: "".join(parts).strip(" \t\f\v\r\n")).filter(bool), st.integers(0, 8))
def test_words_made_on_demand_are_those_the_regular_expression_splits(text: str, column: int) -> None:
    """A statement keeps its words' texts and makes the word nodes when asked, adding up
    the columns itself when single spaces separate the words: they must be the words
    (texts and columns) keepalived's splitting regular expression finds."""
    from kalint.syntax import tree

    doc = tree.Document(None)  # type: ignore[arg-type]  # words never read the expansion here
    stmt, unmatched = tree.read_statement(doc, text, 3, column)
    expected, _ = tree._quoted_words(doc, text, 3, column)
    assert unmatched is None
    assert stmt.texts == tuple(w.text for w in expected)
    assert [(w.line, w.column, w.end_column, w.text, w.quoted) for w in stmt.words] == \
        [(w.line, w.column, w.end_column, w.text, w.quoted) for w in expected]
    assert stmt.end_column == (expected[-1].end_column if expected else column + len(text))


def test_a_lint_makes_few_word_nodes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Rules compare ``Statement.texts`` and make word nodes only to report: on a large
    generated config (whose findings are about whole blocks), a lint makes word nodes
    for under a fifth of its words (every one of them, 190k on the 130k-line config,
    was a sixth of a lint's memory)."""
    from kalint.engine import Linter, LintOptions
    from kalint.syntax import tree

    genconf = Path(__file__).resolve().parents[2] / "shared" / "bench" / "genconf.py"
    if not genconf.is_file():
        pytest.skip(f"no {genconf}")
    config = tmp_path / "generated.conf"
    config.write_text(subprocess.run([sys.executable, str(genconf), "--instances", "60", "--servers", "60"],
                                     capture_output=True, text=True, check=True).stdout)
    made = []
    original = tree.Word.__init__

    def counting(self: tree.Word, *args: Any) -> None:
        made.append(1)
        original(self, *args)

    monkeypatch.setattr(tree.Word, "__init__", counting)
    result = Linter(LintOptions(jobs=1)).lint_paths([str(config)])
    words = sum(len(line.split()) for line in config.read_text().splitlines() if line.strip() not in ("{", "}"))
    assert result.diagnostics  # the generated config's servers are on addresses no instance holds
    assert 0 < len(made) < words / 5, (len(made), words)


def test_equal_statements_share_their_texts_and_keep_their_own_columns() -> None:
    """The parser shares one tuple of texts among equal plain statements (``TextsSeen``):
    the words each statement makes must still be at its own line and column, a statement
    whose blanks are not single spaces must not take the texts' layout from an equal one,
    and what is kept is bounded."""
    from kalint.syntax import tree

    doc = tree.Document(None)  # type: ignore[arg-type]  # words never read the expansion here
    seen = tree.TextsSeen()
    first, _ = tree.read_statement(doc, "weight 1", 3, 4, None, seen)
    again, _ = tree.read_statement(doc, "weight 1", 9, 12, None, seen)
    spaced, _ = tree.read_statement(doc, "weight  1", 10, 0, None, seen)
    assert again.texts is first.texts
    assert [(w.line, w.column, w.end_column) for w in again.words] == [(9, 12, 18), (9, 19, 20)]
    assert spaced.texts == first.texts and spaced.texts is not first.texts
    assert [(w.column, w.end_column) for w in spaced.words] == [(0, 6), (8, 9)]
    for n in range(tree.TEXTS_SEEN_MAX + 10):
        tree.read_statement(doc, f"weight {n}", 1, 0, None, seen)
    assert len(seen) <= tree.TEXTS_SEEN_MAX


def test_blocks_at_one_path_share_their_index_entry() -> None:
    """The index finds each block's path once and shares it among the blocks at that path
    (32k blocks at a few dozen paths in the 130k-line config): the paths it gives must be
    those of ``Statement.path``."""
    from kalint.syntax import parser
    from kalint.text import expand

    text = "vrrp_instance A {\n track_script {\n  s\n }\n}\nvrrp_instance B {\n track_script {\n  s\n }\n}\n"
    doc = parser.parse(expand.expand(SourceFile("t.conf", text)))
    index = doc.index()
    found = index.path("vrrp_instance.track_script.s")
    assert [s.path() for s in found] == [["vrrp_instance", "track_script", "s"]] * 2
    first, second = (s.parent for s in found)
    assert first is not second and first._index_pair is second._index_pair


def test_without_a_cascade_every_block_is_placed() -> None:
    """KA130 skips the set of placed blocks when the replay found no cascade, because
    keepalived then reads every block where it is written. Checked on every fixture and
    every real config: whenever there is no cascade, the placed blocks are all the blocks."""
    from conftest import FIXTURES, shared_dir
    from kalint.engine import Linter, LintOptions
    from kalint.rules._placement import placement
    from kalint.syntax.tree import Block

    linter = Linter(LintOptions(jobs=1))
    paths = sorted(FIXTURES.rglob("*.conf"))
    shared = shared_dir()
    if shared is not None:
        paths += sorted((shared / "corpus" / "real").glob("*.conf"))
    without = 0
    for path in paths:
        for linted in linter.lint_source(SourceFile(str(path), path.read_text(errors="replace")), None):
            replay = placement(linted.config)
            if replay.cascades:
                continue
            without += 1
            every = [node for node in linted.config.document.walk() if isinstance(node, Block)]
            assert set(map(id, replay.blocks)) == set(map(id, every)), path
    assert without > 100


def test_a_part_parsed_from_its_first_line_is_placed_as_in_the_whole_text() -> None:
    """The language server parses the lines of the blocks an edit touched, starting at
    their first line (``parse(..., first_line=)``), not the whole text with the rest
    blanked: every node must get the line and columns it has in a parse of the whole."""
    from kalint.syntax import parser
    from kalint.text import expand

    text = ("global_defs {\n router_id A\n}\n\nvrrp_instance VI_1 {\n  state MASTER\n"
            "  track_script { chk }\n  virtual_ipaddress {\n   192.0.2.1/24\n  }\n}\n")
    expansion = expand.expand(SourceFile("t.conf", text))
    whole = parser.parse(expansion).items[1]
    lines = text.split("\n")
    part = parser.parse(expansion, text="\n".join(lines[4:]), first_line=5).items

    def shape(node) -> list:
        return [(node.keyword, node.line, node.column, node.end_line, node.end_column, node.span),
                *(shape(child) for child in getattr(node, "children", []))]

    assert [shape(item) for item in part] == [shape(whole)]


def test_command_words_kept_per_line_stay_right_past_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``_command._raw_line`` keeps its answer per line text, column and words, and
    starts over past ``_WRITTEN_MAX`` entries: with a bound of 3, eight configs of one
    script line each (the line quoted in some, `$NAME`-made in one) split as a config
    read alone splits it."""
    from kalint import model
    from kalint.rules import _command
    from kalint.syntax import parser
    from kalint.text import expand

    monkeypatch.setattr(_command, "_WRITTEN_MAX", 3)
    lines = ['script "/bin/a -x"', "script /bin/a -x", "script '/bin/b y'", 'script "/bin/c \\\\"', "script $CMD",
             'script "/bin/a -x"', "script   /bin/a -x", "script /bin/a -x"]
    seen = []
    for _ in range(2):
        for line in lines:
            text = f"$CMD=/bin/d z\nvrrp_script chk {{\n    {line}\n}}\n"
            config = model.build(parser.parse(expand.expand(SourceFile(str(tmp_path / "k.conf"), text))))
            stmt = config.vrrp_scripts[0].node.children[0]
            seen.append(_command.command_words(config, stmt))
        assert len(_command._WRITTEN) <= 3
    assert seen[:8] == seen[8:]
    assert seen[:5] == [("/bin/a", "-x"), ("/bin/a",), ("/bin/b", "y"), (), ("/bin/d",)]
