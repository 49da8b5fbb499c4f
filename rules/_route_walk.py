"""A static or virtual route line as keepalived's alloc_route() reads it, with its
nexthops (parse_nexthops) and encapsulations (parse_encap*) (vrrp_iproute.c)."""

from __future__ import annotations

import re

from kalint.records import dataclass
from kalint.rules._walk import (
    PROTOS,
    RTPROT_KEEPALIVED,
    SCOPES,
    TABLES,
    U8,
    U16,
    U32,
    U64,
    Walk,
    family,
    looks_like_address,
    read_unsigned,
    realms_ok,
    rtntype,
    rtt_value,
    swallow,
    table_lookup,
    track_group_option,
    valid_address,
)
from kalint.syntax.tree import Statement, Word

#: Options read with get_u32/get_u8 and their limits (the value word follows, `lock` first for some).
_ROUTE_NUMBERS = {"metric": U32, "priority": U32, "preference": U32, "window": U32, "initcwnd": U32,
                  "initrwnd": U32, "hoplimit": U8, "quickack": 1, "fastopen_no_cookie": 1, "expires": U32}
_ROUTE_LOCKED = {"mtu": U32, "advmss": U32, "reordering": U32, "cwnd": U32, "ssthresh": U32}
#: How get_u32/get_u8's messages name each option ("Invalid %s %s specified for route").
_NUMBER_NAMES = {"metric": "metric", "priority": "metric", "preference": "metric", "mtu": "MTU", "hoplimit": "hoplimit",
                 "advmss": "advmss", "expires": "expires time"}
_ROUTE_RTT = {"rtt": (8, "rtt"), "rttvar": (4, "rtt"), "rto_min": (1, "rto")}
_ROUTE_FLAGS = frozenset({"onlink", "add", "prepend", "append"})
_MIX = "Cannot mix IPv4 and IPv6 addresses for route"


@dataclass(slots=True)
class Route(Walk):
    """A route line as alloc_route() reads it: the options seen so far."""

    dest: bool = False
    oif: bool = False
    no_track: bool = False
    protocol: int | None = None
    or_seen: bool = False


def read_route(stmt: Statement, static: bool, groups: set[str]) -> Route:
    walk = Route(stmt)
    while walk.i < len(walk.texts) and not walk.stopped:
        word = walk.words[walk.i]
        if word.text == "nexthop":
            if walk.or_seen:
                walk.say(word, 'Cannot specify nexthops with "or" route')
                break
            _nexthops(walk)
            break
        if word.text == "track_group" and static:
            if track_group_option(walk, groups):
                break
        else:
            _route_word(walk, word)
        walk.i += 1
    if walk.stopped:
        return walk
    if walk.i < len(walk.texts):
        walk.fail(walk.word(), f"Route has trailing nonsense - {walk.text()}")
    elif not walk.dest:
        walk.fail(None, "Route must have a destination")
    else:
        _route_end(walk)
    return walk


def _route_end(walk: Route) -> None:
    if not walk.no_track and walk.protocol is not None and walk.protocol != RTPROT_KEEPALIVED:
        walk.say(_find(walk, "protocol"), f"Route cannot be tracked if protocol is not RTPROT_KEEPALIVED"
                                          f"({RTPROT_KEEPALIVED}), resetting protocol")
    if walk.track_group is not None and not walk.oif:
        walk.say(walk.track_group, "Static route cannot have track group if no oif specified")


def _find(walk: Walk, text: str) -> Word | None:
    return next((w for w in walk.words if w.text == text), None)


def _route_word(walk: Route, word: Word) -> None:  # noqa: C901 (a flat dispatch on the option word)
    text = word.text
    if text in ("inet", "inet6"):
        fam = 4 if text == "inet" else 6
        walk.set_family(fam, word, f"{text} specified for IPv{10 - fam} route")
        swallow(walk, word)
    elif text in ("src", "via", "gw", "from"):
        _route_address(walk, text)
    elif text == "as":
        value = walk.take()
        if value is not None and value.text == "to":
            walk.i += 1
        if value is not None:
            walk.say(word, '"as to" for MPLS only - ignoring')
    elif text in ("tos", "dsfield"):
        value = walk.take()
        if value is not None and table_lookup(value.text, {}, U8) is None:
            walk.fail(value, f"TOS value {value.text} is invalid")
    elif text in ("table", "protocol", "scope", "dev", "oif", "vrf", "congctl"):
        _route_named(walk, text)
    elif text in _ROUTE_NUMBERS or text in _ROUTE_LOCKED:
        _route_number(walk, word)
    elif text in _ROUTE_RTT:
        _route_rtt(walk, text)
    elif text == "realms":
        value = walk.take()
        if not realms_ok(value.text if value else None):
            walk.fail(value or word, f"Invalid realms {value.text if value else ''} for route")
        else:
            walk.set_family(4, word, "realms are only valid for IPv4")
    elif text == "pref":
        _route_pref(walk, word)
    elif text == "ttl-propagate":
        value = walk.take()
        if value is not None and value.text not in ("enabled", "disabled"):
            walk.say(value, f"ttl-propagate value {value.text} not recognised")
    elif text == "features":
        walk.take()
    elif text == "encap":
        _encap(walk)
    elif text == "or":
        _route_or(walk)
    elif text == "no_track":
        walk.no_track = True
    elif text not in _ROUTE_FLAGS:
        _destination(walk, word)


def _route_address(walk: Route, text: str) -> None:
    value = walk.take()
    fam = 0
    if text in ("via", "gw") and value is not None and value.text in ("inet", "inet6"):
        fam = 4 if value.text == "inet" else 6
        value = walk.take()
        walk.set_family(fam, value, _MIX)
    if not valid_address(value.text if value else None, text == "from"):
        walk.bad_address(value, f"invalid route {'via' if text == 'gw' else text} address")
        return
    assert value is not None
    if text == "from" and family(value.text) != 6:
        walk.fail(value, f"route from address only supported with IPv6 ({value.text})")
        return
    walk.set_family(family(value.text), value, _MIX)


def _route_named(walk: Route, text: str) -> None:
    """Options whose value is a name: interfaces and VRFs (host), congctl (free), or
    table/protocol/scope (a number, a built-in name or one of the host's iproute2 files)."""
    value = walk.lock() if text == "congctl" else walk.take()
    if value is None:
        return
    if text in ("dev", "oif"):
        walk.oif = True
    names, high, what = {"table": (TABLES, U32, "Routing table %s not found"),
                         "protocol": (PROTOS, U8, "Protocol %s not found or invalid"),
                         "scope": (SCOPES, U8, "Scope %s not found or invalid")}.get(text, ({}, 0, ""))
    if not what:
        return
    found = table_lookup(value.text, names, high)
    if found is None:
        walk.fail(value, what.replace("%s", value.text) + " for route")
    elif text == "protocol" and found is not True:
        walk.protocol = int(found)


def _route_number(walk: Route, word: Word) -> None:
    """get_u32/get_u8 with keepalived's own wording; `expires` checks the family before
    it reads its value."""
    text = word.text
    if text == "expires":
        walk.set_family(6, word, "expires is only valid for IPv6")
        if walk.stopped:
            return
    value = walk.lock() if text in _ROUTE_LOCKED else walk.take()
    if value is not None and read_unsigned(value.text, _ROUTE_NUMBERS.get(text) or _ROUTE_LOCKED[text]) is None:
        walk.fail(value, f"Invalid {_NUMBER_NAMES.get(text, text + ' value')} {value.text} specified for route")


def _route_rtt(walk: Route, text: str) -> None:
    unit, kind = _ROUTE_RTT[text]
    value = walk.lock()
    if value is None:
        return
    error, warning = rtt_value(value.text, unit, kind)
    invalid = (f"Invalid rto_min value {value.text} specified for route" if text == "rto_min"
               else f"Invalid {text} {value.text} for route")
    if error == "invalid":
        walk.fail(value, invalid)
    elif error:  # keepalived reports the exponential form, then the invalid value
        walk.fail(value, f"{invalid}`, after `{error}")
    elif warning:
        walk.say(value, warning)


def _route_pref(walk: Route, word: Word) -> None:
    walk.set_family(6, word, "pref is only valid for IPv6")
    value = None if walk.stopped else walk.take()
    if value is None:
        return
    if value.text not in ("low", "medium", "high") and read_unsigned(value.text, U8) is None:
        walk.fail(value, f"Invalid pref value {value.text} specified for route")


def _route_or(walk: Route) -> None:
    if walk.or_seen:
        walk.say(walk.word(), '"or" route already specified - ignoring subsequent')
        walk.i += 1
        return
    walk.or_seen = True
    value = walk.take()
    if not valid_address(value.text if value else None, False):
        walk.bad_address(value, 'Invalid "or" address')


def _destination(walk: Route, word: Word) -> None:
    if word.text == "to":
        walk.i += 1
    elif rtntype(word.text) is not None:
        walk.i += 1
    dest = walk.slot()
    if dest is None:
        return
    if not valid_address(dest.text, True):
        if looks_like_address(dest.text):
            walk.bad_address(dest, "unknown route keyword")
        else:
            walk.fail(dest, f"unknown route keyword {dest.text}")
        return
    walk.dest = True
    # keepalived compares the families as they are: `default`/`any`/`all` (no family)
    # after an IPv4 or IPv6 word is a mix too
    if walk.family and family(dest.text) != walk.family:
        walk.fail(dest, f"{_MIX} ({dest.text})")
    walk.family = walk.family or family(dest.text)


def _encap(walk: Route | Walk) -> None:
    """parse_encap(): `encap ip|ip6|mpls|ila ...`. keepalived ignores its result and reads
    on; kalint stops following the line after an encap error instead of guessing."""
    word = walk.word()
    walk.i += 1
    kind = walk.word()
    if kind is None:  # checked, no exit: keepalived reads on (to the end of the line)
        walk.say(word, "Missing encap type")
        return
    walk.i += 1
    if kind.text in ("ip", "ip6"):
        ok = _encap_ip(walk, kind.text == "ip6")
    elif kind.text in ("mpls", "ila"):
        value = walk.word()
        walk.i += 1
        ok = _encap_single(walk, kind, value)
    else:
        walk.say(kind, f"Unknown encap type - {kind.text}")
        ok = False
    walk.i -= 1
    walk.stopped |= not ok


def _encap_single(walk: Walk, kind: Word, value: Word | None) -> bool:
    if value is None:
        walk.say(kind, "missing address for MPLS encapsulation" if kind.text == "mpls"
                 else "missing locator for ILA encapsulation")
        return False
    if kind.text == "mpls":
        ok = all(read_unsigned(label, 2**20 - 1) is not None for label in value.text.split("/"))
        message = f"invalid mpls address {value.text} for encapsulation"
    else:
        ok = re.fullmatch(r"([0-9a-fA-F]{1,4}:){3}[0-9a-fA-F]{1,4}", value.text) is not None
        message = f"invalid locator {value.text} for ila encapsulation"
    if not ok:
        walk.say(value, message)
    return ok


def _encap_ip(walk: Walk, six: bool) -> bool:
    name, want = ("ip6", 6) if six else ("ip", 4)
    have_dst = False
    start = walk.word(walk.i - 1)
    while walk.i + 1 < len(walk.texts):
        key, value = walk.words[walk.i], walk.words[walk.i + 1]
        if key.text in ("dst", "src"):
            if not valid_address(value.text, False):
                walk.bad_address(value, f"Invalid encap {name} {key.text}")
                return False
            if family(value.text) != want:
                walk.say(value, f"IPv{10 - want} address {value.text} not valid for {name} encapsulation")
                return False
            have_dst |= key.text == "dst"
        elif key.text == ("tc" if six else "tos"):
            if table_lookup(value.text, {}, U8) is None:
                walk.say(value, f"tc value {key.text} is invalid for ip6 encapsulation" if six
                         else f"dsfield {value.text} not valid for ip encapsulation")
                return False
        elif key.text in ("id", "ttl", "hoplimit", "flags"):
            high = {"id": U64, "flags": U16}.get(key.text, U8)
            if read_unsigned(value.text, high) is None:
                walk.say(value, f"{key.text} {value.text} is not valid for {name} encapsulation")
                return False
            have_dst |= key.text == "id"
        else:
            break
        walk.i += 2
    if not have_dst:
        walk.say(start, f"address or id missing for {name} encapsulation")
        return False
    return True


def _nexthops(walk: Route) -> None:
    """parse_nexthops(): `nexthop via ADDR dev IF weight N ...`, repeated, to the end."""
    while walk.i < len(walk.texts) and walk.words[walk.i].text == "nexthop" and not walk.stopped:
        walk.i += 1
        while walk.i < len(walk.texts) and not walk.stopped:
            if not _nexthop_word(walk, walk.words[walk.i]):
                break
            walk.i += 1
    if not walk.stopped and walk.i < len(walk.texts):
        walk.say(walk.word(), f"Route has trailing nonsense after nexthops - {walk.text()}")
        walk.stopped = True
    walk.dest = walk.dest or walk.stopped


def _nexthop_via(walk: Route) -> None:
    value = walk.take()
    fam = 0
    if value is not None and value.text in ("inet", "inet6"):
        fam = 4 if value.text == "inet" else 6
        value = walk.take()
    if fam and walk.family and walk.family != fam:
        walk.say(value, "IPv4/6 mismatch for nexthop")
        walk.stopped = True
    elif value is None or not valid_address(value.text, False):
        walk.bad_address(value, "invalid nexthop address")
    else:
        walk.family = walk.family or fam
        if walk.family and family(value.text) != walk.family:
            walk.say(value, "Address family mismatch for next hop")
            walk.stopped = True
        walk.family = walk.family or family(value.text)


def _nexthop_word(walk: Route, word: Word) -> bool:
    """One word of a nexthop; False at a word that does not belong to it."""
    text = word.text
    if text == "via":
        _nexthop_via(walk)
    elif text == "weight":
        value = walk.take()
        number = read_unsigned(value.text if value else None, 256)
        if number is None or number == 0:
            walk.say(value or word, "Invalid weight 0 specified for route" if number == 0
                     else f"Invalid weight {value.text if value else ''} specified for route")
            walk.stopped = True
    elif text == "realms":
        value = walk.take()
        if not realms_ok(value.text if value else None):
            walk.say(value or word, f"Invalid realms {value.text if value else ''} for route")
            walk.stopped = True
        elif walk.family == 6:
            walk.say(word, "realms are only supported for IPv4")
            walk.stopped = True
        walk.family = walk.family or 4
    elif text == "as":
        value = walk.take()
        if value is not None and value.text == "to":
            walk.i += 1
        if value is not None:
            walk.say(word, "'as [to]' (nat) not supported")
        walk.stopped = True
    elif text == "encap":
        _encap(walk)
    elif text == "dev":
        walk.take()
    elif text != "onlink":
        return False
    return True
