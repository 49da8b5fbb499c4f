"""KA506: a `MISC_CHECK` without `misc_path`."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.syntax.tree import Block


class MiscCheckWithoutScript(Rule):
    """A `MISC_CHECK` block without `misc_path`.

    keepalived drops the checker when its block ends (`No script path has been specified
    for MISC_CHECKER - skipping`, check_misc.c): the real server is not checked by it, and
    if it was the only checker, it is never taken out of the pool.

    Bad:

        real_server 192.0.2.21 80 {
            MISC_CHECK {
            }
        }

    Good:

        real_server 192.0.2.21 80 {
            MISC_CHECK {
                misc_path "/usr/local/bin/check_app 192.0.2.21"
            }
        }
    """

    code = "KA506"
    name = "misc-check-without-script"
    severity = Severity.ERROR
    summary = "a `MISC_CHECK` without `misc_path`, which keepalived drops"

    block_local = True  # one MISC_CHECK block

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for stmt in config.document.index().keyword("MISC_CHECK"):
            if isinstance(stmt, Block) and stmt.first("misc_path") is None:
                yield self.diagnostic(
                    stmt.span,  # keepalived names the block's closing line
                    "`MISC_CHECK` has no `misc_path`: keepalived drops the checker (`No script path has been "
                    "specified for MISC_CHECKER - skipping`), so it checks nothing",
                    help="add `misc_path` with the command to run",
                )
