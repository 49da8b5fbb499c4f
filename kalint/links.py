"""Where each rule's documentation lives online, for the help links of machine reports.

SARIF viewers (GitHub code scanning), GitLab and JSON consumers show a rule's link next
to its finding. Built-in rules are documented in docs/rules.md of the kalint repository,
one section per rule; a plugin rule may set its own ``url``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kalint.rule import Rule

#: The rules page of the kalint repository (the one place to change when it moves).
RULES_PAGE = "https://github.com/kalint/kalint/blob/main/docs/rules.md"


def anchor(code: str, name: str) -> str:
    """The heading anchor of ``## CODE name`` in docs/rules.md (GitHub's slug)."""
    return f"{code}-{name}".lower()


def rule_url(rule: type[Rule]) -> str | None:
    """The rule's documentation link: its own ``url``, docs/rules.md for built-in rules."""
    if rule.url:
        return rule.url
    if rule.__module__.startswith("kalint.rules"):
        return f"{RULES_PAGE}#{anchor(rule.code, rule.name)}"
    return None
