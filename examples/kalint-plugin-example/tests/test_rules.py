"""Plugin rules are tested the way kalint tests its own: fixtures with `! expect:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kalint.testing import run_fixture

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.conf"))


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(fixture: Path) -> None:
    outcome = run_fixture(str(fixture), folder_code=fixture.parent.name)
    assert outcome.actual == outcome.expected
