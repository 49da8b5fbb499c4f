"""Shared test helpers: where ../shared is, and whether keepalived is installed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


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
