"""KA213: a `track_*` entry that names a tracker defined only further down."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import line_of
from kalint.runtime.loading import BLOCK_OF_KIND, load

_DEFINED_BY = {"script": "vrrp_script", "file": "vrrp_track_file", "process": "vrrp_track_process",
               "bfd": "bfd_instance"}


class TrackerDefinedLater(Rule):
    """A tracker entry whose tracker is defined only after the block that uses it.

    A `track_script`, `track_file`, `track_process` or `track_bfd` entry names a tracker
    defined only after the instance or sync group that holds the entry.
    keepalived looks a tracker's name up the moment it reads the entry
    (`alloc_track_script()` and its siblings, 2.2.7 and 2.3.4 alike): a definition further
    down the file is not there yet, so it logs `(VI_1) track script chk not found,
    ignoring...` and the instance never tracks the check. The definition looks used, the
    check runs nowhere, and a failure moves nothing.

    Bad:

        vrrp_instance VI_1 {
            track_script {
                chk_nginx
            }
        }
        vrrp_script chk_nginx {
            script "/usr/bin/pgrep nginx"
        }

    Good:

        vrrp_script chk_nginx {
            script "/usr/bin/pgrep nginx"
        }
        vrrp_instance VI_1 {
            track_script {
                chk_nginx
            }
        }
    """

    code = "KA213"
    name = "tracker-defined-later"
    severity = Severity.ERROR
    summary = "a track_* entry names a tracker defined only after it, which keepalived never tracks"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        seen: set[int] = set()
        for peer in load(config):
            for entry in peer.unresolved:
                if entry.later is None or id(entry.ref) in seen:
                    continue
                seen.add(id(entry.ref))
                owner = entry.ref.node.parent.parent if entry.ref.node.parent else None
                user = owner.texts[1] if owner is not None and len(owner.texts) > 1 else peer.instance.name
                definition = entry.later.node
                kind = _DEFINED_BY[entry.kind]
                yield self.diagnostic(
                    entry.ref.word.span,
                    f"`{entry.ref.name}` is defined only at {line_of(definition, entry.ref.word.span)}, after `{user}`: keepalived "
                    f"looks the name up while it reads this entry (`track {entry.kind} {entry.ref.name} not found, "
                    f"ignoring...`), so `{user}` never tracks it",
                    related=[Related(definition.header_span, f"`{kind} {entry.ref.name}` is defined here")],
                    help=f"move `{kind} {entry.ref.name}` above the block with this `{BLOCK_OF_KIND[entry.kind]}`",
                )
