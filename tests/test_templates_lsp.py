"""The language server on templates: diagnostics at the template's own lines, for the
saved file and for an unsaved buffer."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsp_client import Client  # noqa: E402

TEMPLATE = (
    "vrrp_instance {{ name }} {\n"
    "    state {{ state }}\n"
    "{% if legacy %}\n"
    "    advert_intx 1\n"
    "{% endif %}\n"
    "    interface eth0\n"
    "    virtual_router_id 51\n"
    "    virtual_ipaddress {\n"
    "        {{ vip }}\n"
    "    }\n"
    "}\n"
)


@pytest.fixture
def client(tmp_path: Path):
    c = Client(cwd=tmp_path)
    yield c
    c.close()


def test_template_diagnostics_at_template_lines(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf.j2"
    path.write_text(TEMPLATE)
    client.initialize(tmp_path)
    uri = client.open(path)
    found = client.diagnostics(uri, lambda d: bool(d))
    assert [(d["code"], d["range"]["start"]["line"]) for d in found] == [("KA101", 3)]
    assert "when `if legacy` is true" in found[0]["message"]
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": TEMPLATE.replace("advert_intx 1", "advert_int 1")}],
    })
    assert client.diagnostics(uri, lambda d: not d) == []
