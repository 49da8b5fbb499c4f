"""KA501–KA505: LVS virtual servers, their real servers and health checkers."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, RealServer, Setting, VirtualServer, to_float
from kalint.rule import Rule
from kalint.rules._common import normal_address
from kalint.syntax.tree import Block

#: check_data.c defaults: delay_loop 60 s, connect_timeout 5 s.
_DEFAULT_DELAY_LOOP = 60.0
_DEFAULT_CONNECT_TIMEOUT = 5.0
#: Checkers that have no connection timeout of their own.
_NO_TIMEOUT = frozenset({"FILE_CHECK", "BFD_CHECK", "MISC_CHECK"})


def _name(vs: VirtualServer) -> str:
    return "virtual_server " + " ".join(vs.key)


def _real_name(real: RealServer) -> str:
    return f"{real.address}{':' + real.port if real.port else ''}"


def _block_float(block: Block, keyword: str) -> float | None:
    stmt = block.first(keyword)
    if stmt is None or len(stmt.texts) < 2:
        return None
    return to_float(stmt.texts[1])


class VirtualServerWithoutRealServers(Rule):
    """A `virtual_server` with no `real_server`.

    keepalived logs `Virtual server X has no real servers - ignoring` and does not
    create the service at all, so nothing answers on it (not even a `sorry_server`).

    Bad:

        virtual_server 192.0.2.10 80 {
            protocol TCP
            sorry_server 10.0.0.9 80
        }

    Good:

        virtual_server 192.0.2.10 80 {
            protocol TCP
            real_server 10.0.0.1 80 {
                TCP_CHECK {
                }
            }
        }
    """

    code = "KA501"
    name = "virtual-server-without-real-servers"
    severity = Severity.ERROR
    summary = "a `virtual_server` with no `real_server` is not created"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            if vs.real_servers:
                continue
            sorry = " (its sorry_server is not used either)" if vs.sorry_server is not None else ""
            yield self.diagnostic(
                vs.node.header_span,
                f"{_name(vs)} has no real_server: keepalived ignores it and creates no IPVS service{sorry}",
                help="add real_server blocks, or remove the virtual_server",
            )


class RealServerWithoutChecker(Rule):
    """A `real_server` without a health checker while others of its virtual server have one.

    A real server with no checker is always considered up: when it goes down, IPVS keeps
    sending it connections, while its siblings are removed on failure. Usually a checker
    block was forgotten or misspelled.

    Bad:

        virtual_server 192.0.2.10 80 {
            real_server 10.0.0.1 80 { TCP_CHECK { } }
            real_server 10.0.0.2 80 { weight 1 }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            real_server 10.0.0.1 80 { TCP_CHECK { } }
            real_server 10.0.0.2 80 { TCP_CHECK { } }
        }
    """

    code = "KA502"
    name = "real-server-without-checker"
    severity = Severity.WARNING
    summary = "a real server without a checker where the others have one"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            checked = [r for r in vs.real_servers if r.checkers]
            if not checked:
                continue
            for real in vs.real_servers:
                if real.checkers:
                    continue
                example = checked[0]
                yield self.diagnostic(
                    real.node.header_span,
                    f"real_server {_real_name(real)} has no health checker while {len(checked)} other(s) of "
                    f"{_name(vs)} do: keepalived treats it as always up, so IPVS keeps sending it traffic when it fails",
                    related=[Related(example.checkers[0].header_span, f"{_real_name(example)} is checked by {example.checkers[0].keyword}")],
                    help=f"add a checker (e.g. `{example.checkers[0].keyword}`) to this real_server",
                )


class CheckerTimeoutExceedsDelayLoop(Rule):
    """A checker's `connect_timeout` longer than its `delay_loop`.

    keepalived waits up to connect_timeout (default 5 s) for each check and only then
    schedules the next one after `delay_loop` (default 60 s; the checker's, else the real
    server's, else the virtual server's). With a timeout longer than the loop, a real
    server that stops answering is detected after the timeout, not the delay the config
    suggests, and with `retry` the wait multiplies.

    Bad:

        real_server 10.0.0.1 80 {
            TCP_CHECK {
                connect_timeout 30
                delay_loop 5
            }
        }

    Good:

        real_server 10.0.0.1 80 {
            TCP_CHECK {
                connect_timeout 3
                delay_loop 5
            }
        }
    """

    code = "KA503"
    name = "checker-timeout-exceeds-delay-loop"
    severity = Severity.INFO
    summary = "a checker `connect_timeout` longer than its `delay_loop`"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            for real in vs.real_servers:
                for checker in real.checkers:
                    if checker.keyword in _NO_TIMEOUT:
                        continue
                    timeout = _first(_block_float(checker, "connect_timeout"), _value(real.connect_timeout),
                                     _value(vs.connect_timeout), _DEFAULT_CONNECT_TIMEOUT)
                    delay = _first(_block_float(checker, "delay_loop"), _value(real.delay_loop),
                                   _value(vs.delay_loop), _DEFAULT_DELAY_LOOP)
                    if timeout <= delay:
                        continue
                    yield self.diagnostic(
                        checker.header_span,
                        f"{checker.keyword} of real_server {_real_name(real)}: connect_timeout {timeout:g} s > "
                        f"delay_loop {delay:g} s: a server that stops answering is seen only after {timeout:g} s "
                        f"per attempt, not every {delay:g} s",
                        help="keep connect_timeout below delay_loop",
                    )


def _value(setting: Setting[float] | None) -> float | None:
    return setting.value if setting is not None else None


def _first(*values: float | None) -> float:
    """The most specific value given: checker, then real server, then virtual server."""
    return next(v for v in values if v is not None)  # the last one is a default


class RealServerWeightZero(Rule):
    """A `real_server` with `weight 0`.

    IPVS sends no new connections to a real server of weight 0 (it is quiesced), so it
    serves nothing however healthy it is. That can be a deliberate drain, so a single one
    is information; when every real server of a virtual server has weight 0 the service
    balances nothing, which is a warning.

    Bad:

        virtual_server 192.0.2.10 80 {
            real_server 10.0.0.1 80 { weight 0 }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            real_server 10.0.0.1 80 { weight 1 }
        }
    """

    code = "KA504"
    name = "real-server-weight-zero"
    severity = Severity.WARNING
    summary = "a real server with weight 0 receives no new connections"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            zero = [r for r in vs.real_servers if r.weight is not None and r.weight.value == 0]
            if not zero:
                continue
            everyone = len(zero) == len(vs.real_servers)
            for real in zero:
                assert real.weight is not None
                tail = (
                    f"and so do all {len(zero)} real servers of {_name(vs)}: the service balances nothing"
                    if everyone else "(a drain, if that is the intent)"
                )
                yield self.diagnostic(
                    real.weight.node.span,
                    f"real_server {_real_name(real)} has weight 0: IPVS sends it no new connections {tail}",
                    severity=None if everyone else Severity.INFO,
                    help="give it a positive weight",
                )


class SorryServerIsRealServer(Rule):
    """A `sorry_server` that is one of the virtual server's own real servers.

    The sorry server takes the traffic when every real server has failed its check. If it
    is itself one of those real servers, it is down too at that moment (keepalived marks
    the config `sorry server (duplicates rs)`), so the fallback falls back to a dead
    server.

    Bad:

        virtual_server 192.0.2.10 80 {
            sorry_server 10.0.0.1 80
            real_server 10.0.0.1 80 { TCP_CHECK { } }
        }

    Good:

        virtual_server 192.0.2.10 80 {
            sorry_server 10.0.0.9 80
            real_server 10.0.0.1 80 { TCP_CHECK { } }
        }
    """

    code = "KA505"
    name = "sorry-server-is-real-server"
    severity = Severity.WARNING
    summary = "the `sorry_server` is one of the real servers"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for vs in config.virtual_servers:
            if vs.sorry_server is None or len(vs.sorry_server.texts) < 2:
                continue
            words = vs.sorry_server.texts[1:]
            address = normal_address(words[0])
            port = words[1] if len(words) > 1 else None
            default_port = vs.key[1] if len(vs.key) > 1 and vs.key[0] not in ("fwmark", "group") else None
            for real in vs.real_servers:
                if normal_address(real.address) != address:
                    continue
                if (port or default_port) != (real.port or default_port):
                    continue
                yield self.diagnostic(
                    vs.sorry_server.span,
                    f"sorry_server {' '.join(words)} is also a real_server of {_name(vs)}: when every real "
                    f"server is down, this one is down too, so the fallback goes to a failed server",
                    related=[Related(real.node.header_span, "the same real_server")],
                    help="point sorry_server at a separate maintenance server",
                )
                break
