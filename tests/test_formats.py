"""SARIF 2.1.0 (validated against the official schema) and GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path

from clihelp import CLEAN, SEED_BUG, kalint, write

from conftest import require_shared
from kalint.diagnostic import Diagnostic, Severity
from kalint.report import github
from kalint.syntax.span import Span


def sarif_of(*args: str, cwd: Path) -> tuple[int, dict]:
    run = kalint("--isolated", "--format", "sarif", *args, cwd=cwd)
    return run.code, json.loads(run.stdout)


def validate(document: dict) -> None:
    import jsonschema

    schema = json.loads(require_shared("reference", "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)


def test_sarif_shape_and_schema(tmp_path: Path) -> None:
    text = SEED_BUG.replace("state MASTER", "state MASTER  ! kalint: disable=KA003")
    write(tmp_path / "lb" / "keepalived.conf", text)
    code, document = sarif_of("lb/keepalived.conf", cwd=tmp_path)
    assert code == 1
    validate(document)
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kalint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert {"id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"} <= set(rules["KA201"])
    assert rules["KA201"]["defaultConfiguration"]["level"] == "error"
    assert rules["KA201"]["helpUri"].endswith("/docs/rules.md#ka201-undefined-track-script")
    assert run["columnKind"] == "unicodeCodePoints"
    results = {r["ruleId"]: r for r in run["results"]}
    ka201 = results["KA201"]
    location = ka201["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "lb/keepalived.conf", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 16, "startColumn": 9, "endLine": 16, "endColumn": 25}
    assert ka201["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert ka201["relatedLocations"][0]["message"]["text"]
    fix = results["KA901"]["fixes"][0]
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "lb/keepalived.conf"
    assert change["replacements"][0]["deletedRegion"]["startLine"] == 8
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_info_is_note(tmp_path: Path) -> None:
    write(tmp_path / "keepalived.conf", SEED_BUG)
    _, document = sarif_of("--severity", "KA2=info", "keepalived.conf", cwd=tmp_path)
    assert {r["level"] for r in document["runs"][0]["results"]} == {"note"}
    validate(document)


def test_sarif_input_errors_are_notifications(tmp_path: Path) -> None:
    write(tmp_path / "keepalived.conf", SEED_BUG)
    code, document = sarif_of("keepalived.conf", "missing.conf", cwd=tmp_path)
    assert code == 2
    validate(document)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "no such file" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.conf"


def _diag(line: int, severity: Severity, message: str = "bad, really: 100%") -> Diagnostic:
    return Diagnostic("KA201", message, Span("a,b.conf", line, 3, line, 9), severity=severity)


def test_github_annotations_are_escaped_and_capped() -> None:
    findings = [_diag(n, Severity.ERROR) for n in range(1, 13)] + [_diag(20, Severity.INFO, "x\ny")]
    lines = github.render(findings, []).splitlines()
    assert lines[0] == (
        "::error file=a%2Cb.conf,line=1,col=3,endLine=1,endColumn=9,title=KA201::bad, really: 100%25"
    )
    assert sum(line.startswith("::error") for line in lines) == 10
    assert lines[10] == "a%2Cb.conf:11:3: KA201 [error] bad, really: 100%25"  # escaped like the annotations
    assert lines[12] == "::notice file=a%2Cb.conf,line=20,col=3,endLine=20,endColumn=9,title=KA201::x%0Ay"
    assert lines[-1] == "kalint: 13 problems (12 errors, 1 info); 2 printed as plain lines (GitHub shows 10 annotations per type)"


def test_github_is_chosen_inside_actions_unless_told_otherwise(tmp_path: Path) -> None:
    write(tmp_path / "keepalived.conf", SEED_BUG)
    inside = {"GITHUB_ACTIONS": "true"}
    assert kalint("--isolated", "keepalived.conf", cwd=tmp_path, env=inside).stdout.startswith("::warning ")
    concise = kalint("--isolated", "--format", "concise", "keepalived.conf", cwd=tmp_path, env=inside)
    assert concise.stdout.startswith("keepalived.conf:")
    kalint("--isolated", "-o", "report.txt", "keepalived.conf", cwd=tmp_path, env=inside)
    assert (tmp_path / "report.txt").read_text().startswith("keepalived.conf:")


def _rules_md_anchors() -> set[str]:
    """The anchors GitHub gives docs/rules.md's `## CODE name` headings."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text()
    return {line[3:].strip().lower().replace(" ", "-") for line in text.splitlines() if line.startswith("## KA")}


def test_every_help_link_points_at_a_section_of_the_rules_page(tmp_path: Path) -> None:
    write(tmp_path / "keepalived.conf", SEED_BUG)
    document = json.loads(kalint("--isolated", "--format", "json", "keepalived.conf", cwd=tmp_path).stdout)
    urls = {d["url"] for d in document["diagnostics"]}
    assert urls and all(u.split("#")[1] in _rules_md_anchors() for u in urls)
    _, sarif = sarif_of("keepalived.conf", cwd=tmp_path)
    anchors = {r["helpUri"].split("#")[1] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert anchors == _rules_md_anchors()


def test_gitlab_code_quality_fields_and_fingerprints_that_survive_a_line_move(tmp_path: Path) -> None:
    write(tmp_path / "lb" / "keepalived.conf", SEED_BUG)
    run = kalint("--isolated", "--format", "gitlab", "lb/keepalived.conf", cwd=tmp_path)
    assert run.code == 1
    issues = json.loads(run.stdout)
    ka201 = next(i for i in issues if i["check_name"] == "KA201 undefined-track-script")
    assert ka201["location"] == {"path": "lb/keepalived.conf", "lines": {"begin": 16}}
    assert ka201["severity"] == "major" and ka201["description"].startswith("KA201 ")
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    write(tmp_path / "lb" / "keepalived.conf", "! a comment line added on top\n\n" + SEED_BUG)
    moved = json.loads(kalint("--isolated", "--format", "gitlab", "lb/keepalived.conf", cwd=tmp_path).stdout)
    assert {i["fingerprint"] for i in moved} == {i["fingerprint"] for i in issues}
    assert next(i for i in moved if i["check_name"].startswith("KA201"))["location"]["lines"]["begin"] == 18
    write(tmp_path / "lb" / "keepalived.conf", SEED_BUG.replace("maintenance_mode", "maintenance_mod"))
    renamed = json.loads(kalint("--isolated", "--format", "gitlab", "lb/keepalived.conf", cwd=tmp_path).stdout)
    assert {i["fingerprint"] for i in renamed} != {i["fingerprint"] for i in issues}


def test_junit_is_well_formed_with_one_failure_per_finding(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    write(tmp_path / "a.conf", SEED_BUG)
    write(tmp_path / "b.conf", CLEAN.replace("192.0.2.10", "192.0.2.11").replace("virtual_router_id 51",
                                                                                 "virtual_router_id 52"))
    (tmp_path / "c.conf").write_bytes("vrrp_instance VI {\n}\n".encode("utf-16"))
    run = kalint("--isolated", "--format", "junit", "a.conf", "b.conf", "c.conf", cwd=tmp_path)
    root = ET.fromstring(run.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"a.conf", "b.conf", "c.conf"}
    failures = [f.get("type") for f in suites["a.conf"].iter("failure")]
    assert "KA201" in failures and int(root.get("failures")) == len(failures) + len(list(suites["b.conf"].iter("failure")))
    assert suites["c.conf"].find("testcase/error") is not None and root.get("errors") == "1"
