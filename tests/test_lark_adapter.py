"""kalint.syntax.lark_adapter: the installed lark is one it was checked with, its table
runs in ``kalint.syntax.lalr`` exactly as in lark's own loop, and grammars whose
callbacks lark would wrap are refused rather than run differently."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

import lark
import pytest

from kalint.syntax import lalr, lark_adapter

GRAMMAR = """
start: items
items: | items item
item: WORD | OPEN items CLOSE
WORD: /[a-z]+/
OPEN: "{"
CLOSE: "}"
%ignore " "
"""
OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "basic"}


class Recorder:
    """A builder that records each reduction: (rule, what its children were)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def _record(self, rule: str, children: list[object]) -> str:
        shapes = tuple(c.type if isinstance(c, lark.Token) else str(c) for c in children)
        self.calls.append((rule, shapes))
        return f"{rule}#{len(self.calls)}"

    def start(self, children: list[object]) -> str:
        return self._record("start", children)

    def items(self, children: list[object]) -> str:
        return self._record("items", children)

    def item(self, children: list[object]) -> str:
        return self._record("item", children)


def test_installed_lark_is_supported() -> None:
    assert lark_adapter.supported(lark.__version__), (
        f"lark {lark.__version__} is outside {lark_adapter.LARK_VERSIONS}: check kalint.syntax.lark_adapter, "
        "then widen the range here and in pyproject.toml")


@pytest.mark.parametrize(("version", "ok"), [("1.1.9", True), ("1.3.1", True), ("1.4.0", False), ("1.0.0", False)])
def test_supported_range(version: str, ok: bool) -> None:
    assert lark_adapter.supported(version) is ok


def test_installed_version_is_read_without_importing() -> None:
    assert lark_adapter.installed_version() == lark.__version__


def _random_text(rng: random.Random) -> str:
    parts, depth = [], 0
    for _ in range(rng.randrange(0, 30)):
        choice = rng.random()
        if choice < 0.4:
            parts.append(rng.choice(["a", "bc", "d"]))
        elif choice < 0.7:
            parts.append("{")
            depth += 1
        elif depth:
            parts.append("}")
            depth -= 1
    return " ".join(parts + ["}"] * depth)


def _runs_alike(grammar: str, recorder: type[Recorder], streams: Iterable[list[lark.Token]],
                options: dict[str, Any] = OPTIONS) -> None:
    """lark's loop and kalint's on each token stream: the same reductions, the same result."""
    theirs, ours = recorder(), recorder()
    larks = lark.Lark(grammar, transformer=theirs, **options)
    table = lark_adapter.parse_table(lark.Lark(grammar, transformer=ours, **options), ours)
    for tokens in streams:
        theirs.calls.clear()
        ours.calls.clear()
        interactive = larks.parse_interactive(None)
        run = lalr.Run(table, ours)
        for token in tokens:
            interactive.feed_token(token)
            run.feed(token.type, token)
        assert run.finish() == interactive.feed_eof()
        assert ours.calls == theirs.calls, tokens


@pytest.mark.parametrize("seed", range(5))
def test_table_runs_as_larks_loop(seed: int) -> None:
    rng = random.Random(seed)
    lexer = lark.Lark(GRAMMAR, **OPTIONS)
    _runs_alike(GRAMMAR, Recorder, (list(lexer.lex(_random_text(rng))) for _ in range(200)))


def test_token_without_action_is_an_error() -> None:
    recorder = Recorder()
    table = lark_adapter.parse_table(lark.Lark(GRAMMAR, transformer=recorder, **OPTIONS), recorder)
    run = lalr.Run(table, recorder)
    run.feed("OPEN", lark.Token("OPEN", "{"))
    with pytest.raises(lalr.UnexpectedToken) as error:
        run.finish()  # the block is still open
    assert error.value.kind == "$END"
    assert "CLOSE" in str(error.value)


@pytest.mark.parametrize("grammar", [
    GRAMMAR.replace("item: WORD", "?item: WORD"),  # lark passes a one-child item's child on
    GRAMMAR.replace('OPEN: "{"\n', "").replace("OPEN items", '"{" items'),  # lark filters an anonymous token out
    GRAMMAR.replace("items: | items item", "items: item*"),  # lark inlines the helper rule of `*`
])
def test_callbacks_lark_would_wrap_are_refused(grammar: str) -> None:
    recorder = Recorder()
    with pytest.raises(lark_adapter.UnsupportedGrammar):
        lark_adapter.parse_table(lark.Lark(grammar, transformer=recorder, **OPTIONS), recorder)


class KalintRecorder(Recorder):
    def block(self, children: list[object]) -> str:
        return self._record("block", children)

    def stray_open(self, children: list[object]) -> str:
        return self._record("stray_open", children)


def _random_tokens(rng: random.Random) -> list[lark.Token]:
    """What kalint's tokenizer feeds: runs of statements, blocks headed by a STMT, stray `{`."""
    tokens, depth = [], 0
    for _ in range(rng.randrange(0, 40)):
        choice = rng.random()
        if choice < 0.3 and (not tokens or tokens[-1].type != "LINES"):
            tokens.append(lark.Token("LINES", "lines"))
        elif choice < 0.6:
            tokens += [lark.Token("STMT", "header"), lark.Token("OPEN", "{")]
            depth += 1
        elif choice < 0.7:
            tokens.append(lark.Token("OPEN", "{"))
            depth += 1
        elif depth:
            tokens.append(lark.Token("CLOSE", "}"))
            depth -= 1
    return tokens + [lark.Token("CLOSE", "}")] * depth


@pytest.mark.parametrize("seed", range(3))
def test_kalints_table_runs_as_larks_loop(seed: int) -> None:
    from kalint.syntax import parser as kalint_parser

    rng = random.Random(seed)
    _runs_alike(kalint_parser.grammar_text(), KalintRecorder, (_random_tokens(rng) for _ in range(200)),
                kalint_parser._LARK_OPTIONS)
