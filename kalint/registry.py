"""Find every rule, built-in or third-party, through the ``kalint.rules`` entry points."""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from kalint.records import dataclass, field
from kalint.rule import Rule, rules_in, validate

ENTRY_POINT_GROUP = "kalint.rules"


@dataclass(slots=True)
class Registry:
    """Every loaded rule by code, and the plugins that could not be loaded."""

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
    registry = Registry()
    points = _entry_points()
    for name, value in sorted(points, key=lambda p: (not p[1].startswith("kalint.rules"), p[0])):
        try:
            loaded = _resolve(value)
            found = list(rules_in(loaded))
        except Exception as exc:  # a broken plugin must not take kalint down
            registry.errors.append((name, f"{type(exc).__name__}: {exc}"))
            continue
        for rule in found:
            registry.add(rule, name)
    return registry


def _entry_points() -> list[tuple[str, str]]:
    """(name, value) of every ``kalint.rules`` entry point of the installed distributions."""
    found = _scan_entry_points()
    if found is not None:
        return found
    from importlib.metadata import entry_points

    return [(point.name, point.value) for point in entry_points(group=ENTRY_POINT_GROUP)]


def _scan_entry_points() -> list[tuple[str, str]] | None:
    """The entry points read straight from each ``*.dist-info``/``*.egg-info`` folder on
    ``sys.path``, first distribution of a name wins (as importlib.metadata decides).

    Importing importlib.metadata (email, zipfile, csv...) cost more at start-up than all
    of kalint's own modules (docs/performance.md). None when ``sys.path`` holds a zip or
    egg file, which only importlib.metadata reads.
    """
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for entry in sys.path:
        folder = entry or "."
        try:
            with os.scandir(folder) as listing:
                names = sorted(e.name for e in listing if e.name.endswith((".dist-info", ".egg-info")))
        except NotADirectoryError:
            return None
        except OSError:
            continue
        for name in names:
            distribution = re.sub(r"[-_.]+", "_", name.rpartition(".")[0].split("-")[0]).lower()
            if distribution in seen:
                continue
            seen.add(distribution)
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                continue
            found.extend(_group_entries(text, ENTRY_POINT_GROUP))
    return found


def _group_entries(text: str, group: str) -> Iterator[tuple[str, str]]:
    """``name = value`` lines of one ``[group]`` section of an entry_points.txt."""
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def _resolve(value: str) -> Any:
    """``module:attr.attr [extras]`` to the object it names (EntryPoint.load())."""
    module_name, _, attrs = value.split("[", 1)[0].strip().partition(":")
    obj = importlib.import_module(module_name.strip())
    for attr in filter(None, attrs.strip().split(".")):
        obj = getattr(obj, attr)
    return obj
