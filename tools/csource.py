"""A small reader of keepalived's C source, shared by the tools that learn from it.

Not a C parser: tokens without comments and preprocessor lines, bracket matching, call
arguments and function definitions are all that tools/gen_schema.py (keyword
registration) and tools/parity.py (keepalived's configuration messages) need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_CODE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.DOTALL)
_PREPROCESSOR = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.MULTILINE)
_TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|[A-Za-z_]\w*|\d\w*|\S')
IDENT = re.compile(r"[A-Za-z_]\w*")


def _blank(match: re.Match[str]) -> str:
    """A comment or preprocessor line as blanks that keep its line breaks."""
    return "\n" * match.group(0).count("\n") or " "


def c_token_lines(text: str) -> tuple[list[str], list[int]]:
    """C tokens of ``text`` without comments and preprocessor lines, and the 1-based line
    each starts on.

    Dropping ``#if``/``#else`` keeps every conditional branch: the union is what some
    build of keepalived accepts, which is what a linter should know.
    """
    text = _NOT_CODE.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else _blank(m), text)
    text = _PREPROCESSOR.sub(_blank, text)
    tokens: list[str] = []
    lines: list[int] = []
    line, pos = 1, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        tokens.append(match.group(0))
        lines.append(line)
    return tokens, lines


def c_tokens(text: str) -> list[str]:
    """The tokens of :func:`c_token_lines` alone."""
    return c_token_lines(text)[0]


def past_close(toks: list[str], i: int) -> int:
    """Index just past the bracket that closes the one at ``toks[i]``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j] in ("(", "{", "["):
            depth += 1
        elif toks[j] in (")", "}", "]"):
            depth -= 1
            if depth == 0:
                return j + 1
    return len(toks)


def split_args(toks: list[str]) -> list[list[str]]:
    """The comma-separated arguments of a call, each as its tokens."""
    args: list[list[str]] = [[]]
    depth = 0
    for tok in toks:
        if tok == "," and depth == 0:
            args.append([])
            continue
        depth += (tok in ("(", "{", "[")) - (tok in (")", "}", "]"))
        args[-1].append(tok)
    return [] if args == [[]] else args


def _param_name(param: list[str]) -> str:
    if "(" in param and "*" in param:  # function pointer: void (*handler) (const vector_t *)
        return param[param.index("*", param.index("(")) + 1]
    names = [t for t in param if IDENT.fullmatch(t)]
    return names[-1] if names else ""


@dataclass
class Function:
    """One function definition: ``body`` is its tokens between the braces, ``start`` the
    index of the first of them in the file's tokens."""

    file: str
    params: list[str]
    body: list[str]
    start: int = 0


def functions(toks: list[str], file: str) -> dict[str, Function]:
    """The function definitions in one file's tokens, by name."""
    found: dict[str, Function] = {}
    i = 0
    while i < len(toks):
        if toks[i] != "{":
            i += 1
            continue
        end = past_close(toks, i)
        if i > 1 and toks[i - 1] == ")":
            depth, j = 0, i - 1
            while j > 0:
                depth += (toks[j] == ")") - (toks[j] == "(")
                if depth == 0:
                    break
                j -= 1
            if IDENT.fullmatch(toks[j - 1]) and toks[j - 1] != "__attribute__":
                params = [_param_name(p) for p in split_args(toks[j + 1:i - 1])]
                found[toks[j - 1]] = Function(file, params, toks[i + 1:end - 1], i + 1)
        i = end
    return found
