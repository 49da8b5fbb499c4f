"""The words of a route, rule or address line as keepalived reads them (alloc_route,
alloc_rule in vrrp_iproute.c and vrrp_iprule.c, alloc_ipaddress in vrrp_ipaddress.c,
the number readers of vrrp_ip_rule_route_parser.c), for KA343–KA345.

Each reader walks the words as keepalived does and returns the messages keepalived
prints, each tied to the word it is about and marked ``drops`` when keepalived then
drops the whole line. Values that keepalived looks up in the host's iproute2 files
(``/etc/iproute2/rt_tables``, ``rt_dsfield``, ``rt_realms``, ``rt_protos``,
``rt_scopes``, ``group``) or in ``/etc/protocols`` are judged only when they are numbers
or one of keepalived's built-in names: any other name may exist on the host.
Invalid addresses stop the walk silently (``bad_address``): KA340 reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kalint.model import Config
from kalint.rules._addresses import ADDRESS_LISTS
from kalint.runtime.addresses import address_int
from kalint.syntax.tree import Block, Statement, Word

U8, U16, U32, U64 = 2**8 - 1, 2**16 - 1, 2**32 - 1, 2**64 - 1
#: RTPROT_KEEPALIVED: the protocol keepalived gives every route and rule it tracks.
RTPROT_KEEPALIVED = 18
_RTNTYPES = {"local": 2, "nat": 10, "broadcast": 3, "brd": 3, "anycast": 4, "multicast": 5, "prohibit": 8,
             "unreachable": 7, "blackhole": 6, "xresolve": 11, "unicast": 1, "throw": 9}
_PROTOS = {"none": 0, "redirect": 1, "kernel": 2, "boot": 3, "static": 4, "gated": 8, "ra": 9, "mrt": 10,
           "zebra": 11, "bird": 12, "babel": 42, "dnrouted": 13, "xorp": 14, "ntk": 15, "dhcp": 16,
           "keepalived": RTPROT_KEEPALIVED}
_TABLES = {"default": 253, "main": 254, "local": 255}
_SCOPES = {"global": 0, "nowhere": 255, "host": 254, "link": 253, "site": 200}
_DECIMAL = re.compile(r"\+?[0-9]+")
_C_NUMBER = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")
_RTT_UNITS = ("s", "sec", "secs")


def c_strtoul(text: str) -> tuple[int, str] | None:
    """strtoul(text, &end, 0): the value (negatives wrap like C) and what is left, or None
    when no digit is read."""
    m = _C_NUMBER.match(text)
    if m is None:
        return None
    digits = m.group(2)
    base = 16 if digits[:2] in ("0x", "0X") else 8 if digits.startswith("0") else 10
    value = int(digits[2:] if base == 16 else digits, base)
    return (-value) % 2**64 if m.group(1) == "-" else value, text[m.end():]


def whole_number(text: str) -> int | None:
    """A word strtoul(..., 0) reads entirely, or None (a name, for the iproute2 look-ups)."""
    read = c_strtoul(text)
    return read[0] if read is not None and not read[1] else None


def read_unsigned(text: str | None, high: int, base: int = 10) -> int | None:
    """read_unsigned()/read_unsigned_base() as ``keepalived -t`` applies them."""
    if text is None:
        return None
    text = text.lstrip(" \t")
    if base == 10:
        value = int(text) if _DECIMAL.fullmatch(text) else None
    else:
        read = c_strtoul(text)
        value = read[0] if read is not None and not read[1] and not text.startswith("-") else None
    return value if value is not None and value <= high else None


def table_lookup(text: str, names: dict[str, int], high: int) -> int | None | bool:
    """find_entry(): the number; True for a name only the host's file can confirm; None if
    keepalived rejects it whatever the host."""
    number = whole_number(text)
    if number is not None:
        return number if number % 2**32 <= high else None
    return names.get(text, True)


def _rtntype(text: str) -> int | None:
    """find_rttables_rtntype(): a route type name, or a number up to 255."""
    if text in _RTNTYPES:
        return _RTNTYPES[text]
    number = whole_number(text)
    return number if number is not None and number <= U8 and not text.startswith("-") else None


def family(text: str) -> int:
    """The address family parse_ipaddress/parse_route gives a word; 0 for default/any/all."""
    if text in ("default", "any", "all"):
        return 0
    if text == "default6":
        return 6
    return 6 if ":" in text else 4


def valid_address(text: str | None, prefix: bool) -> bool:
    if text is None:
        return False
    if prefix and text in ("default", "any", "all", "default6"):
        return True
    bare, slash, _ = text.partition("/")
    return (prefix or not slash) and address_int(bare) is not None


def looks_like_address(text: str) -> bool:
    """A word that tries to be an address (KA340 reports those) rather than an option."""
    return any(c in text for c in "./:") or text.isdigit()


@dataclass(frozen=True, slots=True)
class Message:
    word: Word | None  # None: about the whole line
    text: str
    drops: bool
    #: keepalived exits: it stops reading the configuration at this line.
    exits: bool = False


@dataclass(slots=True)
class Walk:
    """One line being read: its words, the position, and what keepalived said so far."""

    stmt: Statement
    i: int = 0
    family: int = 0
    messages: list[Message] = field(default_factory=list)
    stopped: bool = False
    #: The invalid address the walk stopped at (KA340 reports it).
    bad: tuple[Word, str] | None = None
    #: The word keepalived steps over after `inet`/`inet6` (a bug of 2.2.7 and 2.3.4).
    swallowed: list[tuple[Word, Word]] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return self.stmt.words

    def word(self, i: int | None = None) -> Word | None:
        j = self.i if i is None else i
        return self.words[j] if j < len(self.words) else None

    def text(self, i: int | None = None) -> str | None:
        w = self.word(i)
        return w.text if w is not None else None

    def take(self) -> Word | None:
        """The value after the current word (keepalived's strvec_slot(strvec, ++i))."""
        self.i += 1
        return self.slot()

    def slot(self) -> Word | None:
        """strvec_slot(strvec, i): past the end of the line keepalived reports the missing
        word and exits (null_strvec), so nothing after this line is read either."""
        word = self.word()
        if word is None and not self.stopped:
            before = self.words[self.i - 1] if 0 < self.i <= len(self.words) else None
            after = f" after keyword `{before.text}`" if before is not None else ""
            self.messages.append(Message(before, f"*** Configuration line starting `{self.words[0].text}` is missing "
                                                 f"a parameter{after} at word position {self.i + 1}", True, True))
            self.stopped = True
        return word

    def say(self, word: Word | None, text: str, drops: bool = False) -> None:
        if self.messages and self.messages[-1].exits:
            return
        self.messages.append(Message(word, text, drops))
        self.stopped |= drops

    def fail(self, word: Word | None, text: str) -> None:
        self.say(word, text, drops=True)

    def bad_address(self, word: Word | None, message: str) -> None:
        """An address keepalived cannot parse: ``message`` is what it says (KA340's)."""
        self.stopped = True
        if word is not None:
            self.bad = (word, f"{message} {word.text}")

    def set_family(self, fam: int, word: Word | None, text: str) -> None:
        if not fam:
            return
        if self.family and self.family != fam:
            self.fail(word, text)
        else:
            self.family = fam

    def lock(self) -> Word | None:
        value = self.take()
        if value is not None and value.text == "lock":
            value = self.take()
        return value


def _swallow(walk: Walk, word: Word) -> None:
    """alloc_route/alloc_rule step over `inet`/`inet6` twice (``i++`` in the branch and at
    the end of the loop), so the word after it is never read."""
    walk.i += 1
    after = walk.word()
    if after is not None:
        walk.swallowed.append((word, after))


def rtt_value(text: str | None, unit: int, kind: str) -> tuple[str | None, str | None]:
    """get_time_rtt(): (error that drops the route, warning that resets the value)."""
    if text is None:
        return "invalid", None
    s = text.lstrip(" \t")
    raw, shift = True, 0
    p = next((k for k, c in enumerate(s) if c in "sS"), None)
    if p is not None:
        if s[p:].lower() not in _RTT_UNITS:
            return "invalid", None
        raw = False
        shift = 3
        if p > 0 and s[p - 1].lower() == "m":
            shift, p = 0, p - 1
        if p == 0:
            return "invalid", None
        s = s[:p]
    if "e" in s.lower():
        return f"{kind} value exponential form {text} no longer supported", None
    res = _decimal(s, shift)
    if res is None:
        return "invalid", None
    high = 120000 * unit
    if res > high:
        return "invalid", None
    if not raw:
        res *= unit
    if res > high:
        return None, f"{kind} value {text} exceeds maximum 120s, resetting"
    if res < 200 * unit:
        return None, f"{kind} value {text} below minimum 200ms, resetting"
    return None, None


def _decimal(text: str, shift: int) -> int | None:
    """read_decimal_unsigned(text, shift): decimals beyond ``shift`` are dropped (the
    first of them rounds), the rest must be a whole number for strtoull."""
    if text.startswith("-"):
        return None
    whole, dot, after = text.partition(".")
    round_up = dot != "" and len(after) > shift and after[shift] >= "5"
    digits = whole + (after[:shift] if dot else "") + "0" * (shift - min(len(after), shift) if dot else shift)
    m = re.fullmatch(r"\s*\+?(\d*)", digits)
    if m is None:
        return None
    return int(m.group(1) or 0) + round_up


def realms_ok(text: str | None) -> bool:
    """get_realms(): `[from/]to`, each a number up to 255 or a name from rt_realms."""
    if text is None:
        return False
    return all(table_lookup(part, {}, U8) is not None for part in text.split("/", 1))


# --- routes (alloc_route) ---------------------------------------------------------------------

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
    dest: bool = False
    oif: bool = False
    no_track: bool = False
    protocol: int | None = None
    track_group: Word | None = None
    or_seen: bool = False


def read_route(stmt: Statement, static: bool, groups: set[str]) -> Route:
    walk = Route(stmt)
    while walk.i < len(walk.words) and not walk.stopped:
        word = walk.words[walk.i]
        if word.text == "nexthop":
            if walk.or_seen:
                walk.say(word, 'Cannot specify nexthops with "or" route')
                break
            _nexthops(walk)
            break
        if word.text == "track_group" and static:
            if _track_group(walk, groups):
                break
        else:
            _route_word(walk, word)
        walk.i += 1
    if walk.stopped:
        return walk
    if walk.i < len(walk.words):
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


def _track_group(walk: Route | Rule, groups: set[str]) -> bool:
    """`track_group NAME`; True when keepalived stops reading the line (a second one)."""
    name = walk.take()
    if name is None:
        return False
    if walk.track_group is not None:
        walk.say(name, f"track_group {name.text} is a duplicate")
        return True
    if name.text in groups:
        walk.track_group = name
    else:
        walk.say(name, f"track_group {name.text} not found")
    return False


def _route_word(walk: Route, word: Word) -> None:  # noqa: C901 (a flat dispatch on the option word)
    text = word.text
    if text in ("inet", "inet6"):
        fam = 4 if text == "inet" else 6
        walk.set_family(fam, word, f"{text} specified for IPv{10 - fam} route")
        _swallow(walk, word)
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
    names, high, what = {"table": (_TABLES, U32, "Routing table %s not found"),
                         "protocol": (_PROTOS, U8, "Protocol %s not found or invalid"),
                         "scope": (_SCOPES, U8, "Scope %s not found or invalid")}.get(text, ({}, 0, ""))
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
    elif _rtntype(word.text) is not None:
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
    while walk.i + 1 < len(walk.words):
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
    while walk.i < len(walk.words) and walk.words[walk.i].text == "nexthop" and not walk.stopped:
        walk.i += 1
        while walk.i < len(walk.words) and not walk.stopped:
            if not _nexthop_word(walk, walk.words[walk.i]):
                break
            walk.i += 1
    if not walk.stopped and walk.i < len(walk.words):
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


# --- rules (alloc_rule) -----------------------------------------------------------------------

_ACTIONS = "table/nop/goto/blackhole/prohibit/unreachable"
_UIDRANGE = re.compile(r"\s*[+-]?\d+-\s*[+-]?\d+")
#: sscanf("%hu-%hu") must read both numbers: a single port is rejected (2.2.7 and 2.3.4).
_PORT = re.compile(r"\s*[+-]?\d+-\s*[+-]?\d+")


@dataclass(slots=True)
class Rule(Walk):
    action: str = ""
    action_word: Word | None = None
    priority: int | None = None
    goto: int = 0
    table_option: Word | None = None
    iif: bool = False
    no_track: bool = False
    protocol: Word | None = None
    track_group: Word | None = None


def read_rule(stmt: Statement, static: bool, groups: set[str]) -> Rule:
    walk = Rule(stmt)
    while walk.i < len(walk.words) and not walk.stopped:
        word = walk.words[walk.i]
        if word.text == "track_group" and static:
            if _track_group(walk, groups):
                break
        else:
            _rule_word(walk, word)
        walk.i += 1
    if not walk.stopped:
        _rule_end(walk)
    return walk


def _rule_end(walk: Rule) -> None:
    if walk.action == "goto":
        if walk.priority is None:
            walk.fail(walk.action_word, f"Invalid rule - goto target {walk.goto} specified without preference")
        elif walk.priority >= walk.goto:
            walk.fail(walk.action_word, f"Invalid rule - preference {walk.priority} >= goto target {walk.goto}")
    if walk.stopped:
        return
    if not walk.action:
        walk.fail(None, "No action specified for rule - ignoring")
    elif walk.action != "table" and walk.table_option is not None:
        walk.fail(walk.table_option, "suppressor/realm specified for non table action - skipping")
    if walk.stopped:
        return
    if not walk.no_track and walk.protocol is not None:
        walk.say(walk.protocol, f"Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED({RTPROT_KEEPALIVED}), "
                                "resetting protocol")
    if walk.track_group is not None and not walk.iif:
        walk.say(walk.track_group, "Static rule cannot have track_group if dev/iif not specified")


def _set_action(walk: Rule, action: str, word: Word, l3mdev: bool = False) -> None:
    if walk.action:
        walk.fail(word, "Cannot specify l3mdev with other action" if l3mdev else
                  f"Cannot specify more than one of {_ACTIONS}{'' if action == 'table' else '/l3mdev'} for rule")
        return
    walk.action, walk.action_word = action, word


def _rule_word(walk: Rule, word: Word) -> None:  # noqa: C901 (a flat dispatch on the option word)
    text = word.text
    if text in ("inet", "inet6"):
        fam = 4 if text == "inet" else 6
        walk.set_family(fam, word, f"{text} specified for IPv{10 - fam} rule")
        _swallow(walk, word)
    elif text in ("from", "to"):
        value = walk.take()
        if not valid_address(value.text if value else None, True):
            walk.bad_address(value, f"Invalid rule {text} address")
            return
        assert value is not None
        fam = family(value.text)
        if walk.family == 0:
            walk.family = fam
        elif fam != walk.family:
            walk.fail(value, "rule specification has mixed IPv4 and IPv6")
    elif text in ("table", "lookup"):
        _rule_table(walk, word)
    elif text in ("preference", "order", "priority"):
        value = walk.take()
        walk.priority = read_unsigned(value.text if value else None, U32, base=0)
        if walk.priority is None:
            walk.fail(value or word, f"Invalid rule preference {text} specified")
    elif text in ("tos", "dsfield"):
        value = walk.take()
        if value is not None and table_lookup(value.text, {}, U8) is None:
            walk.fail(value, f"TOS value {value.text} is invalid")
    elif text == "fwmark":
        value = walk.take()
        if value is None or not _fwmark_ok(value.text):
            walk.fail(value or word, f"Invalid rule fwmark {value.text if value else ''} specified")
    elif text == "realms":
        value = walk.take()
        if not realms_ok(value.text if value else None):
            walk.fail(value or word, f"invalid realms {value.text if value else ''} for rule")
            return
        walk.table_option = walk.table_option or word
        walk.set_family(4, word, "realms is only valid for IPv4")
    elif text in ("suppress_prefixlength", "sup_pl", "suppress_ifgroup", "sup_group"):
        _rule_suppress(walk, word)
    elif text in ("dev", "iif", "oif"):
        walk.take()
        walk.iif |= text != "oif"
    elif text in ("tunnel-id", "uidrange"):
        value = walk.take()
        ok = (read_unsigned(value.text if value else None, U64) is not None if text == "tunnel-id"
              else value is not None and _UIDRANGE.match(value.text) is not None)
        if not ok:
            walk.fail(value or word, f"Invalid {text} {text} specified")
    elif text == "l3mdev":
        _set_action(walk, "table", word, l3mdev=True)
    elif text in ("protocol", "ipproto", "sport", "dport"):
        _rule_lenient(walk, word)
    elif text == "no_track":
        walk.no_track = True
    elif text != "not":
        _rule_action(walk, word)


def _fwmark_ok(text: str) -> bool:
    """`fwmark N[/MASK]`, each read by strtoul base 0 up to 2^32-1, no minus sign (an
    empty part reads as 0: `fwmark 5/` is accepted)."""
    mark, slash, mask = text.lstrip(" \t").partition("/")
    if mark.startswith("-") or (slash and mask[:1] in ("-", " ", "\t")):
        return False
    parts = [mark, mask] if slash else [mark]
    for part in parts:  # strtoul reads nothing from an empty part: 0, and nothing left over
        read = c_strtoul(part) if part else (0, "")
        if read is None or read[1] or read[0] > U32:
            return False
    return True


def _rule_table(walk: Rule, word: Word) -> None:
    value = walk.take()
    if value is None:
        return
    found = table_lookup(value.text, _TABLES, U32)
    if found is None:
        walk.fail(value, f"Routing table {value.text} not found for rule")
        return
    if found is not True and found == 0:
        walk.fail(value, "Table 0 is not valid")
        return
    _set_action(walk, "table", word)


def _rule_suppress(walk: Rule, word: Word) -> None:
    value = walk.take()
    text = value.text if value else None
    if word.text in ("suppress_prefixlength", "sup_pl"):
        if read_unsigned(text, 2**31 - 1) is None:
            walk.fail(value or word, f"Invalid suppress_prefixlength {word.text} specified")
            return
    elif text is None or table_lookup(text, {}, 2**31 - 1) is None:
        walk.fail(value or word, f"suppress_group {text} is invalid")
        return
    walk.table_option = walk.table_option or word


def _rule_lenient(walk: Rule, word: Word) -> None:
    """protocol, ipproto, sport, dport: keepalived reports a bad value and ignores it."""
    value = walk.take()
    if value is None:
        return
    text = value.text
    if word.text == "protocol":
        number = read_unsigned(text, U8)
        if number is None:
            walk.say(value, f"Invalid protocol {text}")
        elif number != RTPROT_KEEPALIVED:
            walk.protocol = value
    elif word.text == "ipproto":
        bare = text.lstrip(" \t")
        digits = re.match(r"\+?(\d*)", bare).group(1)  # type: ignore[union-attr]  # always matches
        if not bare or bare.startswith("-") or (digits and int(digits) > 127):
            walk.say(value, f"Invalid ipproto {text}")
    elif not _PORT.match(text):
        walk.say(value, f"invalid {word.text} range {text}")


def _rule_action(walk: Rule, word: Word) -> None:
    """`[type] goto N|nop|blackhole|unreachable|prohibit`, or an unknown option."""
    if word.text == "type":
        nxt = walk.take()
        if nxt is None:
            return
        word = nxt
    text = word.text
    if text == "goto":
        value = walk.take()
        target = read_unsigned(value.text if value else None, U32)
        if target is None:
            walk.fail(value or word, "Invalid target goto specified")
            return
        walk.goto = target
        _set_action(walk, "goto", word)
    elif text == "nop":
        _set_action(walk, text, word)
    elif _rtntype(text) is not None:
        if _rtntype(text) in (6, 7, 8):  # RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT
            _set_action(walk, text, word)
        else:
            walk.fail(word, f"Invalid rule action {text}")
    else:
        walk.fail(word, f"Unknown rule option {text}")


# --- addresses (alloc_ipaddress) --------------------------------------------------------------


@dataclass(slots=True)
class AddressOptions(Walk):
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
    first = stmt.words[0].text
    walk.family = family(first)
    full = 128 if walk.family == 6 else 32
    prefix = first.partition("/")[2]
    read = read_unsigned(prefix, full) if prefix else None
    walk.prefix = full if read is None else read
    walk.i = 1
    track_group = False
    while walk.i < len(walk.words) and not walk.stopped:
        word = walk.words[walk.i]
        if word.text in _ADDRESS_OPTIONS or (static and word.text == "track_group"):
            if walk.i + 1 >= len(walk.words):
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
                _ADDRESS_OPTIONS[word.text](walk, word, walk.take())  # type: ignore[arg-type]
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
        walk.fail(word, f"Cannot specify ipaddress device more than once for {walk.words[0].text}")
    walk.dev = True


def _scope(walk: AddressOptions, word: Word, value: Word) -> None:
    found = table_lookup(value.text, _SCOPES, U8)
    if found is None:
        walk.say(value, f"Invalid scope '{value.text}' specified for {walk.words[0].text} - ignoring")
    elif found is not True:
        walk.scope, walk.scope_word = int(found), word


def _brd(walk: AddressOptions, word: Word, value: Word) -> None:
    if walk.family == 6:
        walk.fail(word, f"VRRP is trying to assign a broadcast {word.text} to the IPv6 address "
                        f"{walk.words[0].text} !!?? WTF... skipping VIP...")
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


# --- the lines of a config -------------------------------------------------------------------

_ROUTES = {"static_routes": True, "vrrp_instance.virtual_routes": False}
_RULES = {"static_rules": True, "vrrp_instance.virtual_rules": False}


def _entries(config: Config, paths: dict[str, bool]) -> Iterator[tuple[Statement, bool]]:
    index = config.document.index()
    for path, static in paths.items():
        for block in index.path(path):
            if isinstance(block, Block):
                yield from ((child, static) for child in block.children if child.words)


def _groups(config: Config) -> set[str]:
    """Names of the `track_group` blocks (keepalived needs them defined before use; kalint
    does not judge the order, so a group defined later is not reported)."""
    return {block.words[1].text for block in config.document.index().path("track_group")
            if isinstance(block, Block) and len(block.words) > 1}


def line_walks(config: Config) -> list[tuple[str, Walk]]:
    return config.analysis(_read_all)


def _read_all(config: Config) -> list[tuple[str, Walk]]:
    groups = _groups(config)
    walks: list[tuple[str, Walk]] = []
    walks += [("route", read_route(stmt, static, groups)) for stmt, static in _entries(config, _ROUTES)]
    walks += [("rule", read_rule(stmt, static, groups)) for stmt, static in _entries(config, _RULES)]
    for stmt, static in _entries(config, {path: static for path, static in ADDRESS_LISTS.items()}):
        if len(stmt.words) > 1 and valid_address(stmt.words[0].text, True):
            walks.append(("address", read_address_options(stmt, static, groups)))
    return walks
