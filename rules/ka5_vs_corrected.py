"""KA531: virtual_server settings keepalived ignores or corrects (check_parser.c and
validate_check_config() in check_data.c)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._lvs import SCHEDULERS, last, unsigned, vs_weight, weight
from kalint.rules.ka5_lvs_validation import Service, services
from kalint.syntax.tree import Block, Statement

#: Flags lbflags_handler() sets only with the `sh` or `mh` scheduler chosen on an earlier line.
_HASH_FLAGS = ("hashed", "sh-port", "sh-fallback", "mh-port", "mh-fallback")
_PERSISTENT = 360  # IPVS_SVC_PERSISTENT_TIMEOUT
_Finding = tuple[Statement, str, str]


def hash_flag_problems(block: Block) -> Iterator[_Finding]:
    """A hash flag read while the scheduler (so far) is neither sh nor mh."""
    scheduler = ""
    for child in block.children:
        if child.keyword in ("lb_algo", "lvs_sched") and len(child.texts) > 1 and child.texts[1] in SCHEDULERS:
            scheduler = child.texts[1]
        elif child.keyword in _HASH_FLAGS and scheduler not in ("sh", "mh"):
            where = f"the scheduler is `{scheduler}`" if scheduler else "no sh/mh scheduler is set on an earlier line"
            yield (child, f"`{child.keyword} only applies to sh scheduler - ignoring`: {where}",
                   "set `lb_algo sh` (or `mh`) before this line, or leave it out")


def _persistent(block: Block) -> bool:
    """persistence_timeout (a valid value or none) or a valid persistence_granularity sets it."""
    for child in block.children:
        if child.keyword == "persistence_timeout" and (
                len(child.texts) < 2 or unsigned(child.texts[1], 1, 2678400) is not None):
            return True
        if child.keyword == "persistence_granularity" and len(child.texts) > 1:
            return True
    return False


def validation_problems(service: Service) -> Iterator[_Finding]:
    node = service.vs.node
    ha_suspend = last(node, "ha_suspend")
    by_address = not service.fwmark_only and not (service.vs.group is not None and not service.group_ports)
    if ha_suspend is not None and (service.fwmark_only or service.group_fwmark):
        yield (ha_suspend, f"`{service.name}: cannot use ha_suspend with fwmarks - clearing ha_suspend`",
               "leave `ha_suspend` out")
    ops = last(node, "ops")
    protocol = last(node, "protocol")
    if by_address and ops is not None and protocol is not None and len(protocol.texts) > 1 \
            and protocol.texts[1] in ("TCP", "SCTP"):
        yield (ops, f"`{service.name}: one packet scheduling requires UDP - resetting`: the protocol is "
                    f"{protocol.texts[1]}", "leave `ops` out, or use `protocol UDP`")
    if (service.vs.group is None and service.endpoint is not None and service.endpoint.port == 0
            and not service.fwmark_only and not _persistent(node)):
        yield (node, f"`{service.name}: zero port only valid for persistent services - setting`: keepalived "
                     f"adds persistence_timeout {_PERSISTENT}", f"give the port, or write `persistence_timeout {_PERSISTENT}`")
    yield from _hysteresis(service)


def _hysteresis(service: Service) -> Iterator[_Finding]:
    stmt = last(service.vs.node, "hysteresis")
    hysteresis = unsigned(stmt.texts[1], 0, 2**32 - 1) if stmt is not None and len(stmt.texts) > 1 else None
    if stmt is None or hysteresis is None:
        return
    quorum_stmt = last(service.vs.node, "quorum")
    quorum = (unsigned(quorum_stmt.texts[1], 1, 2**32 - 1) or 1
              if quorum_stmt is not None and len(quorum_stmt.texts) > 1 else 1)
    default = vs_weight(service.vs)
    quorum = min(quorum, sum(weight(s.real, default) for s in service.servers))
    if hysteresis >= quorum > 0:
        yield (stmt, f"`{service.name}: hysteresis {hysteresis} >= quorum {quorum}; setting hysteresis to "
                     f"{quorum - 1}`", f"use a hysteresis below the quorum ({quorum})")


class VirtualServerCorrected(Rule):
    """A `virtual_server` setting keepalived ignores or changes.

    - `hashed`, `sh-port`, `sh-fallback`, `mh-port`, `mh-fallback` work only after
      `lb_algo sh` (or `mh`) on an earlier line; otherwise `... only applies to sh
      scheduler - ignoring`.
    - `ha_suspend` on a fwmark service is cleared.
    - `ops` (one-packet scheduling) on a TCP or SCTP service is cleared.
    - A service by address with port 0 and no persistence gets `persistence_timeout 360`.
    - A `hysteresis` not below the quorum (1 unless set, at most the total weight) is
      lowered to quorum - 1.

    Bad:

        virtual_server 192.0.2.10 80 {
            protocol TCP
            ops
        }

    Good:

        virtual_server 192.0.2.10 53 {
            protocol UDP
            ops
        }
    """

    code = "KA531"
    analyses = (services,)
    name = "virtual-server-corrected"
    severity = Severity.WARNING
    summary = "a virtual_server setting keepalived ignores or corrects (sh flags, ha_suspend, ops, zero port, hysteresis)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            for stmt, said, todo in hash_flag_problems(vs.node):
                yield self.diagnostic(stmt.words[0].span, said, help=todo)
        for service in services(config):
            for stmt, said, todo in validation_problems(service):
                span = stmt.header_span if isinstance(stmt, Block) else stmt.words[0].span
                yield self.diagnostic(span, said, help=todo)
