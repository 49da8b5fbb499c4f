"""KA321: an interface name keepalived cannot store."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances

#: Linux's IFNAMSIZ, the terminating NUL included.
IFNAMSIZ = 16


class InterfaceNameTooLong(Rule):
    """A `vrrp_instance` `interface` of 16 bytes or more.

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

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            for stmt in inst.node.find("interface"):
                if len(stmt.words) < 2:
                    continue
                name = stmt.words[1].text
                size = len(name.encode("utf-8", "surrogateescape"))
                if size >= IFNAMSIZ:
                    yield self.diagnostic(
                        stmt.words[1].span,
                        f"`{name}` is {size} bytes: Linux interface names have at most {IFNAMSIZ - 1}, and keepalived "
                        f"ignores the keyword (`Interface name '{name}' too long - ignoring`), so `{inst.name}` has "
                        f"no interface",
                        help="use the interface's real name (`ip link` lists them)",
                    )
