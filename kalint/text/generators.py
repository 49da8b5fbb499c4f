"""keepalived's line generators: ``~SEQ(var, ...)`` and ``~LST(var, ...)``.

A generator line repeats the rest of its line once per value with ``$var`` bound
(lib/parser.c add_seq / add_lst). This module only computes the bindings; the
expander feeds each produced line back through the usual line processing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A runaway ``~SEQ(i, 1, 100000000)`` must not hang the linter.
MAX_GENERATED_LINES = 10000

_SEQ = re.compile(r"~SEQ(x?)[ \t]*\(([^)]*)\)[ \t]*(.*)$")
_LST = re.compile(r"~LST[ \t]*\((.*)\)[ \t]*(.*)$")

Expanded = list[tuple[dict[str, str], str]]


def expand(line: str, substitute: Callable[[str], str]) -> Expanded | str:
    """The (bindings, text) pairs a generator line produces, or an error message."""
    if line.startswith("~SEQ"):
        return _seq(line, substitute)
    return _lst(line)


def _int(word: str) -> int:
    return int(word.strip(), 0)


def _seq(line: str, substitute: Callable[[str], str]) -> Expanded | str:
    m = _SEQ.match(line)
    if not m:
        return f"invalid ~SEQ specification `{line}`"
    hex_output, inside, text = m.group(1) == "x", m.group(2), m.group(3)
    parts = [p.strip() for p in substitute(inside).split(",")]
    var, numbers = parts[0], parts[1:]
    if not var or not numbers or len(numbers) > 3:
        return f"invalid ~SEQ definition `{line}`"
    try:
        values = [_int(n) for n in numbers]
    except ValueError:
        return f"invalid ~SEQ definition `{line}`"
    if len(values) == 1:
        end = values[0]
        start, step = (-1 if end < 0 else 1), (-1 if end < 1 else 1)
    elif len(values) == 2:
        start, end = values
        step = 1 if start <= end else -1
    else:
        start, step, end = values
        if step == 0 or (start < end and step < 0) or (start > end and step > 0):
            return f"invalid ~SEQ values `{line}`"
    if hex_output and (start < 0 or end < 0):
        return f"~SEQx is only valid for positive numbers `{line}`"
    out: Expanded = []
    value = start
    while (step > 0 and value <= end) or (step < 0 and value >= end):
        out.append(({var: format(value, "x") if hex_output else str(value)}, text))
        if len(out) >= MAX_GENERATED_LINES:
            break
        value += step
    return out


def _groups(inside: str) -> list[list[str]]:
    """Split ``{a,b}, {1,2}`` or ``a, 1, 2`` into groups of words."""
    groups: list[list[str]] = []
    for m in re.finditer(r"\{([^}]*)\}|([^,{}]+)", inside):
        if m.group(1) is not None:
            groups.append([w.strip() for w in m.group(1).split(",")])
        elif m.group(2).strip():
            groups.append([m.group(2).strip()])
    return groups


def _lst(line: str) -> Expanded | str:
    m = _LST.match(line)
    if not m:
        return f"invalid ~LST specification `{line}`"
    groups, text = _groups(m.group(1)), m.group(2)
    if len(groups) < 2:
        return f"invalid ~LST specification `{line}`"
    names = groups[0]
    out: Expanded = []
    for values in groups[1:]:
        if len(values) > len(names):
            return f"~LST specification has too many values `{line}`"
        out.append((dict(zip(names, values)), text))
    return out
