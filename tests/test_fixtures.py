"""One parametrized test runs every rule fixture under tests/fixtures/<CODE>/."""

from __future__ import annotations

import os

import pytest

from kalint.registry import load
from kalint.testing import expectations, fixture_files, run_fixture

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
CODES = sorted(d for d in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, d)) and d[:2] == "KA")
CASES = [(code, name) for code in CODES for name in sorted(os.listdir(os.path.join(FIXTURES, code)))]

#: Rules whose cases cannot be plain fixture files, and the test that covers each.
COVERED_ELSEWHERE = {
    "KA000": "tests/test_engine.py::test_crashing_rule_is_reported",
    "KA006": "tests/test_include.py::test_depth_limit",
    "KA009": "tests/test_cli.py::test_executable_config",
    "KA107": "tests/test_keywords.py::test_target_version_flags_newer_keywords",
}


@pytest.mark.parametrize(("code", "name"), CASES, ids=[f"{c}/{n}" for c, n in CASES])
def test_fixture(code: str, name: str) -> None:
    outcome = run_fixture(os.path.join(FIXTURES, code, name), folder_code=code)
    assert sorted(outcome.actual) == sorted(outcome.expected)


@pytest.mark.parametrize("rule", load().sorted(), ids=lambda r: r.code)
def test_every_rule_has_firing_and_silent_fixtures(rule: type) -> None:
    if rule.code in COVERED_ELSEWHERE or not rule.__module__.startswith("kalint.rules"):
        return
    folder = os.path.join(FIXTURES, rule.code)
    assert os.path.isdir(folder), f"{rule.code} has no fixtures in tests/fixtures/{rule.code}/"
    firing = silent = 0
    for name in os.listdir(folder):
        codes = set()
        for path in fixture_files(os.path.join(folder, name)):
            codes |= {code for _, _, code in expectations(path)}
        if rule.code in codes:
            firing += 1
        else:
            silent += 1
    assert firing and silent, f"{rule.code} needs a fixture that fires and one that stays silent"
