"""KA131: the same tracker named twice in one instance's or sync group's track_* blocks."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, TrackRef
from kalint.rule import Rule

_KINDS = ("track_script", "track_interface", "track_file", "track_process", "track_bfd")


class RepeatedTrackEntry(Rule):
    """A tracker listed twice in the `track_*` entries of one instance or sync group.

    keepalived keeps the first entry and ignores the later one with everything on its
    line (`(VI_1) duplicate track_script chk - ignoring`, vrrp_track.c), so a `weight`
    given only on the second line is not used.

    Bad:

        track_script {
            chk_nginx
            chk_nginx weight -20
        }

    Good:

        track_script {
            chk_nginx weight -20
        }
    """

    code = "KA131"
    name = "repeated-track-entry"
    severity = Severity.WARNING
    summary = "the same tracker twice in one instance's or sync group's track_* entries; keepalived ignores the second"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for owner in config.track_owners():
            for kind in _KINDS:
                first: dict[str, TrackRef] = {}
                ref: TrackRef
                for ref in getattr(owner, kind):
                    if ref.name not in first:
                        first[ref.name] = ref
                        continue
                    yield self.diagnostic(
                        ref.node.span,
                        f"`{owner.name}` already tracks `{ref.name}` in {kind}: "
                        f"keepalived ignores this entry (`duplicate {kind} {ref.name} - ignoring`), "
                        f"including any weight on it",
                        related=[Related(first[ref.name].node.span, "the entry keepalived uses")],
                        help="keep one entry, with the weight you mean",
                    )
