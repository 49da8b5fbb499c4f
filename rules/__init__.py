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
import os
from functools import lru_cache
from types import ModuleType
from typing import Any

from kalint.rule import Rule


def rule_classes(module: ModuleType) -> list[type[Rule]]:
    """The rules a module defines: public Rule subclasses with a code, in source order."""
    here = module.__name__
    found = [obj for name, obj in vars(module).items()
             if not name.startswith("_") and isinstance(obj, type) and obj.__module__ == here
             and issubclass(obj, Rule) and hasattr(obj, "code")]
    return sorted(found, key=lambda rule: rule.code)


def rule_modules() -> list[ModuleType]:
    """Every public module of this package (its ``*.py`` files), imported in name order.

    A directory listing, not ``pkgutil.iter_modules``: that asks every entry what kind of
    module it is, a tenth of what importing the rules costs.
    """
    names = {entry.name[:-3] for folder in __path__ for entry in os.scandir(folder)
             if entry.name.endswith(".py") and not entry.name.startswith("_") and entry.is_file()}
    return [importlib.import_module(f"{__name__}.{name}") for name in sorted(names)]


@lru_cache(maxsize=1)
def _discover() -> tuple[type[Rule], ...]:
    return tuple(rule for module in rule_modules() for rule in rule_classes(module))


def __getattr__(name: str) -> Any:
    if name == "RULES":
        return list(_discover())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
