"""KA901, KA950: findings about kalint itself: its directives in a config, and what its
formatter could not do."""

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


class FormatNote(Rule):
    """`kalint format` left a file, or a part of it, as it is.

    The formatter only changes layout it can prove keepalived reads the same way. When
    the nesting of a line depends on something it does not follow (braces decided by
    `@id` lines, `$NAME` values or the file that includes a fragment), it leaves the
    text alone and says so with this note, instead of guessing a layout keepalived would
    read differently. Nothing is wrong with the config.

    Bad: a fragment that only balances inside the config that includes it:

        }
        vrrp_instance VI_2 {

    Good:

        vrrp_instance VI_2 {
        }
    """

    code = "KA950"
    name = "format-note"
    severity = Severity.INFO
    summary = "the formatter left part of a file as it is"
    scope = "source"
