"""kalint's built-in rules, registered through the ``kalint.rules`` entry point group."""

from kalint.rules import (
    duplicates,
    kalint_meta,
    keywords,
    lvs,
    peers,
    references,
    scripts,
    syntax,
    track_scripts,
    values,
    vrrp_priority,
    vrrp_settings,
    vrrp_trackers,
    weights,
)

RULES = [
    *syntax.RULES,
    *keywords.RULES,
    *values.RULES,
    *track_scripts.RULES,
    *references.RULES,
    *duplicates.RULES,
    *vrrp_priority.RULES,
    *vrrp_trackers.RULES,
    *vrrp_settings.RULES,
    *scripts.RULES,
    *lvs.RULES,
    *weights.RULES,
    *peers.RULES,
    *kalint_meta.RULES,
]
