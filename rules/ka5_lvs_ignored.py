"""KA533: LVS settings keepalived rejects or ignores while reading (check_parser.c)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, VirtualServer
from kalint.rule import Rule
from kalint.rules._lvs import unsigned
from kalint.runtime.addresses import family_of
from kalint.syntax.tree import Block, Node, Statement

_Problem = tuple[Node, str]
_TUNNEL_TYPES = ("ipip", "gue", "gre")
_CSUM = ("nocsum", "csum", "remcsum")
_METHODS = ("lb_kind", "lvs_method", "sorry_server_lvs_method")


def tunnel_problems(stmt: Statement, server: str) -> Iterator[_Problem]:
    """svr_forwarding_handler(): the words after the method; the first problem drops the rest."""
    if stmt.texts[1] not in ("NAT", "DR", "TUN"):
        return  # 'unknown ... routing method': KA104
    if len(stmt.texts) == 2:
        return  # no tunnel options (most lines): nothing to check, no word nodes to make
    args = stmt.args
    tun_type, port, csum = "ipip", 0, "nocsum"
    i = 1
    while i < len(args):
        word = args[i]
        if word.text in ("type", "port"):
            if i + 1 == len(args):
                said = (f"Missing tunnel type for {server} server." if word.text == "type"
                        else f"Missing port for {server} server gue tunnel.")
                yield word, f"`{said}`: keepalived keeps the method but none of the tunnel options"
                return
            value = args[i + 1]
            i += 2
            if word.text == "type" and value.text not in _TUNNEL_TYPES:
                yield value, f"`Unknown tunnel type {value.text} for {server} server.`: the types are ipip, gue, gre"
                return
            number = unsigned(value.text, 1, 65535) if word.text == "port" else None
            if word.text == "port" and number is None:
                yield value, f"`Invalid gue tunnel port {value.text} for {server} server.`: 1 to 65535"
                return
            if word.text == "type":
                tun_type = value.text
            else:
                port = number or 0
        elif word.text in _CSUM:
            csum, i = word.text, i + 1
        else:
            yield word, f"`Invalid tunnel option {word.text} for {server} server.`: the options are type, port and nocsum/csum/remcsum"
            return
    if (tun_type == "gue") != (port != 0):
        yield stmt.words[0], "`gue tunnels require port, otherwise cannot have port.`: keepalived keeps the method but none of the tunnel options"
    elif tun_type == "ipip" and csum != "nocsum":
        yield stmt.words[0], "`ipip tunnels do not support checksum option.`: keepalived keeps the method but none of the tunnel options"
    elif tun_type == "gre" and csum == "remcsum":
        yield stmt.words[0], "`gre tunnels do not support remote checksum option.`: keepalived keeps the method but none of the tunnel options"


def virtual_server_problems(vs: VirtualServer) -> Iterator[_Problem]:
    sorry = False
    header_family = family_of(vs.node.texts[1]) if len(vs.node.texts) > 1 and vs.node.texts[1] not in ("fwmark", "group") else 0
    for child in vs.node.children:
        if child.keyword == "sorry_server":
            sorry = True
        elif child.keyword in ("sorry_server_inhibit", "sorry_server_lvs_method") and not sorry:
            said = ("Ignoring sorry_server inhibit used before or without sorry_server" if child.keyword == "sorry_server_inhibit"
                    else "sorry_server forwarding used without sorry_server")
            yield child.words[0], f"`{said}`: keepalived ignores this line; put it after `sorry_server`"
            continue
        if child.keyword in _METHODS and len(child.texts) > 1:
            yield from tunnel_problems(child, "sorry" if child.keyword.startswith("sorry") else "virtual")
        elif child.keyword == "ip_family" and len(child.texts) > 1 and header_family:
            wanted = {"inet": 4, "inet6": 6}.get(child.texts[1])
            if wanted and wanted != header_family:
                yield child.args[0], (f"`Virtual server specified family {child.args[0].text} conflicts with server "
                                      f"family`: the address is IPv{header_family}")
        elif child.keyword == "real_server" and isinstance(child, Block):
            for stmt in child.find("lvs_method"):
                if len(stmt.texts) > 1:
                    yield from tunnel_problems(stmt, "real")


class LvsSettingIgnored(Rule):
    """An LVS setting keepalived rejects or ignores while it reads the configuration.

    - The tunnel words after `lb_kind`/`lvs_method` (`type ipip|gue|gre`, `port`,
      `nocsum|csum|remcsum`): an unknown type or word, a bad port, a gue tunnel without
      port (or a port without gue), a checksum with ipip or remcsum with gre: keepalived keeps the
      method and drops every tunnel option of the line.
    - `sorry_server_inhibit` and `sorry_server_lvs_method` before `sorry_server` (or
      without one) are ignored.
    - `ip_family` other than the virtual server address's family is ignored.
    - A second `SSL` block replaces the first.

    Bad:

        virtual_server 192.0.2.10 80 {
            lb_kind TUN type gue
        }

    Good:

        virtual_server 192.0.2.10 80 {
            lb_kind TUN type gue port 6080
        }
    """

    code = "KA533"
    name = "lvs-setting-ignored"
    severity = Severity.WARNING
    summary = "an LVS setting keepalived ignores (tunnel options, sorry_server_* before sorry_server, ip_family, second SSL)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            for node, message in virtual_server_problems(vs):
                yield self.diagnostic(node.span, message, help="see `virtual_server` in keepalived.conf(5)")
        ssl = config.document.index().path("SSL")
        for later in ssl[1:]:
            yield self.diagnostic(
                later.header_span,
                "`SSL context already specified - replacing`: keepalived uses only the last SSL block",
                related=[Related(ssl[0].header_span, "the SSL block this one replaces")],
                help="merge the SSL blocks into one",
            )
