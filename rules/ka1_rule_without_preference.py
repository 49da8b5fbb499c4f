"""KA139: a `static_rules`/`virtual_rules` entry without a preference."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.syntax.tree import Block, Statement

_LISTS = ("static_rules", "vrrp_instance.virtual_rules")
#: The words vrrp_iprule.c takes for a rule's preference.
_PREFERENCE = {"preference", "order", "priority"}


def _addresses_valid(entry: Statement) -> bool:
    """Whether the `from`/`to` addresses parse: keepalived drops a rule with a bad one
    before it looks at the preference (KA340 reports the address)."""
    texts = list(entry.texts)
    for i, text in enumerate(texts[:-1]):
        if text in ("from", "to") and texts[i + 1] != "all":
            try:
                ipaddress.ip_network(texts[i + 1], strict=False)
            except ValueError:
                return False
    return True


class RuleWithoutPreference(Rule):
    """A policy-routing rule without `preference` (or `priority`/`order`).

    keepalived then picks one itself, counting down from 16384 for IPv4 and IPv6
    separately in file order, and says so (`Rule has no preference specified - setting
    to 16384. This is probably not what you want.`, vrrp_iprule.c): the rules' order
    against each other and against the host's own rules depends on where they stand in
    the file.

    Bad:

        static_rules {
            from 192.0.2.0/24 table 1
        }

    Good:

        static_rules {
            from 192.0.2.0/24 table 1 preference 100
        }
    """

    code = "KA139"
    name = "rule-without-preference"
    severity = Severity.WARNING
    summary = "a `static_rules`/`virtual_rules` entry without `preference`, which keepalived numbers itself"

    block_local = True  # the entries of one rule list

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        for path in _LISTS:
            for block in index.path(path):
                if not isinstance(block, Block):
                    continue
                for entry in block.children:
                    if (not entry.texts or isinstance(entry, Block) or not _PREFERENCE.isdisjoint(entry.texts)
                            or not _addresses_valid(entry)):
                        continue
                    yield self.diagnostic(
                        entry.span,
                        "this rule has no `preference`: keepalived numbers it itself, counting down from 16384 "
                        "in file order (`Rule has no preference specified`)",
                        help="add `preference N` to fix where the rule stands",
                    )
