"""Every route, rule and address line of a config, read as keepalived reads it (once per
config, shared by KA340, KA341 and KA343–KA345)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.model import Analysis, Config
from kalint.rules._address_walk import read_address_options
from kalint.rules._route_walk import read_route
from kalint.rules._rule_walk import read_rule
from kalint.rules._walk import Walk, valid_address
from kalint.runtime.addresses import ADDRESS_LISTS
from kalint.syntax.tree import Block, Statement

_ROUTES = {"static_routes": True, "vrrp_instance.virtual_routes": False}
_RULES = {"static_rules": True, "vrrp_instance.virtual_rules": False}


def _entries(config: Config, paths: dict[str, bool]) -> Iterator[tuple[Statement, bool]]:
    index = config.document.index()
    for path, static in paths.items():
        for block in index.path(path):
            if isinstance(block, Block):
                yield from ((child, static) for child in block.children if child.texts)


def _groups(config: Config) -> set[str]:
    """Names of the `track_group` blocks (keepalived needs them defined before use; kalint
    does not judge the order, so a group defined later is not reported)."""
    return {block.texts[1] for block in config.document.index().path("track_group")
            if isinstance(block, Block) and len(block.texts) > 1}


@Analysis
def line_walks(config: Config) -> list[tuple[str, Walk]]:
    """keepalived's walk of every route, rule and address line, once for the KA34x rules."""
    groups = _groups(config)
    walks: list[tuple[str, Walk]] = []
    walks += [("route", read_route(stmt, static, groups)) for stmt, static in _entries(config, _ROUTES)]
    walks += [("rule", read_rule(stmt, static, groups)) for stmt, static in _entries(config, _RULES)]
    for stmt, static in _entries(config, {path: static for path, static in ADDRESS_LISTS.items()}):
        if len(stmt.texts) > 1 and valid_address(stmt.texts[0], True):
            walks.append(("address", read_address_options(stmt, static, groups)))
    return walks
