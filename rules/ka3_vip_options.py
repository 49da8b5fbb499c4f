"""KA326: words after an address in `virtual_ipaddress` that keepalived ignores or that drop it."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._placement import ReplayedPerBlock, placement
from kalint.runtime.addresses import ADDRESS_LISTS, ip_text, option_problems


class VipOptions(ReplayedPerBlock, Rule):
    """Words after an address that keepalived ignores, or an option without its value.

    keepalived reads one address per line (alloc_ipaddress): the first word is the
    address, the rest are options (`dev`, `scope`, `brd`, `label`, `peer`, ...). An
    unknown word is ignored (`Unknown configuration entry 'eth0' for ip address -
    ignoring`), so a second address on the line, or `192.0.2.10 - 192.0.2.20` meant as
    a range (these lists have none), is never added, and `192.0.2.10/24 eth0` (no `dev`) is added on the
    instance's interface. An option at the end of the line without its value drops the
    whole address (`No dev parameter specified for 192.0.2.12/24`).

    Bad:

        virtual_ipaddress {
            192.0.2.10/24 eth1
            192.0.2.11 192.0.2.12
            192.0.2.13/24 dev
        }

    Good:

        virtual_ipaddress {
            192.0.2.10/24 dev eth1
            192.0.2.11
            192.0.2.12
            192.0.2.13/24
        }
    """

    code = "KA326"
    analyses = (placement,)
    name = "vip-options"
    severity = Severity.ERROR
    summary = "words after an address that keepalived ignores, or an option without value that drops the address"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for entry, spec in placement(config).entries:
            static = ADDRESS_LISTS.get(spec.path)
            # a malformed address drops the line before its options are read (KA104's)
            if static is None or len(entry.texts) < 2 or not ip_text(entry.texts[0]):
                continue
            address = entry.texts[0]
            for problem, at in option_problems(entry.texts, static):
                word = entry.words[at]
                if problem == "missing":
                    yield self.diagnostic(
                        word.span,
                        f"`{word.text}` without a value: keepalived drops the address `{address}` "
                        f"(`No {word.text} parameter specified for {address}`)",
                    )
                else:
                    yield self.diagnostic(word.span, _unknown(word.text, address))

def _unknown(word: str, address: str) -> str:
    if word == "-":
        return ("`-` is no address range (a list takes one address per line): keepalived ignores it "
                "(`Unknown configuration entry '-' for ip address`)")
    if ip_text(word):
        return (f"`{word}` is not an address of this list: keepalived reads one address per line and ignores "
                f"the other words it does not know (`Unknown configuration entry '{word}' for ip address`)")
    return (f"keepalived does not know `{word}` after `{address}` and ignores it (`Unknown configuration entry "
            f"'{word}' for ip address`)" + ("; an interface is written `dev NAME`" if word[:1].isalpha() else ""))
