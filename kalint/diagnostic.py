"""What every stage and rule reports: a Diagnostic with a span, related spans and fixes."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Protocol

from kalint.records import dataclass, field
from kalint.syntax.span import Span


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= threshold`` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, word: str) -> Severity:
        try:
            return cls[word.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {word!r}; use error, warning or info") from None


@dataclass(frozen=True, slots=True)
class Related:
    """A secondary location, e.g. "defined here"."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of ``span`` (in its file) with ``text``."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of edits that together repair one finding."""

    description: str
    edits: tuple[Edit, ...]
    #: Safe fixes keep what keepalived does; unsafe ones change it (``--unsafe-fixes``).
    safe: bool = True
    #: The fix repairs the file's structure itself (a missing `}`), so it applies where a
    #: syntax error keeps every other fix away.
    repairs_structure: bool = False


@dataclass(frozen=True, slots=True)
class PeerTag:
    """The peer group a cluster finding came from (JSON ``peer_group``, SARIF ``peerGroup``)."""

    #: ``automatic`` (found by kalint), ``declared`` (``[peers] groups``), ``independent``
    #: (``[peers] independent``) or ``off`` (``--no-peers``).
    how: str
    #: The declared group's name; None otherwise.
    name: str | None
    #: The configs of the group, as linted (``path@id`` for a config linted as one host).
    configs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a rule's code, where it is, what it means and how to fix it."""

    code: str
    message: str
    span: Span
    severity: Severity | None = None  # None: the rule's default severity
    name: str = ""
    related: tuple[Related, ...] = ()
    help: str | None = None
    fix: Fix | None = None
    config_id: str | None = None
    #: Cluster findings only: the peer group they came from.
    peer_group: PeerTag | None = None

    def with_(self, **changes: Any) -> Diagnostic:
        return replace(self, **changes)

    def spans(self) -> Iterator[Span]:
        """Every place the finding names: its own span, its related locations', its fix's edits'."""
        yield self.span
        for related in self.related:
            yield related.span
        if self.fix is not None:
            for edit in self.fix.edits:
                yield edit.span

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.line, s.column, self.code, self.message)


class Reportable(Protocol):
    """A rule class: the reading stages report findings through the rule they belong to."""

    code: str

    @classmethod
    def finding(cls, span: Span, message: str, **extra: Any) -> Diagnostic: ...


#: Findings of one rule in one file that are shown; the rest are summed up in one KA019
#: finding ("and 399,000 more KA001"): 200 KB of `{` must not become 400,000 findings.
MAX_PER_RULE = 1000


@dataclass(slots=True)
class Collector:
    """Accumulates diagnostics produced while reading and parsing a config.

    Past :data:`MAX_PER_RULE` findings of a code it only counts them (``omitted``), so
    hostile input costs no span, message or object per extra finding.
    """

    items: list[Diagnostic] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)
    omitted: dict[str, int] = field(default_factory=dict)

    def wants(self, rule: Reportable) -> bool:
        """Whether a finding of ``rule`` would be kept; counts it as omitted if not."""
        code = rule.code
        if self.kept.get(code, 0) < MAX_PER_RULE:
            return True
        self.omitted[code] = self.omitted.get(code, 0) + 1
        return False

    def add(self, rule: Reportable, span: Span, message: str, **extra: Any) -> None:
        if not self.wants(rule):
            return
        self.kept[rule.code] = self.kept.get(rule.code, 0) + 1
        self.items.append(rule.finding(span, message, **extra))
