"""The places kalint reaches below lark's public API, kept in one module.

lark computes the LALR table of ``grammar/keepalived.lark``; ``parse_table`` reads it out
of a built parser as plain data that ``kalint.syntax.lalr`` runs and the parser's cache
stores (so a cached start never imports lark, docs/performance.md). ``installed_version``
keys that cache without importing lark. ``pyproject.toml`` pins lark to the versions this
was checked with (``LARK_VERSIONS``), and tests/test_lark_adapter.py fails when the
installed lark is outside them or when either entry point stops behaving.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from kalint.syntax.lalr import Table

#: lark releases (major, minor) this module was checked with, inclusive.
LARK_VERSIONS = ((1, 1), (1, 3))

def supported(version: str) -> bool:
    """Whether a lark version string is within ``LARK_VERSIONS``."""
    parts = tuple(int(p) for p in version.split(".")[:2])
    return LARK_VERSIONS[0] <= parts <= LARK_VERSIONS[1]


def installed_version() -> str:
    """The installed lark's ``__version__``, read from its ``__init__.py`` without
    importing it; when that fails, the file's size and time (a key that still changes
    with the installation)."""
    spec = importlib.util.find_spec("lark")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "missing"
    try:
        with open(origin, encoding="utf-8") as handle:
            for line in handle:  # `__version__: str = "1.3.1"` (no regex: compiling one costs more)
                name, equals, value = line.partition("=")
                if equals and name.split(":")[0].strip() == "__version__":
                    return value.strip().strip("'\"")
        st = os.stat(origin)
    except (OSError, UnicodeDecodeError):
        return "unreadable"
    return f"unknown:{st.st_size}:{st.st_mtime_ns}"


class UnsupportedGrammar(Exception):
    """The grammar uses a lark feature ``kalint.syntax.lalr`` does not run."""


def parse_table(parser: Any, builder: object) -> Table:
    """The LALR table of ``parser`` (a ``Lark(..., parser="lalr", transformer=builder)``).

    Each rule's callback must be one of ``builder``'s own methods, called with the rule's
    children as they are: lark wraps it when the grammar inlines a rule (``_name``,
    ``?name``), filters tokens or has terminal callbacks, which ``lalr.Run`` does not do.
    """
    conf = parser.parse_interactive(None).parser_state.parse_conf
    from lark.parsers.lalr_analysis import Shift

    numbers = {state: number for number, state in enumerate(conf.states)}
    rules: dict[Any, int] = {}
    described: list[tuple[str, int, str]] = []
    actions: list[dict[str, int]] = []
    for state in conf.states:
        row: dict[str, int] = {}
        for symbol, (action, argument) in conf.states[state].items():
            if action is Shift:
                row[str(symbol)] = numbers[argument]
                continue
            if argument not in rules:
                rules[argument] = len(described)
                described.append((str(argument.origin.name), len(argument.expansion), _method(conf.callbacks, argument, builder)))
            row[str(symbol)] = ~rules[argument]
        actions.append(row)
    if any(isinstance(key, str) for key in conf.callbacks):
        raise UnsupportedGrammar("terminal callbacks")
    return Table(actions, described, numbers[conf.start_state], numbers[conf.end_state])


def _method(callbacks: dict[Any, Any], rule: Any, builder: object) -> str:
    callback = callbacks.get(rule)
    name = getattr(callback, "__name__", "")
    if getattr(callback, "__self__", None) is not builder or getattr(builder, name, None) != callback:
        raise UnsupportedGrammar(f"rule {rule.origin.name!r} does not call a method of the builder as is")
    return str(name)
