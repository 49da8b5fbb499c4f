"""The language server's memory stays flat while the user types (issue 23, row 1).

The one-shot CLI turns the cyclic garbage collector off; the server, started through the
same entry point, once inherited that and grew by about 1.45 MB per keystroke on a
2k-line config (every analysis it dropped stayed in memory).
"""

from __future__ import annotations

import random
import sys

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsp_client import Client, generate  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads RSS from /proc")


@pytest.mark.slow
def test_rss_stays_flat_over_500_edits_on_a_2k_line_file(tmp_path):
    conf = tmp_path / "keepalived.conf"
    text = generate(2000)
    conf.write_text(text)
    lines = text.split("\n")
    rng = random.Random(23)
    client = Client(cwd=tmp_path)
    try:
        client.initialize(tmp_path, {"debounce": 0})
        uri = client.open(conf)
        client.diagnostics(uri, timeout=120)
        samples = []
        for version in range(2, 502):
            # Type a character at a random place, then delete it again: the text keeps its
            # size, so any growth is what the server keeps.
            if version % 2 == 0:
                line = rng.randrange(len(lines) - 1)
                change = {"range": _range(line, 0, line, 0), "text": "x"}
            else:
                change = {"range": _range(line, 0, line, 1), "text": ""}
            client.change(uri, version, [change])
            client.published(uri, version, timeout=60)
            if version in (101, 501):
                samples.append(client.rss_mb())
    finally:
        client.close()
    warm, last = samples
    assert last - warm <= 20, f"RSS grew from {warm:.0f} MB after 100 edits to {last:.0f} MB after 500"


def _range(line: int, start: int, end_line: int, end: int) -> dict:
    return {"start": {"line": line, "character": start}, "end": {"line": end_line, "character": end}}


def test_the_server_runs_with_the_collector_on_and_the_cli_keeps_it_off(monkeypatch):
    """The fast guard of the test above: ``kalint lsp`` turns the collector back on, the
    one-shot commands keep the CLI's speed trick."""
    import gc

    import kalint.lsp.server
    import kalint.registry
    from kalint import cli

    seen = []
    load = kalint.registry.load
    monkeypatch.setattr(kalint.lsp.server, "serve", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(kalint.registry, "load", lambda: seen.append(gc.isenabled()) or load())
    try:
        for argv in (["kalint", "lsp"], ["kalint", "rules"]):
            monkeypatch.setattr(sys, "argv", argv)
            with pytest.raises(SystemExit):
                cli.run()
    finally:
        gc.enable()
    assert seen == [True, False]
