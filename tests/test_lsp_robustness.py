"""End to end: what a broken client or a hostile workspace does to ``kalint lsp`` (issue 23).

Every request gets an answer (an invalid position, a broken frame), a burst of edits
stops the stale lint instead of queueing behind it, and a hostile file in the workspace
costs its budget, not the server.
"""

from __future__ import annotations

import json
import sys
import time

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsp_client import Client, LspError, generate  # noqa: E402

SMALL = generate(200)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the protocol cases: each must leave the stream usable for the next."""
    root = tmp_path_factory.mktemp("ws")
    conf = root / "keepalived.conf"
    conf.write_text(SMALL)
    client = Client(cwd=root)
    client.initialize(root)
    uri = client.open(conf)
    client.diagnostics(uri)
    yield client, uri
    client.close()


def hover_params(uri: str, line: int = 2, character: int = 5) -> dict:
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}


def still_answers(client: Client, uri: str) -> None:
    result = client.request("textDocument/hover", hover_params(uri), timeout=10)
    assert "router_id" in result["contents"]["value"]


@pytest.mark.parametrize("method", ["textDocument/hover", "textDocument/completion", "textDocument/definition",
                                    "textDocument/references", "textDocument/rename"])
@pytest.mark.parametrize("position", [{"line": -1, "character": 0}, {"line": 0, "character": -5},
                                      {"line": 2**40, "character": 0}])
def test_an_invalid_position_gets_an_error_response(served, method, position):
    client, uri = served
    params = {"textDocument": {"uri": uri}, "position": position}
    if method.endswith("references"):
        params["context"] = {"includeDeclaration": True}
    if method.endswith("rename"):
        params["newName"] = "x"
    with pytest.raises(LspError) as error:
        client.request(method, params, timeout=10)
    assert error.value.code == -32602 and "should be in range" in str(error.value)
    still_answers(client, uri)


@pytest.mark.parametrize("position", [{"line": 99999, "character": 3}, {"line": 3, "character": 99999}])
def test_a_position_past_the_text_gets_an_empty_answer(served, position):
    client, uri = served
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position}) is None


def _request(uri: str, ident: int) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": ident, "method": "textDocument/hover",
                       "params": hover_params(uri)}).encode()


def _framed(body: bytes, delta: int = 0) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % (len(body) + delta) + body


#: name -> the bytes a broken client sends, given the document and the id of its request
BROKEN = {
    "content-length too short": lambda uri, i: _framed(_request(uri, i), -7),
    "content-length too long, nothing follows": lambda uri, i: _framed(_request(uri, i), +40),
    "content-length not a number": lambda uri, i: b"Content-Length: many\r\n\r\n" + _request(uri, i),
    "a header line that is no header": lambda uri, i: b"Content-Length: %d\r\nnot a header\r\n\r\n"
    % len(_request(uri, i)) + _request(uri, i),
    "a body that is not JSON": lambda uri, i: _framed(b'{"jsonrpc": "2.0", "id": %d, "method": ' % i),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_framing_error_is_answered_and_the_stream_resynchronised(served, case):
    client, uri = served
    ident = 9000 + list(BROKEN).index(case)
    client.send_raw(BROKEN[case](uri, ident))
    answer = client.response(ident, timeout=10)
    assert answer["error"]["code"] == -32700
    still_answers(client, uri)


def test_a_frame_that_runs_into_the_next_one_costs_only_itself(served):
    client, uri = served
    first, second = _request(uri, 9100), _request(uri, 9101)
    client.send_raw(_framed(first, +25) + _framed(second))
    assert client.response(9100, timeout=10)["error"]["code"] == -32700
    assert "router_id" in client.response(9101, timeout=10)["result"]["contents"]["value"]


def test_a_framing_error_is_shown_to_the_user(tmp_path):
    client = Client(cwd=tmp_path)
    try:
        client.initialize(tmp_path)
        client.send_raw(b"\x00garbage\r\n" + _framed(b'{"jsonrpc": "2.0", "id": 5, "method": "shutdown"}'))
        shown = client.wait_for(lambda m: m.get("method") == "window/showMessage", timeout=10)
        assert "kalint" in shown["params"]["message"] and shown["params"]["type"] == 2
        assert client.response(5, timeout=10)["result"] is None  # the frame after the garbage
    finally:
        client.close()
    assert b"the editor sent" in client.stderr_text


# -- stale lints --------------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads CPU time from /proc")
def test_an_edit_stops_the_stale_lint_instead_of_waiting_for_it(tmp_path):
    """Paste a large block (a lint of seconds starts), then undo it at once: the
    diagnostics of the undo come without the server finishing the stale lint first."""
    conf = tmp_path / "keepalived.conf"
    conf.write_text(SMALL)
    pasted = generate(30000).split("\n", 4)[4]  # past the header: a valid run of blocks
    end = SMALL.count("\n")
    client = Client(cwd=tmp_path)
    try:
        client.initialize(tmp_path, {"debounce": 0})
        uri = client.open(conf)
        client.diagnostics(uri, timeout=60)
        at_end = {"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}}
        # What a whole lint of the large text costs the server (CPU: the machine is shared).
        before = _cpu_seconds(client.proc.pid)
        client.change(uri, 2, [{"range": at_end, "text": pasted}])
        client.published(uri, 2, timeout=120)
        whole = _cpu_seconds(client.proc.pid) - before
        client.change(uri, 3, [{"text": SMALL}])
        client.published(uri, 3, timeout=60)

        client.change(uri, 4, [{"range": at_end, "text": pasted}])
        time.sleep(0.1)  # the large lint is under way
        before = _cpu_seconds(client.proc.pid)
        client.change(uri, 5, [{"text": SMALL}])
        client.published(uri, 5, timeout=60)
        after_undo = _cpu_seconds(client.proc.pid) - before
        stopped = client.wait_for(lambda m: m.get("method") == "window/logMessage"
                                  and "stopped linting" in m["params"]["message"], timeout=10)
    finally:
        client.close()
    assert stopped
    assert after_undo < whole / 3, f"the undo cost {after_undo:.2f} s of CPU, a whole lint {whole:.2f} s"


# -- hostile workspace files --------------------------------------------------------------------


def test_a_hostile_file_in_the_workspace_costs_its_budget_not_the_server(tmp_path):
    """Brace alternatives in an include multiply: 2^16 patterns here (24 groups took 109 s
    and 1.5 GB before expansion had a work budget). The server still lints the document
    the user has open, answers while it works, and later edits reuse the hostile file's
    lint instead of paying for it again."""
    (tmp_path / "hostile.conf").write_text("include " + "{a,b}" * 16 + "\n")
    conf = tmp_path / "keepalived.conf"
    conf.write_text(SMALL)
    client = Client(cwd=tmp_path)
    try:
        client.initialize(tmp_path, {"debounce": 0})
        uri = client.open(conf)
        # Answered while the first lint (the hostile root too) is still running:
        client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                   "options": {"tabSize": 4, "insertSpaces": True}}, timeout=10)
        client.diagnostics(uri, timeout=60)
        start = time.monotonic()
        client.change(uri, 2, [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                                "text": " "}])
        client.published(uri, 2, timeout=30)
        assert time.monotonic() - start < 10
        still_answers(client, uri)
    finally:
        client.close()
