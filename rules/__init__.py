"""kalint's built-in rules, registered through the ``kalint.rules`` entry point group."""

from kalint.rules import syntax, track_scripts

RULES = [*syntax.RULES, *track_scripts.RULES]
