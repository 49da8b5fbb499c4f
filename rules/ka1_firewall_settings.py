"""KA146: firewall settings of global_defs that keepalived ignores (vrrp_complete_init())."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.model.schema import version_key
from kalint.rule import Rule
from kalint.syntax.tree import Statement, Word

#: From this release vrrp_ipsets_handler() rejects an empty or repeated set name (global_parser.c).
CHECKS_SET_NAMES = "2.3.2"
#: IPSET_MAXNAMELEN: longer names are KA141's.
_MAX_NAME = 31


def _set_names(words: list[Word]) -> list[str]:
    """The six set names keepalived derives from a vrrp_ipsets line (given or defaulted)."""
    given = [w.text for w in words[1:7]]
    names = given + [""] * (6 - len(given))
    first = names[0]
    names[1] = names[1] if len(given) > 1 else first + "6"
    names[2] = names[2] if len(given) > 2 else names[1].removesuffix("6") + "_if6"
    for i, suffix in ((3, "_igmp"), (4, "_mld"), (5, "_nd")):
        names[i] = names[i] if len(given) > i else first + suffix
    return names


def _set_name_problem(stmt: Statement) -> tuple[Word, str] | None:
    words = stmt.words
    if any(len(w.text) >= _MAX_NAME for w in words[1:7]):
        return None
    names = _set_names(words)
    repeated = next((n for i, n in enumerate(names) if n in names[i + 1:]), None)
    if repeated is None:
        return None
    return words[0], f"`vrrp_ipsets: set name {repeated} used more than once`: keepalived drops the whole line"


class FirewallSettingIgnored(Rule):
    """`vrrp_iptables` beside `nftables`, or `vrrp_ipsets` without `vrrp_iptables`.

    A keepalived built with both iptables and nftables prefers nftables: with both set it
    says `Both iptables and nftables have been specified - ignoring iptables` and drops
    `vrrp_iptables` (and its ipsets). ipsets are only used with iptables chains, so
    `vrrp_ipsets` without `vrrp_iptables` is dropped too (`vrrp_ipsets has been specified
    but not vrrp_iptables - vrrp_ipsets will be ignored`). A keepalived built without
    iptables does not know either keyword. From 2.3.2 an empty chain, set or table name
    (`""`) is ignored, and a `vrrp_ipsets` line with two sets of the same name (a name given, or one keepalived makes from the
    first: `<name>6`, `<name>_if6`, `<name>_igmp`, `<name>_mld`, `<name>_nd`), is dropped.

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
    instance_local = True

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
        target = config.target_version
        if target is not None and version_key(target) < version_key(CHECKS_SET_NAMES):
            return
        checked = [(stmt, 2) for stmt in iptables] + [(stmt, 1) for stmt in nftables] + [(stmt, 6) for stmt in ipsets]
        for stmt, names in checked:
            empty = next((w for w in stmt.args[:names] if not w.text), None)
            problem = (empty, "`name empty - ignored`: keepalived drops this setting") if empty else None
            if problem is None and stmt in ipsets:
                problem = _set_name_problem(stmt)
            if problem is not None:
                yield self.diagnostic(problem[0].span, problem[1], severity=Severity.WARNING,
                                      help="give each set its own name: address, address6, address_iface6, igmp, "
                                           "mld, nd")
