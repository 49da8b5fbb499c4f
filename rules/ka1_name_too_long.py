"""KA141: a name longer than the field keepalived stores it in."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.model.schema import version_key
from kalint.records import dataclass
from kalint.rule import Rule
from kalint.syntax.tree import Word


@dataclass(frozen=True)
class _Limit:
    """The longest name (bytes) keepalived keeps for a keyword's words, and what it does with a longer one."""

    path: str
    longest: int
    truncates: bool
    what: str
    #: the words checked: None for every argument, else the argument indexes
    words: tuple[int, ...] | None = (0,)


# Limits from keepalived's source (2.2.7 and 2.3.4): TASK_COMM_LEN 16, BFD_INAME_MAX 32,
# IPSET_MAXNAMELEN 32 and XT_EXTENSION_MAXNAMELEN 29 (checked as `>= MAX - 1`),
# IP_VS_PENAME_MAXLEN 16; NFT_TABLE_MAXNAMELEN is 256 with the kernel headers of any
# current build (32 only before Linux 4.1), checked as `>= MAX` up to 2.3.1 and `>= MAX - 1`
# from 2.3.2 (check_valid_iptables_ipset_nftables_name()).
_LIMITS = (
    *(_Limit(f"global_defs.{kw}", 15, True, "a process name (TASK_COMM_LEN)")
      for kw in ("process_name", "vrrp_process_name", "checker_process_name", "lvs_process_name", "bfd_process_name")),
    _Limit("global_defs.vrrp_ipsets", 30, False, "an ipset name (IPSET_MAXNAMELEN)", None),
    _Limit("global_defs.vrrp_iptables", 27, False, "an iptables chain name (XT_EXTENSION_MAXNAMELEN)", (0, 1)),
    _Limit("virtual_server.persistence_engine", 15, True, "a persistence engine name (IP_VS_PENAME_MAXLEN)"),
    _Limit("virtual_server.real_server.BFD_CHECK.name", 31, False, "a BFD name (BFD_INAME_MAX)"),
)
_BFD_LONGEST = 31
_NFTABLES = ("global_defs.nftables", "global_defs.nftables_ipvs")
_NFT_SHORTER = "2.3.2"


class NameTooLong(Rule):
    """A name longer than the fixed-size field keepalived copies it into.

    keepalived stores these names in C arrays sized by the kernel or by itself: a process
    name has 15 bytes (`Process name ... more than 15 characters, truncating`), a
    `bfd_instance` or `BFD_CHECK` name 31 (`BFD instance ... name too long ... - ignoring`:
    the instance does not exist), an ipset name 30, an iptables chain 27, a persistence
    engine 15, an nftables table 255 (254 from 2.3.2). A truncated process name is what `ps` and the logs show; an ignored name
    leaves the setting at its default, and an ignored BFD instance makes every `track_bfd`
    and `BFD_CHECK` of it point at nothing.

    Bad:

        bfd_instance bfd_to_the_upstream_router_of_rack_7 {
            neighbor_ip 192.0.2.1
        }

    Good:

        bfd_instance bfd_rack7_upstream {
            neighbor_ip 192.0.2.1
        }
    """

    code = "KA141"
    name = "name-too-long"
    severity = Severity.WARNING
    summary = "a name longer than keepalived's field for it (process, BFD, ipset, iptables chain, nftables table, persistence engine)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        for limit in (*_LIMITS, *_nftables(config.target_version)):
            for stmt in index.path(limit.path):
                picked = stmt.args if limit.words is None else [stmt.args[i] for i in limit.words if i + 1 < len(stmt.texts)]
                for word in picked:
                    yield from self._check(word, limit, stmt.keyword)
        bfd = _Limit("bfd_instance", _BFD_LONGEST, False, "a BFD instance name (BFD_INAME_MAX)")
        for block in index.path("bfd_instance"):
            if len(block.texts) >= 2:
                yield from self._check(block.words[1], bfd, "bfd_instance")

    def _check(self, word: Word, limit: _Limit, keyword: str) -> Iterator[Diagnostic]:
        size = len(word.text.encode("utf-8", "surrogateescape"))
        if size <= limit.longest:
            return
        effect = (f"keepalived cuts it to `{word.text.encode('utf-8', 'surrogateescape')[:limit.longest].decode('utf-8', 'replace')}`"
                  if limit.truncates else f"keepalived says it is too long and ignores this `{keyword}`")
        yield self.diagnostic(
            word.span,
            f"`{word.text}` is {size} bytes, longer than {limit.what} can hold ({limit.longest}): {effect}",
            help=f"use a name of at most {limit.longest} bytes",
        )



def _nftables(target: str | None) -> tuple[_Limit, ...]:
    """nftables table names: 255 bytes, 254 from 2.3.2 (no target: the longer, so no false finding)."""
    longest = 254 if target is not None and version_key(target) >= version_key(_NFT_SHORTER) else 255
    return tuple(_Limit(path, longest, False, "an nftables table name (NFT_TABLE_MAXNAMELEN)") for path in _NFTABLES)
