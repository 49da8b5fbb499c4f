"""Units of the language server's plumbing: LSP framing and the interruptible lint thread."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from kalint.lsp.wire import Framer, Problem
from kalint.lsp.worker import Stale, Worker


def frame(message: dict, length_delta: int = 0) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + length_delta) + body


def drain(framer: Framer) -> list:
    out = []
    while (item := framer.next()) is not None:
        out.append(json.loads(item)["id"] if isinstance(item, bytes) else item)
    return out


def test_frames_fed_byte_by_byte_come_out_whole():
    framer = Framer()
    data = frame({"id": 1, "method": "a"}) + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" \
        + frame({"id": 2, "method": "b"})[:-1]
    out = []
    for byte in data:
        framer.feed(bytes([byte]))
        out += drain(framer)
    assert out == [1]
    framer.feed(b"}")
    assert drain(framer) == [2]


def test_a_too_short_content_length_is_one_problem_and_the_next_frame_is_found():
    framer = Framer()
    framer.feed(frame({"id": 7, "method": "textDocument/hover"}, -3) + frame({"id": 8, "method": "x"}))
    body = framer.next()
    assert isinstance(body, bytes)
    problem = framer.reject(body, "not JSON")  # what the server does with it
    assert problem == Problem("not JSON", 7)
    assert drain(framer) == [8]  # the rest of the broken body is not reported again


def test_a_too_long_content_length_runs_into_the_next_frame_which_is_read_again():
    framer = Framer()
    framer.feed(frame({"id": 7, "method": "a"}, +20) + frame({"id": 8, "method": "b"}))
    body = framer.next()
    assert isinstance(body, bytes)
    assert framer.reject(body, "extra data").request_id == 7
    assert drain(framer) == [8]


def test_a_body_that_never_comes_is_given_up_when_the_wire_goes_quiet():
    framer = Framer()
    framer.feed(frame({"id": "req-3", "method": "a"}, +50))
    assert framer.next() is None
    problem = framer.stalled()
    assert problem is not None and problem.request_id == "req-3" and "Content-Length" in problem.reason
    framer.feed(frame({"id": 4, "method": "b"}))
    assert drain(framer) == [4]


@pytest.mark.parametrize("garbage", [
    b"Content-Length: abc\r\n\r\n",
    b"\x00\xff\xfe\r\n",
    b"Content-Length: 5\r\nthis is no header\r\n\r\n",
    b"hello world",
])
def test_garbage_before_a_frame_is_one_problem(garbage):
    framer = Framer()
    framer.feed(garbage + frame({"id": 9, "method": "a"}))
    out = drain(framer)
    assert len(out) == 2 and isinstance(out[0], Problem) and out[1] == 9


def test_garbage_alone_is_given_up_when_the_wire_goes_quiet():
    framer = Framer()
    framer.feed(b'Content-Length: x\r\n\r\n{"jsonrpc": "2.0", "id": 12, "method": "a"}')
    assert framer.next() is None
    assert framer.stalled() == Problem("an incomplete or malformed LSP message", 12)
    assert not framer.buffer


def test_a_huge_content_length_is_refused_not_awaited():
    framer = Framer()
    framer.feed(b"Content-Length: 9999999999\r\n\r\n{}" + frame({"id": 1, "method": "a"}))
    out = drain(framer)
    assert isinstance(out[0], Problem) and out[-1] == 1


# -- the lint thread ---------------------------------------------------------------------------


def spin(started: threading.Event) -> None:
    started.set()
    while True:  # pure Python, as a lint is
        pass


def test_a_running_job_is_stopped_and_the_next_one_runs():
    worker = Worker()
    started = threading.Event()
    token = object()
    stuck = worker.submit(lambda: spin(started), token)
    queued = worker.submit(lambda: "next")
    assert started.wait(10)
    t0 = time.monotonic()
    assert worker.interrupt(token)
    with pytest.raises(Stale):
        stuck.result(timeout=10)
    assert queued.result(timeout=10) == "next"
    assert time.monotonic() - t0 < 5
    assert not worker.interrupt(token)  # done: nothing to stop
    worker.shutdown()


def test_no_signal_is_left_behind_for_a_profiled_call():
    """A job that ends, one stopped while it runs, and one stopped as it ends: none may
    leave an asynchronous exception signalled. Clearing a pending one with
    PyThreadState_SetAsyncExc(id, NULL) left CPython 3.11's eval breaker set for good,
    and then the first profiled call (a debugger's, coverage's) looped forever. In a
    fresh interpreter, which the bug would hang."""
    code = textwrap.dedent('''
        import sys, threading
        from kalint.lsp.worker import Stale, Worker

        def spin(started):
            started.set()
            while True:
                pass

        worker = Worker()
        token = object()
        assert worker.submit(lambda: 1, token).result(timeout=10) == 1
        assert not worker.interrupt(token)
        started, token = threading.Event(), object()
        stuck = worker.submit(lambda: spin(started), token)
        assert started.wait(10) and worker.interrupt(token)
        try:
            stuck.result(timeout=10)
        except Stale:
            pass
        for _ in range(200):  # interrupts racing with the end of short jobs
            token = object()
            done = worker.submit(lambda: sum(range(50)), token)
            worker.interrupt(token)
            try:
                done.result(timeout=10)
            except Stale:
                pass
        assert worker.submit(lambda: "next").result(timeout=10) == "next"
        worker.shutdown()
        calls = []
        sys.setprofile(lambda frame, event, arg: calls.append(event))
        (lambda: None)()
        sys.setprofile(None)
        print("ok", len(calls) > 0)
    ''')
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["ok", "True"], done.stderr


def test_interrupting_a_finished_or_unknown_job_touches_nothing():
    worker = Worker()
    token = object()
    assert worker.submit(lambda: 1, token).result(timeout=10) == 1
    assert not worker.interrupt(token)
    assert not worker.interrupt(object())
    assert worker.submit(lambda: 2, object()).result(timeout=10) == 2
    worker.shutdown()


def test_a_stopped_job_leaves_the_collector_on():
    """The engine turns the collector off around a lint; a lint stopped inside must not
    leave it off for the rest of the server's life."""
    worker = Worker()
    started = threading.Event()
    token = object()

    def lint_like() -> None:
        gc.disable()
        try:
            spin(started)
        finally:
            pass  # as if stopped before the engine's `finally` re-enabled it

    assert gc.isenabled()
    job = worker.submit(lint_like, token)
    assert started.wait(10)
    worker.interrupt(token)
    with pytest.raises(Stale):
        job.result(timeout=10)
    try:
        assert gc.isenabled()
    finally:
        gc.enable()
        worker.shutdown()
