"""How keepalived reads the options after an address in an address list (alloc_ipaddress).

Shared by KA326 (what it ignores or drops) and KA315 (whether any VIP survives).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from kalint.syntax.tree import Word

#: alloc_ipaddress() options that take the next word, and those that stand alone.
_WITH_VALUE = frozenset({"dev", "scope", "broadcast", "brd", "label", "peer", "preferred_lft"})
_FLAGS = frozenset({"home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track"})
#: The lists alloc_ipaddress() reads, and whether they hold static addresses (which take
#: `track_group <name>`, where VIPs take `use_vmac`).
ADDRESS_LISTS = {"vrrp_instance.virtual_ipaddress": False, "vrrp_instance.virtual_ipaddress_excluded": False,
                 "static_ipaddress": True}


def option_problems(words: list[Word], static: bool) -> Iterator[tuple[Literal["unknown", "missing"], Word]]:
    """The words after the address keepalived ignores (``unknown``), and an option at the
    end without its value (``missing``: keepalived drops the whole address)."""
    with_value = _WITH_VALUE | ({"track_group"} if static else set())
    flags = _FLAGS | (set() if static else {"use_vmac"})
    i = 1
    while i < len(words):
        word = words[i]
        if word.text in with_value:
            if i + 1 >= len(words):
                yield "missing", word
                return
            i += 2
            continue
        if word.text not in flags:
            yield "unknown", word
        i += 1
