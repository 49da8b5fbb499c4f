"""KA321: an interface name keepalived cannot store."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances

#: Linux's IFNAMSIZ, the terminating NUL included.
IFNAMSIZ = 16
#: keepalived's words for it (vrrp_parser.c vrrp_int_handler(), vrrp_vrf_handler()).
_SAID = {"interface": "Interface name '{}' too long - ignoring", "vrf": "VRF interface name '{}' too long - ignoring"}


class InterfaceNameTooLong(Rule):
    """A `vrrp_instance` `interface` (or `vrf`) of 16 bytes or more.

    Linux interface names are at most 15 bytes (IFNAMSIZ). keepalived checks the length
    first and drops the keyword (`Interface name '…' too long - ignoring`, vrrp_parser.c),
    so the instance runs as if no `interface` had been given. A template placeholder left
    in the config (`<your_interface_name>`) ends here too.

    Bad:

        vrrp_instance VI_1 {
            interface enp0s31f6-storage0
        }

    Good:

        vrrp_instance VI_1 {
            interface storage0
        }
    """

    code = "KA321"
    name = "interface-name-too-long"
    severity = Severity.ERROR
    summary = "an interface name of 16 bytes or more, which keepalived ignores"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            for stmt in (s for s in inst.node.children if s.keyword in ("interface", "vrf")):
                if len(stmt.texts) < 2:
                    continue
                name = stmt.texts[1]
                size = len(name.encode("utf-8", "surrogateescape"))
                if size >= IFNAMSIZ:
                    yield self.diagnostic(
                        stmt.words[1].span,
                        f"`{name}` is {size} bytes: Linux interface names have at most {IFNAMSIZ - 1}, and keepalived "
                        f"ignores the keyword (`{_SAID[stmt.keyword].format(name)}`), so `{inst.name}` has "
                        f"no {stmt.keyword}",
                        help="use the interface's real name (`ip link` lists them)",
                    )
