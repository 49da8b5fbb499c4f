"""KA9xx: findings about kalint's own directives in a config."""

from __future__ import annotations

from kalint.diagnostic import Severity
from kalint.rule import Rule


class UnusedSuppression(Rule):
    """A `kalint: disable...` comment that silences nothing.

    A suppression outlives the finding it was written for: the config gets fixed, the
    line moves, or the code had a typo. Left in place it hides the next real problem
    on that line, and a reader cannot tell which suppressions still matter. Codes that
    are not a kalint rule are reported the same way. `kalint --fix` removes the stale
    codes (or the whole comment); suppressions of rules that are not selected for the
    file are never reported.

    Bad:

        vrrp_instance VI_1 {
            state MASTER    ! kalint: disable=KA201
        }

    Good:

        vrrp_instance VI_1 {
            state MASTER
        }
    """

    code = "KA901"
    name = "unused-suppression"
    severity = Severity.WARNING
    summary = "a `kalint: disable` comment that silences nothing"
    scope = "source"


RULES = [UnusedSuppression]
