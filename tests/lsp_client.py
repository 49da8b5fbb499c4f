"""A minimal LSP client over stdio for end-to-end tests of ``kalint lsp``.

It speaks JSON-RPC with Content-Length framing to a real ``kalint lsp`` subprocess: a
reader thread files responses by id and keeps notifications (publishDiagnostics) in
order, so tests wait on exactly what an editor would see.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class LspError(Exception):
    def __init__(self, error: dict) -> None:
        super().__init__(error.get("message"))
        self.code = error.get("code")


class Client:
    def __init__(self, cwd: Path | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kalint", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=cwd,
        )
        self.next_id = 0
        self.responses: dict[int, queue.Queue] = {}
        self.notifications: list[dict] = []
        #: The requests the server sent (each answered with a null result).
        self.server_requests: list[dict] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        #: What the server wrote to stderr (drained as it comes: a full pipe would block it).
        self.stderr_text = b""
        self.stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self.stderr_reader.start()

    # -- wire -----------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are, framed or not (tests of what a broken client sends)."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def response(self, ident: int | str | None, timeout: float = 20) -> dict:
        """The response (result or error) with this id, as it came."""
        return self.responses.setdefault(ident, queue.Queue()).get(timeout=timeout)

    def _drain_stderr(self) -> None:
        for line in self.proc.stderr:
            self.stderr_text += line

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            if "id" in message and "method" not in message:
                self.responses.setdefault(message["id"], queue.Queue()).put(message)
            elif "id" in message:  # a request from the server (e.g. registerCapability)
                self.server_requests.append(message)
                self._send({"id": message["id"], "result": None})
            else:
                with self.changed:
                    self.notifications.append(message)
                    self.changed.notify_all()

    # -- API --------------------------------------------------------------------------------

    def request(self, method: str, params: Any, timeout: float = 20) -> Any:
        self.next_id += 1
        ident = self.next_id
        box = self.responses.setdefault(ident, queue.Queue())
        self._send({"id": ident, "method": method, "params": params})
        message = box.get(timeout=timeout)
        if "error" in message:
            raise LspError(message["error"])
        return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def wait_for(self, predicate: Callable[[dict], bool], timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0
        with self.changed:
            while True:
                for message in self.notifications[seen:]:
                    if predicate(message):
                        self.notifications.remove(message)
                        return message
                seen = 0
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no matching notification; got {self.notifications!r}")
                self.changed.wait(left)

    def diagnostics(self, uri: str, predicate: Callable[[list], bool] = lambda d: True, timeout: float = 20) -> list:
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and predicate(m["params"]["diagnostics"]),
            timeout,
        )
        return message["params"]["diagnostics"]

    def change(self, uri: str, version: int, changes: list[dict]) -> None:
        """didChange: ``changes`` are LSP content changes (a range and text, or a whole text)."""
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": changes})

    def published(self, uri: str, version: int, timeout: float = 20) -> list:
        """The diagnostics published for ``version`` of the document."""
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and m["params"].get("version") == version,
            timeout,
        )
        return message["params"]["diagnostics"]

    def rss_mb(self) -> float:
        """The server's resident memory (Linux /proc)."""
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        return kib / 1024

    def initialize(self, root: Path, options: dict | None = None, *, watch: bool = False) -> dict:
        """``watch``: say the client reports the file changes it is asked to watch (as VS
        Code does and Neovim can)."""
        capabilities: dict[str, Any] = {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}}
        if watch:
            capabilities["workspace"] = {"didChangeWatchedFiles": {"dynamicRegistration": True}}
        result = self.request("initialize", {
            "processId": None,
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": capabilities,
            "initializationOptions": options or {},
        })
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "keepalived", "version": version,
            "text": path.read_text(encoding="utf-8", errors="replace") if text is None else text,
        }})
        return uri

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        finally:
            self.stderr_reader.join(timeout=5)
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                stream.close()


def generate(lines: int) -> str:
    """A valid config of about ``lines`` lines: scripts, instances tracking them, VIPs."""
    out = ["! generated for the language-server tests and bench/lsp_latency.py", "global_defs {", "    router_id BENCH", "}"]
    scripts = max(2, lines // 200)
    for s in range(scripts):
        out += [f"vrrp_script chk_{s} {{", f'    script "/usr/local/bin/check {s}"', "    interval 2",
                f"    weight {-10 - s % 5}", "}"]
    i = 0
    while len(out) < lines - 16:
        out += [
            f"vrrp_instance VI_{i} {{", "    state BACKUP", "    interface eth0",
            f"    virtual_router_id {i % 255 + 1}", f"    priority {100 + i % 50}", "    advert_int 1",
            "    virtual_ipaddress {", f"        10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}/32", "    }",
            "    track_script {", f"        chk_{i % scripts}", f"        chk_{(i + 1) % scripts}", "    }", "}",
        ]
        i += 1
    return "\n".join(out) + "\n"
