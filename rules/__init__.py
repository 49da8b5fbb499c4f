"""kalint's built-in rules, registered through the ``kalint.rules`` entry point group."""

from kalint.rules import kalint_meta, syntax, track_scripts

RULES = [*syntax.RULES, *track_scripts.RULES, *kalint_meta.RULES]
