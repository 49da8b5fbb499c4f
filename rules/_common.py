"""Helpers shared by the built-in rules (reporting and naming, not the model)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Hashable, Iterable, Iterator
from functools import cache
from typing import TypeVar

from kalint.diagnostic import Edit, Fix, Severity
from kalint.model import Config, schema
from kalint.model.missing_argument import EXITS_WITHOUT_ARGUMENT, PROBED_VERSION
from kalint.syntax.span import Span
from kalint.syntax.tree import Node, Word

T = TypeVar("T")


def repeats(items: Iterable[T], key: Callable[[T], Hashable]) -> Iterator[tuple[T, T]]:
    """(item, the first item with its key) for each later item with a key already seen, in
    order: keepalived keeps the first of a name, peer or interface and ignores the rest."""
    first: dict[Hashable, T] = {}
    for item in items:
        earlier = first.setdefault(key(item), item)
        if earlier is not item:
            yield item, earlier


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``name`` (did-you-mean), or None when none is close."""
    import difflib  # only when a name is undefined: not on every run's start-up path

    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=cutoff)
    return matches[0] if matches else None


class Suggestions:
    """Did-you-mean for many names against one set of candidates, in bounded work.

    Each distinct name is looked up once, and lookups stop once ``MAX_COMPARISONS``
    name-to-candidate comparisons are spent: a config with thousands of misspelled
    references must not cost references x candidates (real configs stay far below).
    """

    MAX_COMPARISONS = 4096

    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = sorted(set(candidates))
        self.budget = self.MAX_COMPARISONS
        self.found: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name not in self.found:
            suggestion = None
            if self.budget >= len(self.candidates):
                self.budget -= len(self.candidates)
                suggestion = closest(name, self.candidates)
            self.found[name] = suggestion
        return self.found[name]


def unread_includes(config: Config) -> list[str]:
    """Include patterns whose files kalint could not read: a definition may hide there."""
    return [record.pattern for record in config.includes if record.incomplete]


def severity_if_complete(config: Config) -> tuple[Severity | None, str]:
    """Lower a finding to info, with a note, when an unread include could change it."""
    unread = unread_includes(config)
    if not unread:
        return None, ""
    patterns = ", ".join(f"`{p}`" for p in unread[:3])
    return Severity.INFO, f" (may be defined in {patterns}, which kalint could not read)"


def quoted(words: Iterable[str]) -> str:
    """``a``, ``b`` as a message lists words: each in backticks, comma-separated."""
    return ", ".join(f"`{w}`" for w in words)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def normal_address(text: str) -> str:
    """An address in canonical form, without ``/prefix`` (the text itself if unparsable)."""
    bare = text.partition("/")[0]
    if ":" not in bare:
        return bare  # dotted-quad IPv4 is compared as written
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        return bare


def stops_without_argument(spec: schema.KeywordSpec) -> bool:
    """Whether keepalived stops reading the whole config when ``spec`` lacks its argument.

    Measured on the real binary (kalint.model.missing_argument): most handlers read the
    word unchecked, and keepalived's parser then exits ("is missing a parameter").
    """
    return spec.path in EXITS_WITHOUT_ARGUMENT


def missing_argument_effect(spec: schema.KeywordSpec) -> str:
    """What keepalived does with a line where ``spec`` has too few arguments."""
    if stops_without_argument(spec):
        return "keepalived stops reading the config at this line and exits (\"is missing a parameter\")"
    if schema.newer_than(spec, PROBED_VERSION):
        return "keepalived drops the line or stops reading the config"
    return "keepalived ignores the line"


def line_of(node: Node, seen_from: Span) -> str:
    """"line N" for where ``node`` starts in its file, and the file's name when it is not
    the one ``seen_from`` lies in. Never ``node.line``: that counts lines of the expanded
    text, which every include and multi-line `$NAME` before it moves."""
    span = node.doc.expansion.span(node.line, node.column, node.line, node.column)
    return f"line {span.line}" if span.path == seen_from.path else f"line {span.line} of {span.path}"


def written_as(node: Node, text: str) -> bool:
    """Whether the file holds exactly ``text`` where ``node`` is (not text produced by
    `$NAME`, `~SEQ` or another expansion, where an edit would change something else)."""
    expansion = node.doc.expansion
    source, start = expansion.locate(node.line, node.column)
    end_source, end = expansion.locate(node.end_line, node.end_column)
    return end_source is source and source.text[start:end] == text


def replace_fix(word: Word, text: str, description: str, *, safe: bool = False) -> Fix | None:
    """A fix that writes ``text`` in place of ``word`` (None where the file does not hold
    the word literally). Unsafe by default: most replacements change what keepalived does."""
    if not written_as(word, word.text):
        return None
    return Fix(description, (Edit(word.span, text),), safe=safe)


def rename_fix(word: Word, name: str) -> Fix | None:
    """The did-you-mean fix: rename ``word`` to ``name``."""
    return replace_fix(word, name, f"rename `{word.text}` to `{name}`")


@cache
def keyword_names(path: str) -> frozenset[str]:
    """The keyword at ``path`` and every alias of it in the same block (the schema's;
    cached: rules ask for the same paths in every config)."""
    parent, _, name = path.rpartition(".")
    return frozenset({name, *(other for other, spec in schema.block_keywords(parent).items() if spec.alias_of == path)})
