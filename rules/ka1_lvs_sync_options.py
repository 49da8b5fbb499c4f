"""KA142: words of `lvs_sync_daemon` and `lvs_timeouts` that keepalived rejects."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.syntax.tree import Statement, Word

_IP_VS_IFNAME_MAXLEN = 16
_LVS_MAX_TIMEOUT = 86400 * 31
#: option -> (lowest, highest) of its number (global_parser.c lvs_timeouts(), 2.2.7 and 2.3.4)
_TIMEOUTS = {"tcp": (0, _LVS_MAX_TIMEOUT), "tcpfin": (0, _LVS_MAX_TIMEOUT), "udp": (0, _LVS_MAX_TIMEOUT)}
#: lvs_sync_daemon option -> (lowest, highest) (lvs_syncd_handler())
_SYNCD = {"id": (0, 255), "maxlen": (1, 65535 - 20 - 8), "port": (1, 65535), "ttl": (1, 255)}
_UNSIGNED = re.compile(r"\+?\d+")

Problem = tuple[Word, str]


def _number_problem(word: Word, low: int, high: int, said: str) -> Problem | None:
    """read_unsigned_strvec(): a whole unsigned number from ``low`` to ``high``."""
    if _UNSIGNED.fullmatch(word.text) and low <= int(word.text) <= high:
        return None
    return word, f"`{said}`: it must be a whole number from {low} to {high}"


def timeout_problems(stmt: Statement) -> Iterator[Problem]:
    args = stmt.args
    i = 0
    while i < len(args):
        option = args[i].text
        if option not in _TIMEOUTS:
            yield args[i], f"`Unknown option {option} specified for lvs_timeouts`: the options are tcp, tcpfin and udp"
        elif i + 1 < len(args):
            problem = _number_problem(args[i + 1], *_TIMEOUTS[option],
                                      f"Invalid lvs_timeout {option} ({args[i + 1].text}) - ignoring")
            if problem:
                yield problem
            i += 1
        i += 1


def syncd_problems(stmt: Statement) -> Iterator[Problem]:
    args = stmt.args
    if not args:
        return
    if len(args[0].text.encode("utf-8", "surrogateescape")) >= _IP_VS_IFNAME_MAXLEN:
        yield args[0], (f"`lvs_sync_daemon interface name '{args[0].text}' too long - ignoring`: at most "
                        f"{_IP_VS_IFNAME_MAXLEN - 1} bytes; keepalived ignores the whole line")
        return
    inst: str | None = None
    i = 1
    while i < len(args):
        word, value = args[i], args[i + 1] if i + 1 < len(args) else None
        if word.text == "inst":
            if inst is not None and value is not None:
                yield value, (f"`lvs_sync_daemon vrrp instance has already been specified as {inst} - ignoring`")
            elif value is not None:
                inst = value.text
            i += 2
            continue
        if word.text in _SYNCD or word.text == "group":
            if value is not None:
                yield from _option_value(word.text, value)
            i += 2
            continue
        problem, inst = _positional(i, word, inst)
        if problem:
            yield problem
        i += 1


def _option_value(option: str, value: Word) -> Iterator[Problem]:
    if option != "group":
        said = ("Invalid syncid ({}) - defaulting to vrid" if option == "id"
                else f"Invalid lvs_sync_daemon {option} ({{}}) - ignoring").format(value.text)
        problem = _number_problem(value, *_SYNCD[option], said)
        if problem:
            yield problem
        return
    try:
        address = ipaddress.ip_address(value.text)
    except ValueError:
        yield value, f"`Invalid lvs_sync_daemon group ({value.text}) - ignoring`: it must be a multicast address"
        return
    if not address.is_multicast:
        yield value, f"`lvs_sync_daemon group address {value.text} is not multicast - ignoring`"


def _positional(i: int, word: Word, inst: str | None) -> tuple[Problem | None, str | None]:
    """The old `lvs_sync_daemon IF VRRP_INSTANCE [SYNC_ID]` form, else an unknown option."""
    if i == 1:
        return None, word.text
    if i == 2:
        if _number_problem(word, 0, 255, "") is None:
            return (word, f"`Please use keyword \"id\" before lvs_sync_daemon SYNCID`: write `id {word.text}` "
                          f"(keepalived uses the number but asks for this)"), inst
        return (word, f"`Invalid syncid ({word.text}) - defaulting to vrid`: it must be a whole number from 0 "
                      f"to 255"), inst
    return (word, f"`Unknown option {word.text} specified for lvs_sync_daemon`: the options are inst, id, maxlen, "
                  f"port, ttl and group"), inst


class LvsSyncOptions(Rule):
    """A word of `lvs_sync_daemon` or `lvs_timeouts` that keepalived rejects.

    keepalived reads these options word by word (global_parser.c) and skips what it
    cannot use, saying so: an interface name of 16 bytes or more (the whole
    `lvs_sync_daemon` line is ignored), an `id`, `maxlen`, `port`, `ttl` or timeout that
    is not a whole number in range, a `group` that is not a multicast address, a second
    `inst`, a word that is no option. The old form `lvs_sync_daemon IF INSTANCE SYNCID`
    still works but keepalived asks for `id` before the number.

    Bad:

        global_defs {
            lvs_sync_daemon eth0 inst VI_1 port 88000 group 192.0.2.1
            lvs_timeouts tcp 900 fin 120
        }

    Good:

        global_defs {
            lvs_sync_daemon eth0 inst VI_1 port 8848 group 224.0.0.81
            lvs_timeouts tcp 900 tcpfin 120
        }
    """

    code = "KA142"
    name = "lvs-sync-option"
    severity = Severity.WARNING
    summary = "an lvs_sync_daemon/lvs_timeouts word keepalived rejects (invalid number or group, unknown option, long interface)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        for path, read in (("global_defs.lvs_sync_daemon", syncd_problems), ("global_defs.lvs_timeouts", timeout_problems)):
            for stmt in index.path(path):
                for word, message in read(stmt):
                    yield self.diagnostic(word.span, message, help=f"see `{stmt.keyword}` in keepalived.conf(5)")
