"""Each config rule names the shared analyses it reads (``Rule.analyses``), because the
engine forgets an analysis once the last rule naming it is done: a rule that reads one it
does not name would compute it again (and again for each such rule), and one that names
an analysis it never reads keeps it alive for nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from kalint import model
from kalint.diagnostic import Diagnostic
from kalint.engine import Linter, LintOptions, last_readers, run_rule
from kalint.rule import Rule
from kalint.runtime import loading
from kalint.settings import Resolver
from kalint.testing import fixture_files
from kalint.text import source as sourcemod

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"
Compute = Callable[[model.Config], Any]


def _linter() -> Linter:
    return Linter(LintOptions(jobs=1, settings=Resolver(isolated=True)))


def _paths() -> list[str]:
    paths = [f for folder in sorted(FIXTURES.iterdir()) if folder.is_dir() for f in fixture_files(str(folder))]
    return paths + [str(p) for p in sorted(SEED.glob("*.conf"))]


@contextmanager
def _asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[Compute]]:
    """Every analysis asked for (computed or not) while the block runs."""
    asked: set[Compute] = set()
    analysis = model.Config.analysis

    def recorded(self: model.Config, compute: Compute) -> Any:
        asked.add(compute)
        return analysis(self, compute)

    with monkeypatch.context() as patch:
        patch.setattr(model.Config, "analysis", recorded)
        yield asked


def _reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[Compute]]:
    """What each config rule asks for when it runs first on a config (so that what an
    analysis it reads reads in turn is asked for too), over every fixture and the seed."""
    linter = _linter()
    reads: dict[str, set[Compute]] = {rule.code: set() for rule in linter.config_rules}
    for path in _paths():
        config = linter.build_model(sourcemod.load(path), None, None)
        for rule in linter.config_rules:
            config.keep_analyses(loading.ANALYSES)  # the runtime model is never forgotten
            with _asked(monkeypatch) as asked:
                run_rule(rule, config, [])
            reads[rule.code] |= asked - loading.ANALYSES
    return reads


def _declared(rule: Rule) -> set[Compute]:
    return {analysis.compute for analysis in rule.analyses}


def test_every_rule_names_exactly_the_analyses_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _reads(monkeypatch)
    assert any(reads.values())  # the placement replay, the walks, the services at least
    wrong = {
        rule.code: (sorted(c.__qualname__ for c in reads[rule.code] - _declared(rule)),
                    sorted(c.__qualname__ for c in _declared(rule) - reads[rule.code]))
        for rule in _linter().config_rules
        if reads[rule.code] != _declared(rule)
    }
    assert not wrong, f"rule: (reads but does not name, names but never reads): {wrong}"


def test_an_analysis_is_forgotten_after_its_last_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The serial path forgets each analysis right after the last rule naming it, and
    then no rule asks for it again; the findings are those of a run that forgets nothing."""
    linter = _linter()
    forgettable = {c for computes in last_readers(linter.config_rules) for c in computes}
    assert forgettable and not forgettable & loading.ANALYSES
    keeping = _linter()
    keeping._done_after = [() for _ in keeping.config_rules]
    files = [f for code in ("KA101", "KA130", "KA340", "KA342", "KA508") for f in fixture_files(str(FIXTURES / code))]
    forgotten: set[Compute] = set()
    for file in files + [str(SEED / "master.conf")]:
        config = linter.build_model(sourcemod.load(file), None, None)
        found, gone, asked_again = _forgetting_run(monkeypatch, linter, config)
        assert not asked_again, file
        assert not set(config._analyses) & forgettable  # the last reader of each has run
        forgotten |= gone
        fresh = keeping.build_model(sourcemod.load(file), None, None)
        assert _keys(found) == _keys(keeping._config_findings(fresh))
    assert forgotten == forgettable  # each was computed and forgotten on some file


def _forgetting_run(monkeypatch: pytest.MonkeyPatch, linter: Linter,
                    config: model.Config) -> tuple[list[Diagnostic], set[Compute], list[str]]:
    """The config rules' findings, the analyses forgotten on the way, and those asked for
    after they were forgotten."""
    gone: set[Compute] = set()
    asked_again: list[str] = []
    compute_of, forget = model.Config.analysis, model.Config.forget

    def watched(self: model.Config, compute: Compute) -> Any:
        if compute in gone:
            asked_again.append(compute.__qualname__)
        return compute_of(self, compute)

    def forgotten(self: model.Config, computes: Any) -> None:
        computes = list(computes)
        gone.update(c for c in computes if c in self._analyses)
        forget(self, computes)

    with monkeypatch.context() as patch:
        patch.setattr(model.Config, "analysis", watched)
        patch.setattr(model.Config, "forget", forgotten)
        found = linter._config_findings(config)
    return found, gone, asked_again


def _keys(found: list[Diagnostic]) -> list[tuple[str, str, int, int]]:
    return [(d.code, d.message, d.span.line, d.span.column) for d in found]
