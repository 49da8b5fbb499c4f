"""``--jobs``: a process pool gives the same results, in the same order, as one process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kalint import parallel
from kalint.engine import LintOptions, Linter

from conftest import FIXTURES


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "configs"
    for i, fixture in enumerate(sorted(FIXTURES.rglob("*.conf")) * 4):
        target = root / f"d{i % 3}" / f"{i:02d}-{fixture.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixture, target)
    (root / "d0" / "05-binary.conf").write_bytes(b"vrrp_instance VI_1 {\n" + b"\x01" * 500)
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
def test_pool_results_match_serial(tmp_path: Path, jobs: int) -> None:
    root = _tree(tmp_path)
    paths = [str(root / "d0"), str(root / "d1"), str(root / "d2")]
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


def test_cli_jobs_output_is_identical(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kalint.cli import main

    root = _tree(tmp_path)
    runs = [CliRunner().invoke(main, ["check", "--jobs", jobs, "--format", "json", str(root)]) for jobs in ("1", "2")]
    assert runs[0].exit_code == runs[1].exit_code == 2  # the binary file is an input error
    assert runs[0].output == runs[1].output


def test_lint_paths_restores_the_garbage_collector(tmp_path: Path) -> None:
    import gc

    root = _tree(tmp_path)
    assert gc.isenabled()
    Linter(LintOptions(jobs=1)).lint_paths([str(root / "d1")])
    assert gc.isenabled()
    gc.disable()
    try:
        Linter(LintOptions(jobs=1)).lint_paths([str(root / "d1")])
        assert not gc.isenabled()
    finally:
        gc.enable()
