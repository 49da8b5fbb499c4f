"""KA140: a gratuitous ARP/NA interval or start-up delay keepalived calls very large."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import keyword_names

#: Keyword path -> the number of seconds from which keepalived logs `The ... is very
#: large - %s seconds` (global_parser.c and vrrp_parser.c, 2.2.7 and 2.3.4).
_LIMITS = {
    "global_defs.vrrp_garp_interval": 1,
    "global_defs.vrrp_gna_interval": 1,
    "global_defs.vrrp_startup_delay": 60,
    "garp_group.garp_interval": 1,
    "garp_group.gna_interval": 1,
}
#: A number keepalived's decimal reader accepts; other words are KA104's.
_DECIMAL = re.compile(r"\+?(?:\d+\.?\d*|\.\d+)")


class VeryLargeInterval(Rule):
    """A gratuitous ARP/NA interval of a second or more, or a start-up delay of a minute or more.

    `vrrp_garp_interval`, `vrrp_gna_interval` and a `garp_group`'s `garp_interval` /
    `gna_interval` are the pause between one gratuitous ARP (or IPv6 neighbour
    advertisement) and the next, in seconds with microsecond decimals: they are meant to be
    milliseconds. keepalived takes a value of 1 s or more but logs `The vrrp_garp_interval
    is very large - 1 seconds`: with `garp_master_repeat 5` the switches learn the moved
    address only over several seconds. `vrrp_startup_delay` of a minute or more keeps VRRP
    silent that long after every start.

    Bad:

        global_defs {
            vrrp_garp_interval 1
        }

    Good:

        global_defs {
            vrrp_garp_interval 0.001
        }
    """

    code = "KA140"
    name = "very-large-interval"
    severity = Severity.INFO
    summary = "a gratuitous ARP/NA interval of 1 s or more, or vrrp_startup_delay of 60 s or more ('is very large')"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        for path, limit in _LIMITS.items():
            parent, _, _ = path.rpartition(".")
            for name in sorted(keyword_names(path)):
                for stmt in index.path(f"{parent}.{name}"):
                    value = stmt.args[0] if len(stmt.texts) == 2 else None
                    if value is None or not _DECIMAL.fullmatch(value.text) or float(value.text) < limit:
                        continue
                    unit = "a second" if limit == 1 else f"{limit} seconds"
                    yield self.diagnostic(
                        value.span,
                        f"`{stmt.keyword} {value.text}` is in seconds: keepalived takes it but logs `The "
                        f"{stmt.keyword} is very large - {value.text} seconds` (it is {unit} or more)",
                        help="the value is seconds with microsecond decimals: 0.001 is a millisecond",
                    )
