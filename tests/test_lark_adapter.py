"""kalint.syntax.lark_adapter: the installed lark is one it was checked with, and each
entry point below lark's public API still does what the parser relies on."""

from __future__ import annotations

import lark
import pytest

from kalint.syntax import lark_adapter

GRAMMAR = """
start: item*
item: WORD | OPEN item* CLOSE
WORD: /[a-z]+/
OPEN: "{"
CLOSE: "}"
%ignore " "
"""


class Counting:
    """A transformer that records reductions, like kalint's builder."""

    def __init__(self) -> None:
        self.items = 0

    def item(self, children: list[object]) -> str:
        self.items += 1
        return "item"


def test_installed_lark_is_supported() -> None:
    assert lark_adapter.supported(lark.__version__), (
        f"lark {lark.__version__} is outside {lark_adapter.LARK_VERSIONS}: check kalint.syntax.lark_adapter, "
        "then widen the range here and in pyproject.toml")


@pytest.mark.parametrize(("version", "ok"), [("1.1.9", True), ("1.3.1", True), ("1.4.0", False), ("1.0.0", False)])
def test_supported_range(version: str, ok: bool) -> None:
    assert lark_adapter.supported(version) is ok


def test_tables_round_trip_and_tokens_feed_the_transformer() -> None:
    built = lark.Lark(GRAMMAR, parser="lalr", lexer="basic")
    data, memo = lark_adapter.table_data(built)
    transformer = Counting()
    parser = lark_adapter.load_tables(data, memo, transformer)
    interactive = parser.parse_interactive(None)
    feed = lark_adapter.token_feeder(interactive)
    for kind, value in (("OPEN", "{"), ("WORD", "a"), ("OPEN", "{")):
        feed(lark.Token(kind, value))
    stack = lark_adapter.value_stack(interactive)
    assert [v.type for v in stack if isinstance(v, lark.Token)] == ["OPEN", "OPEN"]  # two blocks open
    for kind, value in (("CLOSE", "}"), ("CLOSE", "}")):
        feed(lark.Token(kind, value))
    interactive.feed_eof()
    assert transformer.items == 3


def test_identity_reductions_parse_alike_without_rule_comparisons(monkeypatch: pytest.MonkeyPatch) -> None:
    built = lark.Lark(GRAMMAR, parser="lalr", lexer="basic")
    data, memo = lark_adapter.table_data(built)
    transformer = Counting()
    parser = lark_adapter.load_tables(data, memo, transformer)
    lark_adapter.identity_reductions(parser)

    def compared(self: object, other: object) -> bool:
        raise AssertionError("lark compared a rule of the table")

    monkeypatch.setattr(lark.grammar.Rule, "__eq__", compared)
    monkeypatch.setattr(lark.grammar.Rule, "__hash__", lambda self: compared(self, None))
    interactive = parser.parse_interactive(None)
    feed = lark_adapter.token_feeder(interactive)
    for kind, value in (("OPEN", "{"), ("WORD", "a"), ("OPEN", "{"), ("CLOSE", "}"), ("CLOSE", "}"), ("WORD", "b")):
        feed(lark.Token(kind, value))
    interactive.feed_eof()
    assert transformer.items == 4
