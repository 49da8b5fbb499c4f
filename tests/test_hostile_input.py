"""Hostile inputs, one test each: kalint ends with exit 0, 1 or 2, a complete report and
a clear diagnostic, never a traceback, a hang or a RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety_support import lint_all_formats

DEPTH = 50_000


def _codes(runs: dict, fmt: str = "json") -> list[str]:
    import json

    return [d["code"] for d in json.loads(runs[fmt].stdout)["diagnostics"]]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{\n" * DEPTH, id="unclosed-stray"),
        pytest.param("vrrp_instance VI_1 {\n" * DEPTH, id="unclosed-blocks"),
        pytest.param("vrrp_instance VI_1 {\n" * DEPTH + "}\n" * DEPTH, id="balanced-blocks"),
        pytest.param("}\n" * DEPTH, id="extra-closing"),
    ],
)
def test_fifty_thousand_nested_braces(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.conf"
    path.write_text(text)
    runs = lint_all_formats([str(path)])
    assert runs["json"].code == (0 if text.startswith("vrrp_instance") and text.endswith("}\n") else 1)


def test_braces_on_one_line(tmp_path: Path) -> None:
    """50,000 braces on one line: every finding's snippet is a window, not the whole line."""
    path = tmp_path / "one-line.conf"
    path.write_text("{" * DEPTH + "}" * DEPTH + "\n")
    runs = lint_all_formats([str(path)])
    assert runs["json"].code == 1
    longest = max(len(line) for line in runs["text"].stdout.splitlines())
    assert longest < 1000


def test_five_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "long.conf"
    path.write_text("global_defs {\n  router_id " + "x" * 5_000_000 + "\n}\n")
    runs = lint_all_formats([str(path)])
    assert "KA011" in _codes(runs)
    assert max(len(line) for line in runs["text"].stdout.splitlines()) < 1000
