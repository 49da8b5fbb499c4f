"""KA532: checker settings keepalived rejects or drops (check_http.c, check_udp.c,
check_dns.c, check_api.c)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._lvs import unsigned
from kalint.syntax.tree import Block, Statement, Word

_Problem = tuple[Word, str]
_STATUS = re.compile(r"(\d+)(?:-(\d+))?")
_STRTOUL = re.compile(r"\s*[+-]?\d+")
_REGEX_PARAMS = ("regex_options", "regex_no_match", "regex_min_offset", "regex_max_offset", "regex_stack")
_HEX = set("0123456789abcdefABCDEF")
_IFNAMSIZ = 16
_UDP_MAX_REPLY = 255  # UINT8_MAX, udp_check's default max_reply_length


def _text(stmt: Statement | None) -> str | None:
    return stmt.texts[1] if stmt is not None and len(stmt.texts) > 1 else None


def _strtoul(text: str) -> int | None:
    return int(text) if _STRTOUL.fullmatch(text) else None


def status_problems(stmt: Statement) -> Iterator[_Problem]:
    """status_code_handler(): codes and ranges within 100..599, low before high."""
    for at, text in enumerate(stmt.texts[1:], 1):
        m = _STATUS.fullmatch(text)
        low, high = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if not m or not 100 <= low <= high <= 599:
            yield stmt.words[at], f"`Invalid HTTP_GET status code '{text}'`: codes are 100 to 599, ranges low-high"


def url_problems(url: Block) -> Iterator[_Problem]:
    """url_check(): regex settings without a regex, offsets the wrong way round, regex_stack."""
    params = [c for c in url.children if c.keyword in _REGEX_PARAMS]
    stack = next((c for c in reversed(params) if c.keyword == "regex_stack"), None)
    if stack is not None and len(stack.texts) == 3:
        start, top = _strtoul(stack.args[0].text), _strtoul(stack.args[1].text)
        for value, word, which in ((start, stack.args[0], "start"), (top, stack.args[1], "max")):
            if value is None:
                yield word, f"`regex_stack invalid {which} value`: keepalived ignores regex_stack"
        if start is not None and top is not None and start > top:
            yield stack.args[0], "`regex stack start cannot exceed max value`: keepalived ignores regex_stack"
    if url.first("regex") is None:
        if params:
            yield params[0].words[0], ("`regex parameters specified without regex`: keepalived ignores "
                                       + ", ".join(sorted({p.keyword for p in params})))
        return
    low_stmt, high_stmt = _last(url, "regex_min_offset"), _last(url, "regex_max_offset")
    low = _strtoul(low_stmt.args[0].text) if low_stmt is not None and len(low_stmt.texts) == 2 else None
    high = _strtoul(high_stmt.args[0].text) if high_stmt is not None and len(high_stmt.texts) == 2 else 0
    if low_stmt is not None and high_stmt is not None and low is not None and high is not None and low > high:
        yield low_stmt.words[0], (f"`regex min offset {low} > regex_max_offset {high} - ignoring`: keepalived "
                                  f"drops both offsets")


def _last(block: Block, keyword: str) -> Statement | None:
    found = None
    for child in block.children:
        if child.keyword == keyword:
            found = child
    return found


def hex_valid(text: str, wildcards: bool) -> bool:
    """read_hex_str() on the words joined by spaces: hex digit pairs (x/X wildcards for a
    reply); a last byte of 0xff is taken for its error marker and rejected too."""
    allowed = _HEX | ({"x", "X"} if wildcards else set())
    octets = [part[i:i + 2] for part in text.split() for i in range(0, len(part), 2)]
    if not octets or any(c not in allowed for c in text.replace(" ", "")):
        return False
    return octets[-1].lower() != "ff"


def udp_problems(check: Block) -> Iterator[_Problem]:
    for stmt in check.children:
        if stmt.keyword in ("payload", "require_reply") and stmt.args:
            text = " ".join(w.text for w in stmt.args)
            if not hex_valid(text, stmt.keyword == "require_reply"):
                what = "payload" if stmt.keyword == "payload" else "reply"
                yield stmt.args[0], f"`Invalid hex string for UDP_CHECK {what}`: keepalived ignores it"
    low_stmt, high_stmt = _last(check, "min_reply_length"), _last(check, "max_reply_length")
    low = unsigned(_text(low_stmt), 0, 65535)
    high = unsigned(_text(high_stmt), 0, 65535)
    if low_stmt is not None and low is not None and low > (_UDP_MAX_REPLY if high is None else high):
        limit = high if high is not None else f"{_UDP_MAX_REPLY} (the default)"
        yield low_stmt.words[0], (f"`UDP_CHECK min_reply length {low} > max_reply_length {limit} - will always "
                                  f"fail`: no reply can be both")


def dns_name_problem(word: Word) -> _Problem | None:
    """dns_name_handler()'s empty-label test, as written (it also rejects a one-letter first label)."""
    name = word.text
    if (name.startswith(".") and name != ".") or name[1:2] == "." or ".." in name:
        return word, f"`DNS_CHECK name '{name}' has empty label - ignoring`: the check uses the default name"
    return None


def connection_problems(check: Block, real_address: str) -> Iterator[_Problem]:
    """connect_ip/bindto of different families (the later is skipped), bind_if length, and a
    link-local IPv6 destination without bind_if (the checker is dropped)."""
    dst = _ip(real_address)  # the real server's address unless connect_ip replaces it
    src_family = 0
    for stmt in check.children:
        if len(stmt.texts) < 2:
            continue
        text = stmt.texts[1]
        address = _ip(text) if stmt.keyword in ("connect_ip", "bindto") else None
        if address is not None:
            other = src_family if stmt.keyword == "connect_ip" else (dst.version if dst is not None else 0)
            if other and other != address.version:
                against = "bindto" if stmt.keyword == "connect_ip" else "connect_ip"
                yield stmt.words[1], f"`{stmt.keyword} address {text} does not match address family of {against} - skipping`"
            elif stmt.keyword == "connect_ip":
                dst = address
            else:
                src_family = address.version
        elif stmt.keyword == "bind_if" and len(text.encode("utf-8", "surrogateescape")) >= _IFNAMSIZ:
            yield stmt.words[1], f"`Interface name {text} is too long - ignoring`: at most {_IFNAMSIZ - 1} bytes"
    bind_if = _last(check, "bind_if")
    if dst is not None and dst.version == 6 and dst.is_link_local and (bind_if is None or len(bind_if.texts) < 2):
        yield check.words[0], (f"`Checker link local address {dst} requires a bind_if`: keepalived drops this "
                               f"checker")


@lru_cache(maxsize=1024)
def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address, parsed once per text: every checker of a real server starts from its
    address, and real servers recur across virtual servers (ipaddress is slow to parse)."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class CheckerSettings(Rule):
    """A checker setting keepalived rejects, ignores or that makes the check fail.

    - HTTP_GET/SSL_GET `status_code` words outside 100..599 or a range high-low;
      `regex_options`, `regex_no_match`, `regex_*_offset`, `regex_stack` in a `url` without
      `regex` (ignored); a min offset above the max one; `regex_stack` start above max.
    - UDP_CHECK `payload`/`require_reply` that are not hex (keepalived's reader also refuses
      a last byte of `ff`); a `min_reply_length` above `max_reply_length` (default 255):
      the check always fails.
    - DNS_CHECK `name` with an empty label (keepalived's test also refuses a first label of
      one letter, such as `a.example.com`).
    - `connect_ip` and `bindto` of different families (the later one is skipped),
      `bind_if` of 16 bytes or more, a link-local IPv6 destination without `bind_if` (the
      checker is dropped).

    Bad:

        UDP_CHECK {
            min_reply_length 300
        }

    Good:

        UDP_CHECK {
            min_reply_length 300
            max_reply_length 1500
        }
    """

    code = "KA532"
    name = "checker-setting"
    severity = Severity.WARNING
    summary = "a checker setting keepalived rejects or that always fails (status codes, regex, UDP hex/lengths, DNS name, addresses)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            for real in vs.real_servers:
                for check in real.checkers:
                    for word, message in self._problems(check, real.address):
                        yield self.diagnostic(word.span, f"{check.keyword}: {message}",
                                              help=f"see `{check.keyword}` in keepalived.conf(5)")

    @staticmethod
    def _problems(check: Block, real_address: str) -> Iterator[_Problem]:
        yield from connection_problems(check, real_address)
        if check.keyword == "UDP_CHECK":
            yield from udp_problems(check)
        for name in check.find("name") if check.keyword == "DNS_CHECK" else ():
            problem = dns_name_problem(name.args[0]) if name.args else None
            if problem:
                yield problem
        for url in check.find("url") if check.keyword in ("HTTP_GET", "SSL_GET") else ():
            if isinstance(url, Block):
                for stmt in url.find("status_code"):
                    yield from status_problems(stmt)
                yield from url_problems(url)
