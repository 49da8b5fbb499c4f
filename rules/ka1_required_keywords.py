"""KA130, KA133: blocks without the keyword or the members keepalived cannot do without."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import keyword_names, severity_if_complete
from kalint.rules._placement import ReplayedPerBlock, placed_blocks, placement
from kalint.syntax.tree import Block, Statement


class _Required(NamedTuple):
    path: str  # the block's keyword path
    keywords: tuple[str, ...]  # it needs one of these
    effect: str  # what keepalived does without it, with its message
    severity: Severity


#: Every block keepalived drops (or worse) when a keyword is missing, read from each
#: block's end handler or the checks after reading (2.2.7 and 2.3.4 alike).
_REQUIRED = (
    _Required("vrrp_instance", ("virtual_router_id",),
              "keepalived refuses the whole VRRP configuration (`the virtual router id must be set`): "
              "the VRRP process exits and no instance runs", Severity.ERROR),
    _Required("vrrp_track_process", ("process",),
              "keepalived drops the tracker (`process name not specified`), and every track_process "
              "entry naming it", Severity.ERROR),
    _Required("track_file", ("file",),
              "keepalived drops the tracker (`No file set for track_file`), and every track_file "
              "entry naming it", Severity.ERROR),
    _Required("vrrp_track_file", ("file",),
              "keepalived drops the tracker (`No file set for track_file`), and every track_file "
              "entry naming it", Severity.ERROR),
    _Required("bfd_instance", ("neighbor_ip",),
              "keepalived disables the instance (`has no neighbor address set`), and every "
              "track_bfd entry or BFD_CHECK naming it", Severity.ERROR),
    _Required("virtual_server.real_server.BFD_CHECK", ("name",),
              "keepalived skips the checker (`No name has been specified for BFD_CHECKER`)", Severity.ERROR),
    _Required("virtual_server.real_server.FILE_CHECK", ("track_file",),
              "keepalived skips the checker (`FILE_CHECK has no track_file specified`)", Severity.ERROR),
    *(_Required(f"virtual_server.real_server.{checker}", ("url",),
                "keepalived drops the checker (`HTTP/SSL_GET checker has no urls specified`)", Severity.ERROR)
      for checker in ("HTTP_GET", "SSL_GET")),
    *(_Required(f"virtual_server.real_server.{checker}.url", ("path",),
                "keepalived drops this url (`HTTP/SSL_GET checker url has no path`)", Severity.ERROR)
      for checker in ("HTTP_GET", "SSL_GET")),
    _Required("garp_group", ("garp_interval", "gna_interval"),
              "keepalived removes the group (`garp group N does not have any delay set - removing`)",
              Severity.ERROR),
)


def _blocks(config: Config, path: str) -> Iterator[Block]:
    """The blocks at ``path`` that keepalived reads where they are written (a block a brace
    cascade displaced is the cascade's finding, KA101/KA102: keepalived never sees it there).

    Without a cascade keepalived reads every block where it is written (a block it does
    not read there, an unknown one, one after a plain keyword or inside a list, starts
    a cascade), so the set of placed blocks, 2 MiB for a 4 MB config, is not needed."""
    placed = placed_blocks(config) if placement(config).cascades else None
    for stmt in config.document.index().path(path):
        if isinstance(stmt, Block) and (placed is None or stmt in placed):
            yield stmt


class MissingRequiredKeyword(ReplayedPerBlock, Rule):
    """A block without the one keyword keepalived cannot use it without.

    keepalived checks these when the block (or the whole configuration) has been read
    and reports the block's closing line:

    - `vrrp_instance` without `virtual_router_id`: `(VI_1) the virtual router id must be
      set`, and the VRRP process refuses the configuration (vrrp.c, `chk_min_cfg`): no
      instance runs at all;
    - `vrrp_track_process` without `process`, `track_file` without `file`: the tracker
      is dropped, and whatever tracks it finds nothing;
    - `bfd_instance` without `neighbor_ip`: the instance is disabled;
    - `garp_group` without `garp_interval` or `gna_interval`: the group is removed;
    - `BFD_CHECK` without `name`, `FILE_CHECK` without `track_file`, `HTTP_GET` or
      `SSL_GET` without `url`: the checker is skipped; a `url` without `path` is dropped.

    Bad:

        vrrp_instance VI_1 {
            interface eth0
            priority 100
            virtual_ipaddress {
                192.0.2.10/24
            }
        }

    Good:

        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            virtual_ipaddress {
                192.0.2.10/24
            }
        }
    """

    code = "KA130"
    analyses = (placement, placed_blocks)
    name = "missing-required-keyword"
    severity = Severity.ERROR
    summary = "a block without the keyword keepalived cannot use it without (virtual_router_id, process, file, ...)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        lowered, note = severity_if_complete(config)
        index = config.document.index()
        for required in _REQUIRED:
            names = set().union(*(keyword_names(f"{required.path}.{k}") for k in required.keywords))
            wanted = " or ".join(f"`{k}`" for k in required.keywords)
            # The blocks holding one: from the few required lines, not every block's children.
            holders = {stmt.parent for name in names for stmt in index.path(f"{required.path}.{name}")}
            for block in _blocks(config, required.path):
                if block in holders:
                    continue
                title = " ".join([block.keyword, *block.arg_texts()])
                yield self.diagnostic(
                    block.span,
                    f"`{title}` has no {wanted}: {required.effect}{note}",
                    severity=lowered or required.severity,
                    help=f"add {wanted} to the block",
                )


#: Group blocks keepalived removes when their `group` list names nobody.
_GROUPS = ("vrrp_sync_group", "track_group")


class EmptyGroup(ReplayedPerBlock, Rule):
    """A `vrrp_sync_group` or `track_group` whose `group` block is empty or missing.

    keepalived removes such a group (`Warning - sync group G has empty group block`,
    then `Sync group G has no virtual router(s). removing` in 2.2.7, `has no members -
    removing` in 2.3.x): its notify scripts never run and its tracking applies to
    nothing.

    Bad:

        vrrp_sync_group G1 {
            group {
            }
            notify_master /etc/keepalived/master.sh
        }

    Good:

        vrrp_sync_group G1 {
            group {
                VI_1
                VI_2
            }
            notify_master /etc/keepalived/master.sh
        }
    """

    code = "KA133"
    analyses = (placement, placed_blocks)
    name = "empty-group"
    severity = Severity.WARNING
    summary = "a `vrrp_sync_group` or `track_group` with no members, which keepalived removes"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        lowered, note = severity_if_complete(config)
        for path in _GROUPS:
            for block in _blocks(config, path):
                lists = [child for child in block.children if child.keyword == "group"]
                if any(_members(group) for group in lists):
                    continue
                title = " ".join([block.keyword, *block.arg_texts()])
                where = "an empty `group` block" if lists else "no `group` block"
                yield self.diagnostic(
                    block.span,
                    f"`{title}` has {where}: keepalived removes the group, so its notify scripts "
                    f"and tracking apply to nothing{note}",
                    severity=lowered,
                    related=[Related(group.span, "the empty member list") for group in lists[:1]],
                    help="list the vrrp_instance names in `group { ... }`, or remove the group",
                )


def _members(group: Statement) -> bool:
    """Whether a `group` statement names anybody (in its block or, as keepalived also
    reads, on its own line)."""
    return bool(group.args) or (isinstance(group, Block) and any(child.words for child in group.children))
