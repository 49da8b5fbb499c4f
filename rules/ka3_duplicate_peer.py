"""KA334: the same address twice in one instance's unicast_peer block."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, address_family
from kalint.model.schema import version_key
from kalint.rule import Rule
from kalint.rules._common import normal_address, repeats
from kalint.runtime.loading import loaded_instances

#: The release whose alloc_vrrp_unicast_peer() drops a repeated peer (vrrp_data.c).
DROPS_DUPLICATE_PEER = "2.3.3"


class DuplicateUnicastPeer(Rule):
    """The same address twice in one `unicast_peer` block.

    From 2.3.3 keepalived drops the second entry (`duplicate unicast_peer`), so any
    options written on it (`min_ttl`, `max_ttl`) are lost; before, it kept both and
    sent each advert to that peer once per entry (vrrp.c walks the peer list).

    Bad:

        unicast_peer {
            192.0.2.2
            192.0.2.2
        }

    Good:

        unicast_peer {
            192.0.2.2
            192.0.2.3
        }
    """

    code = "KA334"
    name = "duplicate-unicast-peer"
    severity = Severity.WARNING
    summary = "the same address twice in one unicast_peer block"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        target = config.target_version
        old = target is not None and version_key(target) < version_key(DROPS_DUPLICATE_PEER)
        effect = ("keepalived before 2.3.3 keeps both and sends each advert to this peer twice" if old
                  else "keepalived drops this entry (`duplicate unicast_peer`)")
        for inst in loaded_instances(config):
            # a peer of another family is skipped (KA317), one without an address too (KA104)
            peers = [peer for peer in inst.unicast_peer if address_family(peer.address) == inst.family]
            for peer, earlier in repeats(peers, lambda p: normal_address(p.address)):
                yield self.diagnostic(
                    peer.word.span,
                    f"`{inst.name}`: unicast peer {peer.address} is listed twice: {effect}",
                    related=[Related(earlier.word.span, "first listed here")],
                    help="list each peer once",
                )
