"""KA335: an interface tracked by an instance and by its sync group."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances


class TrackedByInstanceAndGroup(Rule):
    """An interface in an instance's `track_interface` and in its sync group's.

    keepalived adds both to the one list of trackers of that interface and reports
    `track_interface %s is configured on VRRP instance and sync group. Remove vrrp
    instance or sync group config`; one weight wins (the sync group's unless the
    instance's entry is unweighted), so one of the two lines does not do what it says.
    The instance's own interface is left to KA311 (keepalived ignores that entry first).

    Bad:

        vrrp_sync_group G {
            group {
                VI_1
                VI_2
            }
            track_interface {
                eth1
            }
        }
        vrrp_instance VI_1 {
            track_interface {
                eth1
            }
        }

    Good:

        vrrp_sync_group G {
            group {
                VI_1
                VI_2
            }
            track_interface {
                eth1
            }
        }
    """

    code = "KA335"
    name = "tracked-by-instance-and-group"
    severity = Severity.WARNING
    summary = "an interface in both an instance's and its sync group's track_interface"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        groups = config.sync_group_index()
        for inst in loaded_instances(config):
            group = groups.get(inst.name)
            if group is None:
                continue
            own = inst.interface.value if inst.interface is not None else None
            by_group = {ref.name: ref for ref in group.track_interface}
            for ref in inst.track_interface:
                other = by_group.get(ref.name)
                if other is None or ref.name == own:
                    continue
                yield self.diagnostic(
                    ref.word.span,
                    f"`{inst.name}` tracks {ref.name} and so does its sync group `{group.name}`: keepalived reports "
                    "it (`configured on VRRP instance and sync group`) and keeps one weight",
                    related=[Related(other.word.span, "tracked by the sync group here")],
                    help="track the interface in the instance or in the sync group, not both",
                )
