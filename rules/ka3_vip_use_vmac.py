"""KA336: a VIP's `use_vmac` option that keepalived ignores for the instance's VMAC settings."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Address, Config, VrrpInstance, address_family
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances
from kalint.syntax.tree import Word


def _option(vip: Address, name: str) -> Word | None:
    """The option's word (made only when the VIP has it: every VIP comes by here)."""
    texts = vip.node.texts
    return vip.node.words[texts.index(name, 1)] if name in texts[1:] else None


def _dev(vip: Address) -> str | None:
    words = vip.node.texts[1:]
    return words[words.index("dev") + 1] if "dev" in words[:-1] else None


def _problems(inst: VrrpInstance) -> Iterator[tuple[Word, str]]:
    """(the VIP's use_vmac word, what keepalived says) per vrrp.c vrrp_complete_instance()."""
    given = {stmt.keyword for stmt in inst.node.children}
    own = inst.interface.value if inst.interface is not None else None
    for vip in [*inst.virtual_ipaddress, *inst.virtual_ipaddress_excluded]:
        word = _option(vip, "use_vmac")
        if word is None:
            continue
        dev = _dev(vip)
        same = (dev is None or dev == own) and address_family(vip.address) == inst.family
        if same and "use_vmac" in given:
            yield word, (f"`use_vmac specified for VIP/eVIP {vip.address} and vrrp instance`: the address goes on "
                         "the instance's VMAC anyway")
        elif not same and "use_vmac_addr" in given:
            yield word, (f"`use_vmac_addr specified and use_vmac specified for VIP/eVIP {vip.address}`: keepalived "
                         "ignores the address's `use_vmac`")


class VipUseVmacIgnored(Rule):
    """A VIP's `use_vmac` option that keepalived ignores.

    A VIP on the instance's interface and family already goes on the instance's VMAC when
    the instance has `use_vmac` (`use_vmac specified for VIP/eVIP %s and vrrp instance`);
    a VIP on another interface or of the other family gets no VMAC of its own when the
    instance has `use_vmac_addr` (`use_vmac_addr specified and use_vmac specified for
    VIP/eVIP %s`).

    Bad:

        use_vmac
        virtual_ipaddress {
            192.0.2.1/24 use_vmac
        }

    Good:

        use_vmac
        virtual_ipaddress {
            192.0.2.1/24
        }
    """

    code = "KA336"
    name = "vip-use-vmac-ignored"
    severity = Severity.WARNING
    summary = "a VIP's use_vmac option keepalived ignores (the instance's use_vmac covers it, or use_vmac_addr is set)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            for word, said in _problems(inst):
                yield self.diagnostic(word.span, f"`{inst.name}`: {said}", help="leave the address's `use_vmac` out")
