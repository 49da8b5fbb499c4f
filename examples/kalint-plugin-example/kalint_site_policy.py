"""A site-policy rule for kalint: this site gives keepalived the VRIDs 50 to 99."""

from __future__ import annotations

from typing import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule

VRID_RANGE = range(50, 100)


class VridOutsideSiteRange(Rule):
    """A `virtual_router_id` outside the range this site reserves for keepalived (50..99).

    VRIDs are shared by every VRRP speaker on a segment: the network team hands each
    service a range so that two clusters never elect over each other's addresses.

    Bad:

        vrrp_instance VI_1 {
            virtual_router_id 12
        }

    Good:

        vrrp_instance VI_1 {
            virtual_router_id 51
        }
    """

    code = "SITE001"
    name = "vrid-outside-site-range"
    severity = Severity.WARNING
    summary = "a `virtual_router_id` outside this site's range 50..99"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for instance in config.vrrp_instances:
            vrid = instance.virtual_router_id
            if vrid is None or not isinstance(vrid.value, int) or vrid.value in VRID_RANGE:
                continue
            yield self.diagnostic(
                vrid.word.span,
                f"vrrp_instance `{instance.name}` uses virtual_router_id {vrid.value}, outside this "
                f"site's range {VRID_RANGE.start}..{VRID_RANGE.stop - 1}",
                help="ask the network team for a VRID in 50..99",
            )


RULES = [VridOutsideSiteRange]
