"""``--jobs``: a process pool gives the same results, in the same order, as one process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from kalint import parallel
from kalint.engine import Linter, LintOptions


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every other fixture config, twice, over three directories (three peer candidate
    sets), and one unreadable binary: about 240 roots, so each worker gets many chunks,
    and every content is linted under two names in two directories, so a result that
    comes back out of order, twice or merged with its twin changes the comparison. The
    tests only read it, so it is built once."""
    root = tmp_path_factory.mktemp("parallel") / "configs"
    for i, fixture in enumerate(sorted(FIXTURES.rglob("*.conf"))[::2] * 2):
        target = root / f"d{i % 3}" / f"{i:03d}-{fixture.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixture, target)
    (root / "d0" / "005-binary.conf").write_bytes(b"vrrp_instance VI_1 {\n" + b"\x01" * 500)
    return root


def _summary(result) -> tuple:
    return (
        [(d.code, d.span, d.message, d.severity, d.config_id) for d in result.diagnostics],
        result.errors,
        [item.path for item in result.configs],
        [[type(node).__name__ for node in item.config.document.walk()] for item in result.configs],
        list(result.sources),
    )


@pytest.mark.parametrize("jobs", [2, 3])
def test_pool_results_match_serial(tree: Path, jobs: int) -> None:
    paths = [str(tree / "d0"), str(tree / "d1"), str(tree / "d2")]
    serial = Linter(LintOptions(jobs=1)).lint_paths(paths)
    pooled = Linter(LintOptions(jobs=jobs)).lint_paths(paths)
    assert serial.diagnostics and serial.errors
    assert _summary(pooled) == _summary(serial)


def test_worker_count() -> None:
    assert parallel.worker_count(1, 500) == 1
    assert parallel.worker_count(4, 2) == 2
    assert parallel.worker_count(0, parallel.AUTO_MIN_ROOTS - 1) == 1
    expected = min(parallel.cores(), 500) if parallel.cores() >= parallel.AUTO_MIN_CORES else 1
    assert parallel.worker_count(0, 500) == expected


def test_cli_jobs_output_is_identical(tree: Path) -> None:
    from click.testing import CliRunner

    from kalint.cli import main

    runs = [CliRunner().invoke(main, ["check", "--jobs", jobs, "--format", "json", str(tree)]) for jobs in ("1", "2")]
    assert runs[0].exit_code == runs[1].exit_code == 2  # the binary file is an input error
    assert runs[0].output == runs[1].output


def test_lint_paths_restores_the_garbage_collector(tree: Path) -> None:
    import gc

    assert gc.isenabled()
    Linter(LintOptions(jobs=1)).lint_paths([str(tree / "d1")])
    assert gc.isenabled()
    gc.disable()
    try:
        Linter(LintOptions(jobs=1)).lint_paths([str(tree / "d1")])
        assert not gc.isenabled()
    finally:
        gc.enable()
