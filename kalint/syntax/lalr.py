"""Run the LALR(1) table lark computed from ``grammar/keepalived.lark``.

lark reads the grammar and computes its parse table once; ``kalint.syntax.lark_adapter``
turns that table into plain data, which the parser caches with its scanner. Parsing runs
the table here: lark's own shift/reduce loop, without what the grammar does not use
(terminal callbacks, child filtering, error recovery: kalint's tokenizer never hands over
a token the table has no action for). The reason is start-up: with a cached table a
lint never imports lark, which cost 20 ms of the 105 ms a small config took
(docs/performance.md). tests/test_lalr.py runs lark's loop and this one on the same
tokens and compares every reduction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Table(NamedTuple):
    """An LALR(1) table as plain data (what ``marshal`` stores).

    ``actions[state]`` maps a terminal, or after a reduction the rule's name, to the
    state to shift to (an int >= 0) or to ``~i`` to reduce by ``rules[i]``. A rule is
    (name, how many symbols it pops, the name of the builder method lark would call).
    """

    actions: list[dict[str, int]]
    rules: list[tuple[str, int, str]]
    start: int
    end: int


class UnexpectedToken(Exception):
    """A token the table has no action for in the current state (a kalint bug: the
    tokenizer only hands over sequences the grammar accepts)."""

    def __init__(self, kind: str, expected: list[str]) -> None:
        super().__init__(f"unexpected {kind} token; the grammar expects one of {', '.join(expected)}")
        self.kind = kind


class Run:
    """One parse: feed tokens, each as its terminal's name and a value, then ``finish``.

    ``builder`` holds a method per rule, called with the list of the rule's children
    (the values of its tokens and earlier results) as lark calls a transformer's methods
    with tokens. A token is never an object of its own: a parse feeds one per brace
    and per run of statements, and making them was a third of the builder's time.
    """

    __slots__ = ("_actions", "_rules", "_end", "_states", "values")

    def __init__(self, table: Table, builder: object) -> None:
        self._actions = table.actions
        self._rules: list[tuple[str, int, Callable[[list[Any]], Any]]] = [
            (name, size, getattr(builder, method)) for name, size, method in table.rules
        ]
        self._end = table.end
        self._states = [table.start]
        #: Finished subtrees and the values of the tokens still waiting for their rule.
        self.values: list[Any] = []

    def feed(self, kind: str, value: Any) -> Any:
        """Reduce as far as a ``kind`` token allows, then shift it; the end (``finish``) is
        not shifted: the start rule's result is returned once it is reduced. One method
        for both, so that each token costs one call (the loop runs for every line)."""
        actions, rules, states, values = self._actions, self._rules, self._states, self.values
        while True:
            action = actions[states[-1]].get(kind)
            if action is None:
                raise UnexpectedToken(kind, sorted(k for k in actions[states[-1]] if k.isupper()))
            if action >= 0:  # shift (lark never shifts the end: it stops at the end state)
                states.append(action)
                values.append(value)
                return None
            name, size, callback = rules[~action]
            if size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
            else:
                children = []
            values.append(callback(children))
            states.append(actions[states[-1]][name])
            if kind == END and states[-1] == self._end:
                return values[-1]

    def finish(self) -> Any:
        """The start rule's result: reduce what is left at the end of the input."""
        return self.feed(END, None)


#: The end of the input, as lark names it.
END = "$END"
