"""Requests answered from the last analysis while a lint runs (issue 25).

Hover, completion and go to definition never wait for a lint in progress: they answer
from the last analysis, the cursor mapped into the text it read (``kalint.lsp.linemap``)
and locations mapped back into the editor's text.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kalint.lsp.linemap import LineMap

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsp_client import Client, generate  # noqa: E402


def test_line_map_of_an_insertion_above():
    old = "a\nb\nc\nd"
    moved = LineMap.between(old, "a\nx\ny\nb\nc\nd")
    assert moved == LineMap(1, 1, 3)
    assert moved.to_old(4, 2) == (2, 2)  # `c` moved down by two
    assert moved.to_old(0, 1) == (0, 1)
    assert moved.to_old(2, 5) == (1, 0)  # typed lines: the start of the region
    assert [moved.to_new(line) for line in range(4)] == [0, 3, 4, 5]


def test_line_map_of_typing_within_a_line_and_of_a_deletion():
    typing = LineMap.between("a\nb\nc", "a\nbx\nc")
    assert typing.to_old(1, 2) == (1, 2) and typing.to_new(1) is None and typing.to_new(2) == 2
    deleted = LineMap.between("a\nb\nc\nd", "a\nd")
    assert deleted.to_old(1, 0) == (3, 0) and deleted.to_new(3) == 1 and deleted.to_new(2) is None
    assert LineMap.between("same\ntext", "same\ntext").to_new(1) == 1


@given(st.lists(st.sampled_from(["a", "b", "c", ""]), max_size=12),
       st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), st.lists(st.sampled_from(["a", "x", ""]), max_size=3)),
                max_size=4))
def test_line_map_sends_unchanged_lines_to_the_same_text(old_lines, edits):
    """Any edits (each replaces some lines by others): a line the map says is unchanged
    holds the same text on both sides, in both directions."""
    new_lines = list(old_lines)
    for at, removed, inserted in edits:
        at = min(at, len(new_lines))
        new_lines[at:at + removed] = inserted
    old, new = "\n".join(old_lines), "\n".join(new_lines)
    moved = LineMap.between(old, new)
    a, b = old.split("\n"), new.split("\n")
    for line, text in enumerate(a):
        if (to := moved.to_new(line)) is not None:
            assert b[to] == text
    for line, text in enumerate(b):
        if not moved.start <= line < moved.new_end:
            assert a[moved.to_old(line, 0)[0]] == text


def test_requests_during_a_long_lint_answer_from_the_last_analysis(tmp_path):
    """Paste 30k lines between the scripts and the instances: while that lint runs, a
    hover, a completion and a definition below the paste answer at once, about the right
    lines."""
    text = generate(400)
    conf = tmp_path / "keepalived.conf"
    conf.write_text(text)
    lines = text.split("\n")
    first_instance = next(i for i, line in enumerate(lines) if line.startswith("vrrp_instance"))
    entry = next(i for i, line in enumerate(lines) if line.strip() == "track_script {") + 1
    script = next(i for i, line in enumerate(lines) if line.startswith(f"vrrp_script {lines[entry].strip()} "))
    pasted = generate(30000).split("\n", first_instance)[first_instance]  # instances only
    shift = pasted.count("\n")
    client = Client(cwd=tmp_path)
    try:
        client.initialize(tmp_path, {"debounce": 0})
        uri = client.open(conf)
        client.diagnostics(uri, timeout=60)
        at = {"line": first_instance, "character": 0}
        client.change(uri, 2, [{"range": {"start": at, "end": at}, "text": pasted}])
        moved = {"textDocument": {"uri": uri}, "position": {"line": entry + shift, "character": 10}}
        start = time.monotonic()
        hover = client.request("textDocument/hover", moved)
        definition = client.request("textDocument/definition", moved)
        completion = client.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": entry + shift, "character": 8}})
        answered = time.monotonic() - start
        client.published(uri, 2, timeout=120)  # the lint they did not wait for
        linted = time.monotonic() - start
    finally:
        client.close()
    assert f"vrrp_script {lines[entry].strip()}" in hover["contents"]["value"]
    assert [d["range"]["start"]["line"] for d in definition] == [script]
    assert lines[entry].strip() in {item["label"] for item in completion["items"]}
    assert answered < linted / 2, f"answered in {answered:.2f} s, the lint took {linted:.2f} s"
