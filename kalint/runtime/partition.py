"""Which configs linted together may be HA peers: the ``[peers]`` setting, ``--no-peers``,
and automatic discovery (``kalint.runtime.grouping``) for every config nothing is set for.

A config in a declared group is grouped with the configs of that group only (whatever
was linted with them, one group whatever links them); an independent config, and every
config under ``--no-peers``, is a group of one; the others are grouped automatically
within their candidate set (the files given together, or found under one directory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from kalint.diagnostic import PeerTag
from kalint.model import Config
from kalint.records import dataclass
from kalint.runtime import grouping
from kalint.runtime.grouping import Member, PeerGroup, Summary
from kalint.settings import INDEPENDENT, Settings

M = TypeVar("M", bound=Member)


@dataclass(frozen=True, slots=True)
class Partition(Generic[M]):
    """Configs that may be peers of each other, and how they are grouped: ``how`` is
    ``automatic``, ``declared`` (``name`` is the group's), ``independent`` or ``off``."""

    how: str
    name: str | None
    members: list[M]

    @property
    def tag(self) -> PeerTag:
        return _tag(self.how, self.name, self.members)

    def plan(self, summaries: Callable[[], list[Summary]], focus: set[int] | None = None) -> list[list[int]]:
        """Each peer group as indexes into ``members``: every member for a declared group
        and a partition of one, else ``grouping.memberships`` of ``summaries()`` (asked
        for only then); with ``focus`` (member indexes), at least the groups of those."""
        if self.how == "declared" or len(self.members) < 2:
            return [list(range(len(self.members)))]
        return grouping.memberships(summaries(), focus)

    def groups(self, configs: list[Config]) -> list[PeerGroup]:
        """The peer groups among ``configs`` (the members' models, in the same order)."""
        if self.how == "declared":
            return [grouping.declared_group(configs)]
        return grouping.peer_groups(configs)


def split(candidates: Iterable[tuple[M, int]], settings_for: Callable[[str], Settings] | None) -> Iterator[Partition[M]]:
    """The partitions of (member, candidate set) pairs; ``settings_for`` None means
    ``--no-peers``. Only paths and config ids are read: the models can be built later."""
    automatic: dict[int, list[M]] = {}
    declared: dict[tuple[str | None, str], list[M]] = {}
    for member, candidate_set in candidates:
        if settings_for is None:
            yield Partition("off", None, [member])
            continue
        settings = settings_for(member.path)
        peers = settings.peers_of(member.path)
        if peers is None:
            automatic.setdefault(candidate_set, []).append(member)
        elif peers == INDEPENDENT:
            yield Partition("independent", None, [member])
        else:
            declared.setdefault((settings.path, peers), []).append(member)
    for (_, name), members in declared.items():
        yield Partition("declared", name, members)
    for members in automatic.values():
        yield Partition("automatic", None, members)


def tag_of(part: Partition[M], group: PeerGroup) -> PeerTag:
    """The tag of a finding from ``group``: an automatic partition's narrowed to the
    group (its whole tag is never written out: a repository's thousand configs would be
    named again for each of its groups)."""
    return _tag("automatic", None, group.configs) if part.how == "automatic" else part.tag


def label(member: Member) -> str:
    """How a tag names a config: its path, with ``@id`` when linted as one host."""
    return f"{member.path}@{member.config_id}" if member.config_id else member.path


def _tag(how: str, name: str | None, members: Iterable[Member]) -> PeerTag:
    return PeerTag(how, name, tuple(dict.fromkeys(map(label, members))))
