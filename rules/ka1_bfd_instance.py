"""KA143: bfd_instance settings keepalived rejects or corrects when it reads the block."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._lvs import unsigned
from kalint.syntax.tree import Block, Statement

#: bfd.h: BFD_MINRX/MINTX/IDLETX_MAX_SENSIBLE, milliseconds; larger values are taken.
_SENSIBLE_MS = 10000
_INAME_MAX = 32
_CONTROL_TTL = {4: 255, 6: 64}  # BFD_CONTROL_TTL, BFD_CONTROL_HOPLIMIT
_DECIMAL = re.compile(r"\d+(?:\.\d{0,3})?|\.\d{1,3}")
_FALSE = ("false", "off", "no")

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _last(block: Block, *keywords: str) -> Statement | None:
    found = None
    for child in block.children:
        if child.keyword in keywords and len(child.texts) > 1:
            found = child
    return found


def _address(stmt: Statement | None) -> _Address | None:
    if stmt is None:
        return None
    try:
        return ipaddress.ip_address(stmt.texts[1])
    except ValueError:
        return None


def _multihop(block: Block) -> bool:
    flag = False
    for child in block.children:
        if child.keyword == "multihop":
            flag = len(child.texts) < 2 or child.texts[1] not in _FALSE
    return flag


class BfdInstanceCorrected(Rule):
    """A `bfd_instance` keepalived disables, or a setting it corrects.

    When a `bfd_instance` block ends (bfd_parser.c) keepalived drops the instance if its
    `source_ip` and `neighbor_ip` are of different families, or if an earlier instance
    already has the same neighbour (and source, or no source; from 2.3.0 also the same
    `multihop`): a `track_bfd` of it then tracks nothing. It lowers a `max_hops` above
    the `ttl`/`hoplimit` (default 255 for IPv4, 64 for IPv6) to that, and logs a `min_rx`,
    `min_tx` or `idle_tx` above 10000 ms as larger than sensible: detection then takes
    `multiplier` times that long.

    Bad:

        bfd_instance upstream {
            neighbor_ip 2001:db8::1
            source_ip 192.0.2.2
        }

    Good:

        bfd_instance upstream {
            neighbor_ip 2001:db8::1
            source_ip 2001:db8::2
        }
    """

    code = "KA143"
    name = "bfd-instance-corrected"
    severity = Severity.WARNING
    summary = "a bfd_instance keepalived disables (mixed families, duplicate neighbour) or corrects (max_hops, intervals)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        kept: list[tuple[Block, _Address, _Address | None, bool]] = []
        names: set[str] = set()
        for block in config.document.index().path("bfd_instance"):
            if not isinstance(block, Block) or len(block.texts) < 2:
                continue
            name = block.texts[1]
            if name in names or len(name.encode("utf-8", "surrogateescape")) >= _INAME_MAX:
                continue  # ignored before its lines are read (KA208, KA141)
            names.add(name)
            yield from self._intervals(block, name)
            neighbor_stmt = _last(block, "neighbor_ip", "neighbour_ip")
            source_stmt = _last(block, "source_ip")
            neighbor, source = _address(neighbor_stmt), _address(source_stmt)
            if neighbor is None or neighbor_stmt is None:
                continue  # no neighbour: KA130
            if source is not None and source_stmt is not None and source.version != neighbor.version:
                yield self.diagnostic(
                    source_stmt.words[1].span,
                    f"bfd_instance {name}: source {source} and neighbour {neighbor} are not of the same family: "
                    f"keepalived disables the instance",
                    help="use a source address of the neighbour's family",
                )
                continue
            multihop = _multihop(block)
            earlier = next((b for b, n, s, m in kept if n == neighbor and m == multihop
                            and (s is None or source is None or s == source)), None)
            if earlier is not None:
                yield self.diagnostic(
                    neighbor_stmt.words[1].span,
                    f"bfd_instance {name}: bfd_instance {earlier.texts[1]} already has neighbour {neighbor}"
                    f"{'' if source is None else f' and source {source}'}: keepalived ignores this instance "
                    f"(`duplicate ... address`)",
                    related=[Related(earlier.header_span, "the instance keepalived keeps")],
                    help="track the earlier instance instead, or give this one another source address",
                )
                continue
            kept.append((block, neighbor, source, multihop))
            yield from self._max_hops(block, name, neighbor.version)

    def _intervals(self, block: Block, name: str) -> Iterator[Diagnostic]:
        for child in block.children:
            if child.keyword in ("min_rx", "min_tx", "idle_tx") and len(child.texts) > 1 \
                    and _DECIMAL.fullmatch(child.texts[1]) and float(child.texts[1]) > _SENSIBLE_MS:
                yield self.diagnostic(
                    child.words[1].span,
                    f"bfd_instance {name}: {child.keyword} {child.texts[1]} ms is larger than keepalived thinks "
                    f"sensible ({_SENSIBLE_MS} ms): a failure is noticed only after multiplier x this interval",
                    help="the value is milliseconds",
                    severity=Severity.INFO,
                )

    def _max_hops(self, block: Block, name: str, family: int) -> Iterator[Diagnostic]:
        hops_stmt = _last(block, "max_hops")
        ttl_stmt = _last(block, "ttl", "hoplimit")
        hops = _signed(hops_stmt.texts[1]) if hops_stmt is not None else None
        ttl = unsigned(ttl_stmt.texts[1], 1, 255) if ttl_stmt is not None else None
        limit = ttl or _CONTROL_TTL[family]
        if hops_stmt is None or hops is None or hops <= limit:
            return
        said = f"ttl/hoplimit {limit}" if ttl else f"the default ttl/hoplimit {limit} of IPv{family}"
        yield self.diagnostic(
            hops_stmt.words[1].span,
            f"bfd_instance {name}: max_hops {hops} exceeds {said}: keepalived lowers it to {limit}",
            help=f"use max_hops {limit} or less, or raise ttl/hoplimit",
        )


def _signed(text: str) -> int | None:
    """read_int_strvec(-1..255) as -t applies it."""
    if not re.fullmatch(r"-?\d+", text):
        return None
    value = int(text)
    return value if -1 <= value <= 255 else None
