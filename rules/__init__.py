"""kalint's built-in rules, registered through the ``kalint.rules`` entry point group."""

from kalint.rules import keywords, syntax, track_scripts, values

RULES = [*syntax.RULES, *keywords.RULES, *values.RULES, *track_scripts.RULES]
