"""Shared test helpers: where ../shared is, whether keepalived is installed, snapshots."""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
import pkgutil
import shutil
from pathlib import Path

import pytest

from kalint import rules
from kalint.rule import Rule

#: The suite lints the same fixtures again and again, and some tests patch rules: the CLI's
#: result cache would hand them earlier results. tests/test_resultcache.py turns it back on.
os.environ["KALINT_NO_CACHE"] = "1"

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SNAPSHOTS = REPO / "tests" / "snapshots"


def shared_dir() -> Path | None:
    """``../shared`` beside the checkout (or $KALINT_SHARED), when present."""
    candidates = [os.environ.get("KALINT_SHARED"), str(REPO.parent / "shared")]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def require_shared(*parts: str) -> Path:
    base = shared_dir()
    if base is None or not base.joinpath(*parts).exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not available")
    return base.joinpath(*parts)


def keepalived_binary() -> str | None:
    return shutil.which("keepalived") or next(
        (p for p in ("/usr/sbin/keepalived", "/sbin/keepalived") if os.access(p, os.X_OK)), None
    )


@pytest.fixture
def keepalived() -> str:
    binary = keepalived_binary()
    if binary is None:
        pytest.skip("keepalived is not installed")
    return binary


def assert_snapshot(path: Path, actual: str) -> None:
    """Fail with a diff when ``actual`` is not the stored snapshot at ``path``.

    ``KALINT_UPDATE_SNAPSHOTS=1`` rewrites the snapshot instead, so that a deliberate
    change of wording or spans is one command and shows up in review as a diff.
    """
    name = path.relative_to(REPO)
    if os.environ.get("KALINT_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{name} is missing: run the test with KALINT_UPDATE_SNAPSHOTS=1 to write it", pytrace=False)
    stored = path.read_text(encoding="utf-8")
    if actual != stored:
        diff = "".join(difflib.unified_diff(stored.splitlines(True), actual.splitlines(True), str(name), "actual"))
        pytest.fail(f"{name} differs (KALINT_UPDATE_SNAPSHOTS=1 rewrites it):\n{diff}", pytrace=False)


def defined_rule_classes() -> list[type[Rule]]:
    """Every Rule subclass a module of kalint.rules defines, helper modules included,
    found by importing the modules: independent of how the registry finds rules."""
    found = []
    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{rules.__name__}.{info.name}")
        found += [
            obj for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__
        ]
    return found
