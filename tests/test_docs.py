"""docs/rules.md is generated from the registry; it fails here when stale.

Regenerate with ``python -m kalint.docs`` after adding or changing a rule.
"""

from __future__ import annotations

from kalint.docs import DEFAULT_PATH, builtin_rules, render


def test_rules_md_is_current() -> None:
    expected = render(builtin_rules())
    current = DEFAULT_PATH.read_text(encoding="utf-8") if DEFAULT_PATH.exists() else ""
    assert current == expected, "docs/rules.md is stale: run `python -m kalint.docs`"


def test_every_builtin_rule_has_a_section() -> None:
    text = render(builtin_rules())
    for rule in builtin_rules():
        assert f"## {rule.code} {rule.name}" in text
