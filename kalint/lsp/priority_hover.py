"""Hover text for `priority`: the effective priority range as keepalived runs the instance.

Everything comes from kalint.runtime, the model `kalint check` and `kalint simulate` use:
the hover shows the trackers keepalived keeps with the weights it keeps, and says which
ones it drops.
"""

from __future__ import annotations

from kalint.model import Config, VrrpInstance
from kalint.runtime.loading import BLOCK_OF_KIND, OWNER, instance_peer
from kalint.runtime.priority import priority_range


def priority_markdown(config: Config, inst: VrrpInstance) -> str:
    peer = instance_peer(config, inst)
    if peer is None:
        return "a second `vrrp_instance` with this name: keepalived skips the block"
    if peer.base == OWNER:
        return "**priority 255**: address owner; trackers never change it (always MASTER unless FAULT)"
    low, high = priority_range(peer)
    lines = [f"**effective priority {low}..{high}** (base {peer.base})"]
    for track in peer.trackers:
        if track.ref is None:
            lines.append(f"- own interface `{track.name}`: down puts the instance in FAULT")
        elif track.kind == "file" and track.weight:
            lines.append(f"- track_file `{track.name}`: weight {track.weight} × the file's value, kept within 1..254")
        elif track.weight:
            group = " (from the sync group)" if track.from_group else ""
            lines.append(f"- {BLOCK_OF_KIND[track.kind]} `{track.name}`: {track.signed:+d}{group}")
        else:
            lines.append(f"- {BLOCK_OF_KIND[track.kind]} `{track.name}`: no weight, failure puts the instance in FAULT")
    for dropped in peer.dropped:
        why = "address owner" if dropped.reason == "owner" else "sync group without sync_group_tracking_weight"
        effect = "now a FAULT trigger" if dropped.became_fault else "dropped"
        track = dropped.track
        lines.append(f"- {BLOCK_OF_KIND[track.kind]} `{track.name}` weight {track.weight}: {effect} ({why})")
    for entry in peer.unresolved:
        why = "defined after this instance" if entry.later is not None else "not defined"
        lines.append(f"- {BLOCK_OF_KIND[entry.kind]} `{entry.ref.name}`: never tracked ({why})")
    return "\n".join(lines)
