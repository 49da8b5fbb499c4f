"""KA308–KA311: how keepalived reads tracker weights, direction tokens and init_fail."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, SyncGroup, TrackRef, VrrpInstance
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances
from kalint.syntax.span import Span
from kalint.syntax.tree import Statement

#: Entry block -> (accepted weight range, what happens outside it, ±254 coerced to ±253?).
_ENTRY_RANGES = {
    "track_script": (254, "the vrrp_script's own weight is used instead", True),
    "track_interface": (254, "the weight becomes 0, so the interface is a FAULT trigger", True),
    "track_file": (254, "the track_file block's weight is used instead", False),
    "track_process": (254, "the vrrp_track_process block's weight is used instead", False),
    "track_bfd": (253, "the bfd_instance's weight (0: FAULT) is used instead", False),
}
#: Definition block -> (range, what happens outside it).
_DEFINITION_RANGES = {
    "vrrp_script": (253, "keepalived reports it but keeps the value anyway"),
    "track_file": (254, "keepalived uses weight 1 instead"),
    "vrrp_track_file": (254, "keepalived uses weight 1 instead"),
    "vrrp_track_process": (254, "keepalived ignores it (weight 0: FAULT)"),
}


def _entries(config: Config) -> Iterator[tuple[str, str, TrackRef]]:
    """(owner name, entry block keyword, entry) for every track_* entry."""
    owners: list[VrrpInstance | SyncGroup] = [*loaded_instances(config), *config.sync_groups]
    for owner in owners:
        for block in _ENTRY_RANGES:
            for ref in getattr(owner, block):
                yield owner.name, block, ref


class WeightRange(Rule):
    """A tracker weight outside the range keepalived accepts where it is written.

    The ranges differ by place (keepalived 2.2.7): a `vrrp_script` block takes -253..253
    and keeps an out-of-range number anyway; `track_script` and `track_interface` entries
    take -254..254 but turn ±254 into ±253, and beyond that fall back (the script's own
    weight, or 0 for an interface, which makes it a FAULT trigger); `track_bfd` entries
    take -253..253; `track_file` and `vrrp_track_process` take -254..254.

    Bad:

        vrrp_instance VI_1 {
            track_interface {
                eth1 weight -300
            }
        }

    Good:

        vrrp_instance VI_1 {
            track_interface {
                eth1 weight -50
            }
        }
    """

    code = "KA308"
    name = "weight-range"
    severity = Severity.WARNING
    summary = "a tracker weight outside the accepted range, or ±254 coerced to ±253"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for owner, block, ref in _entries(config):
            if ref.weight is None:
                continue
            limit, fallback, coerce = _ENTRY_RANGES[block]
            weight_word = ref.node.words[2] if len(ref.node.texts) > 2 else ref.word
            if abs(ref.weight) > limit:
                yield self.diagnostic(
                    weight_word.span,
                    f"`{owner}`: weight {ref.weight} for `{ref.name}` is outside [-{limit}, {limit}]: {fallback}",
                    help=f"use a weight within [-{min(limit, 253)}, {min(limit, 253)}]",
                )
            elif coerce and abs(ref.weight) == 254:
                yield self.diagnostic(
                    weight_word.span,
                    f"`{owner}`: weight {ref.weight} for `{ref.name}` is changed to {253 if ref.weight > 0 else -253} "
                    f"(`weight for {ref.name} cannot be +/-254`)",
                    help=f"write {253 if ref.weight > 0 else -253}",
                )
        for keyword, weight in self._definition_weights(config):
            limit, effect = _DEFINITION_RANGES[keyword]
            if weight is not None and abs(weight[0]) > limit:
                yield self.diagnostic(
                    weight[1].span,
                    f"{keyword} weight {weight[0]} is outside [-{limit}, {limit}]: {effect}",
                    help=f"use a weight within [-{limit}, {limit}]",
                )

    @staticmethod
    def _definition_weights(config: Config) -> Iterator[tuple[str, tuple[int, Statement] | None]]:
        for script in config.vrrp_scripts:
            yield "vrrp_script", (script.weight.value, script.weight.node) if script.weight else None
        for tracker in config.trackers:
            if tracker.node.keyword in _DEFINITION_RANGES:
                yield tracker.node.keyword, (tracker.weight.value, tracker.weight.node) if tracker.weight else None


class DirectionToken(Rule):
    """A track entry option keepalived does not understand.

    After a name, a `track_*` entry accepts only `weight N` and then `reverse` or
    `noreverse` (`track_interface` and the `vrrp_script` block: only `reverse`).
    keepalived drops an entry whose second word is not `weight` (`unknown track script
    option X - ignoring`), so `chk reverse` tracks nothing. An unknown word after the
    weight is ignored and the direction is inherited: `no_reverse`, the spelling in the
    2.2.7 man page, does not work.

    Bad:

        track_script {
            chk_nginx weight 10 no_reverse
        }

    Good:

        track_script {
            chk_nginx weight 10 noreverse
        }
    """

    code = "KA309"
    name = "reverse-token"
    severity = Severity.WARNING
    summary = "`no_reverse`, or another unknown word in a track entry"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for owner, block, ref in _entries(config):
            # judged on the texts: a word node is made only for a finding (every entry comes by here)
            texts = ref.node.texts
            accepted = ("reverse",) if block == "track_interface" else ("reverse", "noreverse")
            if len(texts) >= 2 and texts[1] != "weight":
                yield self.diagnostic(
                    ref.node.words[1].span,
                    f"`{owner}`: `{texts[1]}` is not an option of a {block} entry (only `weight N`): "
                    f"keepalived ignores the whole entry, so `{ref.name}` is not tracked",
                    severity=Severity.ERROR,
                    help=f"write `{ref.name} weight N {texts[1]}`" if texts[1] == "reverse" else None,
                )
            elif len(texts) >= 4 and texts[3] not in accepted:
                yield self._unknown(ref.node.words[3].span, f"`{owner}`: {block} entry `{ref.name}`", texts[3], accepted)
        for script in config.vrrp_scripts:
            if script.weight is not None and len(script.weight.node.texts) >= 3:
                word = script.weight.node.words[2]
                if word.text != "reverse":
                    yield self._unknown(word.span, f"vrrp_script `{script.name}`", word.text, ("reverse",))

    def _unknown(self, span: Span, where: str, text: str, accepted: tuple[str, ...]) -> Diagnostic:
        spelling = " (the 2.2.7 man page's spelling; the parser only knows `noreverse`)" if text == "no_reverse" else ""
        return self.diagnostic(
            span,
            f"{where}: keepalived ignores `{text}`{spelling}, so the direction stays the inherited one",
            help="write " + " or ".join(f"`{a}`" for a in accepted) + ", or leave it out",
        )


class InitFailIneffective(Rule):
    """`init_fail` in a `vrrp_script`: it has no effect.

    The keyword marks the script as initially failed, but every `track_script`
    reference resets the script to its "init" state (vrrp_track.c, 2.2.7 and later), and
    an untracked script is deleted. The instance starts with the first check result as
    usual, whatever `rise` says.

    Bad:

        vrrp_script chk {
            script "/usr/bin/pgrep nginx"
            init_fail
        }

    Good:

        vrrp_script chk {
            script "/usr/bin/pgrep nginx"
        }
    """

    code = "KA310"
    name = "init-fail-ineffective"
    severity = Severity.WARNING
    summary = "`init_fail` in a vrrp_script has no effect"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for script in config.vrrp_scripts:
            if script.init_fail is not None:
                yield self.diagnostic(
                    script.init_fail.span,
                    f"`init_fail` in vrrp_script `{script.name}` has no effect: each track_script reference resets "
                    f"the script to its initial state, so the first result decides as usual",
                    help="remove it; use weight 0 if the instance must wait for a passing check",
                )


class TrackOwnInterface(Rule):
    """`track_interface` names the instance's own interface.

    keepalived logs `Ignoring track_interface X since own interface` and drops the
    entry: the own interface is always tracked as a FAULT trigger (unless
    `dont_track_primary`), so a weight given here never applies. An unweighted entry is
    only redundant (information); with `dont_track_primary` the interface ends up not
    tracked at all.

    Bad:

        vrrp_instance VI_1 {
            interface eth0
            track_interface {
                eth0 weight -10
            }
        }

    Good:

        vrrp_instance VI_1 {
            interface eth0
            track_interface {
                eth1 weight -10
            }
        }
    """

    code = "KA311"
    name = "track-own-interface"
    severity = Severity.WARNING
    summary = "`track_interface` of the instance's own interface is ignored"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.interface is None:
                continue
            for ref in inst.track_interface:
                if ref.name != inst.interface.value:
                    continue
                weight = f" (weight {ref.weight} never applies)" if ref.weight else ""
                primary = (
                    "and `dont_track_primary` stops the implicit tracking too"
                    if inst.dont_track_primary is not None
                    else "it is already tracked as a FAULT trigger"
                )
                harmless = not ref.weight and inst.dont_track_primary is None
                yield self.diagnostic(
                    ref.word.span,
                    f"`{inst.name}` runs on {ref.name}: keepalived ignores this entry{weight}; {primary}",
                    severity=Severity.INFO if harmless else None,
                    related=[Related(inst.interface.node.span, "own interface")],
                    help="remove the entry, or track another interface",
                )
