"""KA201, KA202: `track_script` entries and the `vrrp_script` definitions they name."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import Suggestions, rename_fix, severity_if_complete

#: Definitions shown as related locations when no name is close: a few, not thousands.
MAX_RELATED = 5


def _tracked_names(config: Config) -> set[str]:
    return {ref.name for _, ref in config.all_track_script_refs()}


class UndefinedTrackScript(Rule):
    """A `track_script` entry names no `vrrp_script`.

    keepalived logs `track script NAME not found, ignoring...` and drops the entry,
    then starts anyway: the check the author meant to drive failover is silently not
    there. kalint suggests the closest defined name, or, when exactly one
    `vrrp_script` is tracked nowhere, that one.

    Bad:

        vrrp_script check_test_mode {
            script "/etc/keepalived/maintenance.sh"
        }
        vrrp_instance VI_1 {
            track_script {
                maintenance_mode
            }
        }

    Good:

        vrrp_instance VI_1 {
            track_script {
                check_test_mode
            }
        }
    """

    code = "KA201"
    name = "undefined-track-script"
    severity = Severity.ERROR
    summary = "a `track_script` entry names no `vrrp_script`"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        defined = {script.name: script for script in config.vrrp_scripts}
        missing = [(owner, ref) for owner, ref in config.all_track_script_refs() if ref.name not in defined]
        if not missing:
            return
        tracked = _tracked_names(config)
        untracked = [s for s in config.vrrp_scripts if s.name not in tracked]
        lowered, note = severity_if_complete(config)
        suggest = Suggestions(defined)
        for owner, ref in missing:
            suggestion = suggest(ref.name)
            if suggestion is None and len(untracked) == 1:
                suggestion = untracked[0].name
            hint = f"; did you mean `{suggestion}`?" if suggestion else ";"
            related = [
                Related(s.node.header_span, f"`vrrp_script {s.name}` is defined here")
                for s in ([defined[suggestion]] if suggestion else config.vrrp_scripts[:MAX_RELATED])
            ]
            # keepalived resolves the entry while reading: a script defined after it stays untracked
            usable = suggestion is not None and defined[suggestion].node.line < ref.word.line
            yield self.diagnostic(
                ref.word.span,
                f"`{ref.name}` is not a defined vrrp_script{hint} keepalived ignores this entry, "
                f"so `{owner.name}` does not track it{note}",
                severity=lowered,
                related=related,
                help=f"rename the entry to `{suggestion}`" if suggestion else "define a `vrrp_script` with this name",
                fix=rename_fix(ref.word, suggestion) if usable and suggestion else None,
            )


class UnusedVrrpScript(Rule):
    """A `vrrp_script` that no `vrrp_instance` or `vrrp_sync_group` tracks.

    keepalived never runs an untracked script (it logs `Warning - script NAME is not
    used` only at run time, never under `keepalived -t`). Usually a `track_script`
    entry was meant to name it and has a typo.

    Bad:

        vrrp_script chk_nginx {
            script "/usr/bin/pgrep nginx"
        }
        vrrp_instance VI_1 {
            track_script {
                chk_ngnix
            }
        }

    Good:

        vrrp_instance VI_1 {
            track_script {
                chk_nginx
            }
        }
    """

    code = "KA202"
    name = "unused-vrrp-script"
    severity = Severity.WARNING
    summary = "a `vrrp_script` that nothing tracks"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        tracked = _tracked_names(config)
        lowered, note = severity_if_complete(config)
        for script in config.vrrp_scripts:
            if script.name in tracked or not script.name:  # a nameless block: KA103 says so
                continue
            yield self.diagnostic(
                script.node.header_span,
                f"vrrp_script `{script.name}` is not tracked by any vrrp_instance or vrrp_sync_group, "
                f"so keepalived never runs it{note}",
                severity=lowered,
                help=f"add `{script.name}` to a `track_script` block, or remove the definition",
            )
