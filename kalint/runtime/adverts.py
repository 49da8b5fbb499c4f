"""Which node accepts whose adverts, and who wins between two masters (semantics.md §3.4, §6).

An advert that fails ``vrrp_check_packet()`` is silence to the receiver: its down timer
runs out and it becomes MASTER too. That is how peers that disagree end in split brain.
"""

from __future__ import annotations

from kalint.runtime.addresses import address_key
from kalint.runtime.loading import Peer


def mismatch(a: Peer, b: Peer) -> str | None:
    """Why a drops b's adverts, in keepalived's terms; None when it accepts them."""
    if a.vrid != b.vrid:
        return f"virtual_router_id {a.vrid} vs {b.vrid}"
    if a.family != b.family:
        return f"IPv{a.family} vs IPv{b.family}"
    if a.version != b.version:
        return f"VRRP version {a.version} vs {b.version}"
    if a.unicast != b.unicast:
        return "unicast on one side, multicast on the other"
    if a.unicast and a.src is not None and a.src not in b.unicast_peers:
        return f"{b.node} does not list {a.node}'s {a.src} in unicast_peer"
    if a.unicast and a.check_unicast_src and b.src is not None and b.src not in a.unicast_peers:
        return f"{a.node} checks unicast sources and does not list {b.src}"
    if not a.unicast and a.mcast_group != b.mcast_group:
        return f"multicast group {a.mcast_group} vs {b.mcast_group}"
    if a.version == 2 and a.adv != b.adv:
        return f"advert_int {a.adv:g} vs {b.adv:g}"
    if a.version == 2 and a.auth != b.auth:
        return "authentication differs"
    if a.vips != b.vips:
        return "virtual_ipaddress sets differ"
    return None


def hears(a: Peer, b: Peer) -> bool:
    """a accepts b's adverts."""
    return mismatch(a, b) is None


def beats(x: Peer, x_eff: int, y: Peer, y_eff: int) -> bool:
    """Between two masters, x stays and y steps down: higher priority, then higher address."""
    return x_eff > y_eff or (x_eff == y_eff and address_key(x.src) > address_key(y.src))


def accepts(backup: Peer, backup_eff: int, master_eff: int) -> bool:
    """A backup that hears a master stays BACKUP: `nopreempt`, or a priority at least its own."""
    return backup.nopreempt or master_eff >= backup_eff
