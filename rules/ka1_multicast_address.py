"""KA135: a multicast-group setting whose address is not a multicast address."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule


def _problem(text: str, family: int, link_local: bool) -> str | None:
    """Why keepalived skips ``text`` as a multicast group of ``family``, or None when it
    keeps it (or when it is no address of that family: KA104's business)."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version != family:
        return None
    if not address.is_multicast:
        return "is not a multicast address"
    if link_local and address.packed[1] & 0x0F != 0x2:  # IN6_IS_ADDR_MC_LINKLOCAL: scope 2, ffx2::
        return "is not a link-local multicast address (ff02::/16 and the like)"
    return None


_GROUP6 = "global_defs.vrrp_mcast_group6"
#: keyword path -> the (address family, must be link-local) checks its handler makes.
_GROUPS = {
    "global_defs.vrrp_mcast_group4": ((4, False),),
    _GROUP6: ((6, False),),
    "vrrp_instance.mcast_dst_ip": ((4, False), (6, True)),
}


class MulticastAddressExpected(Rule):
    """A multicast group setting whose address is not multicast.

    keepalived checks the address and skips the line (`vrrp_mcast_group4 [192.0.2.1] is
    not multicast. Skipping`, `(VI_1) mcast_dst_ip 192.0.2.7 not multicast. Skipping...`):
    adverts go to the default group 224.0.0.18 / ff02::12, not to the address the text
    names. An IPv6 `mcast_dst_ip` must be link-local multicast (ff02::/16); a
    `vrrp_mcast_group6` that is not gets a warning (`should be link-local multicast`) and is used.

    Bad:

        global_defs {
            vrrp_mcast_group4 192.0.2.18
        }

    Good:

        global_defs {
            vrrp_mcast_group4 224.0.0.18
        }
    """

    code = "KA135"
    name = "multicast-address-expected"
    severity = Severity.ERROR
    summary = "`vrrp_mcast_group4/6` or `mcast_dst_ip` with an address that is not multicast, which keepalived skips"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        for path, checks in _GROUPS.items():
            for stmt in index.path(path):
                if len(stmt.texts) != 2:
                    continue
                value = stmt.args[0]
                text = value.text
                problem = next((p for family, local in checks if (p := _problem(text, family, local))), None)
                if problem is None:
                    if path == _GROUP6 and (scope := _problem(text, 6, True)) is not None:
                        yield self.diagnostic(
                            value.span,
                            f"`{stmt.keyword} {text}`: the address {scope}: keepalived warns (`should be link-local "
                            "multicast`) but uses it (RFC 5798 names the link-local group ff02::12)",
                            severity=Severity.WARNING,
                            help="use a link-local group such as ff02::12, or leave the line out for the default",
                        )
                    continue
                yield self.diagnostic(
                    value.span,
                    f"`{stmt.keyword} {text}`: the address {problem}, so keepalived skips the line and sends "
                    f"adverts to the default group",
                    help="use a multicast group address, or leave the line out for the default",
                )
