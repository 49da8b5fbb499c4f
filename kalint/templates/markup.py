"""Finding template markup in a text: one ``Tag`` per ``{{ }}``, ``{% %}``, ``<% %>``, ...

Each engine's scanner only decides where a tag starts and ends and what it does to the
output (prints an unknown value, prints nothing, opens or closes a branch or a block).
What the tags mean for linting is decided in ``kalint.templates.branches``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from enum import Enum

from kalint.records import dataclass


class Kind(Enum):
    EXPR = "expr"  # prints a value nobody knows before rendering: a placeholder
    SILENT = "silent"  # prints nothing (comments, assignments, imports)
    IF = "if"  # opens a branch
    ELIF = "elif"  # another branch of the innermost open construct
    ELSE = "else"  # the last branch of the innermost open construct
    OPEN = "open"  # opens a block printed once as written (loops, with, filter)
    HIDE = "hide"  # opens a block printed elsewhere or never (macro, define, block set)
    END = "end"  # closes the innermost open construct


@dataclass(frozen=True, slots=True)
class Tag:
    start: int
    end: int
    kind: Kind
    #: The condition or expression as written (for messages), without delimiters.
    code: str


class MarkupError(Exception):
    """A tag that never closes; ``offset`` is where it starts."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def _close(text: str, pos: int, closing: str) -> int:
    """Offset just after ``closing``, skipping quoted strings in the tag's code."""
    i = pos
    n = len(text)
    while i < n:
        ch = text[i]
        if text.startswith(closing, i):
            return i + len(closing)
        if ch in "\"'`":
            j = text.find(ch, i + 1)
            while j != -1 and ch != "`" and text[j - 1] == "\\":
                j = text.find(ch, j + 1)
            if j == -1 or "\n" in text[i:j] and ch != "`":
                i += 1  # an apostrophe in prose, not a string
                continue
            i = j + 1
            continue
        i += 1
    raise MarkupError(f"`{text[pos - 2:pos]}` is never closed by `{closing}`", pos - 2)


def _inner(raw: str, left: int, right: int) -> str:
    """The code of a tag: delimiters, whitespace control marks and blanks removed."""
    code = raw[left:len(raw) - right]
    return code.strip().removeprefix("-").removeprefix("+").removesuffix("-").removesuffix("+").strip().removeprefix("~").removesuffix("~").strip()


# -- Jinja2 ---------------------------------------------------------------------------------

_JINJA_STATEMENTS = {
    "if": Kind.IF, "elif": Kind.ELIF, "else": Kind.ELSE,
    "for": Kind.OPEN, "filter": Kind.OPEN, "with": Kind.OPEN, "block": Kind.OPEN,
    "autoescape": Kind.OPEN, "trans": Kind.OPEN,
    "macro": Kind.HIDE, "call": Kind.HIDE,
    "include": Kind.EXPR,
}
_JINJA_RAW_END = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")


def jinja(text: str) -> Iterator[Tag]:
    pos = 0
    while True:
        start = text.find("{", pos)
        if start == -1:
            return
        pair = text[start:start + 2]
        if pair == "{{":
            end = _close(text, start + 2, "}}")
            yield Tag(start, end, Kind.EXPR, _inner(text[start:end], 2, 2))
        elif pair == "{#":
            end = text.find("#}", start + 2)
            if end == -1:
                raise MarkupError("`{#` comment is never closed by `#}`", start)
            end += 2
            yield Tag(start, end, Kind.SILENT, "")
        elif pair == "{%":
            end = _close(text, start + 2, "%}")
            code = _inner(text[start:end], 2, 2)
            word = code.split(None, 1)[0] if code else ""
            if word == "raw":
                match = _JINJA_RAW_END.search(text, end)
                if match is None:
                    raise MarkupError("`{% raw %}` is never closed by `{% endraw %}`", start)
                yield Tag(start, end, Kind.SILENT, code)
                yield Tag(match.start(), match.end(), Kind.SILENT, "endraw")
                end = match.end()
            else:
                yield Tag(start, end, _jinja_kind(word, code), code)
        else:
            end = start + 1
        pos = end


def _jinja_kind(word: str, code: str) -> Kind:
    if word.startswith("end"):
        return Kind.END
    if word == "set":
        return Kind.SILENT if "=" in code else Kind.HIDE
    return _JINJA_STATEMENTS.get(word, Kind.SILENT)


# -- Go text/template and Mustache ----------------------------------------------------------

_GO_ASSIGN = re.compile(r"^\$\w*\s*:?=[^=]|^\$\w+\s*,\s*\$\w+\s*:=")


def go(text: str) -> Iterator[Tag]:
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start == -1:
            return
        # ``{{`...`}}``: a raw string printed as is (two-stage templates): its content is
        # the template, so only the two delimiters are markup.
        opening = re.compile(r"\{\{-?\s*`").match(text, start)
        if opening:
            yield Tag(start, opening.end(), Kind.SILENT, "")
            closing = re.compile(r"`\s*-?\}\}").search(text, opening.end())
            if closing is None:
                raise MarkupError("``{{`...`` is never closed by ``...`}}``", start)
            yield from (Tag(t.start + opening.end(), t.end + opening.end(), t.kind, t.code)
                        for t in go(text[opening.end():closing.start()]))
            yield Tag(closing.start(), closing.end(), Kind.SILENT, "")
            pos = closing.end()
            continue
        if text.startswith("{{/*", start) or text.startswith("{{- /*", start):
            end = text.find("*/", start)
            end = -1 if end == -1 else text.find("}}", end)
            if end == -1:
                raise MarkupError("`{{/*` comment is never closed by `*/}}`", start)
            end += 2
            yield Tag(start, end, Kind.SILENT, "")
        else:
            end = _close(text, start + 2, "}}")
            code = _inner(text[start:end], 2, 2)
            yield Tag(start, end, _go_kind(code), code)
        pos = end


def _go_kind(code: str) -> Kind:
    word = code.split(None, 1)[0] if code else ""
    if word == "else":
        return Kind.ELIF if code != "else" else Kind.ELSE
    kinds = {"if": Kind.IF, "range": Kind.OPEN, "with": Kind.OPEN, "block": Kind.OPEN,
             "define": Kind.HIDE, "end": Kind.END, "break": Kind.SILENT, "continue": Kind.SILENT}
    if word in kinds:
        return kinds[word]
    return Kind.SILENT if _GO_ASSIGN.match(code) else Kind.EXPR


def mustache(text: str) -> Iterator[Tag]:
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start == -1:
            return
        triple = text.startswith("{{{", start)
        end = text.find("}}}" if triple else "}}", start + 2)
        if end == -1:
            raise MarkupError("`{{` is never closed by `}}`", start)
        end += 3 if triple else 2
        code = text[start + 2:end - 2].strip("{} ")
        sigil = code[:1]
        kind = {"#": Kind.OPEN, "^": Kind.IF, "/": Kind.END, "!": Kind.SILENT, "=": Kind.SILENT}.get(sigil, Kind.EXPR)
        yield Tag(start, end, kind, f"not {code[1:].strip()}" if sigil == "^" else code)
        pos = end


# -- ERB (Chef, Puppet) ---------------------------------------------------------------------

_RUBY_OPEN = re.compile(r"(?:\bdo\s*(?:\|[^|]*\|)?|\{\s*(?:\|[^|]*\|)?)\s*$")
_RUBY_LOOP = re.compile(r"^(?:while|until|for|case|begin)\b")


def erb(text: str) -> Iterator[Tag]:
    pos = 0
    while True:
        start = text.find("<%", pos)
        if start == -1:
            return
        if text.startswith("<%%", start):
            pos = start + 3
            continue
        end = _close(text, start + 2, "%>")
        raw = text[start:end]
        if raw.startswith("<%#"):
            yield Tag(start, end, Kind.SILENT, "")
        elif raw.startswith(("<%=", "<%-=")):
            yield Tag(start, end, Kind.EXPR, _inner(raw.replace("=", "", 1), 2, 2))
        else:
            code = _inner(raw, 2, 2)
            yield Tag(start, end, _ruby_kind(code), code)
        pos = end


def _ruby_kind(code: str) -> Kind:
    word = re.split(r"[\s(;]", code, maxsplit=1)[0]
    if word in ("if", "unless"):
        return Kind.IF
    if word == "elsif" or code.startswith("} elsif"):
        return Kind.ELIF
    if word == "else" or re.fullmatch(r"\}\s*else\s*\{", code):
        return Kind.ELSE
    if word in ("end", "}") or code in ("end", "}"):
        return Kind.END
    if _RUBY_LOOP.match(code) or _RUBY_OPEN.search(code):
        return Kind.OPEN
    return Kind.SILENT


# -- ${var} and %{if} (Terraform templatefile, envsubst) -----------------------------------

_DIRECTIVE = {"if": Kind.IF, "else": Kind.ELSE, "endif": Kind.END, "for": Kind.OPEN, "endfor": Kind.END}


def dollar(text: str) -> Iterator[Tag]:
    last = 0
    for match in re.finditer(r"(?<!\$)[$%]\{", text):
        start = match.start()
        if start < last:
            continue
        depth, i = 0, start + 1
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        else:
            raise MarkupError(f"`{match.group()}` is never closed by `}}`", start)
        code = _inner(text[start:i + 1], 2, 1)
        last = i + 1
        if text[start] == "$":
            yield Tag(start, i + 1, Kind.EXPR, code)
        else:
            yield Tag(start, i + 1, _DIRECTIVE.get(code.split(None, 1)[0] if code else "", Kind.SILENT), code)


# -- _name_ tokens replaced by sed ----------------------------------------------------------

_SED_TOKEN = re.compile(r"(?<![\w/.-])_[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?![\w/.-])")


def sed_tokens(text: str) -> set[str]:
    return set(_SED_TOKEN.findall(text))


def sed(text: str) -> Iterator[Tag]:
    for match in _SED_TOKEN.finditer(text):
        yield Tag(match.start(), match.end(), Kind.EXPR, match.group())


SCANNERS: dict[str, Callable[[str], Iterator[Tag]]] = {
    "jinja2": jinja, "go": go, "mustache": mustache, "erb": erb, "dollar": dollar, "sed": sed,
}


def scan(text: str, engine: str) -> list[Tag]:
    """Every tag of ``engine`` in ``text``, in order; MarkupError if one never closes."""
    tags = list(SCANNERS[engine](text))
    tags.sort(key=lambda t: t.start)
    return tags
