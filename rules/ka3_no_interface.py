"""KA333: a vrrp_instance without an `interface` where keepalived needs one."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VrrpInstance
from kalint.model.schema import version_key
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances
from kalint.syntax.span import Span

#: From this release a unicast instance may omit `interface` (chk_min_cfg() tests
#: VRRP_FLAG_UNICAST_CONFIGURED; before, VRRP_FLAG_UNICAST, set only after that check).
UNICAST_WITHOUT_INTERFACE = "2.3.0"
#: The keywords that mark an instance as unicast while it is read (vrrp_parser.c, 2.3.4).
_UNICAST_KEYWORDS = ("unicast_peer", "unicast_src_ip", "unicast_fault_no_peer", "check_unicast_src",
                     "old_unicast_checksum")


def _link_local(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).is_link_local
    except ValueError:
        return False


def _problems(config: Config, inst: VrrpInstance) -> Iterator[tuple[Span, str, str, Severity | None]]:
    """(where, what keepalived says and does, what to do) for an instance without `interface`."""
    children = inst.node.children
    unicast = any(stmt.keyword in _UNICAST_KEYWORDS for stmt in children)
    vmac = next((s for s in children if s.keyword in ("use_vmac", "use_ipvlan")), None)
    if unicast and vmac is not None:
        yield (vmac.words[0].span, "`Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac`: "
                                   "keepalived drops the VMAC", "add `interface`, or leave this line out", Severity.WARNING)
    target = config.target_version
    if not unicast or (target is not None and version_key(target) < version_key(UNICAST_WITHOUT_INTERFACE)):
        yield (inst.node.header_span, "`Unknown interface!`: keepalived needs an `interface` for this instance"
                                      f"{'' if unicast else ' (it is not unicast)'} and refuses the configuration",
               "add `interface <name>`", None)
        return
    if inst.unicast_src_ip is None:
        yield (inst.node.header_span, "`Unicast instances must have unicast_src_ip or interface`: keepalived "
                                      "rejects the instance", "add `interface <name>` or `unicast_src_ip`", None)
        return
    if inst.family == 6 and _link_local(inst.unicast_src_ip.value):
        yield (inst.unicast_src_ip.node.words[0].span, "`Non link-local address required if interface omitted`: "
                                                       "keepalived rejects the instance", "add `interface <name>`", None)
        return
    for prefix, vips in (("", inst.virtual_ipaddress), ("e", inst.virtual_ipaddress_excluded)):
        for vip in (v for v in vips if "dev" not in v.node.texts[1:-1]):
            yield (vip.word.span, f"`no interface for {prefix}vip {vip.address} - removing`: neither the address nor the "
                                  "instance names an interface, so keepalived drops it", "add `dev <name>`", None)


class InstanceWithoutInterface(Rule):
    """A `vrrp_instance` without `interface` where keepalived needs one.

    A multicast instance needs an interface; without one keepalived says `Unknown
    interface!` and refuses the configuration. Before 2.3.0 this holds for unicast
    instances too. From 2.3.0 a unicast instance may omit it, but then needs a
    `unicast_src_ip` (`Unicast instances must have unicast_src_ip or interface`), not a
    link-local one for IPv6, and each VIP needs its own `dev` (`no interface for vip ...
    - removing`); `use_vmac`/`use_ipvlan` is dropped (`Cannot use VMAC/ipvlan with unicast
    and no interface`).

    Bad:

        vrrp_instance VI_1 {
            virtual_router_id 51
            virtual_ipaddress {
                192.0.2.10/24
            }
        }

    Good:

        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                192.0.2.10/24
            }
        }
    """

    code = "KA333"
    name = "instance-without-interface"
    severity = Severity.ERROR
    summary = "a vrrp_instance without `interface` where keepalived needs one"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if any(stmt.keyword == "interface" for stmt in inst.node.children):
                continue  # one without a name is reported where it is written
            for span, said, todo, severity in _problems(config, inst):
                yield self.diagnostic(span, f"`{inst.name}`: {said}", severity=severity, help=todo)
