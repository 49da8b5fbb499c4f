"""KA209–KA212: the same VRRP router, virtual IP or LVS service configured twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Address, Config, RealServer, VirtualServer, VrrpInstance, address_family
from kalint.rule import Rule
from kalint.rules._common import normal_address
from kalint.runtime.loading import loaded_instances

_DEFAULT_GROUP = {4: "224.0.0.18", 6: "ff02::12"}
_GLOBAL_GROUP = {4: "vrrp_mcast_group4", 6: "vrrp_mcast_group6"}


def _interface(config: Config, inst: VrrpInstance) -> str:
    """The interface keepalived uses: the instance's, else the global default (eth0)."""
    if inst.interface is not None:
        return inst.interface.value
    return config.global_defs.text("default_interface") or "eth0"


def _mcast_group(config: Config, inst: VrrpInstance) -> str:
    if inst.mcast_dst_ip is not None:
        return normal_address(inst.mcast_dst_ip.value)
    configured = config.global_defs.text(_GLOBAL_GROUP[inst.family])
    return normal_address(configured or _DEFAULT_GROUP[inst.family])


def _source(inst: VrrpInstance) -> str | None:
    """The configured source address (unicast_src_ip, or mcast_src_ip), if any."""
    setting = inst.unicast_src_ip or inst.mcast_src_ip
    return normal_address(setting.value) if setting is not None else None


class DuplicateVrid(Rule):
    """Two instances of one config that keepalived treats as the same virtual router.

    keepalived refuses to start (`keepalived -t` exits non-zero) when two instances use
    the same virtual_router_id and address family and their adverts would be
    indistinguishable (vrrp.c, validate of duplicate VRIDs):

    - both multicast, on the same interface, to the same multicast group:
      `VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0`;
    - both unicast, from the same source address on the same interface, with at least
      one `unicast_peer` in common: `(VI_2) duplicate VRID conflict with VI_1 VRID 51`.

    Unicast and multicast instances are separate VRID spaces, and unicast instances with
    different sources or disjoint peers do not collide; kalint reports only real
    collisions.

    Bad:

        vrrp_instance VI_1 { interface eth0  virtual_router_id 51 ... }
        vrrp_instance VI_2 { interface eth0  virtual_router_id 51 ... }

    Good:

        vrrp_instance VI_1 { interface eth0  virtual_router_id 51 ... }
        vrrp_instance VI_2 { interface eth0  virtual_router_id 52 ... }
    """

    code = "KA209"
    name = "duplicate-vrid"
    severity = Severity.ERROR
    summary = "two instances with the same VRID and family that collide on one interface"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        buckets: dict[tuple[int, int], list[VrrpInstance]] = defaultdict(list)
        for inst in loaded_instances(config):
            if inst.virtual_router_id is not None:
                buckets[(inst.family, inst.virtual_router_id.value)].append(inst)
        for instances in buckets.values():
            if len(instances) > 1:
                for first, second, reason in self._collisions(config, instances):
                    yield self.kept((first, second), reason, partial(self._finding, first, second, reason))

    def _finding(self, first: VrrpInstance, second: VrrpInstance, reason: str) -> Diagnostic:
        assert first.virtual_router_id is not None and second.virtual_router_id is not None
        vrid = first.virtual_router_id.value
        return self.diagnostic(
            second.virtual_router_id.node.span,
            f"`{first.name}` and `{second.name}` both use VRID {vrid} with IPv{first.family} {reason}: "
            f"keepalived refuses the configuration",
            related=(Related(first.virtual_router_id.node.span, f"`{first.name}` uses VRID {vrid} here"),),
            help="give each virtual router on a segment its own virtual_router_id",
        )

    @classmethod
    def _collisions(cls, config: Config, instances: list[VrrpInstance]) -> Iterator[tuple[VrrpInstance, VrrpInstance, str]]:
        """(the first earlier instance it collides with, the instance, why) for each
        instance of one VRID and family that collides with an earlier one. Multicast
        instances collide exactly when their interface and group are the same, so each is
        compared with the first of its interface and group only (a config that reuses one
        VRID across many instances); unicast ones, pair by pair."""
        first_of: dict[tuple[str, str], VrrpInstance] = {}
        unicast: list[VrrpInstance] = []
        for second in instances:
            if not second.unicast_peer:
                where = (_interface(config, second), _mcast_group(config, second))
                first = first_of.setdefault(where, second)
                if first is not second:
                    yield first, second, f"on interface {where[0]}, multicast to {where[1]}"
                continue
            for first in unicast:
                reason = cls._unicast_collision(first, second)
                if reason is not None:
                    yield first, second, reason
                    break
            unicast.append(second)

    @staticmethod
    def _unicast_collision(a: VrrpInstance, b: VrrpInstance) -> str | None:
        """Why unicast instances ``a`` and ``b`` (one VRID and family) collide, or None."""
        if a.interface and b.interface and a.interface.value != b.interface.value:
            return None
        src_a, src_b = _source(a), _source(b)
        if src_a is None and src_b is None:
            if a.interface is None or b.interface is None:
                return None
            source = f"the primary address of {a.interface.value}"
        elif src_a is not None and src_a == src_b:
            source = src_a
        else:
            return None  # different or (statically) unknown sources do not collide
        common = {normal_address(p.address) for p in a.unicast_peer} & {normal_address(p.address) for p in b.unicast_peer}
        if not common:
            return None
        return f"by unicast from {source} to the common peer {min(common)}"


def _vip_key(entry: Address) -> tuple[str, str | None]:
    """An address and its explicit `dev`, which is what keepalived adds to the kernel."""
    words = list(entry.node.texts)
    dev = words[words.index("dev") + 1] if "dev" in words[:-1] else None
    return normal_address(entry.address), dev


class DuplicateVip(Rule):
    """The same virtual IP in two `vrrp_instance` blocks of one config.

    Each instance adds its addresses when it becomes MASTER and deletes them when it
    leaves MASTER. With one address in two instances, the instance that goes BACKUP or
    FAULT deletes the address the other one still holds, so the VIP disappears from a
    node that is MASTER for it.

    Bad:

        vrrp_instance VI_1 { virtual_ipaddress { 192.0.2.10 } ... }
        vrrp_instance VI_2 { virtual_ipaddress { 192.0.2.10 } ... }

    Good:

        vrrp_instance VI_1 { virtual_ipaddress { 192.0.2.10 } ... }
        vrrp_instance VI_2 { virtual_ipaddress { 192.0.2.11 } ... }
    """

    code = "KA210"
    name = "duplicate-vip"
    severity = Severity.WARNING
    summary = "the same virtual IP in two instances"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        seen: dict[tuple[str, str | None], tuple[VrrpInstance, Address]] = {}
        for inst in loaded_instances(config):
            mine: set[tuple[str, str | None]] = set()
            for entry in (*inst.virtual_ipaddress, *inst.virtual_ipaddress_excluded):
                key = _vip_key(entry)
                if key in mine or address_family(entry.address) is None:
                    continue
                mine.add(key)
                earlier = seen.get(key)
                if earlier is None:
                    seen[key] = (inst, entry)
                    continue
                yield self.kept((inst, entry, *earlier), None, partial(self._finding, inst, entry, *earlier))

    def _finding(self, inst: VrrpInstance, entry: Address, earlier: VrrpInstance, earlier_entry: Address) -> Diagnostic:
        return self.diagnostic(
            entry.word.span,
            f"{entry.address} is also a virtual address of `{earlier.name}`: whichever of "
            f"`{earlier.name}` and `{inst.name}` leaves MASTER deletes it while the other still holds it",
            related=[Related(earlier_entry.word.span, f"`{earlier.name}` lists it here")],
        )


def _service_key(vs: VirtualServer) -> tuple[str, ...]:
    """(address, port, protocol) as keepalived builds the IPVS service; protocol default UDP."""
    if vs.key[:1] == ("fwmark",) or vs.group is not None:
        return vs.key
    protocol = vs.protocol.value.upper() if vs.protocol is not None else "UDP"
    return (normal_address(vs.key[0]) if vs.key else "", *vs.key[1:2], protocol)


class DuplicateVirtualServer(Rule):
    """Two `virtual_server` blocks for the same service (address, port, protocol).

    keepalived does not merge them: both try to create the same IPVS service, the
    kernel refuses the second (`File exists`), and its real servers and checkers then
    act on a service configured by the other block.

    Bad:

        virtual_server 192.0.2.10 80 { protocol TCP ... }
        virtual_server 192.0.2.10 80 { protocol TCP ... }

    Good:

        virtual_server 192.0.2.10 80 { protocol TCP ... }
        virtual_server 192.0.2.10 443 { protocol TCP ... }
    """

    code = "KA211"
    name = "duplicate-virtual-server"
    severity = Severity.ERROR
    summary = "two `virtual_server` blocks for the same address, port and protocol"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        seen: dict[tuple[str, ...], VirtualServer] = {}
        for vs in config.virtual_servers:
            key = _service_key(vs)
            if key not in seen:
                seen[key] = vs
                continue
            yield self.diagnostic(
                vs.node.header_span,
                f"virtual_server {' '.join(key)} is defined twice: both blocks drive the same IPVS service",
                related=[Related(seen[key].node.header_span, "first defined here")],
            )


class DuplicateRealServer(Rule):
    """The same `real_server` (address and port) twice in one `virtual_server`.

    keepalived logs `VS ...: real server ... is duplicated - removing second rs`: the
    second block's weight and checkers are thrown away.

    Bad:

        virtual_server 192.0.2.10 80 {
            real_server 10.0.0.1 80 { weight 1 }
            real_server 10.0.0.1 80 { weight 3 }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            real_server 10.0.0.1 80 { weight 1 }
            real_server 10.0.0.2 80 { weight 3 }
        }
    """

    code = "KA212"
    name = "duplicate-real-server"
    severity = Severity.WARNING
    summary = "the same real_server twice in one virtual_server"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            seen: dict[tuple[str, str | None], RealServer] = {}
            for real in vs.real_servers:
                key = (normal_address(real.address), real.port)
                first = seen.setdefault(key, real)
                if first is not real:
                    yield self.diagnostic(
                        real.node.header_span,
                        f"real_server {real.address} {real.port or ''}".rstrip()
                        + " appears twice in this virtual_server: keepalived removes the second one, "
                        "with its weight and checkers",
                        related=[Related(first.node.header_span, "first listed here")],
                    )
