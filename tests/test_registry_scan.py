"""Rule plugins are found without importlib.metadata, with the same answer."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from kalint import registry

PLUGIN = '''
from kalint.rule import Rule
from kalint.diagnostic import Severity


class Demo(Rule):
    """Flags nothing.

    Bad:
        x
    Good:
        y
    """

    code = "ZZ901"
    name = "demo-plugin"
    severity = Severity.INFO
    summary = "a test plugin"
'''


def test_scan_agrees_with_importlib_metadata() -> None:
    expected = sorted((p.name, p.value) for p in entry_points(group=registry.ENTRY_POINT_GROUP))
    assert sorted(registry._scan_entry_points() or []) == expected


def test_third_party_plugin_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kalint_demo_plugin.py").write_text(PLUGIN)
    info = tmp_path / "kalint_demo_plugin-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(
        "[console_scripts]\nx = y:z\n\n[kalint.rules]\ndemo = kalint_demo_plugin:Demo [extra]\n"
        "broken = kalint_no_such_module:RULES\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.load.cache_clear()
    try:
        loaded = registry.load()
        assert loaded.get("ZZ901") is not None
        assert loaded.get("KA201") is not None
        assert [name for name, _ in loaded.errors] == ["broken"]
    finally:
        registry.load.cache_clear()
        sys.modules.pop("kalint_demo_plugin", None)


def test_zip_on_sys_path_falls_back_to_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    monkeypatch.syspath_prepend(str(archive))
    assert registry._scan_entry_points() is None
    assert ("builtin", "kalint.rules:RULES") in registry._entry_points()
