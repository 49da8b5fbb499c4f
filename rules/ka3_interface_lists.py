"""KA331, KA332, KA337: per-interface lists keepalived reads word by word (garp groups, linkbeat, up/down delays)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.model.numbers import read_leniently
from kalint.rule import Rule
from kalint.rules._common import repeats
from kalint.runtime.loading import loaded_instances
from kalint.syntax.tree import Block, Statement, Word

#: What read_timer() accepts in `-t`: an unsigned decimal (vrrp_parser.c alloc_if_up_down_delay).
_SECONDS = re.compile(r"\+?(?:\d+\.?\d*|\.\d+)")
_MAX_DELAY = 255
_LINKBEAT_TYPES = ("MII", "ETHTOOL", "IOCTL")


def _blocks(config: Config, keyword: str) -> Iterator[Block]:
    yield from (s for s in config.document.index().keyword(keyword) if isinstance(s, Block))


def _garp_interfaces(group: Block) -> Iterator[Word]:
    """The interface words of one garp_group, in the order keepalived reads them."""
    for stmt in group.children:
        if stmt.keyword == "interface" and len(stmt.texts) > 1:
            yield stmt.words[1]
        elif stmt.keyword == "interfaces" and isinstance(stmt, Block):
            for entry in stmt.children:
                yield from entry.words


class GarpGroupInterfaces(Rule):
    """A `garp_group` interface keepalived ignores.

    An interface belongs to one `garp_group`, the first that names it (by `interface`
    or in an `interfaces` block); keepalived ignores it in any later group, or a second
    time in the same one (`garp_group already specified for %s - ignoring`), so the later
    group's delays never apply to it. An empty `interfaces` block is only warned about
    (`Warning - empty garp_group interfaces block`).

    Bad:

        garp_group {
            garp_interval 0.1
            interface eth0
        }
        garp_group {
            garp_interval 0.2
            interfaces {
                eth0
            }
        }

    Good:

        garp_group {
            garp_interval 0.1
            interface eth0
        }
    """

    code = "KA331"
    name = "garp-group-interfaces"
    severity = Severity.WARNING
    summary = "a garp_group interface keepalived ignores (already in a garp_group) or an empty interfaces block"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        groups = list(_blocks(config, "garp_group"))
        for group in groups:
            for stmt in group.children:
                if stmt.keyword == "interfaces" and isinstance(stmt, Block) and not stmt.children:
                    yield self.diagnostic(stmt.span, "`interfaces` lists no interface: keepalived warns (`Warning - "
                                                     "empty garp_group interfaces block`) and the group covers none",
                                          help="list the interfaces, or remove the block")
        named = (word for group in groups for word in _garp_interfaces(group))
        for word, earlier in repeats(named, lambda w: w.text):
            yield self.diagnostic(
                word.span,
                f"`{word.text}` is already in a garp_group: keepalived ignores it here (`garp_group already "
                f"specified for {word.text} - ignoring`)",
                related=[Related(earlier.span, "first named here")],
                help="name each interface in one garp_group only",
            )


def _delay_problem(word: Word, which: str) -> str | None:
    """Why keepalived rejects an up or down delay word, or None when it takes it."""
    if _SECONDS.fullmatch(word.text) and float(word.text) <= _MAX_DELAY:
        return None
    run = read_leniently(word.text, 0, _MAX_DELAY, 6)
    outcome = "the daemon ignores the line" if run is None else f"the daemon reads it as {run:g}"
    return (f"`{word.text}` is no {which} delay keepalived accepts (0-{_MAX_DELAY} seconds): `keepalived -t` rejects "
            f"it (`Invalid {which} delay`) and {outcome}")


def _up_down_problems(entry: Statement) -> Iterator[tuple[Word, str]]:
    words = entry.words
    if not words:
        return  # a `{` with no keyword: KA002's
    if len(words) < 2:
        yield words[0], f"no delay given: keepalived ignores this line (`No timeouts specified for {words[0].text}`)"
        return
    if len(words) > 3:
        yield words[3], ("keepalived reads a down and an up delay and ignores the rest (`Too many parameters for "
                         f"{words[0].text} up/down delays`)")
    for word, which in zip(words[1:3], ("down", "up")):
        problem = _delay_problem(word, which)
        if problem is not None:
            yield word, problem
            return


def _linkbeat_problem(entry: Statement) -> Word | None:
    words = entry.words
    if len(words) > 2:
        return words[2]
    if len(words) == 2 and words[1].text not in _LINKBEAT_TYPES:
        return words[1]
    return None


class InterfaceEntryWords(Rule):
    """A `linkbeat_interfaces` or `interface_up_down_delays` line keepalived misreads.

    A `linkbeat_interfaces` line is an interface and optionally `MII`, `ETHTOOL` or
    `IOCTL` (case matters); anything else gives `extra characters %s in linkbeat
    interface` and polling with the default method. An `interface_up_down_delays` line
    is an interface, a down delay and optionally an up delay, each 0-255 seconds:
    without a delay, or with a delay keepalived cannot read, the line is ignored; words
    after the up delay are ignored.

    Bad:

        interface_up_down_delays {
            eth0 2 300
        }

    Good:

        interface_up_down_delays {
            eth0 2 30
        }
    """

    code = "KA332"
    name = "interface-entry-words"
    severity = Severity.WARNING
    summary = "a linkbeat_interfaces or interface_up_down_delays line keepalived misreads or ignores"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for block in _blocks(config, "linkbeat_interfaces"):
            for entry in block.children:
                word = _linkbeat_problem(entry)
                if word is not None:
                    yield self.diagnostic(
                        word.span,
                        f"`{word.text}`: keepalived expects only MII, ETHTOOL or IOCTL after the interface (`extra "
                        f"characters {entry.texts[1]} in linkbeat interface`)",
                        help="write the interface, then MII, ETHTOOL or IOCTL, or nothing",
                    )
        for block in _blocks(config, "interface_up_down_delays"):
            for entry in block.children:
                for word, problem in _up_down_problems(entry):
                    yield self.diagnostic(word.span, f"`{entry.texts[0]}`: {problem}",
                                          help="write the interface, a down delay and an optional up delay in seconds")


#: VRRP_DOWN_TIMER_ADVERTS (vrrp.h): adverts missed before the master is declared down.
_DOWN_TIMER_ADVERTS = 3


def _delays(config: Config) -> dict[str, tuple[Statement, float, float]]:
    """Interface -> (its interface_up_down_delays line, down, up) for lines keepalived takes."""
    found: dict[str, tuple[Statement, float, float]] = {}
    for block in _blocks(config, "interface_up_down_delays"):
        for entry in block.children:
            words = entry.words
            if len(words) < 2 or any(_delay_problem(w, "") for w in words[1:3]):
                continue
            up = float(words[2].text) if len(words) > 2 else 0.0
            found[words[0].text] = (entry, float(words[1].text), up)
    return found


def _down_timer_adverts(config: Config, stmt: Statement | None) -> int | None:
    text = stmt.texts[1] if stmt is not None and len(stmt.texts) > 1 else None
    text = text or config.global_defs.text("vrrp_down_timer_adverts") or str(_DOWN_TIMER_ADVERTS)
    return int(text) if text.isdigit() and 1 <= int(text) <= 100 else None


class DebounceReset(Rule):
    """An `interface_up_down_delays` line keepalived resets for an instance on that interface.

    The delays must expire before the backups miss `down_timer_adverts` adverts: keepalived
    clears them when `down_timer_adverts` is 1 (`cannot use debounce timers with
    down_timer_adverts = 1 - resetting`) and lowers a delay that is not below
    (down_timer_adverts - 1) * advert_int (`debounce timer(s) not less that %u *
    advert_int - resetting`), so the line does not do what it says.

    Bad:

        interface_up_down_delays {
            eth0 5
        }
        vrrp_instance VI_1 {
            interface eth0
            advert_int 1
        }

    Good:

        interface_up_down_delays {
            eth0 1.5
        }
    """

    code = "KA337"
    name = "debounce-reset"
    severity = Severity.INFO
    summary = "interface_up_down_delays keepalived resets (down_timer_adverts 1, or a delay too long for advert_int)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        delays = _delays(config)
        if not delays:  # (every instance of a config without the block: nothing to reset)
            return
        for inst in loaded_instances(config):
            line = delays.get(inst.interface.value) if inst.interface is not None else None
            if line is None or not (line[1] or line[2]):
                continue
            adverts = _down_timer_adverts(config, next((s for s in inst.node.children
                                                         if s.keyword == "down_timer_adverts"), None))
            if adverts is None:
                continue
            advert = inst.advert_int.value if inst.advert_int is not None and inst.advert_int.value else 1.0
            limit = (adverts - 1) * advert
            if adverts == 1:
                said = "`cannot use debounce timers with down_timer_adverts = 1 - resetting`: keepalived clears them"
            elif max(line[1], line[2]) >= limit:
                said = (f"`debounce timer(s) not less that {adverts - 1} * advert_int - resetting`: keepalived lowers "
                        f"them below {limit:g} s")
            else:
                continue
            yield self.diagnostic(line[0].words[0].span, f"`{inst.name}` on {line[0].words[0].text}: {said}",
                                  help="keep the delays below (down_timer_adverts - 1) * advert_int")
