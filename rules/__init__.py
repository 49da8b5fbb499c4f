"""kalint's built-in rules, registered through the ``kalint.rules`` entry point group.

A rule is found by being here: every public module of this package is imported and every
public :class:`~kalint.rule.Rule` subclass it defines with a ``code`` is a rule. Modules
are named after the hundred their codes belong to (``ka3_priority.py`` holds KA3xx
codes); modules starting with ``_`` hold shared helpers. ``tools/new_rule.py CODE name``
writes a new rule and its two fixtures.

``RULES`` is computed on first use (PEP 562), so that the reading stages can import the
metadata of their own rules (``ka0_reading``) without importing every rule.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import lru_cache
from types import ModuleType
from typing import Any

from kalint.rule import Rule


def rule_classes(module: ModuleType) -> list[type[Rule]]:
    """The rules a module defines: public Rule subclasses with a code, in source order."""
    found = [obj for name, obj in vars(module).items()
             if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, Rule)
             and obj.__module__ == module.__name__ and hasattr(obj, "code")]
    return sorted(found, key=lambda rule: rule.code)


def rule_modules() -> list[ModuleType]:
    """Every public module of this package, imported."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
            if not info.name.startswith("_")]


@lru_cache(maxsize=1)
def _discover() -> tuple[type[Rule], ...]:
    return tuple(rule for module in rule_modules() for rule in rule_classes(module))


def __getattr__(name: str) -> Any:
    if name == "RULES":
        return list(_discover())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
