"""``--baseline`` / ``--write-baseline`` and the fingerprints they share with SARIF."""

from __future__ import annotations

import json
from pathlib import Path

from clihelp import SEED_BUG, kalint, write

from kalint.cli.exit_codes import ExitCode


def _codes(stdout: str) -> list[str]:
    return [d["code"] for d in json.loads(stdout)["diagnostics"]]


def test_baseline_hides_known_findings_that_moved_and_shows_new_ones(tmp_path: Path) -> None:
    config = write(tmp_path / "lb" / "keepalived.conf", SEED_BUG)
    before = kalint("--isolated", "--format", "json", "lb", cwd=tmp_path)
    assert "KA201" in _codes(before.stdout)
    wrote = kalint("--isolated", "--write-baseline", "kalint-baseline.json", "lb", cwd=tmp_path)
    assert wrote.code == ExitCode.CLEAN and "wrote" in wrote.stderr
    stored = json.loads((tmp_path / "kalint-baseline.json").read_text())
    assert {f["path"] for f in stored["findings"]} == {"lb/keepalived.conf"}
    assert len(stored["findings"]) == len(_codes(before.stdout))

    # lines move, comments and spacing change: nothing new
    config.write_text("# moved\n\n" + SEED_BUG.replace("    state MASTER", "  state   MASTER  # primary"))
    same = kalint("--isolated", "--format", "json", "--baseline", "kalint-baseline.json", "lb", cwd=tmp_path)
    assert same.code == ExitCode.CLEAN and _codes(same.stdout) == []

    # a second reference to the undefined script is a new finding (another occurrence)
    config.write_text(SEED_BUG.replace("        maintenance_mode\n", "        maintenance_mode\n        maintenance_mode\n"))
    more = kalint("--isolated", "--format", "json", "--baseline", "kalint-baseline.json", "lb", cwd=tmp_path)
    assert more.code == ExitCode.FINDINGS and "KA201" in _codes(more.stdout)

    # from another working directory the baseline's paths still match
    elsewhere = kalint("--isolated", "--baseline", str(tmp_path / "kalint-baseline.json"), str(tmp_path / "lb"),
                       cwd=tmp_path / "lb")
    assert elsewhere.code == ExitCode.FINDINGS


def test_sarif_partial_fingerprints_are_the_baseline_fingerprints(tmp_path: Path) -> None:
    write(tmp_path / "keepalived.conf", SEED_BUG)
    kalint("--isolated", "--write-baseline", "baseline.json", "keepalived.conf", cwd=tmp_path)
    sarif = kalint("--isolated", "--format", "sarif", "keepalived.conf", cwd=tmp_path)
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    prints = {r["partialFingerprints"]["kalintStatement/v1"] for r in results}
    assert len(prints) == len(results) > 0
    assert prints == {f["fingerprint"] for f in json.loads((tmp_path / "baseline.json").read_text())["findings"]}


def test_a_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "keepalived.conf", SEED_BUG)
    write(tmp_path / "baseline.json", '{"findings": 3}')
    run = kalint("--isolated", "--baseline", "baseline.json", "keepalived.conf", cwd=tmp_path)
    assert run.code == ExitCode.ERROR and "not a kalint baseline" in run.stderr
