"""The server's stdio loop: every request gets an answer, even one that cannot be read.

It replaces pygls' ``start_io`` loop (see ``kalint.lsp.wire`` for what that one does with a
bad frame) and hands every well-formed message to pygls as that loop does. A request whose
params do not validate (a negative position) is answered with InvalidParams (-32602) and
the reason; bytes that make no message get a ParseError (-32700) for the request they
carried (or with a null id), a line on stderr, and once per session a window/showMessage,
so the editor shows that its client is out of step.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
from typing import Any, BinaryIO

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from kalint.lsp.wire import QUIET_SECONDS, Framer, Problem

log = logging.getLogger("kalint.lsp")
#: pygls logs a whole traceback for params that do not validate; the answer says it all.
logging.getLogger("pygls.protocol.json_rpc").addFilter(
    lambda record: not str(record.msg).startswith("Unable to deserialize message"))
#: Bytes per read from stdin.
_CHUNK = 1 << 16


def serve_stdio(server: LanguageServer, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """Serve until the client says exit or closes stdin."""
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    try:
        asyncio.run(_loop(server, (stdin or sys.stdin.buffer).fileno()))
    except BrokenPipeError:
        log.error("the editor closed the connection")
    finally:
        server.shutdown()


async def _loop(server: LanguageServer, fd: int) -> None:
    chunks: asyncio.Queue[bytes] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read() -> None:  # a daemon thread: a blocked read never holds the exit up
        while True:
            try:
                data = os.read(fd, _CHUNK)
            except OSError:
                data = b""
            try:
                loop.call_soon_threadsafe(chunks.put_nowait, data)
            except RuntimeError:  # the loop is closed: the server has exited
                return
            if not data:
                return

    threading.Thread(target=read, name="kalint-stdin", daemon=True).start()
    framer = Framer()
    reporter = _Reporter(server)
    while True:
        try:
            data = await (asyncio.wait_for(chunks.get(), QUIET_SECONDS) if framer.buffer else chunks.get())
        except asyncio.TimeoutError:
            if (problem := framer.stalled()) is not None:
                reporter.framing(problem)
            data = None
        if data == b"":
            return
        if data:
            framer.feed(data)
        while (item := framer.next()) is not None:
            if isinstance(item, Problem):
                reporter.framing(item)
            else:
                _handle(server, framer, reporter, item)


def _handle(server: LanguageServer, framer: Framer, reporter: _Reporter, body: bytes) -> None:
    try:
        raw = json.loads(body)
    except ValueError as exc:  # UnicodeDecodeError too
        reporter.framing(framer.reject(body, f"a body that is not JSON ({exc})"))
        return
    if not isinstance(raw, dict) or raw.get("jsonrpc") != "2.0":
        reporter.answer(raw.get("id") if isinstance(raw, dict) else None,
                        JsonRpcInvalidRequest("not a JSON-RPC 2.0 message"))
        return
    protocol = server.protocol
    try:
        message = protocol.structure_message(raw)
    except JsonRpcException as exc:
        reason = "; ".join(_leaves(exc.__cause__)) or str(exc)
        if "method" in raw and "id" in raw:
            reporter.answer(raw["id"], type(exc)(f"{exc.message}: {reason}"))
        log.warning("invalid params in %s: %s", raw.get("method", "a message"), reason)
        return
    try:
        protocol.handle_message(message)
    except Exception as exc:  # pygls answers a handler's errors itself; this is anything else
        log.exception("cannot handle %s", raw.get("method", "a message"))
        if "method" in raw and "id" in raw:
            reporter.answer(raw["id"], JsonRpcInternalError(f"{type(exc).__name__}: {exc}"))


def _leaves(exc: BaseException | None) -> list[str]:
    """The innermost reasons of a (cattrs) validation error: what the editor got wrong."""
    if exc is None:
        return []
    inner = getattr(exc, "exceptions", None)
    if not inner:
        return [str(exc)]
    return [reason for sub in inner for reason in _leaves(sub)]


class _Reporter:
    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.shown = False

    def answer(self, request_id: Any, error: JsonRpcException) -> None:
        # Written as JSON here: pygls' own response type leaves out an id that is null.
        ident = request_id if isinstance(request_id, (int, str)) and not isinstance(request_id, bool) else None
        self.server.protocol._send_data({"jsonrpc": "2.0", "id": ident,
                                         "error": {"code": error.code, "message": error.message}})

    def framing(self, problem: Problem) -> None:
        text = f"kalint: the editor sent {problem.reason}; answered with an error and skipped"
        print(text, file=sys.stderr, flush=True)
        self.answer(problem.request_id, JsonRpcParseError(f"{JsonRpcParseError.MESSAGE}: {problem.reason}"))
        kind = lsp.MessageType.Log
        if not self.shown:  # a popup once; the log gets every one
            self.shown = True
            self.server.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, text))
        self.server.window_log_message(lsp.LogMessageParams(kind, text))
