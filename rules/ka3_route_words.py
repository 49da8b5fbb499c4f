"""KA343–KA345: the words of route, rule and address lines that keepalived rejects,
ignores or resets (alloc_route, alloc_rule, alloc_ipaddress; see rules/_walk.py and its readers)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._walk import Walk
from kalint.rules._walks import line_walks
from kalint.syntax.tree import Statement, Word


def _swallowed(walk: Walk) -> str:
    if not walk.swallowed:
        return ""
    family, word = walk.swallowed[0]
    return (f"; keepalived never reads `{word.text}`: it steps over the word after `{family.text}` "
            f"(move `{family.text}` to the end of the line)")


#: What keepalived does instead, by a part of its message (first match).
_EFFECTS = (
    ("cannot be tracked if protocol", "it installs the line with its own protocol (18) to track it; add `no_track` "
                                      "to keep this protocol"),
    ("below minimum", "it uses the limit instead (a bare number is in kernel units: write `300ms` or `1s`)"),
    ("exceeds maximum", "it uses the limit instead"),
    ("not found", "the line is installed without the group (a track_group block must come before this line)"),
    ("is a duplicate", "it stops reading the line at the second track_group"),
    ("cannot have track", "the track_group is ignored: it needs the line's interface (`dev`)"),
    ("trailing nonsense after nexthops", "it ignores the words from here on (the nexthops before are kept)"),
    ("range", "the option is ignored; keepalived 2.2.7 and 2.3.4 also reject a single port: write `80-80`"),
    ("Invalid protocol", "the protocol is ignored (a rule's protocol is a number, 0-255)"),
    ("nexthop", "it leaves this nexthop out"),
    ("next hop", "it leaves this nexthop out"),
    ("Invalid weight", "it leaves this nexthop out"),
    ("realms are only supported", "it leaves this nexthop out"),
    ("'as [to]'", "it leaves this nexthop out"),
    ("encap", "the encapsulation is not what the line says"),
    ("as to", "it ignores `as to` (MPLS only)"),
    ("", "it ignores this part of the line"),
)


def _effect(text: str) -> str:
    return next(effect for part, effect in _EFFECTS if part in text)


def _familyless(word: Word | None) -> str:
    if word is None or word.text not in ("default", "any", "all"):
        return ""
    return (f"; `{word.text}` has no address family, and keepalived counts that as a mix once an IPv4 or IPv6 "
            f"word came before it: put `{word.text}` first")


def _kind(stmt: Statement) -> str:
    parent = stmt.parent.keyword if stmt.parent is not None else ""
    return parent.replace("_routes", " route").replace("_rules", " rule")


class RouteWordRejected(Rule):
    """A word of a static or virtual route or rule that makes keepalived drop the line.

    keepalived reads a route or rule word by word, like `ip route` / `ip rule`, and drops
    the whole line at the first word it cannot use: an unknown option, a value out of
    range (`metric`, `mtu`, `tos`, `fwmark`, `preference`, `rtt`, ...), IPv4 and IPv6
    mixed, an option of the other family (`realms` is IPv4 only, `pref`, `expires` and
    `from` IPv6 only), a second action in a rule, a `goto` without a lower preference,
    a rule without action or a route without destination (`unknown route keyword`,
    `Invalid metric ... specified for route`, `No action specified for rule - ignoring`,
    ...). The line is never installed. An option at the end of the line without its
    value is worse: keepalived reports the missing parameter and exits, reading nothing
    after it. Values keepalived looks up in the host's
    iproute2 files (table, protocol, scope, realm names) are left alone.

    Bad:

        static_rules {
            from 192.0.2.0/24 lookup 100 prohibit
        }
        static_routes {
            192.0.2.0/24 dev eth0 metric -1
        }

    Good:

        static_rules {
            from 192.0.2.0/24 lookup 100 priority 100
        }
        static_routes {
            192.0.2.0/24 dev eth0 metric 100
        }
    """

    code = "KA343"
    analyses = (line_walks,)
    name = "route-word-rejected"
    severity = Severity.ERROR
    summary = "a route or rule word keepalived rejects, dropping the whole line"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for kind, walk in line_walks(config):
            if kind == "address":
                continue
            for message in walk.messages:
                if message.exits:
                    yield self.diagnostic(
                        (message.word or walk.stmt).span,
                        f"the value after `{message.word.text if message.word else ''}` is missing: keepalived stops "
                        f"reading the configuration here and exits (`{message.text}`)" + _swallowed(walk),
                    )
                elif message.drops:
                    yield self.diagnostic(
                        (message.word or walk.stmt).span,
                        f"keepalived drops this {_kind(walk.stmt)} (`{message.text}`), so it is never installed"
                        + _swallowed(walk) + _familyless(message.word),
                    )


class RouteWordIgnored(Rule):
    """A word of a static or virtual route or rule that keepalived ignores or overrides.

    keepalived reports these and installs the line without them: `protocol` on a
    tracked route or rule (reset to keepalived's own, 18, since it tracks what it
    installs by protocol; add `no_track` to keep yours), an `rtt`/`rttvar`/`rto_min`
    outside 200 ms..120 s (clamped), a second `or`, a `track_group` that is unknown,
    repeated or on a line without `dev`, a bad `ttl-propagate`, `ipproto`, `sport` or
    `dport` value, `as to` (MPLS only), a malformed `nexthop` or `encap` (that part is
    left out).

    Bad:

        static_routes {
            192.0.2.0/24 dev eth0 protocol static
        }

    Good:

        static_routes {
            192.0.2.0/24 dev eth0 protocol static no_track
        }
    """

    code = "KA344"
    analyses = (line_walks,)
    name = "route-word-ignored"
    severity = Severity.WARNING
    summary = "a route or rule word keepalived ignores or resets"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for kind, walk in line_walks(config):
            if kind == "address":
                continue
            for message in walk.messages:
                if not message.drops:
                    yield self.diagnostic(
                        (message.word or walk.stmt).span,
                        f"keepalived reports `{message.text}`: {_effect(message.text)}",
                    )


class AddressOptionValue(Rule):
    """An option after an address that keepalived rejects, ignores or overrides.

    In `virtual_ipaddress`, `virtual_ipaddress_excluded` and `static_ipaddress` keepalived
    drops the address for a second `dev`, an invalid `brd`, `brd` on an IPv6 address or
    a `label` of 16 bytes or more; it ignores an invalid `scope`, `peer` or
    `preferred_lft`, a second `peer`, `brd` together with `peer`, `brd +`/`brd -` on a
    prefix longer than /30, and `scope` or `label` on an IPv6 address. (Unknown words and
    options without value are KA326's.)

    Bad:

        virtual_ipaddress {
            192.0.2.10/24 dev eth0 label eth0:this-is-too-long
            2001:db8::10/64 dev eth0 brd +
        }

    Good:

        virtual_ipaddress {
            192.0.2.10/24 dev eth0 label eth0:vip
            2001:db8::10/64 dev eth0
        }
    """

    code = "KA345"
    analyses = (line_walks,)
    name = "address-option-value"
    severity = Severity.ERROR
    summary = "an address option keepalived rejects (dropping the address) or ignores"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for kind, walk in line_walks(config):
            if kind != "address":
                continue
            address = walk.stmt.texts[0]
            for message in walk.messages:
                span = (message.word or walk.stmt).span
                if message.drops:
                    yield self.diagnostic(span, f"keepalived drops the address `{address}` (`{message.text}`)")
                else:
                    yield self.diagnostic(span, f"keepalived ignores this for `{address}` (`{message.text}`)",
                                          severity=Severity.WARNING)
