"""KA322: unicast settings on an instance that lists no unicast peer."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime.addresses import ip_text
from kalint.runtime.loading import loaded_instances

#: Keywords that mark an instance as unicast (VRRP_FLAG_UNICAST_CONFIGURED, vrrp_parser.c).
_UNICAST_KEYWORDS = ("unicast_peer", "unicast_src_ip", "check_unicast_src", "old_unicast_checksum")


class UnicastWithoutPeers(Rule):
    """Unicast settings on an instance that lists no unicast peer.

    An empty `unicast_peer {}` block (or one whose entries are no addresses: keepalived
    drops each), a `unicast_src_ip` or `check_unicast_src` without peers: keepalived 2.2.7
    says `(VI_1) A unicast keyword has been specified without any
    unicast peers. Defaulting to multicast` and advertises by multicast, although the
    config reads as unicast (a peer that really uses unicast never meets it). With
    `unicast_fault_no_peer` the instance stays in FAULT instead.

    Bad:

        vrrp_instance VI_1 {
            unicast_src_ip 192.0.2.1
            unicast_peer {
            }
        }

    Good:

        vrrp_instance VI_1 {
            unicast_src_ip 192.0.2.1
            unicast_peer {
                192.0.2.2
            }
        }
    """

    code = "KA322"
    name = "unicast-without-peers"
    severity = Severity.WARNING
    summary = "unicast settings without any unicast peer: keepalived falls back to multicast"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if any(ip_text(address.address) for address in inst.unicast_peer):
                continue
            given = next((stmt for keyword in _UNICAST_KEYWORDS for stmt in inst.node.find(keyword)), None)
            if given is None:
                continue
            if inst.node.first("unicast_fault_no_peer") is not None:
                yield self.diagnostic(
                    given.header_span,
                    f"`{inst.name}` has `{given.keyword}` and `unicast_fault_no_peer` but no unicast peer: "
                    f"keepalived keeps it in FAULT (`Cannot use unicast without any peers`), so it never holds its VIPs",
                    severity=Severity.ERROR,
                    help="list the other nodes' addresses in `unicast_peer`",
                )
                continue
            yield self.diagnostic(
                given.header_span,
                f"`{inst.name}` has `{given.keyword}` but no unicast peer: keepalived falls back to multicast "
                f"(`A unicast keyword has been specified without any unicast peers. Defaulting to multicast`), "
                f"so a peer that uses unicast never hears it",
                help="list the other nodes' addresses in `unicast_peer`, or remove the unicast settings",
            )
