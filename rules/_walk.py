"""Reading the words of a route, rule or address line as keepalived does (alloc_route,
alloc_rule, alloc_ipaddress; the readers are in _route_walk.py, _rule_walk.py and
_address_walk.py, all of a config's lines in _walks.py): the walk over the words, the
messages it collects, and keepalived's number and name readers (lib/parser.c,
lib/rttables.c, vrrp_ip_rule_route_parser.c), for KA340 and KA343–KA345.

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

from kalint.records import dataclass, field
from kalint.runtime.addresses import address_int
from kalint.syntax.tree import Statement, Word

U8, U16, U32, U64 = 2**8 - 1, 2**16 - 1, 2**32 - 1, 2**64 - 1
#: RTPROT_KEEPALIVED: the protocol keepalived gives every route and rule it tracks.
RTPROT_KEEPALIVED = 18
RTNTYPES = {"local": 2, "nat": 10, "broadcast": 3, "brd": 3, "anycast": 4, "multicast": 5, "prohibit": 8,
             "unreachable": 7, "blackhole": 6, "xresolve": 11, "unicast": 1, "throw": 9}
PROTOS = {"none": 0, "redirect": 1, "kernel": 2, "boot": 3, "static": 4, "gated": 8, "ra": 9, "mrt": 10,
           "zebra": 11, "bird": 12, "babel": 42, "dnrouted": 13, "xorp": 14, "ntk": 15, "dhcp": 16,
           "keepalived": RTPROT_KEEPALIVED}
TABLES = {"default": 253, "main": 254, "local": 255}
SCOPES = {"global": 0, "nowhere": 255, "host": 254, "link": 253, "site": 200}
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


def rtntype(text: str) -> int | None:
    """find_rttables_rtntype(): a route type name, or a number up to 255."""
    if text in RTNTYPES:
        return RTNTYPES[text]
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
    """What keepalived prints about a line: the word it is about and whether it then drops
    the line (or stops reading the configuration)."""

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
    #: The static track_group the line names, once found.
    track_group: Word | None = None
    #: The invalid address the walk stopped at (KA340 reports it).
    bad: tuple[Word, str] | None = None
    #: The word keepalived steps over after `inet`/`inet6` (a bug of 2.2.7 and 2.3.4).
    swallowed: list[tuple[Word, Word]] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return self.stmt.words

    @property
    def texts(self) -> tuple[str, ...]:
        return self.stmt.texts

    def word(self, i: int | None = None) -> Word | None:
        j = self.i if i is None else i
        return self.words[j] if j < len(self.texts) else None

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
            before = self.words[self.i - 1] if 0 < self.i <= len(self.texts) else None
            after = f" after keyword `{before.text}`" if before is not None else ""
            self.messages.append(Message(before, f"*** Configuration line starting `{self.texts[0]}` is missing "
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


def swallow(walk: Walk, word: Word) -> None:
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


def track_group_option(walk: Walk, groups: set[str]) -> bool:
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
