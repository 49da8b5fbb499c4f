#!/usr/bin/env python3
"""Re-lint latency of a warm ``kalint lsp``: didChange -> publishDiagnostics, over stdio.

Usage: python bench/lsp_latency.py [--lines 1000 10000] [--runs 20] [--peers N]

For each size it writes a generated config into a temporary workspace, starts the server
(debounce set to 0 through initializationOptions, so the time is the lint and the wire),
opens the file, then sends full-text changes that alternately introduce and fix a typo in
a ``track_script`` entry and times each until the diagnostics for that version arrive.
It also times the same lint in process (``Session.lint``), without JSON-RPC. ``--peers N``
adds N more configs of the same size to the workspace folder, which is then linted as one
peer set on every change (the unchanged ones come from the server's cache).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lsp_client import Client, generate  # noqa: E402


def bench(lines: int, runs: int, peers: int = 0) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        conf = root / "keepalived.conf"
        good = generate(lines)
        conf.write_text(good)
        for n in range(peers):
            (root / f"peer-{n}.conf").write_text(good.replace("router_id BENCH", f"router_id PEER{n}"))
        bad = good.replace("        chk_0\n", "        chk_O\n", 1)
        client = Client(cwd=root)
        try:
            client.initialize(root, {"debounce": 0})
            uri = client.open(conf)
            client.diagnostics(uri, timeout=120)
            times = []
            for version in range(2, runs + 2):
                text = bad if version % 2 == 0 else good
                start = time.perf_counter()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                         "contentChanges": [{"text": text}]})
                client.wait_for(lambda m, version=version: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"].get("version") == version, timeout=120)
                times.append((time.perf_counter() - start) * 1000)
        finally:
            client.close()
        in_process = _in_process(conf, (bad, good), runs)
    times.sort()
    return {"lines": good.count("\n"), "median_ms": statistics.median(times),
            "p90_ms": times[int(len(times) * 0.9) - 1], "in_process_median_ms": in_process}


def _in_process(conf: Path, texts: tuple[str, str], runs: int) -> float:
    """The same alternating edits through ``Session.lint`` directly (no JSON-RPC, no thread)."""
    from kalint.lsp.analysis import OpenDocument, Session

    session = Session()
    session.set_folders([str(conf.parent)])
    doc = OpenDocument(conf.as_uri(), str(conf), texts[1])
    session.lint(doc, [doc])
    times = []
    for run in range(runs):
        doc.text = texts[run % 2]
        start = time.perf_counter()
        session.lint(doc, [doc])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--peers", type=int, default=0)
    args = parser.parse_args()
    for lines in args.lines:
        r = bench(lines, args.runs, args.peers)
        peers = f" (+{args.peers} peer configs)" if args.peers else ""
        print(f"{r['lines']:>6} lines{peers}: re-lint over stdio median {r['median_ms']:.1f} ms, p90 {r['p90_ms']:.1f} ms; "
              f"in process median {r['in_process_median_ms']:.1f} ms")


if __name__ == "__main__":
    main()
