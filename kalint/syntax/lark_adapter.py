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


def identity_reductions(parser: Any) -> None:
    """Make the rules in ``parser``'s LALR table compare and hash by identity.

    lark's loop checks ``assert arg != end_state`` and looks up ``callbacks[rule]`` on
    every reduction; ``Rule.__eq__`` and ``Rule.__hash__`` are Python methods, so each
    reduction paid two Python calls (about 300k on a 130k-line config). Each rule of the
    table is replaced by an equal copy whose comparison and hash are the built-in ones,
    in the states and as the callback keys. Call it after the tables were serialized.
    """
    from lark.grammar import Rule
    from lark.parsers.lalr_analysis import Reduce

    class _IdentityRule(Rule):
        __slots__ = ()
        __eq__ = object.__eq__
        __hash__ = object.__hash__

    conf = parser.parse_interactive(None).parser_state.parse_conf
    copies: dict[Any, Any] = {}
    for actions in conf.states.values():
        for terminal, (action, arg) in actions.items():
            if action is Reduce:
                if arg not in copies:
                    copies[arg] = _IdentityRule(arg.origin, arg.expansion, arg.order, arg.alias, arg.options)
                actions[terminal] = (action, copies[arg])
    callbacks = conf.callbacks
    replaced = {copies.get(rule, rule): callback for rule, callback in callbacks.items()}
    callbacks.clear()
    callbacks.update(replaced)
