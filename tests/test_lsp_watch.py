"""Watched files (``workspace/didChangeWatchedFiles``): with a client that reports file
changes, the server searches a workspace folder for configs once, not on every
keystroke, and searches again when a change is reported."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsp_client import Client  # noqa: E402


def _instance(state: str, vrid: int, priority: int) -> str:
    return (f"vrrp_instance VI_1 {{\n    state {state}\n    interface eth0\n    virtual_router_id {vrid}\n"
            f"    priority {priority}\n    virtual_ipaddress {{\n        192.0.2.10/24\n    }}\n}}\n")


def _codes_after_an_edit(client: Client, uri: str, version: int) -> set[str]:
    """Type a comment at the top of the file and take it out again: the codes the server
    publishes for the document then."""
    at = {"line": 0, "character": 0}
    client.change(uri, version, [{"range": {"start": at, "end": at}, "text": "# x\n"}])
    client.published(uri, version, timeout=60)
    end = {"line": 1, "character": 0}
    client.change(uri, version + 1, [{"range": {"start": at, "end": end}, "text": ""}])
    return {d.get("code") for d in client.published(uri, version + 1, timeout=60)}


@pytest.mark.parametrize("watch", [True, False])
def test_a_new_peer_shows_when_the_client_reports_it(tmp_path, watch):
    main = tmp_path / "b.conf"
    main.write_text(_instance("BACKUP", 52, 100))
    client = Client(cwd=tmp_path)
    try:
        client.initialize(tmp_path, {"debounce": 0}, watch=watch)
        uri = client.open(main)
        client.diagnostics(uri, timeout=60)
        registered = [r for r in client.server_requests if r["method"] == "client/registerCapability"]
        methods = [reg["method"] for r in registered for reg in r["params"]["registrations"]]
        assert methods == (["workspace/didChangeWatchedFiles"] if watch else [])
        assert "KA401" not in _codes_after_an_edit(client, uri, 2)
        peer = tmp_path / "a.conf"  # a peer with another VRID for the same VIP: KA401 on b.conf
        peer.write_text(_instance("MASTER", 51, 150))
        # Watched, the folder is not searched again until the client reports the change.
        assert ("KA401" in _codes_after_an_edit(client, uri, 4)) is not watch
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": peer.as_uri(), "type": 1}]})
        assert "KA401" in _codes_after_an_edit(client, uri, 6)
    finally:
        client.close()
