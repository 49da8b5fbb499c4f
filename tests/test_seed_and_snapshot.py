"""The seed pair (../shared/seed) and a snapshot of the text output."""

from __future__ import annotations

import os

import pytest

from conftest import REPO, require_shared
from kalint.engine import Linter
from kalint.report import text

SNAPSHOT = REPO / "tests" / "snapshots" / "example.txt"


@pytest.mark.parametrize("name", ["master.conf", "backup.conf"])
def test_seed_configs_report_the_script_mistakes(name: str) -> None:
    seed = require_shared("seed", name)
    result = Linter().lint_paths([str(seed)])
    found = {(d.code, d.span.line) for d in result.diagnostics}
    assert ("KA201", 38) in found
    assert ("KA202", 20) in found
    others = {(c, line) for c, line in found if c[:3] in ("KA0", "KA2")} - {("KA201", 38), ("KA202", 20)}
    assert others == set()
    ka201 = next(d for d in result.diagnostics if d.code == "KA201")
    assert "`maintenance_mode`" in ka201.message and "`check_test_mode`" in ka201.message
    assert [r.span.line for r in ka201.related] == [20]


def render(paths: list[str]) -> str:
    result = Linter().lint_paths(paths)
    out: list[str] = []
    text.write(text.render_lines(result.diagnostics, result.errors, result.sources), out.append, color=False)
    return "".join(out)


def test_text_output_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wording or span change shows up here in review; regenerate with KALINT_UPDATE_SNAPSHOTS=1."""
    monkeypatch.chdir(REPO)
    actual = render(["examples/keepalived.conf"])
    if os.environ.get("KALINT_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(actual)
    assert actual == SNAPSHOT.read_text()
