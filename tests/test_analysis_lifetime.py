"""The analyses the config rules share are dropped once they are done; what runs after
them (peer grouping, cluster rules) must ask only for those that are kept, or it would
compute them again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from kalint import model
from kalint.engine import Linter, LintOptions
from kalint.runtime import grouping, loading
from kalint.settings import Resolver
from kalint.testing import fixture_files

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def _asked_after_the_rules(monkeypatch: pytest.MonkeyPatch, paths: list[str]) -> set[Callable[..., Any]]:
    """Every analysis asked of a config after its config rules are done."""
    asked: set[Callable[..., Any]] = set()
    done: set[int] = set()
    analysis, keep = model.Config.analysis, model.Config.keep_analyses

    def recorded(self: model.Config, compute: Callable[..., Any]) -> Any:
        if id(self) in done:
            asked.add(compute)
        return analysis(self, compute)

    def kept(self: model.Config, which: Any) -> None:
        keep(self, which)
        done.add(id(self))

    monkeypatch.setattr(model.Config, "analysis", recorded)
    monkeypatch.setattr(model.Config, "keep_analyses", kept)
    result = Linter(LintOptions(jobs=1, settings=Resolver(isolated=True))).lint_paths(paths)
    assert done and result.configs
    return asked


def test_after_the_rules_only_the_kept_analyses_are_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(SEED / "master.conf"), str(SEED / "backup.conf")]
    paths += [f for folder in sorted(FIXTURES.iterdir()) if folder.name.startswith("KA4") for f in fixture_files(str(folder))]
    asked = _asked_after_the_rules(monkeypatch, paths)
    assert asked  # peer grouping reads the runtime model
    kept = loading.ANALYSES | grouping.ANALYSES
    assert asked <= kept, sorted(f.__qualname__ for f in asked - kept)


def test_the_rules_own_analyses_are_gone_after_them() -> None:
    linted = Linter(LintOptions(jobs=1, settings=Resolver(isolated=True))).lint_paths([str(SEED / "master.conf")])
    config = linted.configs[0].config
    assert config._analyses  # the runtime model stays for peer grouping
    assert set(config._analyses) <= loading.ANALYSES | grouping.ANALYSES
