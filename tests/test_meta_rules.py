"""The rules' declarations, checked for every built-in rule at once.

A rule's docstring is its documentation (``kalint rule CODE``, docs/rules.md, SARIF
``help``), so its shape is tested: a one-line summary, then a ``Bad:`` and a ``Good:``
example. The rule classes defined in rules/*.py are found here by importing each module
of the package, independently of how the registry finds them, so a rule that is written
but not registered fails instead of silently never running.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import defined_rule_classes
from kalint.registry import load
from kalint.rule import NAME_PATTERN, Rule

#: Built-in rules live in the kalint.rules package; an installed plugin's rules are the plugin's business.
BUILTIN_PREFIX = "kalint.rules."


def builtin_registered() -> list[type[Rule]]:
    return [rule for rule in load().sorted() if rule.__module__.startswith(BUILTIN_PREFIX)]


@pytest.mark.parametrize("rule", builtin_registered(), ids=lambda rule: rule.code)
def test_docstring_has_summary_bad_and_good(rule: type[Rule]) -> None:
    text = rule.documentation()
    lines = text.splitlines()
    problems = []
    if not lines or not lines[0].strip():
        problems.append("no summary line")
    elif len(lines) > 1 and lines[1].strip():
        problems.append("the summary runs over more than one line (PEP 257: one line, then a blank line)")
    for label in ("Bad:", "Good:"):
        if not re.search(rf"^{label}", text, re.MULTILINE):
            problems.append(f"no line starting with `{label}`")
    assert not problems, f"{rule.code} ({rule.__module__}.{rule.__name__}): {'; '.join(problems)}"


def test_registry_loaded_without_errors() -> None:
    """The registry reports a duplicate code or a bad declaration as an error, not a crash."""
    assert load().errors == []


def test_codes_and_names_are_unique_and_well_formed() -> None:
    rules = [rule for rule in defined_rule_classes() if hasattr(rule, "code")]
    codes = Counter(rule.code for rule in rules)
    names = Counter(rule.name for rule in rules)
    problems = [f"code {code} is used by {n} rule classes" for code, n in codes.items() if n > 1]
    problems += [f"name {name} is used by {n} rule classes" for name, n in names.items() if n > 1]
    problems += [f"{rule.code}: name {rule.name!r} is not kebab-case" for rule in rules if not NAME_PATTERN.match(rule.name)]
    assert not problems, "\n".join(problems)


def test_every_rule_class_in_rules_is_registered() -> None:
    classes = defined_rule_classes()
    with_code = [rule for rule in classes if hasattr(rule, "code")]
    problems = [
        f"{rule.__module__}.{rule.__qualname__} ({rule.code}) is defined in rules/ but not registered"
        for rule in with_code if load().get(rule.code) is not rule
    ]
    # A class without a code is a base only when a rule derives from it; otherwise its
    # code was forgotten and it is silently no rule at all.
    bases = {base for rule in with_code for base in rule.__mro__}
    problems += [
        f"{cls.__module__}.{cls.__qualname__} is a Rule subclass with no `code` that no rule derives from"
        for cls in classes if cls not in bases
    ]
    problems += [
        f"{rule.code} ({rule.__module__}.{rule.__qualname__}) is registered as built-in but no module of rules/ defines it"
        for rule in builtin_registered() if rule not in with_code
    ]
    assert not problems, "\n".join(problems)
