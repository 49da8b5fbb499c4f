"""The few places kalint reaches below lark's public API, kept in one module.

Each is there for speed measured in docs/performance.md: loading the cached LALR tables
(``Lark._load_from_dict``) instead of building them at every start, feeding tokens
straight to the parser state instead of through lark's per-token wrapper, and reading the
value stack to count the blocks still open at the end of a file without copying it.
``pyproject.toml`` pins lark to the versions this was checked with (``LARK_VERSIONS``),
and tests/test_lark_adapter.py fails when the installed lark is outside them or when
any of these entry points stops behaving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: lark releases (major, minor) this module was checked with, inclusive.
LARK_VERSIONS = ((1, 1), (1, 3))


def supported(version: str) -> bool:
    """Whether a lark version string is within ``LARK_VERSIONS``."""
    parts = tuple(int(p) for p in version.split(".")[:2])
    return LARK_VERSIONS[0] <= parts <= LARK_VERSIONS[1]


def table_data(parser: Any) -> tuple[dict[str, Any], dict[int, Any]]:
    """What ``load_tables`` needs to rebuild ``parser`` without recomputing its tables."""
    from lark.lark import _LOAD_ALLOWED_OPTIONS, Rule, TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _LOAD_ALLOWED_OPTIONS}
    return data, memo


def load_tables(data: dict[str, Any], memo: dict[int, Any], transformer: Any) -> Any:
    """A Lark parser from ``table_data``'s output, calling ``transformer`` on reductions."""
    from lark import Lark

    return Lark._load_from_dict(data, memo, transformer=transformer)


def token_feeder(interactive: Any) -> Callable[[Any], Any]:
    """Feed one token to an interactive parser (no per-token copy or lookahead check)."""
    return interactive.parser_state.feed_token


def value_stack(interactive: Any) -> list[Any]:
    """The parser's value stack: finished subtrees and the tokens still waiting."""
    return interactive.parser_state.value_stack
