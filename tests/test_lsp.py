"""End to end: a real LSP client talks to ``kalint lsp`` over stdio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from lsp_client import Client, LspError  # noqa: E402

SEED = """\
! seed-style: the maintenance switch tracks a script that does not exist
vrrp_script check_test {
    script "/etc/keepalived/check_test1.sh"
    interval 2
}

vrrp_script check_test_mode {
    script "/etc/keepalived/check_test3.sh"
    interval 2
    weight 50
}

vrrp_script chk_load {
    script "/etc/keepalived/load.sh"
    weight -20
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 101
    advert_int 1
    virtual_ipaddress {
        172.20.100.98
    }
    track_script {
      check_test
      chk_load
      maintenance_mode
    }
}
"""
KA201_LINE = SEED.splitlines().index("      maintenance_mode")
KA202_LINE = SEED.splitlines().index("vrrp_script check_test_mode {")


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def apply_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP TextEdits (UTF-16 positions) the way an editor does."""
    lines = text.split("\n")

    def offset(pos: dict) -> int:
        before = sum(len(line) + 1 for line in lines[: pos["line"]])
        line = lines[pos["line"]] if pos["line"] < len(lines) else ""
        units = 0
        for i, char in enumerate(line):
            if units >= pos["character"]:
                return before + i
            units += utf16(char)
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


@pytest.fixture
def client(tmp_path):
    c = Client(cwd=tmp_path)
    yield c
    c.close()


#: The findings these tests are about; other rules' findings on the same text do not matter here.
FOCUS = {"KA201", "KA202"}


def focus(diagnostics: list[dict]) -> list[dict]:
    return [d for d in diagnostics if d.get("code") in FOCUS]


def by_code(diagnostics: list[dict]) -> dict[str, dict]:
    return {d["code"]: d for d in diagnostics}


def test_seed_example_end_to_end(client, tmp_path):
    conf = tmp_path / "keepalived.conf"
    conf.write_text(SEED)
    caps = client.initialize(tmp_path)["capabilities"]
    for provider in ("hoverProvider", "completionProvider", "definitionProvider", "referencesProvider",
                     "renameProvider", "codeActionProvider"):
        assert caps.get(provider), provider

    uri = client.open(conf)
    found = by_code(client.diagnostics(uri))
    assert FOCUS <= set(found)
    ka201 = found["KA201"]
    assert ka201["range"] == {"start": {"line": KA201_LINE, "character": 6},
                              "end": {"line": KA201_LINE, "character": 22}}
    assert ka201["severity"] == 1 and ka201["source"] == "kalint"
    assert "check_test_mode" in ka201["message"]
    assert ka201["codeDescription"]["href"].endswith("#ka201")
    assert ka201["relatedInformation"][0]["location"]["range"]["start"]["line"] == KA202_LINE
    ka202 = found["KA202"]
    assert ka202["severity"] == 2
    assert ka202["range"] == {"start": {"line": KA202_LINE, "character": 0},
                              "end": {"line": KA202_LINE, "character": len("vrrp_script check_test_mode")}}

    # hover: a tracked script shows its definition; priority shows its effective range
    ref_line = SEED.splitlines().index("      check_test")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": ref_line, "character": 8}})
    assert 'script "/etc/keepalived/check_test1.sh"' in hover["contents"]["value"]
    prio_line = SEED.splitlines().index("    priority 101")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": prio_line, "character": 6}})
    assert "81..101" in hover["contents"]["value"]

    # definition of a tracked script
    locations = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                           "position": {"line": ref_line, "character": 7}})
    assert locations == [{"uri": uri, "range": {"start": {"line": 1, "character": 12},
                                                "end": {"line": 1, "character": 22}}}]

    # completion inside vrrp_instance: keywords, enum values after `state`, script names in track_script
    inst_line = SEED.splitlines().index("    advert_int 1")
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": inst_line, "character": 0}})
    labels = {i["label"] for i in items["items"]}
    assert {"priority", "state", "virtual_router_id"} <= labels and "script" not in labels
    state_line = SEED.splitlines().index("    state MASTER")
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": state_line, "character": 10}})
    assert {i["label"] for i in items["items"]} >= {"MASTER", "BACKUP"}
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": KA201_LINE, "character": 6}})
    assert {i["label"] for i in items["items"]} == {"check_test", "check_test_mode", "chk_load"}

    # a code action applied: disable KA201 for this line
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": ka201["range"], "context": {"diagnostics": [ka201]}})
    disable = next(a for a in actions if a["title"] == "Disable KA201 for this line")
    text = apply_edits(SEED, disable["edit"]["changes"][uri])
    assert "      maintenance_mode ! kalint: disable=KA201\n" in text
    rename = next(a for a in actions if a["title"].startswith("rename `maintenance_mode` to `check_test_mode`"))
    assert rename["isPreferred"] is False and "changes what keepalived does" in rename["title"]
    assert "      check_test_mode\n" in apply_edits(SEED, rename["edit"]["changes"][uri])

    # didChange that fixes the bug clears both findings
    fixed = SEED.replace("      maintenance_mode", "      check_test_mode")
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": ka201["range"], "text": "check_test_mode"}],
    })
    assert focus(client.diagnostics(uri, lambda d: not focus(d))) == []
    assert conf.read_text() == SEED  # nothing was written
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": prio_line, "character": 6}})
    assert "81..151" in hover["contents"]["value"]
    assert fixed.count("check_test_mode") == 2


def test_utf16_ranges_on_non_ascii_lines(client, tmp_path):
    conf = tmp_path / "keepalived.conf"
    text = (
        "vrrp_script é💥_chk {\n"
        "    script \"/bin/true\"\n"
        "}\n"
        "vrrp_script ünused💥 {\n"
        "    script \"/bin/true\"\n"
        "}\n"
        "vrrp_instance VI_1 {\n"
        "    track_script {\n"
        "      é💥_chk\n"
        "      naïve💥 weight 5\n"
        "    }\n"
        "}\n"
    )
    conf.write_text(text, encoding="utf-8")
    client.initialize(tmp_path)
    uri = client.open(conf)
    found = by_code(client.diagnostics(uri))
    assert found["KA202"]["range"]["end"] == {"line": 3, "character": utf16("vrrp_script ünused💥")}
    assert found["KA201"]["range"] == {"start": {"line": 9, "character": 6},
                                       "end": {"line": 9, "character": 6 + utf16("naïve💥")}}
    # a cursor after the astral character still lands in the word
    locations = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                           "position": {"line": 8, "character": 6 + 4}})
    assert locations[0]["range"] == {"start": {"line": 0, "character": 12},
                                     "end": {"line": 0, "character": 12 + utf16("é💥_chk")}}


def test_references_and_rename_across_an_include(client, tmp_path):
    (tmp_path / "keepalived.conf").write_text(
        "include scripts.conf\nvrrp_instance VI_1 {\n    track_script {\n        chk\n    }\n}\n"
        "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n    track_script {\n        \"chk\"\n    }\n}\n")
    (tmp_path / "scripts.conf").write_text("vrrp_script chk {\n    script \"/bin/true\"\n}\n")
    client.initialize(tmp_path)
    uri = client.open(tmp_path / "keepalived.conf")
    assert focus(client.diagnostics(uri)) == []
    refs = client.request("textDocument/references", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 9},
                                                      "context": {"includeDeclaration": True}})
    assert {(r["uri"].rsplit("/", 1)[1], r["range"]["start"]["line"]) for r in refs} == {
        ("keepalived.conf", 3), ("keepalived.conf", 11), ("scripts.conf", 0)}
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 9},
                                                  "newName": "chk_nginx"})
    changed = {u.rsplit("/", 1)[1]: apply_edits((tmp_path / u.rsplit("/", 1)[1]).read_text(), e)
               for u, e in edit["changes"].items()}
    assert "vrrp_script chk_nginx {" in changed["scripts.conf"]
    assert "        chk_nginx\n" in changed["keepalived.conf"] and '"chk_nginx"' in changed["keepalived.conf"]
    with pytest.raises(LspError):
        client.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 9},
                                               "newName": "two words"})
    locations = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                           "position": {"line": 8, "character": 9}})
    assert locations[0]["range"]["start"]["line"] == 1


def test_half_typed_and_hostile_text_never_crashes(client, tmp_path):
    conf = tmp_path / "keepalived.conf"
    conf.write_bytes(b"\xef\xbb\xbfvrrp_instance VI_1 {\n  state \xff\n")
    client.initialize(tmp_path)
    uri = client.open(conf, text="vrrp_instance VI_1 {\n  state \ufffd\n")
    # a request right after opening must not lose the findings read from the disk
    client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}})
    found = by_code(client.diagnostics(uri))
    assert {"KA010", "KA014"} <= set(found)  # from the bytes on disk: BOM, invalid UTF-8
    assert found["KA010"]["range"]["start"] == {"line": 0, "character": 0}
    # positions are in the text the editor shows, which has no BOM
    assert found["KA014"]["range"]["start"] == {"line": 1, "character": 8}
    version = 1
    for partial in ('vrrp_instance VI_1 {\n  track_script { "\n', "}}}{{{\x00\n", 'vrrp_script "', "\n" * 3):
        version += 1
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": partial}]})
        for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
            client.request(method, {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 99}})
    version += 1
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [{"text": SEED}]})
    assert {"KA201", "KA202"} <= {d.get("code") for d in client.diagnostics(uri, lambda d: any(x.get("code") == "KA201" for x in d))}


def test_without_pygls_says_how_to_install(tmp_path):
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('No module named pygls')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "kalint", "lsp"], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2
    assert "pip install 'kalint[lsp]'" in proc.stderr


def _cli_findings(folder: Path, name: str) -> list[tuple]:
    import json

    proc = subprocess.run([sys.executable, "-m", "kalint", "check", "--format", "json", str(folder)],
                          capture_output=True, text=True, timeout=60)
    found = json.loads(proc.stdout)["diagnostics"]
    return sorted((d["code"], d["line"] - 1, d["message"]) for d in found if Path(d["path"]).name == name)


def test_same_findings_as_the_cli_on_the_folder(client, tmp_path):
    (tmp_path / "lb-a.conf").write_text("include common.conf\n" + SEED)
    (tmp_path / "lb-b.conf").write_text(SEED.replace("priority 101", "priority 100"))
    (tmp_path / "common.conf").write_text("vrrp_script chk_spare {\n    script \"/bin/true\"\n}\n")
    client.initialize(tmp_path)
    for name in ("lb-a.conf", "common.conf"):
        uri = client.open(tmp_path / name)
        lsp_found = sorted((d["code"], d["range"]["start"]["line"], d["message"].split("\nhelp: ")[0])
                           for d in client.diagnostics(uri))
        assert lsp_found == _cli_findings(tmp_path, name)
        assert lsp_found  # both files have findings (KA202 for chk_spare comes from lb-a.conf)


def test_unsaved_buffer_of_an_include_changes_the_findings_of_its_root(client, tmp_path):
    (tmp_path / "keepalived.conf").write_text(
        "include scripts.conf\nvrrp_instance VI_1 {\n    track_script {\n        chk\n    }\n}\n")
    (tmp_path / "scripts.conf").write_text("vrrp_script chk {\n    script \"/bin/true\"\n}\n")
    client.initialize(tmp_path)
    root = client.open(tmp_path / "keepalived.conf")
    assert focus(client.diagnostics(root)) == []
    part = client.open(tmp_path / "scripts.conf")
    assert focus(client.diagnostics(part)) == []
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": part, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 15}},
                            "text": "chk_renamed"}],
    })
    codes = {d["code"] for d in focus(client.diagnostics(root, lambda d: bool(focus(d))))}
    assert codes == {"KA201"}
    assert {d["code"] for d in focus(client.diagnostics(part, lambda d: bool(focus(d))))} == {"KA202"}


def test_untitled_buffer_is_linted_as_stdin(client, tmp_path):
    client.initialize(tmp_path)
    uri = "untitled:Untitled-1"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "keepalived",
                                                            "version": 1, "text": SEED}})
    found = by_code(client.diagnostics(uri))
    assert FOCUS <= set(found)
    assert found["KA201"]["range"]["start"] == {"line": KA201_LINE, "character": 6}
    assert found["KA201"]["relatedInformation"][0]["location"]["uri"] == uri


def test_undecodable_bytes_are_shown_as_hex(client, tmp_path):
    (tmp_path / "keepalived.conf").write_text(
        "include scripts.conf\nvrrp_instance VI_1 {\n    track_script {\n        chk\n    }\n}\n")
    (tmp_path / "scripts.conf").write_bytes(
        b'vrrp_script chk {\n    script "/bin/ch\xffk"\n}\nvrrp_script b\xe9d {\n    script "/bin/true"\n}\n')
    client.initialize(tmp_path)
    uri = client.open(tmp_path / "keepalived.conf")
    client.diagnostics(uri)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 3, "character": 9}})
    assert 'script "/bin/ch\\xFFk"' in hover["contents"]["value"]
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": 3, "character": 8}})
    assert [i["label"] for i in items["items"]] == ["chk"]
    part = client.open(tmp_path / "scripts.conf", text=(tmp_path / "scripts.conf").read_bytes().decode("utf-8", "replace"))
    messages = [d["message"] for d in client.diagnostics(part)]
    assert any("b\\xE9d" in m for m in messages)  # an unedited buffer: the file's own bytes, as the CLI


def test_broken_kalint_settings_are_shown_not_fatal(client, tmp_path):
    """A typo in .kalint.toml stops a CLI run (exit 2); the server shows it on the document
    and keeps answering."""
    (tmp_path / ".kalint.toml").write_text('select = ["KA2O1"]\n')
    client.initialize(tmp_path)
    uri = client.open(tmp_path / "keepalived.conf", text=SEED)
    messages = [d["message"] for d in client.diagnostics(uri)]
    assert any("`KA2O1` is no rule code" in m and "did you mean `KA201`?" in m for m in messages), messages
    assert not any("internal error" in m for m in messages), messages
    (tmp_path / ".kalint.toml").write_text('select = ["KA201"]\n')
    edited = client.open(tmp_path / "other.conf", text=SEED)
    assert {d["code"] for d in client.diagnostics(edited)} == {"KA201"}
