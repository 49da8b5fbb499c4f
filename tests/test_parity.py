"""docs/parity.md: every configuration message of keepalived has a kalint rule or a reason.

The messages (docs/parity/messages.json) come from keepalived's source through
tools/parity.py; the mapping (docs/parity/mapping.toml) is kept by hand. No keepalived
source is needed here.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from kalint.rules import RULES

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def parity() -> ModuleType:
    """tools/parity_doc.py, which is a script's module, not part of the package."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import parity_doc
    finally:
        sys.path.pop(0)
    return parity_doc


@pytest.fixture(scope="module")
def decided(parity: ModuleType) -> dict[str, tuple[dict, object]]:
    _, messages = parity.load_messages()
    verdicts = parity.decide(messages, parity.load_mapping())
    return {msg["id"]: (msg, verdicts[msg["id"]]) for msg in messages}


def _where(msg: dict) -> str:
    return f"{msg['file']}:{min(msg['lines'].values())} {msg['function']}: {msg['message']!r}"


def test_the_data_lists_both_releases_and_unique_sorted_messages(parity: ModuleType) -> None:
    versions, messages = parity.load_messages()
    assert versions == ["2.2.7", "2.3.4"]
    keys = [(m["file"], m["function"], m["message"]) for m in messages]
    assert keys == sorted(set(keys))
    assert len({m["id"] for m in messages}) == len(messages)
    assert all(set(m["lines"]) <= set(versions) and m["lines"] for m in messages)


def test_every_message_is_matched_by_an_entry(decided: dict) -> None:
    undecided = [_where(msg) for msg, entry in decided.values() if entry is None]
    assert undecided == []


def test_every_rule_named_exists(decided: dict) -> None:
    codes = {rule.code for rule in RULES}
    unknown = sorted({f"{code} (for {_where(msg)})" for msg, entry in decided.values() if entry
                      for code in entry.rules if code not in codes})
    assert unknown == []


def test_every_entry_gives_rules_or_a_reason_with_a_why(parity: ModuleType) -> None:
    for entry in parity.load_mapping():
        assert bool(entry.rules) != bool(entry.reason), entry
        assert entry.rules or entry.why, entry


def test_every_entry_decides_some_message(parity: ModuleType, decided: dict) -> None:
    used = {entry.index for _, entry in decided.values() if entry}
    dead = [(e.index, e.message.pattern) for e in parity.load_mapping() if e.index not in used]
    assert dead == []


def test_every_message_has_a_rule_or_an_allowed_reason(parity: ModuleType, decided: dict) -> None:
    wrong = Counter(entry.reason for _, entry in decided.values()
                    if entry and not entry.rules and entry.reason not in parity.REASONS)
    assert wrong == Counter()


def test_the_reason_kinds_are_the_documented_ones(parity: ModuleType, decided: dict) -> None:
    kinds = {entry.reason for _, entry in decided.values() if entry and entry.reason}
    assert kinds <= set(parity.REASONS)


def test_parity_md_is_current(parity: ModuleType) -> None:
    assert parity.check_doc() == [], "run: python3 tools/parity.py doc"
