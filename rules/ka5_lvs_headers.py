"""KA511–KA513: LVS addresses, ports and masks that keepalived's checker rejects."""

from __future__ import annotations

import ipaddress
from _socket import inet_aton
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VirtualServer
from kalint.rule import Rule
from kalint.rules._lvs import FWMARK_MAX, Endpoint, endpoint, header, port_text, unsigned, virtual_endpoint
from kalint.rules._placement import list_entries
from kalint.runtime.addresses import address_int
from kalint.syntax.tree import Statement


def _why(ip: str, port: str | None) -> str:
    """Which half of an address/port pair inet_stosockaddr() rejects."""
    given = port_text(port)
    bad_port = given is not None and unsigned(given, 1, 65535) is None
    if endpoint(ip, None) is None:
        return f"`{ip}` is not an IP address" + (f" (nor `{port}` a port)" if bad_port else "")
    return f"port `{port}` is not a number in 1..65535"


class InvalidServerAddress(Rule):
    """A `virtual_server`, `real_server` or `sorry_server` whose address or port keepalived rejects.

    keepalived parses the address with inet_pton (a `-range` or `/mask` suffix is cut
    off) and the port as a number in 1..65535 (0 means none). An invalid virtual server
    skips the whole block with its real servers (`Invalid virtual server IP address/port
    ... - skipping`); an invalid real server is skipped with its checkers; an invalid
    sorry server is ignored. A `fwmark` outside 0..4294967295 skips the block too.

    Bad:

        virtual_server 192.0.2.300 80 {
            real_server 192.0.2.21 8o { TCP_CHECK { } }
        }

    Good:

        virtual_server 192.0.2.30 80 {
            real_server 192.0.2.21 80 { TCP_CHECK { } }
        }
    """

    code = "KA511"
    name = "invalid-server-address"
    severity = Severity.ERROR
    summary = "a virtual, real or sorry server address or port that keepalived rejects"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            problem = self._virtual(vs)
            if problem is not None:
                yield self.diagnostic(vs.node.header_span, problem, help="give an IPv4/IPv6 address and a port in 1..65535")
                continue
            for child in vs.node.children:
                if child.keyword in ("real_server", "sorry_server") and len(child.texts) > 1:
                    yield from self._server(child)

    @staticmethod
    def _virtual(vs: VirtualServer) -> str | None:
        if not vs.key or vs.key[0] == "group":
            return None
        if vs.key[0] == "fwmark":
            mark = vs.key[1] if len(vs.key) > 1 else None
            if mark is None or unsigned(mark, 0, FWMARK_MAX) is not None:
                return None
            return (f"virtual_server fwmark `{mark}` is not a number in 0..{FWMARK_MAX}: keepalived skips the "
                    f"whole block (`virtual server fwmark '{mark}' must be in [0, {FWMARK_MAX}] - ignoring`)")
        if virtual_endpoint(vs) is not None:
            return None
        ip, port = vs.key[0], vs.key[1] if len(vs.key) > 1 else None
        shown = f"{ip}/{port}" if port_text(port) else ip
        return (f"virtual_server {' '.join(vs.key)}: {_why(ip, port)}: keepalived skips the whole block and "
                f"its real servers (`Invalid virtual server IP address{'/port' if port_text(port) else ''} {shown} - skipping`)")

    def _server(self, stmt: Statement) -> Iterator[Diagnostic]:
        ip, port = header(stmt)
        if endpoint(ip, port) is not None:
            return
        if stmt.keyword == "real_server":
            effect = f"keepalived skips this real server and its checkers (`Invalid real server ip address/port {ip}/{port}`)"
        else:
            effect = f"keepalived ignores the sorry server (`Invalid sorry server IP address {ip} - skipping`)"
        yield self.diagnostic(stmt.header_span, f"{stmt.keyword} {' '.join(w.text for w in stmt.words[1:])}: {_why(ip, port)}: {effect}",
                              help="give an IPv4/IPv6 address and a port in 1..65535")


def group_entry_problem(words: list[str]) -> str | None:
    """What alloc_vsg_entry() reports for one ``virtual_server_group`` line, or None."""
    if words[0] == "fwmark":
        mark = words[1] if len(words) > 1 else None
        if unsigned(mark, 0, FWMARK_MAX) is None:
            return f"fwmark `{mark}` is not a number in 0..{FWMARK_MAX} (`fwmark '{mark}' must be in [0, {FWMARK_MAX}] - ignoring`)"
        if len(words) > 2 and words[2] not in ("inet", "inet6"):
            return f"the fwmark family `{words[2]}` is neither inet nor inet6 (`family {words[2]} unknown - ignoring`)"
        return None
    text, port = words[0], words[1] if len(words) > 1 else None
    point = endpoint(text, port)
    if point is None:
        return f"{_why(text, port)} (`Invalid virtual server group IP address {text}`)"
    if "/" in text:
        return _mask_problem(text, point)
    return _range_problem(text, point.family)


def _mask_problem(text: str, point: Endpoint) -> str | None:
    mask = text.partition("/")[2]
    limit = 32 if point.family == 4 else 128
    length = int(mask) if mask.isdigit() else None
    if length is None or not 1 <= length <= limit:
        return f"`/{mask}` is not a prefix length in 1..{limit} (`Invalid netmask - {text} - skipping`)"
    try:
        ipaddress.ip_network(f"{point.address}/{length}", strict=True)
    except ValueError:
        return f"`{point.address}` has host bits set below /{length} (`Address mask bits not empty - {text} - skipping`)"
    return None


def _range_problem(text: str, family: int) -> str | None:
    start_text, dash, end = text.partition("-")
    if not dash:
        return None
    start = address_int(start_text)
    assert start is not None  # endpoint() accepted it
    if ("." if family == 4 else ":") in end:
        last = address_int(end)
        if last is None:
            return f"the range end `{end}` is not an address (`Invalid range end {text} - skipping`)"
        if last[0] != family:
            return f"the range ends in another address family (`Range address families do not match {text}`)"
        if last[1] < start[1]:
            return f"the range ends below its start (`Address range end is less than address range start - {text}`)"
        return None
    limit = 255 if family == 4 else 0xFFFF
    try:
        value = int(end, 16 if family == 6 else 10) if end and end[0] not in "+-" else None
    except ValueError:
        value = None
    if value is None or value > limit:
        return f"the range end `{end}` is not a number up to {limit} (`Virtual server group range '{text}'`)"
    low = start[1] & (0xFF if family == 4 else 0xFFFF)
    if low >= value:
        return (f"the range end {end} is not above the start's last {'byte' if family == 4 else 'group'} "
                f"(`Address range end is not greater than address range start - {text}`)")
    return None


class InvalidVirtualServerGroupEntry(Rule):
    """A `virtual_server_group` line keepalived skips.

    Each line is `<ip>[-<last>|/<prefix>] [<port>]` or `fwmark <n> [inet|inet6]`. keepalived
    checks the address, the port (1..65535, 0 = none), the prefix (host bits must be
    zero), the range end (a last byte above the start's, or a whole address not below it)
    and the fwmark, and skips a line that fails, so the virtual servers using the group
    do not serve it. A keyword such as `lb_algo` written inside the group is read as an
    address and skipped too.

    Bad:

        virtual_server_group WEB {
            192.0.2.10-5 80
            192.0.2.17/28 80
        }

    Good:

        virtual_server_group WEB {
            192.0.2.10-15 80
            192.0.2.16/28 80
        }
    """

    code = "KA512"
    name = "invalid-virtual-server-group-entry"
    severity = Severity.ERROR
    summary = "a `virtual_server_group` entry keepalived skips"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for group in config.virtual_server_groups:
            name = group.texts[1] if len(group.texts) > 1 else ""
            for entry in list_entries(group):
                if not entry.texts:
                    continue
                problem = group_entry_problem(list(entry.texts))
                if problem is not None:
                    yield self.diagnostic(
                        entry.header_span,
                        f"virtual_server_group {name}: {problem}: keepalived skips this entry, so no virtual server of the group serves it",
                        help="write `<ip>[-<last byte>|/<prefix>] [<port>]` or `fwmark <n> [inet|inet6]`",
                    )


def _granularity_problem(vs: VirtualServer, text: str) -> str | None:
    point = virtual_endpoint(vs)
    family = point.family if point is not None else (4 if "." in text else 6)
    if family == 6:
        if unsigned(text, 1, 128) is None:
            return f"`{text}` is not an IPv6 prefix length in 1..128 (`Invalid IPv6 persistence_granularity specified`)"
        return None
    try:
        inet_aton(text)
    except OSError:
        return f"`{text}` is not an IPv4 netmask (`Invalid IPv4 persistence_granularity specified`)"
    return None


class InvalidPersistenceGranularity(Rule):
    """A `persistence_granularity` keepalived rejects.

    For an IPv4 virtual server the value is a netmask (`255.255.255.0`); for IPv6 a prefix
    length 1..128 (a fwmark or group virtual server is taken as IPv4 when the value holds
    a `.`). Anything else is reported and ignored: persistence then groups clients by
    their full address, not by the network the config meant.

    Bad:

        virtual_server 192.0.2.10 80 {
            persistence_timeout 300
            persistence_granularity /24
        }

    Good:

        virtual_server 192.0.2.10 80 {
            persistence_timeout 300
            persistence_granularity 255.255.255.0
        }
    """

    code = "KA513"
    name = "invalid-persistence-granularity"
    severity = Severity.ERROR
    summary = "a `persistence_granularity` keepalived rejects and ignores"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            for stmt in vs.node.find("persistence_granularity"):
                if len(stmt.texts) < 2:
                    continue
                problem = _granularity_problem(vs, stmt.texts[1])
                if problem is not None:
                    yield self.diagnostic(
                        stmt.words[1].span,
                        f"persistence_granularity: {problem}: keepalived ignores it, so persistence goes by each client's full address",
                        help="an IPv4 netmask such as 255.255.255.0, or an IPv6 prefix length",
                    )
