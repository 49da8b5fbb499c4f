"""Every rule fixture under tests/fixtures/<CODE>/: its expectations, and a snapshot of
the rule's messages per code in tests/snapshots/rules/<CODE>.txt (regenerate with
``KALINT_UPDATE_SNAPSHOTS=1``)."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache

import pytest

from conftest import FIXTURES, REPO, SNAPSHOTS, assert_snapshot
from kalint.registry import load
from kalint.rule import Rule
from kalint.testing import Outcome, concise, expectations, fixture_files, run_fixture

RULE_SNAPSHOTS = SNAPSHOTS / "rules"
CODES = sorted(d.name for d in FIXTURES.iterdir() if d.is_dir() and d.name[:2] == "KA")
CASES = [(code, name) for code in CODES for name in sorted(os.listdir(FIXTURES / code))]

#: Rules whose cases cannot be plain fixture files, and the test that covers each.
COVERED_ELSEWHERE = {
    "KA000": "tests/test_engine.py::test_crashing_rule_is_reported_and_others_still_run",
    "KA006": "tests/test_include.py::test_depth_limit",
    "KA009": "tests/test_cli.py::test_executable_config",
    "KA107": "tests/test_keywords.py::test_target_version_flags_newer_keywords",
    "KA341": "tests/test_routes.py::test_route_without_interface_is_untracked_before_2_3_2",
    # render mode only: the fixture runner lints without --vars
    "KA022": "tests/test_templates_render.py::test_undefined_variable_is_reported_once_and_linted_as_unknown",
    "KA023": "tests/test_templates_render.py::test_template_errors_are_findings",
    # emitted by `kalint format`, not by `kalint check`
    "KA950": "tests/test_format.py::test_braces_hidden_in_kept_lines_leave_the_file_untouched",
}


@cache
def outcome(code: str, name: str) -> Outcome:
    """One lint per case, shared by the case's test and its rule's snapshot."""
    return run_fixture(str(FIXTURES / code / name), folder_code=code)


@pytest.mark.parametrize(("code", "name"), CASES, ids=[f"{c}/{n}" for c, n in CASES])
def test_fixture(code: str, name: str) -> None:
    result = outcome(code, name)
    assert result.actual == result.expected


@pytest.mark.parametrize("code", CODES)
def test_rule_snapshot(code: str) -> None:
    """The rule's findings over all its fixtures, as `kalint check --concise` shows them:
    a change of wording, column or severity is seen in review."""
    names = sorted(os.listdir(FIXTURES / code))
    found = [d for name in names for d in outcome(code, name).diagnostics if d.code == code]
    assert_snapshot(RULE_SNAPSHOTS / f"{code}.txt", concise(found, str(FIXTURES)))


def test_no_snapshot_without_fixtures() -> None:
    """A snapshot left behind by a renamed or removed fixture folder would never be read."""
    stale = sorted(p.name for p in RULE_SNAPSHOTS.glob("*.txt") if p.stem not in CODES)
    assert stale == [], f"tests/snapshots/rules/ has snapshots of no fixture folder: {stale}"


@pytest.mark.parametrize("rule", load().sorted(), ids=lambda r: r.code)
def test_every_rule_has_firing_and_silent_fixtures(rule: type[Rule]) -> None:
    if not rule.__module__.startswith("kalint.rules"):
        pytest.skip(f"{rule.code} is a plugin's rule ({rule.__module__}): its fixtures live with the plugin")
    if rule.code in COVERED_ELSEWHERE:
        pytest.skip(f"{rule.code} is covered by {COVERED_ELSEWHERE[rule.code]} (test_covering_tests_exist)")
    folder = FIXTURES / rule.code
    assert folder.is_dir(), f"{rule.code} has no fixtures in tests/fixtures/{rule.code}/"
    firing = silent = 0
    for name in os.listdir(folder):
        codes = {code for path in fixture_files(str(folder / name)) for _, _, code in expectations(path)}
        if rule.code in codes:
            firing += 1
        else:
            silent += 1
    assert firing and silent, f"{rule.code} needs a fixture that fires and one that stays silent"


def test_covering_tests_exist() -> None:
    """Each test COVERED_ELSEWHERE names is collected by pytest, for a rule that exists:
    a renamed test must not leave its rule untested behind a skip."""
    assert set(COVERED_ELSEWHERE) <= set(load().rules), "COVERED_ELSEWHERE names a rule that does not exist"
    # Their files, not the node ids: one id not found would leave the others unlisted.
    files = sorted({node.partition("::")[0] for node in COVERED_ELSEWHERE.values()})
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "", "-p", "no:cacheprovider", *files],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
    )
    ids = collected.stdout.splitlines()
    missing = [
        node for node in COVERED_ELSEWHERE.values()
        if not any(found == node or found.startswith(f"{node}[") for found in ids)
    ]
    errors = f"\n{collected.stdout}{collected.stderr}" if collected.returncode else ""  # what broke collection
    assert missing == [], f"not collected: {missing}{errors}"
