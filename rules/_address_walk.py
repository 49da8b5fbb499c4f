"""The options after an address in virtual_ipaddress, virtual_ipaddress_excluded and
static_ipaddress as keepalived's alloc_ipaddress() reads them (vrrp_ipaddress.c)."""

from __future__ import annotations

from kalint.records import dataclass
from kalint.rules._walk import SCOPES, U8, U32, Walk, family, read_unsigned, table_lookup, valid_address
from kalint.syntax.tree import Statement, Word


@dataclass(slots=True)
class AddressOptions(Walk):
    """The options after an address as alloc_ipaddress() reads them."""

    prefix: int = 32
    dev: bool = False
    scope: int | None = None
    scope_word: Word | None = None
    label: Word | None = None
    peer: Word | None = None
    brd: Word | None = None
    brd_sign: bool = False


def read_address_options(stmt: Statement, static: bool, groups: set[str]) -> AddressOptions:
    """alloc_ipaddress() after a valid first word (an invalid one is KA104's); a missing
    option value and unknown words are KA326's, so the walk just stops or skips there."""
    walk = AddressOptions(stmt)
    first = stmt.texts[0]
    walk.family = family(first)
    full = 128 if walk.family == 6 else 32
    prefix = first.partition("/")[2]
    read = read_unsigned(prefix, full) if prefix else None
    walk.prefix = full if read is None else read
    walk.i = 1
    track_group = False
    while walk.i < len(walk.texts) and not walk.stopped:
        word = walk.words[walk.i]
        if word.text in _ADDRESS_OPTIONS or (static and word.text == "track_group"):
            if walk.i + 1 >= len(walk.texts):
                return walk  # `No %s parameter specified` (KA326)
            if word.text == "track_group":
                if track_group:  # only a group that was found counts
                    walk.say(walk.take(), f"track_group {walk.text()} is a duplicate")
                    break
                name = walk.take()
                track_group = name is not None and name.text in groups
                if name is not None and not track_group:
                    walk.say(name, f"track_group {name.text} not found")
            elif word.text == "peer" and walk.peer is not None:
                walk.say(walk.take(), f"Peer {walk.text()} - another peer has already been specified")
                continue  # keepalived does not step over the value
            else:
                value = walk.take()
                if value is not None:  # there is one: checked above
                    _ADDRESS_OPTIONS[word.text](walk, word, value)
        walk.i += 1
    if not walk.stopped:
        _address_end(walk, first)
    return walk


def _address_end(walk: AddressOptions, first: str) -> None:
    if walk.brd is not None and walk.peer is not None:
        walk.say(walk.brd, "Cannot specify broadcast and peer addresses - ignoring broadcast address")
    elif walk.brd_sign and walk.prefix > 30:
        walk.say(walk.brd, f"Address prefix length {walk.prefix} too long for broadcast")
    if walk.family == 6:
        if walk.scope:
            walk.say(walk.scope_word, f"Cannot specify scope for IPv6 addresses ({first}) - ignoring scope")
        if walk.label is not None:
            walk.say(walk.label, f"Cannot specify label for IPv6 addresses ({first}) - ignoring label")


def _dev(walk: AddressOptions, word: Word, value: Word) -> None:
    if walk.dev:
        walk.fail(word, f"Cannot specify ipaddress device more than once for {walk.texts[0]}")
    walk.dev = True


def _scope(walk: AddressOptions, word: Word, value: Word) -> None:
    found = table_lookup(value.text, SCOPES, U8)
    if found is None:
        walk.say(value, f"Invalid scope '{value.text}' specified for {walk.texts[0]} - ignoring")
    elif found is not True:
        walk.scope, walk.scope_word = int(found), word


def _brd(walk: AddressOptions, word: Word, value: Word) -> None:
    if walk.family == 6:
        walk.fail(word, f"VRRP is trying to assign a broadcast {word.text} to the IPv6 address "
                        f"{walk.texts[0]} !!?? WTF... skipping VIP...")
        return
    walk.brd = word
    walk.brd_sign = value.text in ("+", "-")
    if not walk.brd_sign and (not valid_address(value.text, False) or family(value.text) != 4):
        walk.fail(value, f"VRRP is trying to assign invalid broadcast {value.text}. skipping VIP...")


def _label(walk: AddressOptions, word: Word, value: Word) -> None:
    if len(value.text.encode()) >= 16:
        walk.fail(value, f"Address label {value.text} is longer than maximum length 15 - removing address")
    walk.label = value


def _peer(walk: AddressOptions, word: Word, value: Word) -> None:
    if not valid_address(value.text, False):
        walk.say(value, f"Invalid peer address {value.text}")
    elif family(value.text) != walk.family:
        walk.say(value, f"Peer address {value.text} does not match address family")
    else:
        if walk.prefix != (128 if walk.family == 6 else 32):
            walk.say(walk.words[0], "Cannot specify address prefix when specifying peer address - ignoring")
        walk.peer = value
        walk.prefix = 128 if walk.family == 6 else 32


def _preferred_lft(walk: AddressOptions, word: Word, value: Word) -> None:
    if value.text != "forever" and read_unsigned(value.text, U32) is None:
        walk.say(value, f"preferred_lft {value.text} is invalid")


_ADDRESS_OPTIONS = {"dev": _dev, "scope": _scope, "broadcast": _brd, "brd": _brd, "label": _label, "peer": _peer,
                    "preferred_lft": _preferred_lft}
