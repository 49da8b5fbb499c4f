"""VRRP timers and how long a takeover takes, as a range from typical to worst case.

semantics.md §3.2 and §8, from keepalived's source and checked against real daemons:

- skew time ``(256 − p)/256`` s (VRRPv2), times the master's advert interval (VRRPv3);
- master-down interval ``down_timer_adverts × advert interval + skew``. A VRRPv3 backup
  runs it with the *master's* interval, which it adopts from each advert (its log:
  ``advertisement interval updated from 2000ms to 1000ms by master``);
- a master in FAULT sends a priority-0 advert: the backup takes over after its skew;
- a master that advertises a lower priority, dies silently or loses its own interface
  (the priority-0 advert cannot leave a link that is down) is replaced when the backup's
  down timer runs out, counted from the last advert it accepted: somewhere within one
  advert interval before the event, so between ``down − adv`` and ``down`` after it;
- a check script is noticed at its next run (within one ``interval``), then after
  ``fall`` failed runs in all.
"""

from __future__ import annotations

from kalint.records import dataclass
from kalint.runtime.loading import Peer, Track, script_seconds

#: Why the VIP moves, which decides the timer that runs.
PRIORITY_ZERO, TIMEOUT, LOWER_PRIORITY = "priority-0", "timeout", "lower-priority"


@dataclass(frozen=True, slots=True)
class Duration:
    """Seconds from an event until the new master holds the VIP."""

    typical: float
    worst: float

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.typical + other.typical, self.worst + other.worst)

    def __str__(self) -> str:
        if round(self.typical, 1) == round(self.worst, 1):
            return f"≈ {self.worst:.1f} s"
        return f"{self.typical:.1f}–{self.worst:.1f} s"


def master_interval(backup: Peer, master: Peer) -> float:
    """The advert interval the backup's timers run with (VRRPv3 adopts the master's)."""
    return master.adv if backup.version == 3 else backup.adv


def skew(backup: Peer, backup_eff: int, master: Peer) -> float:
    scale = master_interval(backup, master) if backup.version == 3 else 1.0
    return (256 - backup_eff) / 256 * scale


def down_interval(backup: Peer, backup_eff: int, master: Peer) -> float:
    return backup.down_timer_adverts * master_interval(backup, master) + skew(backup, backup_eff, master)


def detection(peer: Peer, track: Track) -> Duration:
    """From a check starting to fail until keepalived acts on it."""
    if track.kind != "script":
        return Duration(0.0, 0.0)  # interfaces, processes and BFD are reported as events
    script = peer.script(track.name)
    # 0 or unreadable: keepalived runs the script every second
    interval = (script_seconds(peer.config, script.interval, "vrrp_script.interval") if script else None) or 1.0
    fall = script.fall.value if script and script.fall and script.fall.value > 0 else 1
    return Duration((fall - 0.5) * interval, fall * interval)


def takeover(cause: str, backup: Peer, backup_eff: int, master: Peer) -> Duration:
    """From the event on the master until ``backup`` holds the VIP (detection not included)."""
    if cause == PRIORITY_ZERO:
        s = skew(backup, backup_eff, master)
        return Duration(s, s)
    down = down_interval(backup, backup_eff, master)
    adv = master_interval(backup, master)
    delay = backup.preempt_delay if cause == LOWER_PRIORITY else 0.0
    return Duration(delay + down - adv / 2, delay + down)
