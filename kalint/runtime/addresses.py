"""Addresses the way keepalived parses and orders them (inet_pton, ``addr_cmp``)."""

from __future__ import annotations

# The C module itself: `socket` adds ~2 ms of enum set-up to kalint's cold start, and
# only inet_pton/inet_ntop (keepalived's own parsers) are needed here.
from _socket import AF_INET, AF_INET6, inet_ntop, inet_pton


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


def ip_text(text: str | None) -> str | None:
    """inet_stosockaddr: the address without ``/mask`` or ``-range``; None if malformed.
    IPv6 comes back in canonical form so that sets compare as keepalived compares."""
    if not text:
        return None
    bare = text.split("/", 1)[0].split("-", 1)[0]
    parsed = address_int(bare)
    if parsed is None:
        return None
    if parsed[0] == 6:
        return inet_ntop(AF_INET6, parsed[1].to_bytes(16, "big"))
    return bare
