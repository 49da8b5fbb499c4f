"""Addresses the way keepalived parses and orders them (inet_pton, ``addr_cmp``), and the
options after an address in an address list (``alloc_ipaddress``)."""

from __future__ import annotations

# The C module itself: `socket` adds ~2 ms of enum set-up to kalint's cold start, and
# only inet_pton/inet_ntop (keepalived's own parsers) are needed here.
from _socket import AF_INET, AF_INET6, inet_ntop, inet_pton
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kalint.model import Address


def address_int(text: str | None) -> tuple[int, int] | None:
    """(family, the address as a number) via inet_pton; None if malformed."""
    if not text:
        return None
    family = 6 if ":" in text else 4
    try:
        packed = inet_pton(AF_INET6 if family == 6 else AF_INET, text)
    except (OSError, ValueError):
        return None
    return family, int.from_bytes(packed, "big")


def address_key(text: str | None) -> tuple[int, int]:
    """keepalived's addr_cmp order (numeric); unknown addresses sort lowest."""
    return address_int(text) or (0, 0)


def family_of(address: str) -> int:
    return 6 if ":" in address else 4


@lru_cache(maxsize=16384)
def ip_text(text: str | None) -> str | None:
    """inet_stosockaddr: the address without ``/mask`` or ``-range``; None if malformed.
    IPv6 comes back in canonical form so that sets compare as keepalived compares.

    Kept per text: the runtime model and a dozen rules ask again for the same VIPs,
    peers and real servers (38k calls for 11k addresses in a 130k-line config)."""
    if not text:
        return None
    bare = text.split("/", 1)[0].split("-", 1)[0]
    parsed = address_int(bare)
    if parsed is None:
        return None
    if parsed[0] == 6:
        return inet_ntop(AF_INET6, parsed[1].to_bytes(16, "big"))
    return bare


#: alloc_ipaddress() options that take the next word, and those that stand alone.
_WITH_VALUE = frozenset({"dev", "scope", "broadcast", "brd", "label", "peer", "preferred_lft"})
_FLAGS = frozenset({"home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track"})
#: The lists alloc_ipaddress() reads, and whether they hold static addresses (which take
#: `track_group <name>`, where VIPs take `use_vmac`).
ADDRESS_LISTS = {"vrrp_instance.virtual_ipaddress": False, "vrrp_instance.virtual_ipaddress_excluded": False,
                 "static_ipaddress": True}


def option_problems(texts: Sequence[str], static: bool) -> Iterator[tuple[Literal["unknown", "missing"], int]]:
    """The words (by position in ``texts``, an entry's words) after the address that
    keepalived ignores (``unknown``), and an option at the end without its value
    (``missing``: keepalived drops the whole address). Positions, not word nodes: every
    address of a config is read here, and only a problem needs a node to report."""
    with_value = _WITH_VALUE | ({"track_group"} if static else set())
    flags = _FLAGS | (set() if static else {"use_vmac"})
    i = 1
    while i < len(texts):
        text = texts[i]
        if text in with_value:
            if i + 1 >= len(texts):
                yield "missing", i
                return
            i += 2
            continue
        if text not in flags:
            yield "unknown", i
        i += 1


def vip_kept(vip: Address) -> bool:
    """Whether keepalived keeps an address entry: a valid address with no option missing its value."""
    return bool(ip_text(vip.address)) and not any(
        problem == "missing" for problem, _ in option_problems(vip.node.texts, static=False))
