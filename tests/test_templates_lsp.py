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


def test_hover_and_definition_on_a_template(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf.j2"
    path.write_text(
        "vrrp_script chk_{{ svc }} {\n    script \"/bin/true\"\n}\n"
        "vrrp_script chk_web {\n    script \"/bin/true\"\n}\n"
        "vrrp_instance {{ name }} {\n    state {{ state }}\n    track_script {\n        chk_web\n    }\n}\n"
    )
    client.initialize(tmp_path)
    uri = client.open(path)
    client.diagnostics(uri)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 7, "character": 5}})
    assert hover and "state" in str(hover["contents"])
    where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                       "position": {"line": 9, "character": 10}})
    targets = where if isinstance(where, list) else [where]
    assert [t["range"]["start"]["line"] for t in targets] == [3]
