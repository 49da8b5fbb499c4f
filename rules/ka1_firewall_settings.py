"""KA146: firewall settings of global_defs that keepalived ignores (vrrp_complete_init())."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule


class FirewallSettingIgnored(Rule):
    """`vrrp_iptables` beside `nftables`, or `vrrp_ipsets` without `vrrp_iptables`.

    A keepalived built with both iptables and nftables prefers nftables: with both set it
    says `Both iptables and nftables have been specified - ignoring iptables` and drops
    `vrrp_iptables` (and its ipsets). ipsets are only used with iptables chains, so
    `vrrp_ipsets` without `vrrp_iptables` is dropped too (`vrrp_ipsets has been specified
    but not vrrp_iptables - vrrp_ipsets will be ignored`). A keepalived built without
    iptables does not know either keyword.

    Bad:

        global_defs {
            vrrp_iptables
            nftables
        }

    Good:

        global_defs {
            nftables
        }
    """

    code = "KA146"
    name = "firewall-setting-ignored"
    severity = Severity.INFO
    summary = "vrrp_iptables beside nftables, or vrrp_ipsets without vrrp_iptables: keepalived ignores them"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        iptables = index.path("global_defs.vrrp_iptables")
        nftables = index.path("global_defs.nftables")
        if iptables and nftables:
            yield self.diagnostic(
                iptables[0].words[0].span,
                "`Both iptables and nftables have been specified - ignoring iptables`: keepalived uses the nftables "
                "table and no iptables chain (nor ipset)",
                related=[Related(nftables[0].span, "nftables set here")],
                help="keep one of the two: nftables, or vrrp_iptables alone",
            )
        ipsets = [s for s in index.path("global_defs.vrrp_ipsets") if s.args]
        if ipsets and not iptables:
            yield self.diagnostic(
                ipsets[0].words[0].span,
                "`vrrp_ipsets has been specified but not vrrp_iptables - vrrp_ipsets will be ignored`: ipsets work "
                "only with the iptables chains",
                help="add `vrrp_iptables`, or leave `vrrp_ipsets` out",
            )
