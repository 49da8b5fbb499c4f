"""KA516: a virtual server on an address that no VRRP instance or static address gives the host."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VirtualServer
from kalint.rule import Rule
from kalint.rules._common import severity_if_complete
from kalint.rules._lvs import group_block, header_valid
from kalint.rules.ka5_lvs_headers import group_entry_problem
from kalint.runtime.addresses import address_int, ip_text
from kalint.runtime.grouping import PeerGroup

#: (family, first, last) of the addresses a group entry covers.
Range = tuple[int, int, int]


def _held(config: Config) -> tuple[set[str], bool]:
    """The addresses a config gives its host (VIPs, excluded VIPs, static addresses, its
    own source addresses), and whether some VIP is not an address (a placeholder)."""
    held: set[str] = set()
    unreadable = False
    for inst in config.vrrp_instances:
        for entry in (*inst.virtual_ipaddress, *inst.virtual_ipaddress_excluded):
            text = ip_text(entry.address)
            unreadable |= text is None
            if text is not None:
                held.add(text)
        for setting in (inst.unicast_src_ip, inst.mcast_src_ip):
            text = ip_text(setting.value) if setting is not None else None
            if text is not None:
                held.add(text)
    for block in config.document.index().path("static_ipaddress"):
        for entry in getattr(block, "children", []):
            text = ip_text(entry.texts[0]) if entry.texts else None
            if text is not None:
                held.add(text)
    return held, unreadable


def _targets(config: Config, vs: VirtualServer) -> list[tuple[str, Range | None]]:
    """(as written, the addresses it covers, None for one address) for each address the
    virtual server listens on; fwmark services and fwmark group entries have none."""
    if vs.group is None:
        address = ip_text(vs.key[0]) if vs.key[0] != "fwmark" else None
        return [(vs.key[0], None)] if address is not None else []
    block = group_block(config, vs.group)
    found: list[tuple[str, Range | None]] = []
    for entry in block.children if block is not None else []:
        words = list(entry.texts)
        if not words or words[0] == "fwmark" or group_entry_problem(words) is not None:
            continue
        found.append((words[0], _range(words[0])))
    return found


def _range(text: str) -> Range | None:
    """The addresses a valid group entry covers: a prefix, or a range to a last byte
    (IPv6: last group) or to a whole address."""
    if "/" in text:
        net = ipaddress.ip_network(text, strict=False)
        return net.version, int(net.network_address), int(net.broadcast_address)
    start, dash, end = text.partition("-")
    if not dash:
        return None
    first = ipaddress.ip_address(start)
    if "." in end or ":" in end:
        return first.version, int(first), int(ipaddress.ip_address(end))
    mask = 0xFF if first.version == 4 else 0xFFFF
    return first.version, int(first), (int(first) & ~mask) | int(end, 16 if first.version == 6 else 10)


def _covered(text: str, span: Range | None, held: set[str]) -> bool:
    if span is None:
        return ip_text(text) in held
    family, low, high = span
    return any((parsed := address_int(h)) is not None and parsed[0] == family and low <= parsed[1] <= high
               for h in held)


class VirtualServerAddressNotHeld(Rule):
    """A `virtual_server` on an address that nothing in the config puts on the host.

    IPVS balances only packets that reach the director, and the director receives them
    only for an address it owns. In a keepalived director that address is normally a VIP
    of a `vrrp_instance` (or a `static_ipaddress`). When no instance of the config, nor
    of its HA peers linted with it, holds the address, keepalived sets the service up
    anyway and says nothing, and the service receives traffic only if something else
    configures the address: often a typo in the VIP or the virtual server. Information
    when the config has no `vrrp_instance` at all (the address may be the host's own).

    Bad:

        vrrp_instance VI_1 {
            virtual_ipaddress { 192.0.2.10 }
        }
        virtual_server 192.0.2.100 80 { ... }

    Good:

        vrrp_instance VI_1 {
            virtual_ipaddress { 192.0.2.10 }
        }
        virtual_server 192.0.2.10 80 { ... }
    """

    code = "KA516"
    name = "virtual-server-address-not-held"
    severity = Severity.WARNING
    summary = "a virtual server on an address no VRRP instance or static address holds"
    scope = "cluster"

    def check_cluster(self, group: PeerGroup) -> Iterator[Diagnostic]:
        held: set[str] = set()
        unreadable = False
        for config in group.configs:
            addresses, bad = _held(config)
            held |= addresses
            unreadable |= bad
        for config in group.configs:
            yield from self._config(config, held, unreadable, len(group.configs) > 1)

    def _config(self, config: Config, held: set[str], unreadable: bool, peers: bool) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            if not header_valid(vs) or not vs.key:
                continue
            missing = [text for text, span in _targets(config, vs) if not _covered(text, span, held)]
            if not missing:
                continue
            yield self._finding(config, vs, missing, unreadable, peers)

    def _finding(self, config: Config, vs: VirtualServer, missing: list[str], unreadable: bool, peers: bool) -> Diagnostic:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        severity, note = severity_if_complete(config)
        if not config.vrrp_instances:
            severity = Severity.INFO
            head = (f"virtual_server {' '.join(vs.key)}: this config has no vrrp_instance and no static_ipaddress "
                    f"with {shown}: the director receives traffic for it only if the host has it by other means")
        else:
            whose = "no vrrp_instance of this config or its peers" if peers else "no vrrp_instance of this config"
            head = (f"virtual_server {' '.join(vs.key)}: {whose} holds {shown} as a VIP and no static_ipaddress "
                    f"assigns it: keepalived sets up the service silently, but this host may never own the address, "
                    f"so no traffic reaches it")
            if unreadable:
                severity, note = Severity.INFO, note + " (some VIPs of this config are not addresses: placeholders?)"
        return self.diagnostic(
            vs.node.header_span, head + note, severity=severity,
            help="use a VIP of a vrrp_instance as the virtual server's address, or add the address to virtual_ipaddress",
        )
