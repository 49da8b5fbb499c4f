"""KA530: a `virtual_server` by address without `protocol`, which keepalived makes UDP."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VirtualServer
from kalint.rule import Rule
from kalint.syntax.tree import Block


def _by_address(config: Config, vs: VirtualServer) -> bool:
    """Whether keepalived checks the protocol: a service by address, or a group with at
    least one address entry (fwmark services carry no protocol)."""
    if vs.group is None:
        return vs.key[:1] != ("fwmark",)
    for block in config.document.index().path("virtual_server_group"):
        if isinstance(block, Block) and block.arg_texts()[:1] == (vs.group,):
            return any(child.texts and child.keyword != "fwmark" for child in block.children)
    return False  # an undefined group is KA205's


class VirtualServerWithoutProtocol(Rule):
    """A `virtual_server` by address, without `protocol`.

    keepalived does not assume TCP: `Virtual server [192.0.2.10]:none:80: no protocol
    set - defaulting to UDP` (check_data.c; the kernel's default for protocol 0 is UDP),
    so a web service configured without `protocol TCP` is balanced for UDP only and TCP
    clients are not served.

    Bad:

        virtual_server 192.0.2.10 80 {
            lb_algo rr
            lb_kind NAT
            real_server 192.0.2.21 80 {
            }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            lb_algo rr
            lb_kind NAT
            protocol TCP
            real_server 192.0.2.21 80 {
            }
        }
    """

    code = "KA530"
    name = "virtual-server-without-protocol"
    severity = Severity.WARNING
    summary = "a `virtual_server` by address without `protocol`: keepalived uses UDP, not TCP"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            if vs.protocol is not None or vs.node.first("protocol") is not None or not _by_address(config, vs):
                continue
            yield self.diagnostic(
                vs.node.header_span,
                f"`virtual_server {' '.join(vs.key)}` has no `protocol`: keepalived balances UDP only "
                f"(`no protocol set - defaulting to UDP`), so TCP clients are not served",
                help="add `protocol TCP` (or UDP/SCTP) to the virtual_server",
            )
