"""KA329, KA330: instance keywords keepalived rejects or questions for what else the instance says."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VrrpInstance, address_family
from kalint.rule import Rule
from kalint.runtime.loading import is_strict, loaded_instances
from kalint.syntax.tree import Statement, Word


def _holds(stmt: Statement, node: Statement) -> bool:
    """Whether ``node`` is the statement or one of its entries, at any depth (asked of
    the nodes, so that no statement's words are made for it)."""
    inner: Statement | None = node
    while inner is not None and inner is not stmt:
        inner = inner.parent
    return inner is stmt


def _version(stmt: Statement) -> int | None:
    """A `version` line's value when keepalived accepts the number (2 or 3)."""
    text = stmt.texts[1] if len(stmt.texts) > 1 else ""
    return int(text) if text in ("2", "3") else None


def _conflicts(inst: VrrpInstance, strict: bool) -> Iterator[tuple[Statement, str, str]]:
    """(statement, what keepalived says, what to do), walking the instance as
    vrrp_parser.c reads it (native_ipv6, version and vrf handlers) and as
    vrrp_complete_instance() then checks it (vrrp.c, 2.2.7 and 2.3.4)."""
    family: int | None = None
    version: int | None = None
    version_stmt: Statement | None = None
    interface: Statement | None = None
    vrf: Statement | None = None
    for stmt in inst.node.children:
        if stmt.keyword == "native_ipv6":
            if family == 4:
                yield (stmt, "`Cannot specify native_ipv6 with IPv4 addresses`: an IPv4 address above already "
                             "made this an IPv4 instance, so keepalived ignores this line",
                       "leave `native_ipv6` out, or make the instance's addresses IPv6")
            elif family is None:
                family, version = 6, 3
        elif stmt.keyword == "version" and (value := _version(stmt)) is not None:
            if (version is not None and version != value) or (value == 2 and family == 6):
                yield (stmt, f"`vrrp_version {value} conflicts with configured or deduced version`: "
                             f"{'IPv6 needs VRRP version 3' if family == 6 else f'version {version} is already set'}"
                             ", so keepalived ignores this line", "remove this line")
            else:
                version, version_stmt = value, stmt
        elif stmt.keyword == "interface" and interface is None:
            interface = stmt
        elif stmt.keyword == "vrf" and len(stmt.texts) > 1 and vrf is None:
            if interface is not None:
                yield (stmt, "`Cannot specify VRF interface and interface - ignoring`: this instance already "
                             "names an interface", "leave out `interface` or `vrf`")
            else:
                vrf = stmt
        if inst.family_node is not None and family is None and _holds(stmt, inst.family_node):
            family = inst.family
    if vrf is not None and interface is not None:
        yield (vrf, "`vrf can only be specified without interface - clearing`: the instance names an interface "
                    "below, so keepalived drops the VRF", "leave out `interface` or `vrf`")
    elif vrf is not None and not inst.unicast_peer:
        yield (vrf, "`vrf can only be specified with unicast - clearing`: without unicast peers keepalived "
                    "drops the VRF", "add a `unicast_peer` block, or leave `vrf` out")
    if version == 2 and version_stmt is not None and inst.family == 6 and strict:
        yield (version_stmt, "`cannot use IPv6 with VRRP version 2; setting version 3`: in strict mode an IPv6 "
                             "instance runs VRRP version 3", "write `version 3`, or leave the line out")


class InstanceKeywordConflict(Rule):
    """An instance keyword keepalived rejects because of what else the instance says.

    keepalived reads an instance from top to bottom: the first address (VIP, peer,
    source or multicast group) fixes the family, `native_ipv6` the family and version 3.
    A `native_ipv6` after an IPv4 address is ignored (`Cannot specify native_ipv6 with
    IPv4 addresses`), and so is a `version` that contradicts an earlier one or an IPv6
    instance (`vrrp_version %d conflicts with configured or deduced version`). `vrf`
    works only for a unicast instance without `interface`: after an `interface` line it
    is ignored, otherwise keepalived drops it when it completes the instance. In strict
    mode a `version 2` written before the IPv6 addresses becomes version 3.

    Bad:

        vrrp_instance VI_1 {
            virtual_ipaddress {
                192.0.2.10/24
            }
            native_ipv6
        }

    Good:

        vrrp_instance VI_1 {
            virtual_ipaddress {
                192.0.2.10/24
            }
        }
    """

    code = "KA329"
    name = "instance-keyword-conflict"
    severity = Severity.WARNING
    summary = "an instance keyword keepalived ignores for what came before (native_ipv6, version, vrf)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            for stmt, said, todo in _conflicts(inst, is_strict(config, inst)):
                yield self.diagnostic(stmt.words[0].span, f"`{inst.name}`: {said}", help=todo)


def _first_vip(inst: VrrpInstance) -> Word | None:
    """The first VIP keepalived keeps in an IPv6 instance (other families are skipped)."""
    return next((vip.word for vip in inst.virtual_ipaddress if address_family(vip.address) == 6), None)


def _link_local(text: str) -> bool:
    try:
        return ipaddress.ip_interface(text).ip.is_link_local
    except ValueError:
        return True  # an unreadable address is another rule's finding


class FirstIpv6VipNotLinkLocal(Rule):
    """An IPv6 multicast instance whose first VIP is not link-local.

    RFC 5798 puts a link-local address first in an IPv6 advert, and keepalived checks the
    first VIP it keeps: `the first IPv6 VIP address must be link local` (a configuration
    error in strict mode) or `... should be link local` (logged otherwise). Peers running
    other VRRP implementations may ignore such adverts. Unicast instances are not checked.

    Bad:

        virtual_ipaddress {
            2001:db8::10/64
        }

    Good:

        virtual_ipaddress {
            fe80::10/64
            2001:db8::10/64
        }
    """

    code = "KA330"
    name = "first-ipv6-vip-not-link-local"
    severity = Severity.INFO
    summary = "an IPv6 multicast instance whose first VIP is not link-local"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            first = _first_vip(inst)
            if inst.family != 6 or inst.unicast_peer or first is None or _link_local(first.text):
                continue
            strict = is_strict(config, inst)
            yield self.diagnostic(
                first.span,
                f"`{inst.name}`: the first IPv6 VIP address {'must' if strict else 'should'} be link local "
                "(keepalived checks the first VIP of an IPv6 multicast instance)",
                severity=Severity.WARNING if strict else None,
                help="put a link-local address (fe80::/10) first in `virtual_ipaddress`",
            )
