"""A static or virtual rule line as keepalived's alloc_rule() reads it (vrrp_iprule.c)."""

from __future__ import annotations

import re

from kalint.records import dataclass
from kalint.rules._walk import (
    RTPROT_KEEPALIVED,
    TABLES,
    U8,
    U32,
    U64,
    Walk,
    c_strtoul,
    family,
    read_unsigned,
    realms_ok,
    rtntype,
    swallow,
    table_lookup,
    track_group_option,
    valid_address,
)
from kalint.syntax.tree import Statement, Word

_ACTIONS = "table/nop/goto/blackhole/prohibit/unreachable"
_UIDRANGE = re.compile(r"\s*[+-]?\d+-\s*[+-]?\d+")
#: sscanf("%hu-%hu") must read both numbers: a single port is rejected (2.2.7 and 2.3.4).
_PORT = re.compile(r"\s*[+-]?\d+-\s*[+-]?\d+")


@dataclass(slots=True)
class Rule(Walk):
    """An ``ip rule`` line as alloc_rule() reads it: the action, priority and options so far."""

    action: str = ""
    action_word: Word | None = None
    priority: int | None = None
    goto: int = 0
    table_option: Word | None = None
    iif: bool = False
    no_track: bool = False
    protocol: Word | None = None


def read_rule(stmt: Statement, static: bool, groups: set[str]) -> Rule:
    walk = Rule(stmt)
    while walk.i < len(walk.texts) and not walk.stopped:
        word = walk.words[walk.i]
        if word.text == "track_group" and static:
            if track_group_option(walk, groups):
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
        swallow(walk, word)
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
    found = table_lookup(value.text, TABLES, U32)
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
    elif rtntype(text) is not None:
        if rtntype(text) in (6, 7, 8):  # RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT
            _set_action(walk, text, word)
        else:
            walk.fail(word, f"Invalid rule action {text}")
    else:
        walk.fail(word, f"Unknown rule option {text}")
