"""Group configs linted together into HA peer groups, for cluster rules.

This first version treats every candidate set as one group; the peers issue replaces
it with VIP / unicast / VRID matching and the failover simulator.
"""

from __future__ import annotations

from dataclasses import dataclass

from kalint.model import Config


@dataclass(slots=True)
class PeerGroup:
    configs: list[Config]


def peer_groups(configs: list[Config]) -> list[PeerGroup]:
    return [PeerGroup(configs)] if len(configs) > 1 else []
