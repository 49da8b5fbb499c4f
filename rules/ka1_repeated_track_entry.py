"""KA131: the same tracker named twice in one instance's or sync group's track_* blocks."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, TrackRef
from kalint.rule import Rule
from kalint.rules._common import repeats
from kalint.syntax.tree import Block

_KINDS = ("track_script", "track_interface", "track_file", "track_process", "track_bfd")


class RepeatedTrackEntry(Rule):
    """A tracker listed twice in the `track_*` entries of one instance or sync group.

    keepalived keeps the first entry and ignores the later one with everything on its
    line (`(VI_1) duplicate track_script chk - ignoring`, vrrp_track.c), so a `weight`
    given only on the second line is not used. Likewise a second `BFD_CHECK` of one
    real_server naming the same bfd_instance (`BFD_CHECK - RS already monitoring`).

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

    block_local = True  # entries of one instance, sync group or real_server

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for owner in config.track_owners():
            for kind in _KINDS:
                refs: list[TrackRef] = getattr(owner, kind)
                for ref, earlier in repeats(refs, lambda r: r.name):
                    yield self.diagnostic(
                        ref.node.span,
                        f"`{owner.name}` already tracks `{ref.name}` in {kind}: "
                        f"keepalived ignores this entry (`duplicate {kind} {ref.name} - ignoring`), "
                        f"including any weight on it",
                        related=[Related(earlier.node.span, "the entry keepalived uses")],
                        help="keep one entry, with the weight you mean",
                    )
        yield from self._bfd_checks(config)

    def _bfd_checks(self, config: Config) -> Iterator[Diagnostic]:
        """A real_server's BFD_CHECK blocks naming the same bfd_instance (check_bfd.c)."""
        for server in config.document.index().keyword("real_server"):
            checks = server.find("BFD_CHECK") if isinstance(server, Block) else ()
            names = [check.first("name") if isinstance(check, Block) else None for check in checks]
            named_checks = [named for named in names if named is not None and len(named.texts) >= 2]
            for named, earlier in repeats(named_checks, lambda stmt: stmt.texts[1]):
                name = named.texts[1]
                yield self.diagnostic(
                    named.span,
                    f"this real_server already has a BFD_CHECK of `{name}`: keepalived ignores this one "
                    f"(`BFD_CHECK - RS already monitoring {name}`)",
                    related=[Related(earlier.span, "the check keepalived uses")],
                    help="keep one BFD_CHECK per bfd_instance",
                )
