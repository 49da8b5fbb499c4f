"""KA109: a `notification_email` block with no address."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.syntax.tree import Block


class EmptyNotificationEmail(Rule):
    """A `notification_email` block that lists no address.

    keepalived reports `Warning - empty notification_email block` (at the closing `}`)
    and keeps no recipient: with `smtp_alert` on, state changes are mailed to nobody.

    Bad:

        global_defs {
            notification_email {
            }
        }

    Good:

        global_defs {
            notification_email {
                ops@example.org
            }
        }
    """

    code = "KA109"
    name = "empty-notification-email"
    severity = Severity.WARNING
    summary = "a `notification_email` block with no address"

    block_local = True  # an empty block, wherever it is

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for stmt in config.document.index().keyword("notification_email"):
            if isinstance(stmt, Block) and not stmt.children:
                yield self.diagnostic(
                    stmt.span,
                    "`notification_email` lists no address: keepalived warns (`Warning - empty notification_email "
                    "block`) and mails nobody",
                    help="list the recipients, one per line, or remove the block",
                )
