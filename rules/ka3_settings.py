"""KA312–KA320: authentication, strict mode, addresses and timers of one instance."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Address, Config, Setting, VrrpInstance, address_family
from kalint.rule import Rule
from kalint.rules._common import normal_address, quoted
from kalint.runtime.addresses import ip_text, vip_kept
from kalint.runtime.loading import OWNER, base_priority, is_strict, loaded_instances, vrrp_version, wants_master
from kalint.syntax.span import Span
from kalint.syntax.tree import Node

#: Ethernet + IP + VRRP header (+ 8 bytes of v2 authentication) in a 1500-byte frame
#: (vrrp.c: the VIP count that fits in one advert, capped at 255).
_DEFAULT_MTU = 1500


def _max_vips(family: int, version: int) -> int:
    header = 14 + 8 + (20 + (8 if version == 2 else 0) if family == 4 else 40)
    size = 4 if family == 4 else 16
    return min(255, (_DEFAULT_MTU - header) // size)


class AuthPassTooLong(Rule):
    """`auth_pass` longer than 8 characters.

    VRRPv2 carries 8 bytes of password. keepalived keeps the first 8 and reports
    `Truncating auth_pass to 8 characters`, which makes `keepalived -t` fail (a gate in
    CI then rejects the config). Two passwords that differ only after the 8th character
    are the same password.

    Bad:

        authentication {
            auth_type PASS
            auth_pass supersecret
        }

    Good:

        authentication {
            auth_type PASS
            auth_pass s3cr3t42
        }
    """

    code = "KA312"
    name = "auth-pass-too-long"
    severity = Severity.WARNING
    summary = "`auth_pass` longer than 8 characters is truncated"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.auth_pass is None:
                continue
            length = len(inst.auth_pass.value.encode("utf-8", "surrogateescape"))
            if length > 8:
                yield self.diagnostic(
                    inst.auth_pass.word.span,
                    f"`{inst.name}`: auth_pass is {length} bytes; keepalived uses only the first 8 "
                    f"(`Truncating auth_pass to 8 characters`, and `keepalived -t` exits non-zero)",
                    help="use a password of at most 8 characters, the same on every peer",
                )


class AuthIgnored(Rule):
    """`authentication` that keepalived ignores: VRRPv3, strict mode, AH over IPv6, or no password.

    keepalived drops the authentication of an instance in strict mode (`Strict mode does
    not support authentication`), with VRRPv3 (`VRRP version 3 does not support
    authentication`), for `auth_type AH` on an IPv6 instance (`Cannot use AH
    authentication with IPv6. ignoring`) and when `auth_pass` is missing or empty. The config then looks
    protected and is not; and a peer whose authentication is not ignored sends a
    different auth type, so the two never accept each other's adverts.

    Bad:

        vrrp_instance VI_1 {
            version 3
            authentication {
                auth_type PASS
                auth_pass secret
            }
        }

    Good:

        vrrp_instance VI_1 {
            version 3
        }
    """

    code = "KA313"
    name = "auth-ignored"
    severity = Severity.WARNING
    summary = "authentication ignored with VRRPv3, strict mode, AH over IPv6 or an empty password"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.auth_type is None or inst.authentication is None:
                continue
            if is_strict(config, inst):
                reason = "strict mode (vrrp_strict/strict_mode) does not support authentication"
            elif vrrp_version(config, inst) == 3:
                reason = "VRRP version 3 does not support authentication"
            elif inst.family == 6 and inst.auth_type.value == "AH":
                reason = "AH authentication cannot be used with IPv6"
            elif inst.auth_pass is None or not inst.auth_pass.value:
                reason = "no auth_pass is given"
            else:
                continue
            yield self.diagnostic(
                inst.authentication.header_span,
                f"`{inst.name}`: keepalived ignores this authentication block: {reason}; a peer whose "
                f"authentication is not ignored will reject this node's adverts",
                help="remove the block on every peer, or make all peers use VRRPv2 without strict mode and a password",
            )


class StrictModeEffects(Rule):
    """What `vrrp_strict` (or `strict_mode`) does to an instance that the config does not show.

    - Accept mode is off unless the priority is 255 (and `accept` is refused with
      VRRPv2): keepalived installs firewall drop rules for the VIPs, so a non-owner that
      becomes MASTER holds addresses that answer nothing.
    - Unicast peers break the VRRP RFC; 2.2.7 lets them pass unnoticed, later releases
      refuse the configuration.
    - `state MASTER` must go with priority 255: keepalived starts any other `state MASTER`
      instance as BACKUP.

    Bad:

        global_defs { vrrp_strict }
        vrrp_instance VI_1 { priority 100 ... }

    Good:

        global_defs { vrrp_strict }
        vrrp_instance VI_1 { version 3  priority 100  accept ... }
    """

    code = "KA314"
    name = "strict-mode-effects"
    severity = Severity.WARNING
    summary = "strict mode: non-owner VIPs unreachable, unicast forbidden, MASTER only for owners"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if not is_strict(config, inst):
                continue
            where = self._strict_span(config, inst)
            priority = base_priority(inst)
            version = vrrp_version(config, inst)
            if wants_master(inst) and priority != OWNER and inst.state is not None:
                yield self.diagnostic(
                    inst.state.node.span,
                    f"`{inst.name}` has `state MASTER` with priority {priority} in strict mode: keepalived "
                    f"reports `State MASTER must match being address owner` and starts it as BACKUP",
                    related=[Related(where, "strict mode set here")],
                    help="use `state BACKUP` (or priority 255 for a real address owner)",
                )
            if priority != OWNER and inst.virtual_ipaddress and (inst.accept is None or version == 2):
                why = "VRRPv2 refuses `accept` in strict mode" if inst.accept is not None else "no `accept`"
                yield self.diagnostic(
                    inst.node.header_span,
                    f"`{inst.name}` (priority {priority}) runs in strict mode with {why}: keepalived adds firewall "
                    f"drop rules for its VIPs, so as MASTER it does not answer on {inst.virtual_ipaddress[0].address}",
                    related=[Related(where, "strict mode set here")],
                    help="add `accept` with `version 3`, or drop strict mode" if version == 3 or inst.accept is None
                    else "use `version 3` with `accept`, or drop strict mode",
                )
            if inst.unicast_peer:
                yield self.diagnostic(
                    inst.unicast_peer[0].word.span,
                    f"`{inst.name}` uses unicast peers in strict mode: 2.2.7 accepts this silently, later "
                    f"keepalived releases refuse the configuration",
                    related=[Related(where, "strict mode set here")],
                    help="use multicast, or drop strict mode",
                )

    @staticmethod
    def _strict_span(config: Config, inst: VrrpInstance) -> Span:
        if inst.strict_mode is not None:
            return inst.strict_mode.span
        stmt = config.global_defs.get("vrrp_strict")
        return stmt.span if stmt is not None else inst.node.header_span


class NoVip(Rule):
    """A `vrrp_instance` with no usable `virtual_ipaddress`.

    No block, or one whose every entry keepalived drops: no IP address (`VRRP parsed
    invalid IP ip/24. skipping IP...`) or an option without its value (`No dev parameter
    specified for 192.0.2.10/24`, KA326). With VRRPv3 or strict mode keepalived
    requires a VIP (`No VIP specified; at least one is required`): the VRRP process exits
    with a configuration error and keepalived terminates altogether (`exited with
    permanent error CONFIG. Terminating`), so no instance of the config runs and the
    checker process stops too. Without a block it otherwise warns (`at least one is
    sensible`); peers compare VIP counts, so a peer that has VIPs rejects this node's
    adverts. (Entries that are no address, outside strict mode and VRRPv3, are KA104's.)

    Bad:

        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
        }

    Good:

        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                192.0.2.10
            }
        }
    """

    code = "KA315"
    name = "no-vip"
    severity = Severity.WARNING
    summary = "an instance without a valid `virtual_ipaddress` (fatal to keepalived with VRRPv3 or strict mode)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if any(vip_kept(a) for a in inst.virtual_ipaddress):
                continue
            fatal = is_strict(config, inst) or vrrp_version(config, inst) == 3
            if inst.virtual_ipaddress and not fatal:
                continue  # KA104 reports each bad entry; keepalived only adds "at least one is sensible"
            given = inst.node.first("virtual_ipaddress")
            what = (f"`{inst.name}` has no valid virtual_ipaddress (keepalived skips "
                    f"{quoted(a.word.text for a in inst.virtual_ipaddress)})" if inst.virtual_ipaddress
                    else f"`{inst.name}` has no virtual_ipaddress")
            yield self.diagnostic(
                inst.node.header_span,
                what + (": with " + ("strict mode" if is_strict(config, inst) else "VRRPv3")
                        + " keepalived requires one, so its VRRP process exits with a configuration error and "
                          "keepalived terminates: no instance of this config runs" if fatal
                        else ": keepalived warns, and peers with VIPs reject its adverts"),
                severity=Severity.ERROR if fatal else None,
                related=[Related(given.header_span, "virtual_ipaddress here")] if given is not None else [],
                help="add the address this router protects in `virtual_ipaddress`",
            )


class AdvertIntV2(Rule):
    """A VRRPv2 `advert_int` that is not a whole number of seconds, or 256 s or more.

    VRRPv2 adverts carry whole seconds. keepalived rounds a fraction (`VRRPv2
    advertisement interval 0.5s must be an integer. rounding`) and caps 256 or more at
    255. A peer configured with the fraction under VRRPv3 then disagrees, and VRRPv2 peers
    must agree exactly.

    Bad:

        vrrp_instance VI_1 {
            advert_int 0.5
        }

    Good:

        vrrp_instance VI_1 {
            version 3
            advert_int 0.5
        }
    """

    code = "KA316"
    name = "v2-advert-int"
    severity = Severity.WARNING
    summary = "VRRPv2 `advert_int` that is fractional or ≥ 256"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.advert_int is None or vrrp_version(config, inst) != 2:
                continue
            value = inst.advert_int.value
            if value >= 256:
                effect = "is out of range (below 256 s), so keepalived uses 255"
            elif value > 0 and value != int(value):
                effect = f"is not a whole number of seconds, so keepalived rounds it to {max(1, math.floor(value + 0.5))}"
            else:
                continue
            yield self.diagnostic(
                inst.advert_int.word.span,
                f"`{inst.name}` uses VRRPv2, whose adverts carry whole seconds: advert_int {inst.advert_int.word.text} {effect}",
                help="use whole seconds below 256, or `version 3` for sub-second adverts",
            )


class VipFamilyMismatch(Rule):
    """A VIP, unicast peer or source address whose family differs from the instance's.

    An instance is IPv4 or IPv6, fixed by the first address it names (source, peers,
    multicast group or VIPs, in file order). keepalived ignores a VIP of the other family
    (`address family must match VRRP instance`), and likewise a unicast peer or a
    `unicast_src_ip`/`mcast_src_ip` of the other family (`... MUST be of the same family
    !!! Skipping...`). Use `virtual_ipaddress_excluded` for VIPs of the other family: it
    may mix families.

    Bad:

        virtual_ipaddress {
            192.0.2.10
            2001:db8::10
        }

    Good:

        virtual_ipaddress {
            192.0.2.10
        }
        virtual_ipaddress_excluded {
            2001:db8::10
        }
    """

    code = "KA317"
    name = "vip-family-mismatch"
    severity = Severity.ERROR
    summary = "a VIP, unicast peer or source address whose family differs from the instance's is ignored"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.family_node is None:
                continue
            for given, address, what in _family_addresses(inst):
                family = address_family(address)
                if family is None or family == inst.family:
                    continue
                fixed = inst.family_word  # its word nodes are made for a finding only
                assert fixed is not None
                yield self.diagnostic(
                    given.word.span,
                    f"`{inst.name}` is an IPv{inst.family} instance (from {fixed.text}), so keepalived "
                    f"ignores this IPv{family} {what}",
                    related=[Related(fixed.span, f"IPv{inst.family} fixed here")],
                    help="move it to `virtual_ipaddress_excluded`, or to an IPv6 instance of its own" if what == "address"
                    else f"use an IPv{inst.family} {what}",
                )


def _family_addresses(inst: VrrpInstance) -> Iterator[tuple[Address | Setting[str], str, str]]:
    """The addresses keepalived checks against the instance's family: VIPs (`address
    family must match VRRP instance`), unicast peers and source addresses (`... MUST be of
    the same family !!! Skipping...`, vrrp_data.c / vrrp_parser.c). Each with what holds
    its ``word``, made only for a finding (every address of a config comes by here)."""
    for entry in inst.virtual_ipaddress:
        yield entry, entry.address, "address"
    for peer in inst.unicast_peer:
        yield peer, peer.address, "unicast peer"
    for setting in (inst.unicast_src_ip, inst.mcast_src_ip):
        if setting is not None:
            yield setting, setting.value, "source address"


class UnicastSrcInPeers(Rule):
    """An address this config uses as its own listed as a unicast peer.

    One host cannot be both ends of a unicast advert. A `unicast_src_ip` (or
    `mcast_src_ip`) of any instance of the config, or one of its VIPs, listed in a
    `unicast_peer` block: that instance sends its adverts to this very host (for a VIP,
    while this node holds it) and not to the node it means; keepalived says nothing
    about it. Typical of one peer list copied to every node, or of another node's
    instance pasted into this config. Hearing itself, keepalived may log `equal priority
    advert received from remote host with our IP address`, and an address owner
    (priority 255) takes the "other" owner for a conflict and lowers itself to 254.

    Bad:

        unicast_src_ip 10.0.0.1
        unicast_peer {
            10.0.0.1
            10.0.0.2
        }

    Good:

        unicast_src_ip 10.0.0.1
        unicast_peer {
            10.0.0.2
        }
    """

    code = "KA318"
    name = "unicast-src-in-peers"
    severity = Severity.WARNING
    summary = "an address of this config (a unicast_src_ip or a VIP) listed as a unicast peer"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        instances = loaded_instances(config)
        if not any(inst.unicast_peer for inst in instances):
            return
        local = _local_addresses(instances)
        for inst in instances:
            for peer in inst.unicast_peer:
                found = local.get(normal_address(peer.address))
                if found is None:
                    continue
                what, owner, where = found
                if what != "VIP" and owner is inst:
                    message = f"`{inst.name}` lists its own {what} {peer.address} as a peer: it sends its adverts to itself"
                elif what != "VIP":
                    message = (f"`{inst.name}` lists {peer.address} as a unicast peer, but `{owner.name}` of this config "
                               f"uses it as its {what}: one host cannot be both ends, so `{inst.name}` sends its adverts "
                               f"to this host itself, not to the node it means")
                else:
                    whose = "its own VIP" if owner is inst else f"a VIP of `{owner.name}` in this config"
                    message = (f"`{inst.name}` lists {peer.address} as a unicast peer, but it is {whose}: while this "
                               f"node holds it, `{inst.name}` sends its adverts to itself, not to the node it means")
                yield self.diagnostic(
                    peer.word.span, message,
                    related=[Related((where.word if isinstance(where, Address) else where).span, f"{what} here")],
                    help="list only the other nodes' own addresses in unicast_peer",
                )


def _local_addresses(instances: Sequence[VrrpInstance]) -> dict[str, tuple[str, VrrpInstance, Node | Address]]:
    """Addresses the config makes local to this host: source addresses first, then VIPs
    (what each is, the instance, where it is written: a node, or the VIP entry whose
    word a finding shows, made only then)."""
    local: dict[str, tuple[str, VrrpInstance, Node | Address]] = {}
    for inst in instances:
        for setting in (inst.unicast_src_ip, inst.mcast_src_ip):
            if setting is not None and address_family(setting.value) is not None:
                keyword = setting.node.keyword
                local.setdefault(normal_address(setting.value), (keyword, inst, setting.node))
    for inst in instances:
        for vip in inst.virtual_ipaddress:
            if ip_text(vip.address):
                local.setdefault(normal_address(vip.address), ("VIP", inst, vip))
    return local


class TooManyVips(Rule):
    """More `virtual_ipaddress` entries than one advert carries.

    An advert holds at most 255 addresses and only what fits in the interface MTU (with
    1500 bytes: 255 IPv4 or 89 IPv6 addresses). keepalived moves the excess to the
    excluded list (`Number of VIPs (N) exceeds maximum/space available in packet`); peers
    with different counts then reject each other's adverts.

    Bad:

        virtual_ipaddress {
            2001:db8::1
            ... 90 IPv6 addresses ...
        }

    Good:

        virtual_ipaddress {
            2001:db8::1
        }
        virtual_ipaddress_excluded {
            ... the rest ...
        }
    """

    code = "KA319"
    name = "too-many-vips"
    severity = Severity.WARNING
    summary = "more VIPs than one advert carries"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            count = sum(1 for e in inst.virtual_ipaddress if address_family(e.address) in (None, inst.family))
            limit = _max_vips(inst.family, vrrp_version(config, inst))
            if count > limit:
                first_excess = inst.virtual_ipaddress[limit]
                yield self.diagnostic(
                    first_excess.word.span,
                    f"`{inst.name}` has {count} IPv{inst.family} VIPs, but an advert carries at most {limit} "
                    f"(1500-byte MTU): keepalived moves the last {count - limit} to virtual_ipaddress_excluded",
                    help="move the excess to `virtual_ipaddress_excluded` yourself, the same on every peer",
                )


class AhInitialMaster(Rule):
    """`auth_type AH` with `state MASTER` on a node that is not the address owner.

    With AH authentication a router must hear an advert (to learn the AH sequence number)
    before it may take over, so keepalived clears the initial state: `Initial state master
    is incompatible with AH authentication - clearing`, and the node starts as BACKUP.
    The `state MASTER` line does not do what it says.

    Bad:

        vrrp_instance VI_1 {
            state MASTER
            priority 150
            authentication {
                auth_type AH
                auth_pass secret
            }
        }

    Good:

        vrrp_instance VI_1 {
            state BACKUP
            priority 150
            authentication {
                auth_type AH
                auth_pass secret
            }
        }
    """

    code = "KA320"
    name = "ah-initial-master"
    severity = Severity.WARNING
    summary = "`state MASTER` with AH authentication starts as BACKUP"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.auth_type is None or inst.auth_type.value != "AH" or inst.state is None:
                continue
            if not wants_master(inst) or base_priority(inst) == OWNER:
                continue
            # vrrp.c checks this last: strict mode, VRRPv3, an empty password or IPv6
            # drop the authentication first (KA313 reports those).
            if is_strict(config, inst) or vrrp_version(config, inst) == 3 or inst.family == 6:
                continue
            if inst.auth_pass is None or not inst.auth_pass.value:
                continue
            yield self.diagnostic(
                inst.state.node.span,
                f"`{inst.name}` uses AH authentication with priority {base_priority(inst)}: keepalived "
                f"clears `state MASTER` (`Initial state master is incompatible with AH authentication`) "
                f"and starts it as BACKUP, because it must hear an advert before taking over",
                related=[Related(inst.auth_type.node.span, "AH authentication is set here")],
                help="write `state BACKUP` (the election still makes the highest priority MASTER)",
            )
