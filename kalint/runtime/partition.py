"""Which configs linted together may be HA peers: the ``[peers]`` setting, ``--no-peers``,
and automatic discovery (``kalint.runtime.grouping``) for every config nothing is set for.

A config in a declared group is grouped with the configs of that group only (whatever
was linted with them, one group whatever links them); an independent config, and every
config under ``--no-peers``, is a group of one; the others are grouped automatically
within their candidate set (the files given together, or found under one directory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from kalint.diagnostic import PeerTag
from kalint.model import Config
from kalint.runtime import grouping
from kalint.runtime.grouping import PeerGroup
from kalint.settings import INDEPENDENT, Settings

#: (config, candidate set) as the engine linted them.
Candidate = tuple[Config, int]
#: The configs that may be peers of each other, their tag, and how to group them.
Partition = tuple[PeerTag, list[Config], Callable[[], list[PeerGroup]]]


def groups(
    candidates: list[Candidate], settings_for: Callable[[str], Settings] | None
) -> Iterator[Partition]:
    """(tag, configs, groups) for each partition; ``settings_for`` None means ``--no-peers``. The
    groups are built lazily so that the caller can report a grouping failure per partition."""
    automatic: dict[int, list[Config]] = {}
    declared: dict[tuple[str | None, str], list[Config]] = {}
    for config, candidate_set in candidates:
        if settings_for is None:
            yield _alone("off", config)
            continue
        settings = settings_for(config.path)
        peers = settings.peers_of(config.path)
        if peers is None:
            automatic.setdefault(candidate_set, []).append(config)
        elif peers == INDEPENDENT:
            yield _alone("independent", config)
        else:
            declared.setdefault((settings.path, peers), []).append(config)
    for (_, name), configs in declared.items():
        yield _tag("declared", name, configs), configs, partial(_declared, configs)
    for configs in automatic.values():
        yield _tag("automatic", None, configs), configs, partial(grouping.peer_groups, configs)


def tag_of(tag: PeerTag, group: PeerGroup) -> PeerTag:
    """An automatic partition's tag narrowed to the group a finding came from."""
    return tag if tag.how != "automatic" else _tag("automatic", None, group.configs)


def _declared(configs: list[Config]) -> list[PeerGroup]:
    return [grouping.declared_group(configs)]


def _alone(how: str, config: Config) -> Partition:
    return _tag(how, None, [config]), [config], partial(grouping.peer_groups, [config])


def label(config: Config) -> str:
    """How a tag names a config: its path, with ``@id`` when linted as one host."""
    return f"{config.path}@{config.config_id}" if config.config_id else config.path


def _tag(how: str, name: str | None, configs: list[Config]) -> PeerTag:
    return PeerTag(how, name, tuple(dict.fromkeys(map(label, configs))))
