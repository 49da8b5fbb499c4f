"""The editor features in process: quick fixes, the disable action, schema and formatter hooks."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsprotocol import types as lsp  # noqa: E402

from kalint.diagnostic import Diagnostic, Edit, Fix, Severity  # noqa: E402
from kalint.lsp import features, formatting  # noqa: E402
from kalint.lsp.analysis import OpenDocument, Session  # noqa: E402
from kalint.lsp.convert import Positions, diagnostic  # noqa: E402
from kalint.lsp.symbols import Symbols  # noqa: E402
from kalint.syntax.span import Span  # noqa: E402

TEXT = "vrrp_instance VI_1 {\n    state master\n    priority 100\n}\n"


def analysed(tmp_path, text=TEXT):
    conf = tmp_path / "keepalived.conf"
    conf.write_text(text, encoding="utf-8")
    doc = OpenDocument(conf.as_uri(), str(conf), text)
    session = Session()
    session.set_folders([str(tmp_path)])
    analysis = session.lint(doc, [doc])
    return doc, analysis, Positions(analysis, lambda p: "file://" + p)


def test_every_fix_is_a_quick_fix(tmp_path):
    doc, analysis, positions = analysed(tmp_path)
    span = Span(doc.path, 2, 11, 2, 17)
    diag = Diagnostic("KA101", "unknown state `master`", span, Severity.WARNING,
                      fix=Fix("write `MASTER`", (Edit(span, "MASTER"),)))
    shown = diagnostic(diag, positions, lambda code: None)
    actions = features.code_actions([(diag, shown)], shown.range, doc.uri, lambda n: TEXT.split("\n")[n],
                                    positions, lambda p: doc.uri)
    fix = actions[0]
    assert fix.title == "write `MASTER`" and fix.is_preferred and fix.kind == lsp.CodeActionKind.QuickFix
    (edit,) = fix.edit.changes[doc.uri]
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) == (1, 10, 16)
    assert edit.new_text == "MASTER"
    assert actions[1].title == "Disable KA101 for this line"


@pytest.mark.parametrize("line, expected", [
    ("    state master", (1, 16, " ! kalint: disable=KA101")),
    ("    state master # why", (1, 0, "    ! kalint: disable=KA101\n")),
    ("    state master " + "x" * 1000, (1, 0, "    ! kalint: disable=KA101\n")),
])
def test_disable_comment_never_passes_the_line_limit(line, expected):
    shown = lsp.Diagnostic(lsp.Range(lsp.Position(1, 10), lsp.Position(1, 16)), "m", code="KA101")
    action = features.disable_action("KA101", shown, "file:///k.conf", line, "utf-16")
    (edit,) = action.edit.changes["file:///k.conf"]
    assert (edit.range.start.line, edit.range.start.character, edit.new_text) == expected


def test_hover_and_completion_come_from_the_schema(tmp_path):
    doc, analysis, positions = analysed(tmp_path)
    symbols = Symbols.of(analysis, doc.key)
    text = features.hover(symbols, 3, 6).contents.value
    assert "Range: 1..255" in text and "Since keepalived 2.2.7" in text
    assert "effective priority 100..100" in text
    labels = {i.label for i in features.completion(symbols, "    ", 3, 5)}
    assert {"priority", "state", "virtual_router_id", "track_script"} <= labels
    assert "lb_algo" not in labels


def test_formatting_is_kalint_format():
    (edit,) = formatting.edits("vrrp_instance VI_1 {\n  priority 100\n}\n", "utf-16")
    assert edit.new_text == "vrrp_instance VI_1 {\n    priority 100\n}\n" and edit.range.end == lsp.Position(3, 0)
    assert formatting.edits("vrrp_instance VI_1 {\n    priority 100\n}\n", "utf-16") == []


def test_formatting_refusal_is_an_error_not_an_edit():
    with pytest.raises(formatting.CannotFormat, match="KA001"):
        formatting.edits("vrrp_instance VI_1 {\n", "utf-16")


NAMES = """\
vrrp_track_file maint {
    file /run/maint
    weight -30
}
vrrp_track_process nginx {
    process nginx
    weight 10
}
vrrp_instance VI_1 {
    priority 100
    track_file {
        maint
    }
    track_process {
        nginx
    }
}
vrrp_sync_group G {
    group {
        VI_1
    }
}
virtual_server_group web {
    10.0.0.1 80
}
virtual_server group web {
}
"""


@pytest.mark.parametrize("line, column, target", [
    (12, 10, 1),   # track_file entry -> vrrp_track_file
    (15, 10, 5),   # track_process entry -> vrrp_track_process
    (20, 10, 9),   # sync group member -> vrrp_instance
    (26, 23, 23),  # virtual_server group NAME -> virtual_server_group
])
def test_definitions_of_every_named_kind(tmp_path, line, column, target):
    doc, analysis, positions = analysed(tmp_path, NAMES)
    symbols = Symbols.of(analysis, doc.key)
    (location,) = features.definition(symbols, positions, line, column)
    assert location.range.start.line == target - 1
    assert features.hover(symbols, line, column).contents.value.startswith("defined at")


def test_priority_range_with_file_and_process_trackers(tmp_path):
    doc, analysis, positions = analysed(tmp_path, NAMES)
    text = features.hover(Symbols.of(analysis, doc.key), 10, 6).contents.value
    # G has no sync_group_tracking_weight: keepalived deletes VI_1's weighted track_file
    # entry, and keeps its weighted track_process (2.2.7), as KA305 and simulate say
    assert "effective priority 100..110" in text and "track_process `nginx`: +10" in text
    assert "track_file `maint` weight -30: dropped (sync group" in text


def test_a_crashing_lint_is_logged_and_the_server_goes_on(tmp_path, monkeypatch):
    import asyncio

    from kalint.lsp.server import create_server

    server = create_server()
    doc = OpenDocument("file:///k.conf", str(tmp_path / "k.conf"), "x")
    server.docs[doc.uri] = doc
    server.generation[doc.uri] = 1

    def boom(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(server.session, "lint", boom)
    logged = []
    monkeypatch.setattr(server, "log", lambda message, kind=None: logged.append(message))
    assert asyncio.run(server.fresh(doc.uri)) is None
    assert "parser bug" in logged[0]


def test_the_document_is_indexed_only_after_a_quiet_moment(tmp_path, monkeypatch):
    """Indexing for hover right after a publish held the interpreter when the next
    keystroke came in; it starts after WARM_DELAY_SECONDS without a lint, once."""
    import asyncio

    from kalint.lsp import server as server_module

    monkeypatch.setattr(server_module, "WARM_DELAY_SECONDS", 0.05)
    warmed = []
    monkeypatch.setattr(Symbols, "warm", lambda self: warmed.append(self))
    path = tmp_path / "k.conf"
    path.write_text(NAMES)
    server = server_module.create_server()
    doc = OpenDocument(path.as_uri(), str(path), NAMES)
    server.docs[doc.uri] = doc
    server.generation[doc.uri] = 1
    monkeypatch.setattr(server, "_publish", lambda *args: None)  # (no client to publish to)

    async def typing_then_reading() -> None:
        await server.lint(doc.uri)
        await server.lint(doc.uri)  # the next keystroke, before the delay: no index yet
        assert warmed == [] and server.warm_timer is not None
        await asyncio.sleep(0.2)
        assert server.warming is not None
        await asyncio.wrap_future(server.warming[1])

    asyncio.run(typing_then_reading())
    server.worker.shutdown()
    assert len(warmed) == 1


@pytest.mark.parametrize("version", [7, None])
def test_published_diagnostics_are_the_bytes_pygls_would_write(version):
    """Diagnostics go out as JSON text kept per finding; the message is the one pygls'
    own writer makes of the same data, byte for byte (non-ASCII text included)."""
    import io
    import json

    from pygls.io_ import StdoutWriter

    from kalint.lsp.server import create_server

    data = [{"range": {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 5}},
             "message": "`VI_1` é 𝄞 \"quoted\"\nhelp: x", "severity": 1, "code": "KA209", "source": "kalint"},
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "message": "m"}]
    server = create_server()
    out = io.BytesIO()
    server.protocol.set_writer(StdoutWriter(out))
    server.publish_json("file:///tmp/k%C3%A9.conf", [json.dumps(item) for item in data], version)
    ours = out.getvalue()
    out.seek(0)
    out.truncate()
    params: dict = {"uri": "file:///tmp/k%C3%A9.conf", "diagnostics": data}
    if version is not None:
        params["version"] = version
    server.protocol._send_data({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params})
    assert ours == out.getvalue()
