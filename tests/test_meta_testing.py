"""kalint.testing, the fixture harness: every rule test trusts it, so it is tested here
on a config with two KA203 findings on one line (columns 29 and 34, both errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kalint.testing import (
    Finding,
    FixtureError,
    compare,
    concise,
    expected_findings,
    run_fixture,
)

CONFIG = """\
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.10
    }
}
vrrp_sync_group G { group { VI_9 VI_8 } }    ! expect: {expect}
"""


def fixture(tmp_path: Path, expect: str) -> str:
    path = tmp_path / "groups.conf"
    path.write_text(CONFIG.replace("{expect}", expect), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "expect",
    [
        "KA203, KA203",
        "KA203 col=34, KA203 col=29",
        "KA203 col=29 severity=error, KA203 severity=error",
        "KA203 severity=error, KA203 col=29",
    ],
)
def test_matching_expectations_pass(tmp_path: Path, expect: str) -> None:
    outcome = run_fixture(fixture(tmp_path, expect))
    assert outcome.actual == outcome.expected


@pytest.mark.parametrize(
    "expect",
    [
        "KA203",  # one item is one finding: the second KA203 on the line is not expected
        "KA203 col=30, KA203",
        "KA203 severity=warning, KA203",
    ],
)
def test_missing_or_wrong_expectations_fail(tmp_path: Path, expect: str) -> None:
    outcome = run_fixture(fixture(tmp_path, expect))
    assert outcome.actual != outcome.expected
    left_over = [finding for finding in outcome.actual if finding not in outcome.expected]
    assert len(left_over) == 1 and left_over[0].col in (29, 34) and left_over[0].severity == "error", (
        "the finding no expectation accepts is shown with its column and severity"
    )


def test_a_loose_expectation_does_not_take_the_finding_a_strict_one_needs() -> None:
    """A greedy pairing would give ``col=9`` the error and leave ``severity=error`` unpaired."""
    error, warning = Finding("a.conf", 1, "KA201", 9, "error"), Finding("a.conf", 1, "KA201", 9, "warning")
    expected = [Finding("a.conf", 1, "KA201", col=9), Finding("a.conf", 1, "KA201", severity="error")]
    wanted, actual = compare(expected, [error, warning])
    assert actual == wanted


def test_expectation_syntax(tmp_path: Path) -> None:
    path = tmp_path / "a.conf"
    path.write_text(
        "    ! expect-next: KA003 col=15\n"
        "x    # expect: KA104 col=11 severity=WARNING, KA302   ! kalint: disable=KA201\n",
        encoding="utf-8",
    )
    assert expected_findings(str(path)) == [
        Finding("a.conf", 2, "KA003", 15),
        Finding("a.conf", 2, "KA104", 11, "warning"),
        Finding("a.conf", 2, "KA302"),
    ]


@pytest.mark.parametrize("expect", ["KA203 colum=29", "KA203 col=0", "KA203 severity=fatal", "KA203 x2"])
def test_an_unreadable_expectation_is_an_error(tmp_path: Path, expect: str) -> None:
    with pytest.raises(FixtureError, match="groups.conf:9"):
        run_fixture(fixture(tmp_path, expect))


def test_concise_paths_are_relative(tmp_path: Path) -> None:
    outcome = run_fixture(fixture(tmp_path, "KA203, KA203"))
    lines = concise(outcome.diagnostics, str(tmp_path)).splitlines()
    assert [line.split(" [")[0] for line in lines] == ["groups.conf:9:29: KA203", "groups.conf:9:34: KA203"]
    assert str(tmp_path) not in "".join(lines)
