"""kalint's built-in rules, registered through the ``kalint.rules`` entry point group."""

from kalint.rules import peers, syntax, track_scripts, weights

RULES = [*syntax.RULES, *track_scripts.RULES, *weights.RULES, *peers.RULES]
