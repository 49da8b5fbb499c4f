"""KA138: `mcast_dst_ip` in an instance that sends unicast adverts."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class McastDstWithUnicast(Rule):
    """`mcast_dst_ip` in an instance that has unicast peers.

    With a `unicast_peer` list the instance sends its adverts to each peer, and
    keepalived drops the multicast destination (`(VI_1) multicast destination specified
    with unicast - ignoring`, vrrp.c): the setting suggests multicast adverts that are
    never sent.

    Bad:

        vrrp_instance VI_1 {
            mcast_dst_ip 224.0.0.19
            unicast_peer {
                192.0.2.2
            }
        }

    Good:

        vrrp_instance VI_1 {
            unicast_peer {
                192.0.2.2
            }
        }
    """

    code = "KA138"
    name = "mcast-dst-with-unicast"
    severity = Severity.WARNING
    summary = "`mcast_dst_ip` in an instance with unicast peers, which keepalived ignores"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            peers = [peer for peer in inst.unicast_peer if _is_address(peer.address)]
            if inst.mcast_dst_ip is None or not peers:
                continue
            yield self.diagnostic(
                inst.mcast_dst_ip.word.span,
                f"`{inst.name}` sends unicast adverts to its unicast_peer list, so keepalived ignores "
                f"`mcast_dst_ip {inst.mcast_dst_ip.word.text}` (`multicast destination specified with unicast`)",
                related=[Related(peers[0].node.span, "a unicast peer")],
                help="remove `mcast_dst_ip`, or the unicast_peer block to use multicast",
            )
