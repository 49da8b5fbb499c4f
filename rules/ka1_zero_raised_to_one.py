"""KA132: a 0 that keepalived replaces with 1."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import keyword_names

#: Keyword paths whose handler reads 0 as valid, then reports `... must be greater than
#: 0, setting to 1` and uses 1 (global_parser.c and vrrp_parser.c, 2.2.7 and 2.3.4).
_RAISED = (
    "global_defs.smtp_connect_timeout",
    "global_defs.vrrp_garp_master_repeat",
    "global_defs.vrrp_garp_master_refresh_repeat",
    "vrrp_instance.garp_master_repeat",
    "vrrp_instance.garp_master_refresh_repeat",
    "vrrp_script.interval",
    "vrrp_script.timeout",
)


class ZeroRaisedToOne(Rule):
    """A setting written as 0 that keepalived replaces with 1.

    For these keywords keepalived accepts the number 0, then says `... must be greater
    than 0, setting to 1` and uses 1: `garp_master_repeat 0` still sends one gratuitous
    ARP, `vrrp_script { interval 0 }` runs the script every second, `smtp_connect_timeout
    0` waits one second.

    Bad:

        vrrp_instance VI_1 {
            garp_master_repeat 0
        }

    Good:

        vrrp_instance VI_1 {
            garp_master_repeat 1
        }
    """

    code = "KA132"
    name = "zero-raised-to-one"
    severity = Severity.WARNING
    summary = "a 0 keepalived replaces with 1 (garp repeats, script interval/timeout, smtp_connect_timeout)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        for path in _RAISED:
            parent, _, _ = path.rpartition(".")
            for name in sorted(keyword_names(path)):
                for stmt in index.path(f"{parent}.{name}"):
                    value = stmt.args[0] if len(stmt.texts) == 2 else None
                    if value is None or not value.text.isdigit() or int(value.text) != 0:
                        continue
                    yield self.diagnostic(
                        value.span,
                        f"`{stmt.keyword} 0`: keepalived replaces the 0 with 1 (`... must be greater than 0, "
                        f"setting to 1`)",
                        help=f"write `{stmt.keyword} 1` (the value keepalived uses), or leave the line out",
                    )
