"""The engine: rule isolation, registry, plugin validation."""

from __future__ import annotations

from conftest import REPO
from kalint.diagnostic import Severity
from kalint.engine import Linter
from kalint.registry import Registry, load
from kalint.rule import Rule


class Exploding(Rule):
    """Raises on purpose.

    Bad: none. Good: none.
    """

    code = "KX999"
    name = "exploding"
    severity = Severity.WARNING
    summary = "always raises"

    def check(self, config):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")


def test_crashing_rule_is_reported_and_others_still_run() -> None:
    registry = Registry()
    for rule in load().sorted():
        registry.add(rule, "builtin")
    registry.add(Exploding, "test")
    result = Linter(registry=registry).lint_paths([str(REPO / "examples" / "keepalived.conf")])
    codes = [d.code for d in result.diagnostics]
    assert "KA000" in codes and "KA201" in codes and "KA202" in codes
    internal = next(d for d in result.diagnostics if d.code == "KA000")
    assert "KX999" in internal.message and "RuntimeError: boom" in internal.message


def test_bad_rule_declarations_are_refused_not_fatal() -> None:
    class NoDoc(Rule):
        code = "bad"
        name = "Not Kebab"
        severity = Severity.ERROR
        summary = "x"

    registry = Registry()
    registry.add(NoDoc, "plugin-x")
    assert registry.rules == {}
    assert registry.errors and registry.errors[0][0] == "plugin-x"


def test_builtin_rules_are_registered_through_the_entry_point() -> None:
    registry = load()
    assert registry.errors == []
    assert {"KA001", "KA201", "KA202"} <= set(registry.rules)
    assert registry.get("KA201").__module__ == "kalint.rules.ka2_track_scripts"
