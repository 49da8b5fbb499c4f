"""How keepalived's checker reads LVS headers and settings (check_parser.c, check_data.c),
shared by the KA508–KA516 rules: which servers survive parsing, their ports, and the
forwarding method and scheduler each one ends up with."""

from __future__ import annotations

import re
from functools import lru_cache

from kalint.model import Config, RealServer, VirtualServer, to_int
from kalint.records import dataclass
from kalint.runtime.addresses import ip_text
from kalint.syntax.tree import Block, Statement, Word

#: read_unsigned(): optional leading '+', decimal digits only (strtoul base 10).
_DECIMAL = re.compile(r"\+?[0-9]+")
#: IPVS_FWMARK_MAX and UINT32_MAX.
FWMARK_MAX = 2**32 - 1
#: The scheduler names lvs_sched accepts (check_parser.c, lvs_schedulers[]).
SCHEDULERS = frozenset({"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos"})
METHODS = ("NAT", "DR", "TUN")


def unsigned(text: str | None, low: int, high: int) -> int | None:
    """read_unsigned() as ``keepalived -t`` applies it: the number, or None if rejected."""
    if text is None:
        return None
    stripped = text.lstrip(" \t")
    if not _DECIMAL.fullmatch(stripped):
        return None
    value = int(stripped)
    return value if low <= value <= high else None


def port_text(port: str | None) -> str | None:
    """The port keepalived passes on: none for a missing port or one of only zeros."""
    return port if port and port.strip("0") else None


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An address and port as inet_stosockaddr() stores them (port 0: none given)."""

    family: int
    address: str
    port: int


@lru_cache(maxsize=4096)
def endpoint(ip: str, port: str | None) -> Endpoint | None:
    """inet_stosockaddr(): ``ip`` cut at its first ``-`` (else ``/``), family by ``:``,
    port 1..65535; None when keepalived rejects the pair.

    Kept per pair (an Endpoint is immutable): several rules and the services analysis
    read every real server's header, and the same servers recur across virtual servers.
    """
    given = port_text(port)
    number = 0
    if given is not None:
        number = unsigned(given, 1, 65535) or 0
        if not number:
            return None
    cut = ip.find("-") if "-" in ip else ip.find("/")
    address = ip_text(ip[:cut] if cut >= 0 else ip)
    if address is None:
        return None
    return Endpoint(6 if ":" in ip else 4, address, number)


def header(stmt: Statement) -> tuple[str, str | None]:
    """The address and optional port words of a ``real_server``/``sorry_server`` line."""
    words = stmt.texts[1:]
    return (words[0] if words else ""), (words[1] if len(words) > 1 else None)


def virtual_endpoint(vs: VirtualServer) -> Endpoint | None:
    """The endpoint of an address virtual server (None for fwmark, group or invalid)."""
    if not vs.key or vs.key[0] in ("fwmark", "group"):
        return None
    return endpoint(vs.key[0], vs.key[1] if len(vs.key) > 1 else None)


def is_fwmark(vs: VirtualServer) -> bool:
    return bool(vs.key) and vs.key[0] == "fwmark"


def header_valid(vs: VirtualServer) -> bool:
    """alloc_vs(): keepalived keeps the block (a group is checked elsewhere)."""
    if not vs.key:
        return False
    if vs.key[0] == "group":
        return True
    if vs.key[0] == "fwmark":
        return unsigned(vs.key[1] if len(vs.key) > 1 else None, 0, FWMARK_MAX) is not None
    return virtual_endpoint(vs) is not None


def last_method(block: Block, *keywords: str) -> str | None:
    """The forwarding method the last valid ``lvs_method``-style line sets (an unknown
    method is reported and leaves the previous one)."""
    method = None
    for child in block.children:
        if child.keyword in keywords and len(child.texts) > 1 and child.texts[1] in METHODS:
            method = child.texts[1]
    return method


def has_scheduler(vs: VirtualServer) -> bool:
    """A valid ``lvs_sched``/``lb_algo`` was given (an invalid one is ignored)."""
    return any(child.keyword in ("lvs_sched", "lb_algo") and len(child.texts) > 1 and child.texts[1] in SCHEDULERS
               for child in vs.node.children)


@dataclass(slots=True)
class Server:
    """A real or sorry server keepalived keeps, with what validation works on."""

    node: Statement
    endpoint: Endpoint
    #: Its own forwarding method, None when it takes the virtual server's.
    method: str | None
    real: RealServer | None = None

    @property
    def word(self) -> Word:
        return self.node.words[1]


def real_servers(vs: VirtualServer) -> list[Server]:
    """The real servers keepalived keeps: valid headers, a repeated one dropped
    (``real server ... is duplicated - removing second rs``)."""
    kept: list[Server] = []
    seen: set[Endpoint] = set()
    for real in vs.real_servers:
        point = endpoint(*header(real.node))
        if point is None or point in seen:
            continue
        seen.add(point)
        own = last_method(real.node, "lvs_method") if isinstance(real.node, Block) else None
        kept.append(Server(real.node, point, own, real))
    return kept


def sorry_server(vs: VirtualServer) -> Server | None:
    """The last valid ``sorry_server`` line (each one replaces the one before)."""
    stmt = None
    point = None
    for child in vs.node.children:
        if child.keyword == "sorry_server" and len(child.texts) > 1:
            candidate = endpoint(*header(child))
            if candidate is not None:
                stmt, point = child, candidate
    if stmt is None or point is None:
        return None
    return Server(stmt, point, last_method(vs.node, "sorry_server_lvs_method"))


def group_block(config: Config, name: str) -> Block | None:
    return next((g for g in config.virtual_server_groups if len(g.texts) > 1 and g.texts[1] == name), None)


def group_entries(block: Block) -> list[Statement]:
    return [child for child in block.children if child.words]


def weight(real: RealServer | None, default: int) -> int:
    """A real server's effective weight: its own valid ``weight``, else the virtual server's."""
    if real is None or real.weight is None:
        return default
    value = real.weight.value
    return value if 0 <= value <= 2**31 - 1 else default


def vs_weight(vs: VirtualServer) -> int:
    stmt = last(vs.node, "weight")
    value = to_int(stmt.texts[1]) if stmt is not None and len(stmt.texts) > 1 else None
    return value if value is not None and 1 <= value <= 2**31 - 1 else 1


def last(block: Block, keyword: str) -> Statement | None:
    """The last ``keyword`` line of a block (the handlers overwrite)."""
    found = None
    for child in block.children:
        if child.keyword == keyword:
            found = child
    return found
