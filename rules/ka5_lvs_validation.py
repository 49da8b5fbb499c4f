"""KA508–KA510, KA514, KA515: what keepalived's checker corrects in a virtual server
after reading it (validate_check_config() in check_data.c)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Analysis, Config, VirtualServer
from kalint.records import dataclass
from kalint.rule import Rule
from kalint.rules._lvs import (
    Endpoint,
    Server,
    group_block,
    has_scheduler,
    header_valid,
    is_fwmark,
    last,
    last_method,
    real_servers,
    sorry_server,
    unsigned,
    virtual_endpoint,
    vs_weight,
    weight,
)
from kalint.rules.ka5_lvs_headers import group_entry_problem


@dataclass(slots=True)
class Service:
    """A virtual server keepalived keeps, as validation sees it."""

    vs: VirtualServer
    endpoint: Endpoint | None
    #: The forwarding method of the virtual server itself (None: not set).
    method: str | None
    servers: list[Server]
    sorry: Server | None
    #: For a group: the ports of its address entries, and whether it has fwmark entries.
    group_ports: list[int]
    group_fwmark: bool

    @property
    def name(self) -> str:
        return "virtual_server " + " ".join(self.vs.key)

    @property
    def fwmark_only(self) -> bool:
        """Served by firewall mark only: a fwmark header, or a group of only fwmarks."""
        return is_fwmark(self.vs) or (self.vs.group is not None and self.group_fwmark and not self.group_ports)

    def method_of(self, server: Server) -> str:
        return server.method or self.method or "NAT"


@Analysis
def services(config: Config) -> list[Service]:
    """The virtual servers that survive parsing and have real servers, computed once."""
    kept = []
    for vs in config.virtual_servers:
        if not header_valid(vs):
            continue
        ports: list[int] = []
        fwmark = False
        if vs.group is not None:
            block = group_block(config, vs.group)
            if block is None:
                continue
            for entry in block.children:
                words = list(entry.texts)
                if not words or group_entry_problem(words) is not None:
                    continue
                if words[0] == "fwmark":
                    fwmark = True
                else:
                    ports.append(unsigned(words[1], 1, 65535) or 0 if len(words) > 1 else 0)
        point = virtual_endpoint(vs)
        method = last_method(vs.node, "lvs_method", "lb_kind")
        servers = [s for s in real_servers(vs)
                   if point is None or s.endpoint.family == point.family or (s.method or method) == "TUN"]
        if servers:
            kept.append(Service(vs, point, method, servers, sorry_server(vs), ports, fwmark))
    return kept


class PortMismatch(Rule):
    """A DR or TUN real server (or sorry server) on another port than its virtual server.

    With direct routing and tunnelling IPVS does not rewrite the destination port, so a
    client's packet for port 80 reaches the real server on port 80 whatever port the
    config gives it. keepalived resets such a real server to the virtual server's port
    (`ports don't match - resetting`), but its checkers were set up with the port as
    written, so they probe a port that receives no traffic. In a `virtual_server_group`
    keepalived only reports the mismatch. With a fwmark virtual server the port is
    meaningless and keepalived clears it (information).

    Bad:

        virtual_server 192.0.2.10 80 {
            lb_kind DR
            real_server 192.0.2.21 8080 { TCP_CHECK { } }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            lb_kind DR
            real_server 192.0.2.21 80 { TCP_CHECK { } }
        }
    """

    code = "KA508"
    analyses = (services,)
    name = "real-server-port-mismatch"
    severity = Severity.WARNING
    summary = "a DR/TUN real server on another port than its virtual server"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for service in services(config):
            members = [*service.servers, *([service.sorry] if service.sorry is not None else [])]
            for server in members:
                method = service.method_of(server)
                if method == "NAT" or not server.endpoint.port:
                    continue
                yield from self._check(service, server, method)

    def _check(self, service: Service, server: Server, method: str) -> Iterator[Diagnostic]:
        port = server.endpoint.port
        what = f"{server.node.keyword} {server.endpoint.address} {port}"
        portless = service.endpoint is not None and not service.endpoint.port
        if service.fwmark_only or service.group_fwmark or portless:
            how = "has no port" if portless else "is matched by firewall mark"
            yield self.diagnostic(
                server.node.header_span,
                f"{what} uses {method} and {service.name} {how}: IPVS forwards whatever port the "
                f"client used, so keepalived ignores this port",
                severity=Severity.INFO,
                help="drop the port from the server line (checkers can keep connect_port)",
            )
        ports = [service.endpoint.port] if service.endpoint is not None else service.group_ports
        other = sorted({p for p in ports if p and p != port})
        if not other:
            return
        shown = "/".join(str(p) for p in other)
        checkers = f", while its checkers without connect_port still probe port {port}" if server.real is not None else ""
        if service.endpoint is not None:
            effect = f"keepalived resets it to port {shown} (`ports don't match - resetting`){checkers}"
        else:
            effect = f"keepalived reports `ports don't match`{checkers}"
        yield self.diagnostic(
            server.node.header_span,
            f"{what} uses {method} but {service.name} serves port {shown}: {method} cannot change the destination "
            f"port, so clients' traffic reaches it on port {shown}; {effect}",
            help=f"give the {server.node.keyword} port {shown} (the service must listen there), or use NAT to map ports",
        )


class ProtocolOnFwmark(Rule):
    """A `protocol` on a virtual server that is matched by firewall mark.

    IPVS matches a fwmark service by the mark alone; the firewall rule that sets the mark
    decides which protocols and ports are balanced. keepalived drops the setting
    (`protocol specified for fwmark - protocol will be ignored`).

    Bad:

        virtual_server fwmark 1 {
            protocol TCP
        }

    Good:

        virtual_server fwmark 1 {
            lb_kind DR
        }
    """

    code = "KA509"
    analyses = (services,)
    name = "protocol-on-fwmark"
    severity = Severity.INFO
    summary = "a `protocol` on a fwmark virtual server, which keepalived ignores"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for service in services(config):
            stmt = service.vs.protocol.node if service.vs.protocol is not None else None
            if stmt is None or not service.fwmark_only:
                continue
            if not any(s.keyword == "protocol" and len(s.texts) > 1 and s.texts[1].upper() in ("TCP", "UDP", "SCTP")
                       for s in service.vs.node.children):
                continue
            yield self.diagnostic(
                stmt.span,
                f"{service.name} is matched by firewall mark: keepalived ignores `protocol` (`protocol specified for "
                f"fwmark - protocol will be ignored`); the rule that sets the mark decides which protocols it gets",
                help="remove `protocol`; filter by protocol in the firewall rule that sets the mark",
            )


class QuorumAboveTotalWeight(Rule):
    """A `quorum` above the sum of the real servers' weights.

    The virtual server is up while the weights of its healthy real servers add up to at
    least `quorum`. A quorum no real-server set can reach would keep it down for ever, so
    keepalived lowers it to the total weight (`Warning - quorum ... exceeds total weight of
    real servers ..., reducing quorum to ...`): then every real server must be up to keep
    quorum, which is rarely what a smaller-looking number meant. Real servers take the
    virtual server's `weight` (default 1) unless they set their own.

    Bad:

        virtual_server 192.0.2.10 80 {
            quorum 3
            real_server 192.0.2.21 80 { weight 1 }
            real_server 192.0.2.22 80 { weight 1 }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            quorum 1
            real_server 192.0.2.21 80 { weight 1 }
            real_server 192.0.2.22 80 { weight 1 }
        }
    """

    code = "KA510"
    analyses = (services,)
    name = "quorum-above-total-weight"
    severity = Severity.WARNING
    summary = "a `quorum` above the total real-server weight, which keepalived lowers"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for service in services(config):
            stmt = last(service.vs.node, "quorum")
            if stmt is None or len(stmt.texts) < 2:
                continue
            quorum = unsigned(stmt.texts[1], 1, 2**32 - 1) or 1
            default = vs_weight(service.vs)
            total = sum(weight(s.real, default) for s in service.servers)
            if quorum <= total:
                continue
            yield self.diagnostic(
                stmt.span,
                f"quorum {quorum} of {service.name} exceeds the total weight {total} of its "
                f"{len(service.servers)} real server(s): keepalived lowers it to {total} (`exceeds total weight of "
                f"real servers`), so the service keeps quorum only while all of them are up",
                related=[Related(s.node.header_span, f"weight {weight(s.real, default)}") for s in service.servers[:3]],
                help=f"set quorum to at most {total}, or raise the real servers' weights",
            )


class MissingScheduler(Rule):
    """A virtual server without `lb_algo` (`lvs_sched`).

    keepalived uses `wlc` (weighted least-connection) and says so (`no scheduler set,
    setting default 'wlc'`). That may be fine, but the config does not show it.

    Bad:

        virtual_server 192.0.2.10 80 {
            lb_kind DR
        }

    Good:

        virtual_server 192.0.2.10 80 {
            lb_algo wlc
            lb_kind DR
        }
    """

    code = "KA514"
    analyses = (services,)
    name = "missing-lb-algo"
    severity = Severity.INFO
    summary = "a virtual server without `lb_algo`: keepalived uses wlc"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for service in services(config):
            if has_scheduler(service.vs):
                continue
            yield self.diagnostic(
                service.vs.node.header_span,
                f"{service.name} has no valid lb_algo: keepalived uses `wlc` (`no scheduler set, setting default 'wlc'`)",
                help="write `lb_algo wlc` (or the scheduler you want)",
            )


class MissingForwardingMethod(Rule):
    """A virtual server without `lb_kind` (`lvs_method`) whose servers set none either.

    keepalived uses NAT (`no forwarding method set, setting default NAT`): the real
    servers must then route their replies back through the director. A DR or TUN setup
    that forgot the line does not work.

    Bad:

        virtual_server 192.0.2.10 80 {
            lb_algo rr
        }

    Good:

        virtual_server 192.0.2.10 80 {
            lb_algo rr
            lb_kind DR
        }
    """

    code = "KA515"
    analyses = (services,)
    name = "missing-lb-kind"
    severity = Severity.INFO
    summary = "a virtual server without `lb_kind`: keepalived uses NAT"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for service in services(config):
            if service.method is not None:
                continue
            members = [*service.servers, *([service.sorry] if service.sorry is not None else [])]
            if all(s.method is not None for s in members):
                continue
            yield self.diagnostic(
                service.vs.node.header_span,
                f"{service.name} has no valid lb_kind: keepalived forwards with NAT (`no forwarding method set, "
                f"setting default NAT`), so the real servers must send their replies back through this director",
                help="write `lb_kind NAT` (or DR/TUN) so the config says how it forwards",
            )
