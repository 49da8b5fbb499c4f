"""pre-commit mode: which findings a change takes part in, and where to report them.

A finding is the change's when a changed file takes part in it: it is located in a
changed file, one of its related locations is, it comes from a peer group with a config
that is or includes a changed file, or it is in a config that includes a changed file.
It is reported in the changed file when it can be: at the related location there (the
original location becomes a related one: the other side of a peer finding), else at the
include line that reads the changed fragment, else at the line of the changed config that
sets the same keyword. Findings that exist without the change too (same fingerprint in
the committed version) are not the change's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from kalint.diagnostic import Diagnostic, Related
from kalint.fingerprint import fingerprints
from kalint.records import dataclass
from kalint.runtime.partition import label
from kalint.syntax.span import Span
from kalint.text.source import SourceFile

if TYPE_CHECKING:
    from kalint.engine import LintedConfig

_OTHER_SIDE = "the other side of this peer finding"
_FOUND_HERE = "found here, caused by the change"


@dataclass(slots=True)
class Root:
    """What one linted root config says about the change."""

    #: Its label as peer groups name it (``path@id``).
    label: str
    path: str
    #: Every file it reads (realpaths), itself included.
    reads: frozenset[str]
    #: Include lines that read a changed file.
    includes: tuple[Span, ...]


def roots(linted: Iterable[LintedConfig], wanted: set[str]) -> list[Root]:
    """What each linted root config reads and where it includes a changed file."""
    found = []
    for item in linted:  # from what a cached config keeps too: its model may never be built
        spans = tuple(span for span, read in item.include_reads if any(os.path.realpath(p) in wanted for p in read))
        found.append(Root(label(item), item.path, item.reads, spans))
    return found


def blamed(diagnostics: list[Diagnostic], sources: dict[str, SourceFile], linted: list[Root],
           wanted: set[str], base: str, committed: Callable[[set[str]], set[str]]) -> list[Diagnostic]:
    """The findings the change takes part in and that the committed version does not
    have, placed in the changed files. ``committed(paths)`` gives the fingerprints of the
    committed version's findings located in ``paths`` (realpaths): a fingerprint names its
    file, so no finding elsewhere can match, and the occurrence numbers of findings in one
    file stay what they are among all findings."""
    roots = _Roots(linted)
    placed = [(diag, _place(diag, sources, roots, wanted)) for diag in diagnostics]
    paths = {os.path.realpath(diag.span.path) for diag, where in placed if where is not None}
    if not paths:
        return []
    located = [(diag, where) for diag, where in placed if os.path.realpath(diag.span.path) in paths]
    known = committed(paths)
    prints = fingerprints([diag for diag, _ in located], sources, base)
    kept = [where for (_, where), print_ in zip(located, prints) if where is not None and print_ not in known]
    return sorted(dict.fromkeys(kept), key=Diagnostic.sort_key)


class _Roots:
    """The linted roots by the files they read and by label: a finding's roots are looked
    up, not searched for among a repository's thousand configs."""

    def __init__(self, linted: list[Root]) -> None:
        self.by_read: dict[str, list[Root]] = {}
        self.by_label: dict[str, list[Root]] = {}
        for root in linted:
            for path in root.reads:
                self.by_read.setdefault(path, []).append(root)
            self.by_label.setdefault(root.label, []).append(root)
        self.position = {id(root): n for n, root in enumerate(linted)}


def _changed(path: str, wanted: set[str]) -> bool:
    return os.path.realpath(path) in wanted


def _place(diag: Diagnostic, sources: dict[str, SourceFile], linted: _Roots, wanted: set[str]) -> Diagnostic | None:
    if _changed(diag.span.path, wanted):
        return diag
    for related in diag.related:
        if _changed(related.span.path, wanted):
            return _moved(diag, related.span, _OTHER_SIDE if diag.peer_group is not None else _FOUND_HERE)
    involved = list(_involved(diag, linted))
    for root in involved:
        if root.includes:
            return _moved(diag, root.includes[0], _FOUND_HERE)
    for root in involved:
        if _changed(root.path, wanted):
            return _moved(diag, _same_keyword(diag, sources, root.path), _OTHER_SIDE)
    return None


def _involved(diag: Diagnostic, linted: _Roots) -> Iterator[Root]:
    """The roots the finding comes from: those that read its file first, then its peers."""
    where = os.path.realpath(diag.span.path)
    readers = linted.by_read.get(where, [])
    yield from readers
    if diag.peer_group is not None:
        peers = {id(root): root for label in diag.peer_group.configs for root in linted.by_label.get(label, [])}
        yield from sorted((r for r in peers.values() if where not in r.reads), key=lambda r: linted.position[id(r)])


def _moved(diag: Diagnostic, span: Span, why: str) -> Diagnostic:
    others = tuple(r for r in diag.related if r.span != span)
    return diag.with_(span=span, related=(Related(diag.span, why), *others))


def _same_keyword(diag: Diagnostic, sources: dict[str, SourceFile], path: str) -> Span:
    """The first line of ``path`` that starts with the keyword of the finding's line."""
    origin = sources.get(diag.span.path)
    target = sources.get(path)
    if target is None:
        real = os.path.realpath(path)
        target = next((s for p, s in sources.items() if os.path.realpath(p) == real), None)
    words = origin.line_text(diag.span.line).split() if origin is not None else []
    if target is not None and words:
        for number in range(1, target.line_count + 1):
            text = target.line_text(number)
            if text.split()[:1] == words[:1]:
                column = len(text) - len(text.lstrip()) + 1
                return Span(target.path, number, column, number, len(text) + 1)
    return Span(path, 1, 1, 1, 1)
