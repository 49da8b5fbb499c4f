"""The pause before a lint follows the document's own lints (``kalint.lsp.pacing``), and
an editor's ``debounce`` option still fixes it."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from lsprotocol import types as lsp

from kalint.lsp import server as server_module
from kalint.lsp.analysis import OpenDocument
from kalint.lsp.pacing import HISTORY, LONGEST, SHORTEST, Pacing

URI = "file:///etc/keepalived/keepalived.conf"


def paced(*seconds: float) -> Pacing:
    pacing = Pacing()
    for value in seconds:
        pacing.record(URI, value)
    return pacing


def test_before_any_lint_the_pause_is_the_longest():
    assert Pacing().delay(URI) == LONGEST


@pytest.mark.parametrize(("lints", "expected"), [
    ((0.004, 0.006, 0.005), SHORTEST),  # quick lints: never below the shortest pause
    ((0.08, 0.07, 0.09), 0.08),  # in between: as long as a lint takes
    ((1.2, 0.9, 1.5), LONGEST),  # slow lints: never above the longest
    ((0.07, 0.07, 2.0), 0.07),  # one slow lint (the collector ran) does not lengthen it
])
def test_the_pause_is_the_median_of_recent_lints_within_bounds(lints, expected):
    assert paced(*lints).delay(URI) == pytest.approx(expected)


def test_only_the_recent_lints_count():
    pacing = paced(*[1.0] * 10, *[0.08] * HISTORY)
    assert pacing.delay(URI) == pytest.approx(0.08)


def test_each_document_has_its_own_pause():
    pacing = paced(0.01)
    assert pacing.delay("file:///other.conf") == LONGEST
    pacing.forget(URI)
    assert pacing.delay(URI) == LONGEST


def test_a_fixed_pause_ignores_the_lints():
    pacing = Pacing(fixed=0.0)
    pacing.record(URI, 0.3)
    assert pacing.delay(URI) == 0.0


def _server_with_document(tmp_path):
    path = tmp_path / "keepalived.conf"
    path.write_text("global_defs {\n    router_id lb1\n}\n")
    server = server_module.create_server()
    doc = OpenDocument(path.as_uri(), str(path), path.read_text())
    server.docs[doc.uri] = doc
    server.generation[doc.uri] = 1
    return server, doc


@pytest.mark.parametrize(("lint_seconds", "expected"), [(0.02, SHORTEST), (0.1, 0.1), (3.0, LONGEST)])
def test_a_finished_lint_sets_the_next_pause(tmp_path, monkeypatch, lint_seconds, expected):
    server, doc = _server_with_document(tmp_path)
    clock = itertools.count(step=lint_seconds)  # every reading of the clock is one lint later
    monkeypatch.setattr(server_module.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(server, "_publish", lambda *args: None)  # (no client to publish to)
    scheduled = []
    monkeypatch.setattr(server, "schedule", lambda uri, delay, from_disk=False: scheduled.append(delay))

    asyncio.run(server.lint(doc.uri))
    server.worker.shutdown()
    change = lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version=2, uri=doc.uri),
        [lsp.TextDocumentContentChangeWholeDocument(text=doc.text + "\n")],
    )
    monkeypatch.setattr(server, "text_of", lambda uri: doc.text + "\n")
    server.protocol.fm.features[lsp.TEXT_DOCUMENT_DID_CHANGE](change)
    assert scheduled == [pytest.approx(expected)]


@pytest.mark.parametrize(("options", "fixed"), [({"debounce": 0}, 0.0), ({"debounce": 400}, 0.4), ({}, None)])
def test_the_debounce_option_fixes_the_pause(options, fixed):
    server = server_module.create_server()
    params = lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), initialization_options=options)
    server.protocol.fm.features[lsp.INITIALIZE](params)
    assert server.pacing.fixed == fixed
