"""KA327: words of `use_vmac` and `use_ipvlan` that keepalived rejects or ignores."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VrrpInstance
from kalint.model.schema import version_key
from kalint.records import dataclass, field
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances
from kalint.syntax.tree import Statement, Word

#: From 2.3.0 use_vmac reads every word and knows `name`, `group` and `netlink_notify_msg`
#: (before: the first two words only); use_ipvlan knows `name` and `group`.
_OPTIONS_FROM = "2.3.0"
_IFNAMSIZ = 16
_VRRP_MAC_PREFIX = (0x00, 0x00, 0x5E, 0x00)
_IPVLAN_TYPES = ("bridge", "private", "vepa")


@dataclass
class _Instance:
    """What keepalived has stored for one instance so far, in line order."""

    mac: bool = False
    ifname: str = ""
    ipvlan_type: bool = False
    ipvlan_addr: bool = False
    ipvlan: bool = False
    #: The instance's address family fixed above the line being read (None: not yet).
    family: int | None = None
    problems: list[tuple[Word, str]] = field(default_factory=list)


def mac_problem(text: str) -> str | None:
    """What vrrp_vmac_handler() says about a word with a ':' (None: a MAC it uses)."""
    if re.search(r"[^0-9A-Fa-f:]", text):
        return f"`VMAC invalid MAC address {text}`: only hex digits and `:` are allowed; keepalived ignores it"
    octets = _octets(text)
    if octets is None:
        return f"`VMAC invalid MAC address {text} - ignored`: it needs 5 or 6 octets of 1-2 hex digits"
    if octets[0] & 1:
        return f"`VMAC MAC address is multicast {text} - ignoring`: the first octet's low bit is set"
    if tuple(octets[:4]) == _VRRP_MAC_PREFIX and octets[4] in (1, 2):
        return (f"`VMAC MAC address not allowed to be RFC5798 address ({text}) - ignoring`: 00:00:5e:00:01/02 "
                f"are the VRRP virtual MACs keepalived sets itself")
    return None


def _octets(text: str) -> list[int] | None:
    """The octets the handler's strtoul() loop reads: 5 (the VRID is added) or 6, else None."""
    parts = text.split(":")
    octets: list[int] = []
    for j, part in enumerate(parts[:6]):
        if not 1 <= len(part) <= 2:
            return None
        octets.append(int(part, 16))
        rest = parts[j + 1:]
        if j == 4 and (not rest or rest == [""]):
            return octets
        if not rest or (rest == [""] and j < 5):
            return None if j < 5 else octets
    return octets if len(octets) == 6 else None


def _name_problem(text: str, kind: str, vmac: bool) -> str | None:
    if vmac:
        bad = (not text or len(text.encode("utf-8", "surrogateescape")) >= _IFNAMSIZ or text in (".", "..")
               or re.search(r"[/:\s]", text) is not None)
        return f"`VMAC interface name '{text}' too long or invalid characters - ignoring`" if bad else None
    if len(text.encode("utf-8", "surrogateescape")) >= _IFNAMSIZ:
        return f"`{kind} interface name '{text}' too long - ignoring`: Linux names have at most 15 bytes"
    return None


def _above(node: Statement | None, stmt: Statement) -> bool:
    """Whether ``node`` (another statement: none holds the other) is written above
    ``stmt`` in the same file."""
    return (node is not None and node.span.path == stmt.span.path
            and (node.span.line, node.span.column) < (stmt.span.line, stmt.span.column))


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_interface(text)
    except ValueError:
        return False
    return True


class _Reader:
    """Reads the use_vmac/use_ipvlan lines of all instances in file order, as keepalived does."""

    def __init__(self, options: bool) -> None:
        self.options = options
        self.names: dict[str, str] = {}  # interface name -> instance that took it

    def read(self, inst: VrrpInstance, stmts: list[Statement]) -> list[tuple[Word, str]]:
        state = _Instance()
        for stmt in stmts:
            if stmt.keyword == "use_vmac":
                self._vmac(inst.name, stmt, state)
            else:
                state.family = inst.family if _above(inst.family_node, stmt) else state.family
                self._ipvlan(inst.name, stmt, state)
        if state.ipvlan and not state.ipvlan_addr and (state.family or inst.family) == 4:
            first = next(s for s in stmts if s.keyword == "use_ipvlan")
            state.problems.append((first.words[0], f"`({inst.name}) IPv4 ipvlan requires a source ip address to be "
                                                   "configured. setting instance to fault state`: the instance never runs"))
        return state.problems

    def _words(self, stmt: Statement, first_two: bool) -> Iterator[tuple[Word, bool]]:
        """(word, named): the words read; `named` when it follows `name` (2.3.x)."""
        args = stmt.args[:2] if first_two else stmt.args
        i = 0
        while i < len(args):
            word = args[i]
            if self.options and word.text == "group":
                i += 2  # a group of the host's iproute2 tables
                continue
            if self.options and word.text == "name" and i + 1 < len(args):
                yield args[i + 1], True
                i += 2
                continue
            yield word, False
            i += 1

    def _vmac(self, inst_name: str, stmt: Statement, state: _Instance) -> None:
        for word, named in self._words(stmt, not self.options):
            if self.options and word.text == "netlink_notify_msg" and not named:
                continue
            if ":" in word.text and not named:
                if state.mac:
                    state.problems.append((word, "`VMAC interface address already specified`: keepalived keeps the first MAC"))
                    continue
                problem = mac_problem(word.text)
                if problem:
                    state.problems.append((word, problem))
                state.mac = problem is None
                continue
            self._name(inst_name, word, state, "VMAC")

    def _ipvlan(self, inst_name: str, stmt: Statement, state: _Instance) -> None:
        if state.ipvlan:
            return  # `use_ipvlan already specified`: the whole line is ignored (KA105 says so)
        state.ipvlan = True
        for word, named in self._words(stmt, False):
            if word.text in _IPVLAN_TYPES and not named:
                if state.ipvlan_type:
                    state.problems.append((word, f"`({inst_name}) ipvlan type already specified - ignoring '{word.text}'`"))
                state.ipvlan_type = True
            elif _is_address(word.text) and not named:
                family = ipaddress.ip_interface(word.text).version
                if state.ipvlan_addr:
                    state.problems.append((word, f"`({inst_name}) ipvlan address already specified - ignoring '{word.text}'`"))
                elif state.family not in (None, family):
                    state.problems.append((word, f"`({inst_name}) ipvlan address[{word.text}] MUST match vrrp instance "
                                                 f"family !!! Skipping...`: an address above made it IPv{state.family}"))
                    continue
                state.ipvlan_addr = True
                state.family = family
            else:
                self._name(inst_name, word, state, "IPVLAN")

    def _name(self, inst_name: str, word: Word, state: _Instance, kind: str) -> None:
        if state.ifname:
            said = "VMAC interface name already specified" if kind == "VMAC" else (
                f"({inst_name}) IPVLAN interface already specified - ignoring '{word.text}'")
            state.problems.append((word, f"`{said}`: keepalived keeps `{state.ifname}`"))
            return
        problem = _name_problem(word.text, kind, kind == "VMAC")
        if problem:
            state.problems.append((word, problem))
            return
        owner = self.names.get(word.text)
        if owner is not None:
            state.problems.append((word, f"`({inst_name}) VRRP instance {owner} is already using {word.text} - "
                                         f"ignoring name`: keepalived makes up another name for this instance"))
            return
        self.names[word.text] = inst_name
        state.ifname = word.text


class VmacOptions(Rule):
    """A word of `use_vmac` or `use_ipvlan` that keepalived rejects or ignores.

    `use_vmac` takes an interface name and a MAC address; `use_ipvlan` a name, an address
    and a type (`bridge`, `private`, `vepa`). keepalived checks each word while reading
    (vrrp_parser.c) and drops what it cannot use, so the VMAC gets a name or MAC other than
    the one written: an invalid or multicast MAC, one of the VRRP virtual MACs
    00:00:5e:00:01/02:xx, a name of 16 bytes or more or with `/`, `:` or a space, a second
    MAC, name, address or type, or a name another instance already uses (a second
    `use_ipvlan` line is ignored whole: KA105). Before 2.3.0 `use_vmac` reads only its first two words.
    An ipvlan address of the other family than an address above it is skipped, and an IPv4
    instance whose `use_ipvlan` has no address stays in FAULT state.

    Bad:

        vrrp_instance VI_1 {
            use_vmac vrrp51 01:00:5e:00:00:33
        }

    Good:

        vrrp_instance VI_1 {
            use_vmac vrrp51 02:00:5e:00:00:33
        }
    """

    code = "KA327"
    name = "vmac-option-ignored"
    severity = Severity.WARNING
    summary = "a use_vmac/use_ipvlan word keepalived rejects or ignores (bad or multicast MAC, bad or taken name, repeated option)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        if not index.keyword("use_vmac") and not index.keyword("use_ipvlan"):
            return  # (most configs: no instance has a line to read)
        target = config.target_version
        reader = _Reader(target is None or version_key(target) >= version_key(_OPTIONS_FROM))
        for inst in loaded_instances(config):
            stmts = [s for s in inst.node.children if s.keyword in ("use_vmac", "use_ipvlan")]
            for word, message in reader.read(inst, stmts):
                yield self.diagnostic(word.span, message, help="see `use_vmac`/`use_ipvlan` in keepalived.conf(5)")
