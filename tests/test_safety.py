"""Safety guarantees that are not about one hostile input: a crashing rule or stage is
reported and the rest still runs, nothing a config names is executed or looked up on
the live system, and nothing from outside the linted tree reaches the output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import pytest

from kalint.diagnostic import Diagnostic, Severity
from kalint.engine import Linter
from kalint.registry import Registry, load
from kalint.rule import Rule
from safety_support import check_machine_output, lint_all_formats, run_cli, run_process

FIXTURES = Path(__file__).parent / "fixtures"


class ExplodingRule(Rule):
    """A deliberately broken rule.

    Bad:

        anything

    Good:

        nothing
    """

    code = "KA998"
    name = "exploding-rule"
    severity = Severity.ERROR
    summary = "raises on every config"

    def check(self, config: object) -> Iterator[Diagnostic]:
        raise ZeroDivisionError("boom")


class ExplodingClusterRule(ExplodingRule):
    """A deliberately broken cluster rule."""

    code = "KA999"
    name = "exploding-cluster-rule"
    scope = "cluster"

    def check_cluster(self, cluster: object) -> Iterator[Diagnostic]:
        raise KeyError("peers")


def _registry_with_broken_rules() -> Registry:
    registry = Registry()
    for rule in load().sorted():
        registry.add(rule, "builtin")
    registry.add(ExplodingRule, "test")
    registry.add(ExplodingClusterRule, "test")
    assert not registry.errors
    return registry


def test_crashing_rule_is_reported_and_the_other_rules_still_run() -> None:
    seed = str(FIXTURES / "KA201" / "seed_pattern.conf")
    result = Linter(registry=_registry_with_broken_rules()).lint_paths([seed, seed.replace("seed_pattern", "typo")])
    codes = [d.code for d in result.diagnostics]
    assert "KA201" in codes, "the other rules must still run"
    internal = [d for d in result.diagnostics if d.code == "KA000"]
    messages = {d.message for d in internal}
    assert any("KA998" in m and "ZeroDivisionError: boom" in m for m in messages), messages
    assert any("KA999" in m and "KeyError" in m for m in messages), messages
    assert all(d.severity is Severity.ERROR and d.name == "internal-error" for d in internal)


def test_crash_while_reading_one_file_keeps_the_other_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kalint bug outside the rules (here: the parser) on one file is exit 2 with the
    reason, and the report still holds every other file's findings."""
    from kalint import parser

    real_parse = parser.parse

    def parse(expansion, *args, **kwargs):  # type: ignore[no-untyped-def]
        if expansion.main.path.endswith("bad.conf"):
            raise RuntimeError("parser bug")
        return real_parse(expansion, *args, **kwargs)

    monkeypatch.setattr(parser, "parse", parse)
    (tmp_path / "bad.conf").write_text("global_defs {\n}\n")
    good = (FIXTURES / "KA201" / "typo.conf").read_text()
    (tmp_path / "good.conf").write_text(good)
    run = run_cli(["--format", "json", str(tmp_path / "bad.conf"), str(tmp_path / "good.conf")])
    doc = check_machine_output("json", run)
    assert run.code == 2
    assert [e["path"] for e in doc["errors"]] == [str(tmp_path / "bad.conf")]
    assert "RuntimeError: parser bug" in doc["errors"][0]["message"]
    assert "KA201" in [d["code"] for d in doc["diagnostics"]]
    assert "internal error" in run.stderr
