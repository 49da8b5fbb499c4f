#!/usr/bin/env python3
"""Latency of a warm ``kalint lsp`` over stdio: edit -> diagnostics, and requests during a burst.

Usage: python bench/lsp_latency.py [--lines 1000 10000] [--runs 20] [--peers N] [--seed S] [--enter]
       python bench/lsp_latency.py --typing [--key-ms 120] [--debounce MS] [--lines ...] [--runs ...]

For each size it writes a generated config into a temporary workspace, starts the server
(debounce set to 0 through initializationOptions, so the time is the lint and the wire)
and opens the file. Then:

- **edit -> diagnostics**: ``--runs`` edits at random lines, each typing a stray word at
  the start of a line (a finding) or removing the one typed before, timed from didChange
  until the diagnostics for that version arrive (median and p95).
- **requests during a burst**: ``--runs`` more edits at random lines sent without waiting,
  each followed at once by a completion and a hover on an entry of a ``track_script``
  block, timed until their answers arrive (median and p95 of both) while the server
  lints.
- **in process**: the same edits through ``Session.lint`` directly (no JSON-RPC, no thread),
  wall and CPU time.

``--enter`` makes every edit add or remove a line instead (the blocks after it move, so
the language server parses and checks them again: its slower case).

``--typing`` measures what a user sees instead, with the server's own pause before a lint
(``kalint.lsp.pacing``; ``--debounce MS`` sets a fixed one, 150 was the old default): a
word typed one key at a time, ``--key-ms`` apart, timed from the last key to the
diagnostics of the finished word, and how many lints the server published meanwhile.

The client says it reports file changes (``workspace/didChangeWatchedFiles``, as VS Code
does and Neovim can), so the server searches the folder for configs once; ``--no-watch`` makes
it a client that does not, and the server searches on every lint.

``--peers N`` adds N more configs of the same size to the workspace folder, which is then
linted as one peer set on every change (the unchanged ones come from the server's cache).

The first line gives the machine's speed as bench.py measures it (``import lark, click``):
the targets are absolute times, and this VM's speed drifts by more than their margins.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lsp_client import Client, generate  # noqa: E402

STRAY = "stray_word "


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms"


class Typist:
    """Edits at random lines: type a stray word at a line's start, then take it out again
    (``lines``: press Enter at a line's start, then join the lines again; every block
    after the edit moves)."""

    def __init__(self, text: str, seed: int, lines: bool = False) -> None:
        self.lines = text.split("\n")
        self.rng = random.Random(seed)
        self.typed: int | None = None
        self.typing = "\n" if lines else STRAY

    def next(self) -> dict:
        if self.typed is None:
            self.typed = self.rng.randrange(4, len(self.lines) - 1)
            at = {"line": self.typed, "character": 0}
            return {"range": {"start": at, "end": at}, "text": self.typing}
        line, self.typed = self.typed, None
        end = {"line": line + 1, "character": 0} if self.typing == "\n" else {"line": line, "character": len(STRAY)}
        return {"range": {"start": {"line": line, "character": 0}, "end": end}, "text": ""}

    def apply(self, change: dict) -> None:
        line = change["range"]["start"]["line"]
        if self.typing == "\n":
            if change["text"]:
                self.lines.insert(line, "")
            else:
                del self.lines[line]
            return
        self.lines[line] = change["text"] + self.lines[line].removeprefix(STRAY if not change["text"] else "")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def bench(lines: int, runs: int, peers: int, seed: int, enter: bool = False,
          watch: bool = True) -> dict[str, list[float] | float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        conf, good = _workspace(root, lines, peers)
        track_lines = [i for i, line in enumerate(good.split("\n")) if line.strip() == "track_script {"]
        client = Client(cwd=root)
        typist = Typist(good, seed, enter)
        try:
            client.initialize(root, {"debounce": 0}, watch=watch)
            uri = client.open(conf)
            client.diagnostics(uri, timeout=120)
            edits = []
            version = 1
            for _ in range(runs):
                version += 1
                change = typist.next()
                start = time.perf_counter()
                client.change(uri, version, [change])
                client.published(uri, version, timeout=120)
                edits.append((time.perf_counter() - start) * 1000)
                typist.apply(change)
            completions, hovers = [], []
            for _ in range(runs):
                version += 1
                change = typist.next()
                client.change(uri, version, [change])
                typist.apply(change)
                line = typist.rng.choice(track_lines) + 1  # an entry of a track_script block
                completions.append(_timed(client, "textDocument/completion", uri, line, 8))
                hovers.append(_timed(client, "textDocument/hover", uri, line, 10))  # the script's definition
            client.published(uri, version, timeout=120)
        finally:
            client.close()
        in_process, cpu = _in_process(conf, Typist(good, seed, enter), runs, watch)
    return {"lines": good.count("\n"), "edits": edits, "completions": completions, "hovers": hovers,
            "in_process": in_process, "cpu": cpu}


def _workspace(root: Path, lines: int, peers: int) -> tuple[Path, str]:
    """A generated config of about ``lines`` lines and ``peers`` copies of it as peers."""
    conf = root / "keepalived.conf"
    good = generate(lines)
    conf.write_text(good)
    for n in range(peers):
        (root / f"peer-{n}.conf").write_text(good.replace("router_id BENCH", f"router_id PEER{n}"))
    return conf, good


def typing(lines: int, runs: int, peers: int, seed: int, key_ms: float, debounce: float | None) -> dict[str, list[float] | int]:
    """A word typed one key at a time, ``key_ms`` apart, with the server's own pause
    before linting (or ``debounce`` milliseconds): the time from the last key to the
    diagnostics of the finished word, and how many lints the server published while the
    word was being typed (what a shorter pause costs)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        conf, good = _workspace(root, lines, peers)
        rng = random.Random(seed)
        client = Client(cwd=root)
        latencies: list[float] = []
        extra_lints: list[float] = []
        try:
            client.initialize(root, {} if debounce is None else {"debounce": debounce})
            uri = client.open(conf)
            client.diagnostics(uri, timeout=120)
            version = 1
            for _ in range(runs):
                line = rng.randrange(4, good.count("\n") - 1)
                first = version + 1
                for column, key in enumerate(STRAY):
                    if column:
                        time.sleep(key_ms / 1000)
                    version += 1
                    at = {"line": line, "character": column}
                    client.change(uri, version, [{"range": {"start": at, "end": at}, "text": key}])
                start = time.perf_counter()
                client.published(uri, version, timeout=120)
                latencies.append((time.perf_counter() - start) * 1000)
                with client.changed:
                    early = [m for m in client.notifications if m.get("method") == "textDocument/publishDiagnostics"
                             and first <= (m["params"].get("version") or 0) < version]
                    for message in early:
                        client.notifications.remove(message)
                extra_lints.append(len(early))
                version += 1  # the word taken out again, untimed
                client.change(uri, version, [{"range": {"start": {"line": line, "character": 0},
                                                        "end": {"line": line, "character": len(STRAY)}}, "text": ""}])
                client.published(uri, version, timeout=120)
        finally:
            client.close()
    return {"lines": good.count("\n"), "latencies": latencies, "extra_lints": extra_lints}


def _timed(client: Client, method: str, uri: str, line: int, character: int) -> float:
    start = time.perf_counter()
    client.request(method, {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
                   timeout=120)
    return (time.perf_counter() - start) * 1000


def _in_process(conf: Path, typist: Typist, runs: int, watch: bool) -> tuple[list[float], list[float]]:
    """The same edits through ``Session.lint`` directly (no JSON-RPC, no thread): wall
    and CPU milliseconds (CPU time says more on a machine other jobs load). The collector
    follows the server's policy (``kalint.lsp.heap``), with no pause between edits."""
    from kalint.lsp.analysis import OpenDocument, Session
    from kalint.lsp.heap import Heap

    session = Session()
    session.set_folders([str(conf.parent)])
    session.watching = watch
    doc = OpenDocument(conf.as_uri(), str(conf), typist.text)
    session.lint(doc, [doc])
    heap = Heap()
    times, cpu = [], []
    for _ in range(runs):
        typist.apply(typist.next())
        doc.text = typist.text
        start, start_cpu = time.perf_counter(), time.process_time()
        with heap.job():
            session.lint(doc, [doc])
        if heap.overdue():
            heap.collect()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return times, cpu


def machine_reference(runs: int = 7) -> float:
    """Median milliseconds of ``python -c "import lark, click"``, bench.py's cold-start
    reference: the VM's speed drifts (70 to 118 ms in one day), and this line lets runs
    of different hours be compared."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import lark, click"], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--peers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--enter", action="store_true", help="edits add and remove a line (blocks after it move)")
    parser.add_argument("--typing", action="store_true",
                        help="type a word key by key with the server's own pause before linting (see typing())")
    parser.add_argument("--key-ms", type=float, default=120, help="--typing: milliseconds between keys")
    parser.add_argument("--debounce", type=float, help="--typing: the pause to set, in ms (default: the server's own)")
    parser.add_argument("--no-watch", dest="watch", action="store_false",
                        help="a client that does not report file changes (the server then searches the folder on every lint)")
    args = parser.parse_args()
    print(f"machine reference: `import lark, click` {machine_reference():.0f} ms", flush=True)
    for lines in args.lines:
        if args.typing:
            t = typing(lines, args.runs, args.peers, args.seed, args.key_ms, args.debounce)
            pause = "the server's own pause" if args.debounce is None else f"debounce {args.debounce:g} ms"
            print(f"{t['lines']:>6} lines{f' (+{args.peers} peer configs)' if args.peers else ''}, "
                  f"a {len(STRAY)}-key word {args.key_ms:g} ms apart, {pause}: last key -> diagnostics "
                  f"{summary(t['latencies'])}; lints published while typing: median "
                  f"{statistics.median(t['extra_lints']):g} of {len(STRAY) - 1} keys", flush=True)
            continue
        r = bench(lines, args.runs, args.peers, args.seed, args.enter, args.watch)
        peers = f" (+{args.peers} peer configs)" if args.peers else ""
        enter = ", Enter" if args.enter else ""
        unwatched = ", no file watching" if not args.watch else ""
        print(f"{r['lines']:>6} lines{peers}{enter}{unwatched}: edit -> diagnostics {summary(r['edits'])}; "
              f"during a burst: completion {summary(r['completions'])}, hover {summary(r['hovers'])}; "
              f"in process lint {summary(r['in_process'])} (CPU {summary(r['cpu'])})", flush=True)


if __name__ == "__main__":
    main()
