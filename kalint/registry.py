"""Find every rule, built-in or third-party, through the ``kalint.rules`` entry points."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from kalint.rule import Rule, rules_in, validate

ENTRY_POINT_GROUP = "kalint.rules"


@dataclass(slots=True)
class Registry:
    rules: dict[str, type[Rule]] = field(default_factory=dict)
    #: Plugins that failed to load: (entry point name, reason).
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, rule: type[Rule], origin: str) -> None:
        problems = validate(rule)
        if problems:
            self.errors.append((origin, "; ".join(problems)))
            return
        if rule.code in self.rules and self.rules[rule.code] is not rule:
            self.errors.append((origin, f"code {rule.code} is already used by {self.rules[rule.code].__module__}"))
            return
        self.rules[rule.code] = rule

    def get(self, code: str) -> type[Rule] | None:
        return self.rules.get(code)

    def names(self) -> dict[str, str]:
        """Rule name → code, for selectors and suppressions written with names."""
        return {rule.name: code for code, rule in self.rules.items()}

    def sorted(self) -> list[type[Rule]]:
        return [self.rules[c] for c in sorted(self.rules)]


@lru_cache(maxsize=1)
def load() -> Registry:
    from importlib.metadata import entry_points

    registry = Registry()
    points = list(entry_points(group=ENTRY_POINT_GROUP))
    for point in sorted(points, key=lambda p: (not p.value.startswith("kalint.rules"), p.name)):
        try:
            loaded = point.load()
            found = list(rules_in(loaded))
        except Exception as exc:  # a broken plugin must not take kalint down
            registry.errors.append((point.name, f"{type(exc).__name__}: {exc}"))
            continue
        for rule in found:
            registry.add(rule, point.name)
    return registry
