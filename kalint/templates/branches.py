"""From tags to keepalived texts: one text per combination of branches kalint lints.

Every text has exactly the template's length and line breaks: markup that prints nothing
and branches not taken become blanks, and a printed expression becomes a run of
``PLACEHOLDER`` characters of the same length, one word to the lexer. So a line and column
in any variant is the same line and column in the template, and no position map is
needed.

Branches: each ``if``/``elif``/``else`` construct (and a loop with an ``else``) is a choice;
an ``if`` without ``else`` has an implicit empty branch. When all combinations number at
most ``MAX_COMBINATIONS`` every one is linted; above that, variant *j* takes branch *j* of
every construct (its last one when it has fewer), so each branch is linted at least once,
and the number of texts is the largest branch count, not the product; a finding in a
branch is then confirmed on the text with that branch alone next to the common parts
(``alone``), linted only for the branches that have findings. Loop bodies are kept once; macro and ``define`` bodies, printed elsewhere, are
blanked.
"""

from __future__ import annotations

import itertools
import re

from kalint.records import dataclass, field
from kalint.templates.markup import Kind, MarkupError, Tag

#: A private-use character: no keepalived config contains it and the lexer reads a run
#: of it as one word.
PLACEHOLDER = "\ue000"
_STRING = re.compile(r"(['\"])([^'\"\\\n]*)\1")
#: Fillers: PLACEHOLDER, then one character of this private-use range naming the tag.
_UNIQUE = 0xE100
_UNIQUE_COUNT = 0x1700
_PLACEHOLDER_RUN = re.compile("\ue000([\ue100-\uf7ff])?\ue000*")
#: All combinations of branches are linted up to this many texts.
MAX_COMBINATIONS = 8


@dataclass(slots=True, eq=False)
class Branch:
    construct: Construct
    #: How the message names the condition: "`x` is true", "`x` is false".
    when: str
    start: int
    end: int = -1


@dataclass(slots=True, eq=False)
class Construct:
    tag: Tag
    branches: list[Branch] = field(default_factory=list)
    has_else: bool = False

    @property
    def choices(self) -> int:
        return len(self.branches) + (0 if self.has_else else 1)


@dataclass(slots=True)
class Structure:
    """A template's tags, its branch constructs and the regions printed elsewhere."""

    text: str
    tags: list[Tag]
    constructs: list[Construct]
    hidden: list[tuple[int, int]]


@dataclass(slots=True, eq=False)
class _Frame:
    tag: Tag
    construct: Construct | None  # None: a loop or block printed once, or a hidden body


def build(text: str, tags: list[Tag]) -> Structure:
    """Nest the tags; MarkupError for an ``end`` with nothing open or a block never closed."""
    stack: list[_Frame] = []
    constructs: list[Construct] = []
    hidden: list[tuple[int, int]] = []
    for tag in tags:
        if tag.kind in (Kind.IF, Kind.OPEN, Kind.HIDE):
            construct = Construct(tag) if tag.kind is Kind.IF else None
            if construct is not None:
                construct.branches.append(Branch(construct, f"`{tag.code}` is true", tag.end))
                constructs.append(construct)
            stack.append(_Frame(tag, construct))
        elif tag.kind in (Kind.ELIF, Kind.ELSE):
            if not stack or stack[-1].tag.kind is Kind.HIDE:
                raise MarkupError(f"`{tag.code}` outside any `if` or loop", tag.start)
            frame = stack[-1]
            if frame.construct is None:  # for/range/with ... else: body or else, a choice
                frame.construct = Construct(frame.tag, [Branch(Construct(frame.tag), "", frame.tag.end)])
                frame.construct.branches[0].construct = frame.construct
                frame.construct.branches[0].when = f"`{frame.tag.code}` is not empty"
                constructs.append(frame.construct)
            construct = frame.construct
            if construct.has_else:
                raise MarkupError(f"`{tag.code}` after the `else` of the same block", tag.start)
            construct.branches[-1].end = tag.start
            first = construct.tag.code
            if tag.kind is Kind.ELSE:
                construct.has_else = True
                when = f"`{first}` is false" if len(construct.branches) == 1 else "no earlier condition holds"
            else:
                when = f"`{_elif_condition(tag.code)}` is true"
            construct.branches.append(Branch(construct, when, tag.end))
        elif tag.kind is Kind.END:
            if not stack:
                raise MarkupError(f"`{tag.code}` closes nothing", tag.start)
            frame = stack.pop()
            if frame.construct is not None:
                frame.construct.branches[-1].end = tag.start
            elif frame.tag.kind is Kind.HIDE:
                hidden.append((frame.tag.end, tag.start))
    if stack:
        raise MarkupError(f"`{stack[-1].tag.code}` is never closed", stack[-1].tag.start)
    return Structure(text, tags, constructs, hidden)


def flat(text: str, tags: list[Tag]) -> Structure:
    """The fallback after a nesting error: every tag, no choice, every body kept."""
    return Structure(text, tags, [], [])


def _elif_condition(code: str) -> str:
    for word in ("elif", "elsif", "else if", "else with", "} elsif"):
        if code.startswith(word):
            return code[len(word):].strip(" ({)")
    return code


Choice = tuple[int, ...]


def choices(structure: Structure) -> list[Choice]:
    """The branch combinations to lint (one index per construct)."""
    counts = [c.choices for c in structure.constructs]
    total = 1
    for count in counts:
        total *= count
        if total > MAX_COMBINATIONS:
            break
    if total <= MAX_COMBINATIONS:
        return list(itertools.product(*(range(n) for n in counts)))
    return [tuple(min(j, n - 1) for n in counts) for j in range(max(counts))]


def exhaustive(structure: Structure, combinations: list[Choice]) -> bool:
    """Whether ``combinations`` are all there are (not the bounded selection)."""
    total = 1
    for construct in structure.constructs:
        total *= construct.choices
    return total == len(combinations)


def alone(structure: Structure, wanted: list[Branch]) -> Choice | None:
    """The combination with the ``wanted`` branches (and the branches around them) taken
    and every other construct at its last choice (its ``else``, or nothing); None when
    two of them exclude each other."""
    choice = []
    for construct in structure.constructs:
        index = None
        for position, other in enumerate(construct.branches):
            if any(other.start <= b.start and b.end <= other.end for b in wanted):
                if index is not None and index != position:
                    return None
                index = position
        choice.append(construct.choices - 1 if index is None else index)
    return tuple(choice)


def render(structure: Structure, choice: Choice) -> tuple[str, list[Branch]]:
    """The keepalived text for one combination, and the branches it contains."""
    chars = list(structure.text)
    markup = bytearray(len(chars))  # 1 where the text came from markup, not the template's literal text
    for number, tag in enumerate(structure.tags):
        known = literal(tag)
        if tag.kind is Kind.EXPR and known is None:
            _fill(chars, tag.start, tag.end, placeholder(number))
        else:
            _fill(chars, tag.start, tag.end, " ")
            if known:
                chars[tag.start:tag.start + len(known)] = known
        markup[tag.start:tag.end] = b"\1" * (tag.end - tag.start)
    taken: list[Branch] = []
    for construct, index in zip(structure.constructs, choice):
        for position, branch in enumerate(construct.branches):
            if position == index:
                taken.append(branch)
            else:
                _fill(chars, branch.start, branch.end, " ")
                markup[branch.start:branch.end] = b"\1" * (branch.end - branch.start)
    for start, end in structure.hidden:
        _fill(chars, start, end, " ")
    _join_words(chars, markup)
    return "".join(chars), [b for b in taken if _outer_taken(b, taken, structure)]


def placeholder(number: int) -> str:
    """The filler of the ``number``-th tag: unique, so two expressions never read as one name."""
    return PLACEHOLDER + chr(_UNIQUE + number % _UNIQUE_COUNT) + PLACEHOLDER


def readable(structure: Structure, message: str) -> str:
    """A message with each placeholder shown as the markup it stands for."""
    if PLACEHOLDER not in message:
        return message

    def markup(match: re.Match[str]) -> str:
        if not match.group(1):
            return "…"
        number = ord(match.group(1)) - _UNIQUE
        tag = structure.tags[number] if number < len(structure.tags) else None
        return " ".join(structure.text[tag.start:tag.end].split()) if tag else "…"

    return _PLACEHOLDER_RUN.sub(markup, message)


def _join_words(chars: list[str], markup: bytearray) -> None:
    """Markup inside a word (``VI_{% if a %}1{% else %}2{% endif %}``) must not split it:
    blanks it left between two non-blank characters become placeholder characters, so the
    word stays one word, and one whose value is unknown."""
    n = len(chars)
    i = 0
    while i < n:
        if not (markup[i] and chars[i] == " "):
            i += 1
            continue
        j = i
        while j < n and markup[j] and chars[j] == " ":
            j += 1
        if i > 0 and j < n and _word_char(chars[i - 1]) and _word_char(chars[j]):
            chars[i:j] = PLACEHOLDER * (j - i)
        i = j


def _word_char(ch: str) -> bool:
    return not ch.isspace() and ch not in "{}"


def literal(tag: Tag) -> str | None:
    """What an expression that is a plain string literal prints (``{{ "{" }}``), if it fits."""
    match = _STRING.fullmatch(tag.code) if tag.kind is Kind.EXPR else None
    if match is None or len(match.group(2)) > tag.end - tag.start:
        return None
    return match.group(2)


def _outer_taken(branch: Branch, taken: list[Branch], structure: Structure) -> bool:
    """Whether every branch enclosing ``branch`` is taken too (and no hidden body holds it)."""
    for construct in structure.constructs:
        for other in construct.branches:
            if other is not branch and other.start <= branch.start and branch.end <= other.end and other not in taken:
                return False
    return not any(start <= branch.start and branch.end <= end for start, end in structure.hidden)


def _fill(chars: list[str], start: int, end: int, filler: str) -> None:
    """Overwrite a region, keeping its line ends; ``filler``'s characters are used in turn,
    its last one repeated."""
    last = len(filler) - 1
    k = 0
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = filler[min(k, last)]
            k += 1
