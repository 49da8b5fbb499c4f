"""KA340–KA342: `static_routes`, `virtual_routes`, `static_rules` and `virtual_rules` lines
as keepalived's alloc_route() and alloc_rule() read them (vrrp_iproute.c, vrrp_iprule.c)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Analysis, Config
from kalint.model.schema import version_key
from kalint.records import dataclass, field
from kalint.rule import Rule
from kalint.rules._walks import line_walks
from kalint.runtime.addresses import address_int
from kalint.syntax.tree import Block, Statement, Word

ROUTE_BLOCKS = ("static_routes", "vrrp_instance.virtual_routes")
RULE_BLOCKS = ("static_rules", "vrrp_instance.virtual_rules")
#: Route options followed by one value.
_ONE = frozenset({
    "tos", "dsfield", "table", "protocol", "scope", "metric", "priority", "preference", "dev", "oif", "expires",
    "hoplimit", "window", "realms", "initcwnd", "initrwnd", "features", "quickack", "pref", "ttl-propagate",
    "fastopen_no_cookie", "track_group", "vrf",
})
#: Route options followed by an optional `lock` and one value.
_LOCKABLE = frozenset({"mtu", "advmss", "rtt", "rttvar", "reordering", "cwnd", "ssthresh", "rto_min", "congctl"})
_FLAGS = frozenset({"inet", "inet6", "onlink", "add", "prepend", "append", "no_track"})
#: Route types a destination may be preceded by (rt_names / rtnl_rtntype).
_TYPES = frozenset({"unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable",
                    "prohibit", "throw", "nat", "xresolve"})
_SPECIAL = frozenset({"default", "any", "all"})
#: keepalived tracks a route without an interface since 2.3.2.
TRACKS_WITHOUT_INTERFACE = "2.3.2"


def _address(text: str) -> bool:
    """parse_ipaddress() without a mask: inet_pton of the whole word."""
    return address_int(text) is not None


def _route_address(text: str) -> bool:
    """parse_route(): default/any/all, or an address with an optional /prefix."""
    return text in _SPECIAL or text == "default6" or _address(text.partition("/")[0])


def _looks_like_address(text: str) -> bool:
    """Only words that try to be an address are judged as a destination: an unknown
    option word would be reported the same way, but kalint's option list may lag."""
    return any(c in text for c in "./:") or text.isdigit()


@dataclass(slots=True)
class RouteLine:
    """What alloc_route() makes of one line, as far as kalint follows it."""

    stmt: Statement
    #: (word, keepalived's message) for an address that drops the route.
    invalid: list[tuple[Word, str]] = field(default_factory=list)
    #: Deprecated words: `gw`, `or`.
    deprecated: list[Word] = field(default_factory=list)
    interface: bool = False
    no_track: bool = False
    #: The line uses `encap` or `nexthop`, which kalint does not follow to the end.
    partial: bool = False


def _lock_step(words: list[Word], i: int) -> int:
    return i + 2 if i + 1 < len(words) and words[i + 1].text == "lock" else i + 1


def read_route(stmt: Statement) -> RouteLine:  # noqa: C901 (a flat dispatch on the option word)
    line = RouteLine(stmt)
    words = stmt.words
    i = 0
    while i < len(words):
        word = words[i].text
        nxt = words[i + 1] if i + 1 < len(words) else None
        if word in _FLAGS:
            line.no_track |= word == "no_track"
        elif word in ("src", "or"):
            if word == "or":
                line.deprecated.append(words[i])
            i += 1
            if nxt is not None and not _address(nxt.text):
                line.invalid.append((nxt, "invalid route src address" if word == "src" else "Invalid \"or\" address"))
        elif word in ("via", "gw"):
            if word == "gw":
                line.deprecated.append(words[i])
            i += 1
            if nxt is not None and nxt.text in ("inet", "inet6"):
                i += 1
                nxt = words[i] if i < len(words) else None
            if nxt is not None and not _address(nxt.text):
                line.invalid.append((nxt, "invalid route via address"))
        elif word == "from":
            i += 1
            if nxt is not None and not _route_address(nxt.text):
                line.invalid.append((nxt, "invalid route from address"))
        elif word == "as":
            i += 2 if nxt is not None and nxt.text == "to" else 1
        elif word in _ONE:
            line.interface |= word in ("dev", "oif")
            i += 1
        elif word in _LOCKABLE:
            i = _lock_step(words, i)
        elif word in ("encap", "nexthop"):
            line.partial = True
            break
        else:
            i = _destination(line, words, i)
        i += 1
    return line


def _destination(line: RouteLine, words: list[Word], i: int) -> int:
    if words[i].text == "to" and i + 1 < len(words):
        i += 1
    if words[i].text in _TYPES and i + 1 < len(words):
        i += 1
    dest = words[i]
    if _looks_like_address(dest.text) and not _route_address(dest.text):
        line.invalid.append((dest, "unknown route keyword"))
    return i


@Analysis
def route_lines(config: Config) -> list[RouteLine]:
    """Every static and instance route line as kalint's route reader reads it, once."""
    return [read_route(stmt) for stmt in _entries(config, ROUTE_BLOCKS)]


def _entries(config: Config, paths: tuple[str, ...]) -> Iterator[Statement]:
    index = config.document.index()
    for path in paths:
        for block in index.path(path):
            if isinstance(block, Block):
                yield from (child for child in block.children if child.texts)


def _kind(stmt: Statement) -> str:
    parent = stmt.parent.keyword if stmt.parent is not None else ""
    return parent.replace("_routes", " route").replace("_rules", " rule")


class InvalidRouteAddress(Rule):
    """An address in a static or virtual route or rule that keepalived cannot parse.

    keepalived reads each address with inet_pton (`src`, `via` and `or` without a
    prefix; destinations and `from`/`to` with an optional `/prefix`, or `default`, `any`,
    `all`) and drops the whole route or rule when one is invalid (`VRRP parsed invalid
    IP ...`, `Invalid rule to address ...`): it is never installed.

    Bad:

        static_rules {
            to 192.0.2./24 table 1
        }

    Good:

        static_rules {
            to 192.0.2.0/24 table 1
        }
    """

    code = "KA340"
    analyses = (line_walks,)
    name = "invalid-route-address"
    severity = Severity.ERROR
    summary = "an invalid address that makes keepalived drop a route or rule"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        # keepalived's own walk of the words (rules/_walks.py) says which address it
        # reaches: `inet`/`inet6` hide the next word, a number before a destination is a route type
        for kind, walk in line_walks(config):
            if walk.bad is not None and kind != "address":
                word, message = walk.bad
                yield self._finding(walk.stmt, word, f"`{message}`", nexthop=message.startswith("invalid nexthop"))

    def _finding(self, stmt: Statement, word: Word, quoted: str, nexthop: bool = False) -> Diagnostic:
        effect = "leaves this nexthop out of" if nexthop else "drops"
        tail = "" if nexthop else ", so it is never installed"
        return self.diagnostic(
            word.span,
            f"`{word.text}` is not a valid address: keepalived {effect} this {_kind(stmt)} ({quoted}){tail}",
            help="write a full address, e.g. 192.0.2.0/24",
        )


class RouteNotTracked(Rule):
    """A route without `dev` that keepalived 2.3.1 and earlier cannot track.

    Routes are tracked unless they say `no_track`: keepalived watches them and reacts
    when one is deleted. Up to 2.3.1 it can do so only for a route that names its
    interface; for any other it reports `cannot track route ... with no interface
    specified, not tracking` and ignores its deletion. From 2.3.2 such routes are
    tracked. (Reported only with `--target-version` below 2.3.2.)

    Bad:

        virtual_routes {
            192.0.2.0/24 via 198.51.100.1
        }

    Good:

        virtual_routes {
            192.0.2.0/24 via 198.51.100.1 dev eth0
        }
    """

    code = "KA341"
    name = "route-not-tracked"
    severity = Severity.INFO
    summary = "a route without `dev` that keepalived before 2.3.2 does not track"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        target = config.target_version
        if target is None or version_key(target) >= version_key(TRACKS_WITHOUT_INTERFACE):
            return
        dropped = {id(walk.stmt) for kind, walk in line_walks(config) if kind == "route"
                   and any(message.drops for message in walk.messages)}
        for line in route_lines(config):
            if line.invalid or line.interface or line.no_track or line.partial or id(line.stmt) in dropped:
                continue
            yield self.diagnostic(
                line.stmt.span,
                f"this {_kind(line.stmt)} names no interface: keepalived {target} does not track it (`cannot track "
                f"route ... with no interface specified, not tracking`), so it does not notice if it is deleted",
                help="add `dev <interface>`, or `no_track` to say it need not be tracked",
            )


class DeprecatedRouteSyntax(Rule):
    """`gw` or `or` in a static or virtual route.

    keepalived still reads them but reports each (`"gw" for routes is deprecated. Please
    use "via"`, `"or" for routes is deprecated. Please use "nexthop"`), and `or` allows
    only one alternative.

    Bad:

        static_routes {
            0.0.0.0/0 gw 192.0.2.1
        }

    Good:

        static_routes {
            0.0.0.0/0 via 192.0.2.1
        }
    """

    code = "KA342"
    analyses = (route_lines,)
    name = "deprecated-route-syntax"
    severity = Severity.WARNING
    summary = "`gw` or `or` in a route (deprecated: `via`, `nexthop`)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for line in route_lines(config):
            for word in line.deprecated:
                instead = "via" if word.text == "gw" else "nexthop"
                yield self.diagnostic(
                    word.span,
                    f"`{word.text}` in a route is deprecated: keepalived reports it (`\"{word.text}\" for routes is "
                    f"deprecated. Please use \"{instead}\"`); write `{instead}`",
                    help=f"replace `{word.text}` with `{instead}`",
                )
