"""Hostile inputs, one test each: kalint ends with exit 0, 1 or 2, a complete report and
a clear diagnostic, never a traceback, a hang or a RecursionError."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest
from safety_support import check_machine_output, lint_all_formats, run_cli, watchdog

from kalint.text import source

DEPTH = 50_000
CONFIG = "global_defs {\n  router_id lb1\n}\n"


def _codes(runs: dict) -> list[str]:
    return [d["code"] for d in _diagnostics(runs)]


def _syntax(runs: dict) -> list[dict]:
    """The KA0xx findings (reading and parsing), which these tests are about."""
    return [d for d in _diagnostics(runs) if d["code"].startswith("KA0")]


def _diagnostics(runs: dict) -> list[dict]:
    return json.loads(runs["json"].stdout)["diagnostics"]


def _errors(runs: dict) -> list[dict]:
    return json.loads(runs["json"].stdout)["errors"]


def _lint_bytes(tmp_path: Path, data: bytes, name: str = "keepalived.conf") -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    return lint_all_formats([str(path)])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{\n" * DEPTH, id="unclosed-stray"),
        pytest.param("vrrp_instance VI_1 {\n" * DEPTH, id="unclosed-blocks"),
        pytest.param("vrrp_instance VI_1 {\n" * DEPTH + "}\n" * DEPTH, id="balanced-blocks"),
        pytest.param("}\n" * DEPTH, id="extra-closing"),
    ],
)
@pytest.mark.slow
def test_fifty_thousand_nested_braces(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.conf"
    path.write_text(text)
    runs = lint_all_formats([str(path)])
    balanced = text.startswith("vrrp_instance") and text.endswith("}\n")
    braces = [d for d in _syntax(runs) if d["code"] in ("KA001", "KA002")]
    assert bool(braces) != balanced


@pytest.mark.slow
def test_braces_on_one_line(tmp_path: Path) -> None:
    """50,000 braces on one line: every finding's snippet is a window, not the whole line."""
    path = tmp_path / "one-line.conf"
    path.write_text("{" * DEPTH + "}" * DEPTH + "\n")
    runs = lint_all_formats([str(path)])
    assert runs["json"].code == 1
    longest = max(len(line) for line in runs["text"].stdout.splitlines())
    assert longest < 1000


@pytest.mark.slow
def test_five_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "long.conf"
    path.write_text("global_defs {\n  router_id " + "x" * 5_000_000 + "\n}\n")
    runs = lint_all_formats([str(path)])
    assert "KA011" in _codes(runs)
    assert max(len(line) for line in runs["text"].stdout.splitlines()) < 10_000


def test_nul_byte_is_parsed_and_reported(tmp_path: Path) -> None:
    runs = _lint_bytes(tmp_path, b"global_defs {\n  router_id lb\x001\n}\n")
    assert [(d["code"], d["line"], d["column"]) for d in _syntax(runs)] == [("KA012", 2, 15)]
    assert "\\x00" in runs["text"].stdout  # shown escaped, never a raw NUL
    assert "\x00" not in runs["text"].stdout


def test_latin1_is_linted_and_named(tmp_path: Path) -> None:
    runs = _lint_bytes(tmp_path, "global_defs {\n  router_id caf\u00e9\n}\n".encode("latin-1"))
    (diag,) = _syntax(runs)
    assert (diag["code"], diag["severity"], diag["line"]) == ("KA014", "info", 2)
    assert "UTF-8" in diag["message"]
    assert runs["json"].code == 0
    assert "\\xE9" in runs["text"].stdout


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused_with_the_encoding_named(tmp_path: Path, codec: str) -> None:
    runs = _lint_bytes(tmp_path, CONFIG.encode(codec))
    assert runs["json"].code == 2
    (error,) = _errors(runs)
    assert "UTF-16" in error["message"]
    assert "UTF-16" in runs["json"].stderr and "Traceback" not in runs["json"].stderr


def test_an_executable_is_binary_not_utf16(tmp_path: Path) -> None:
    """An ELF file has long NUL runs that once passed for UTF-16; it is named for what it is."""
    elf = sys.executable if open(sys.executable, "rb").read(4) == b"\x7fELF" else None
    data = open(elf, "rb").read(65536) if elf else b"\x7fELF\x02\x01\x01" + bytes(4096)
    runs = _lint_bytes(tmp_path, data)
    assert runs["json"].code == 2
    (error,) = _errors(runs)
    assert "binary (an ELF executable or library)" in error["message"] and "UTF-16" not in error["message"]


def test_crlf_is_parsed_like_lf(tmp_path: Path) -> None:
    text = "vrrp_script chk {\n  script /bin/true\n}\nvrrp_instance VI_1 {\n  track_script {\n    chek\n  }\n}\n"
    lf = _diagnostics(_lint_bytes(tmp_path, text.encode(), "lf.conf"))
    crlf = _diagnostics(_lint_bytes(tmp_path, text.replace("\n", "\r\n").encode(), "crlf.conf"))
    assert {"KA201", "KA202"} <= {d["code"] for d in lf}
    assert json.dumps(crlf).replace("crlf.conf", "lf.conf") == json.dumps(lf)


def test_utf8_bom_is_reported(tmp_path: Path) -> None:
    runs = _lint_bytes(tmp_path, b"\xef\xbb\xbf" + CONFIG.encode())
    assert "KA010" in _codes(runs)


def test_cr_only_line_ends_are_reported(tmp_path: Path) -> None:
    runs = _lint_bytes(tmp_path, CONFIG.replace("\n", "\r").encode())
    assert "KA013" in _codes(runs)


def test_file_including_itself(tmp_path: Path) -> None:
    runs = _lint_bytes(tmp_path, b"include keepalived.conf\n" + CONFIG.encode())
    assert [(d["code"], d["line"]) for d in _syntax(runs)] == [("KA005", 1)]


def test_include_cycle_across_files(tmp_path: Path) -> None:
    (tmp_path / "b.conf").write_text("include c.conf\n")
    (tmp_path / "c.conf").write_text("include a.conf\n" + CONFIG)
    runs = _lint_bytes(tmp_path, b"include b.conf\n", "a.conf")
    (diag,) = _syntax(runs)
    assert diag["code"] == "KA005" and diag["path"].endswith("c.conf") and diag["line"] == 1
    assert "a.conf -> b.conf -> c.conf -> a.conf" in diag["message"]


def test_glob_matching_thousands_of_files(tmp_path: Path) -> None:
    conf_d = tmp_path / "conf.d"
    conf_d.mkdir()
    for i in range(3000):
        (conf_d / f"{i:04}.conf").write_text(f"vrrp_script chk_{i} {{\n  script /bin/true\n}}\n")
    runs = _lint_bytes(tmp_path, b"include conf.d/*.conf\n")
    assert _codes(runs).count("KA202") == 3000 and not _syntax(runs)


def _make_fifo(path: Path) -> None:
    os.mkfifo(path)


def _make_socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


def _make_directory(path: Path) -> None:
    path.mkdir()


def _make_symlink_loop(path: Path) -> None:
    other = path.with_name("loop-other")
    other.symlink_to(path.name)
    path.symlink_to(other.name)


def _make_executable(path: Path) -> None:
    path.write_text(CONFIG)
    path.chmod(0o755)


SPECIAL = {
    "fifo": (_make_fifo, "not a regular file"),
    "socket": (_make_socket, "not a regular file"),
    "directory": (_make_directory, "a directory"),
    "symlink-loop": (_make_symlink_loop, "symbolic links"),
    "executable": (_make_executable, "executable"),
}


@pytest.mark.parametrize("kind", SPECIAL)
def test_special_include_is_refused_at_the_include_line(tmp_path: Path, kind: str) -> None:
    make, words = SPECIAL[kind]
    make(tmp_path / "special")
    runs = _lint_bytes(tmp_path, b"global_defs {\n}\ninclude special\n")
    (diag,) = _syntax(runs)
    assert (diag["code"], diag["line"]) == ("KA007", 3)
    assert words in diag["message"]


def test_include_of_dev_zero_is_refused(tmp_path: Path) -> None:
    """Outside the tree (KA008) by default; opted in, still never read (KA007)."""
    for allow, code in (([], "KA008"), (["--allow-outside-includes"], "KA007")):
        runs = lint_all_formats([*allow, str(_write(tmp_path, "include /dev/zero\n"))])
        (diag,) = _syntax(runs)
        assert (diag["code"], diag["line"]) == (code, 1)
    assert "not a regular file" in diag["message"]


@pytest.mark.parametrize("kind", ["fifo", "socket", "symlink-loop"])
def test_special_file_given_as_path_is_refused(tmp_path: Path, kind: str) -> None:
    SPECIAL[kind][0](tmp_path / "special")
    runs = lint_all_formats([str(tmp_path / "special")])
    assert runs["json"].code == 2 and _errors(runs)


def test_fifo_swapped_in_after_the_check_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file replaced by a FIFO between stat() and open() is still refused."""
    fifo = tmp_path / "swapped.conf"
    os.mkfifo(fifo)
    regular = os.stat(_write(tmp_path, CONFIG))
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: regular if str(p) == str(fifo) else real_stat(p, *a, **k))
    with watchdog(60), pytest.raises(source.SourceError, match="not a regular file"):
        source.read_bytes(str(fifo))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit 2 with the reason; as root (CI) mode 000 does not stop reads, so EACCES is simulated."""
    path = _write(tmp_path, CONFIG)
    path.chmod(0)
    if os.geteuid() == 0:
        for owner, name in ((os, "open"), (__import__("builtins"), "open")):
            monkeypatch.setattr(owner, name, _denying(getattr(owner, name), str(path)))
    runs = lint_all_formats([str(path)])
    assert runs["json"].code == 2
    assert "Permission denied" in _errors(runs)[0]["message"]


def _denying(real_open, denied_path: str):  # type: ignore[no-untyped-def]
    """``open``/``os.open`` failing with EACCES for one path, as for a non-root user."""

    def fake_open(p, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(p) == denied_path:
            raise PermissionError(13, "Permission denied", denied_path)
        return real_open(p, *args, **kwargs)

    return fake_open


def test_included_file_vanishing_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "conf.d").mkdir()
    _write(tmp_path / "conf.d", CONFIG, "gone.conf")
    real_listdir = os.listdir

    def list_then_delete(directory: str = ".") -> list[str]:
        found = real_listdir(directory)
        if os.path.basename(os.path.normpath(directory)) == "conf.d":
            for name in found:
                os.unlink(os.path.join(directory, name))
        return found

    monkeypatch.setattr(os, "listdir", list_then_delete)
    run = run_cli(["--format", "json", str(_write(tmp_path, "include conf.d/*.conf\n"))])
    (diag,) = [d for d in check_machine_output("json", run)["diagnostics"] if d["code"].startswith("KA0")]
    assert (diag["code"], diag["line"]) == ("KA007", 1)


def test_config_vanishing_during_a_directory_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kalint import discovery

    _write(tmp_path, CONFIG, "a.conf")
    _write(tmp_path, CONFIG, "b.conf")
    real_find = discovery.find_configs

    def find_then_delete(directory: str) -> list[str]:
        found = real_find(directory)
        os.unlink(found[0])
        return found

    monkeypatch.setattr(discovery, "find_configs", find_then_delete)
    run = run_cli(["--format", "json", str(tmp_path)])
    doc = check_machine_output("json", run)
    assert run.code == 2
    assert [e["path"] for e in doc["errors"]] == [str(tmp_path / "a.conf")]
    assert all(d["path"].endswith("b.conf") for d in doc["diagnostics"])


def _write(directory: Path, text: str, name: str = "keepalived.conf") -> Path:
    path = directory / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("blank", ["\x1c", "\x1f", "\x85", "\u00a0", "\u3000"])
def test_only_ascii_blanks_separate_words(tmp_path: Path, blank: str) -> None:
    """keepalived splits on its WHITE_SPACE (" \\t\\f\\n\\r\\v"); other characters, even
    Unicode spaces and a statement starting with one, belong to a word."""
    from kalint.syntax import parser
    from kalint.text import expand

    text = f"{blank}{{}}\nglobal_defs {{\n  router_id a{blank}b\n  {blank}x\n}}\n"
    lint_all_formats([str(_write(tmp_path, text))])
    doc = parser.parse(expand.expand(source.SourceFile("t.conf", text)))
    global_defs = doc.items[1]
    assert [w.text for s in global_defs.children for w in s.words] == ["router_id", f"a{blank}b", f"{blank}x"]


def test_undecodable_config_id_is_escaped_in_every_report(tmp_path: Path) -> None:
    """``@\\x80 ...`` names a config id that is not UTF-8 (found by the fuzz tests)."""
    runs = _lint_bytes(tmp_path, b"@\x80 global_defs {\n}\n")
    assert {d["config_id"] for d in _diagnostics(runs)} == {"\\x80"}
    assert "config id: \\x80" in runs["text"].stdout


def test_nested_generators_are_bounded(tmp_path: Path) -> None:
    """~SEQ inside ~SEQ would produce 10^8 lines: one budget for the whole config."""
    runs = _lint_bytes(tmp_path, b"~SEQ(i, 1, 10000) ~SEQ(j, 1, 10000) vrrp_script s_${i}_$j { script /bin/true }\n")
    (diag,) = [d for d in _syntax(runs) if d["code"] == "KA017"]
    assert diag["severity"] == "info" and "10000 lines" in diag["message"]


def test_exponential_substitution_is_bounded(tmp_path: Path) -> None:
    """Each $A<k> is ten $A<k-1>: substitution stops at keepalived's line length, as
    replace_param() does ("would exceed maximum line length"), and the line stays as
    written."""
    lines = ["$A0=xxxxxxxxxx"] + [f"$A{k}=" + " ".join([f"$A{k - 1}"] * 10) for k in range(1, 12)]
    runs = _lint_bytes(tmp_path, ("\n".join(lines) + "\nglobal_defs {\n  router_id $A11\n}\n").encode())
    assert runs["json"].code in (0, 1)
    assert "xxxxxxxxxx xxxxxxxxxx" not in runs["text"].stdout


def test_directory_walk_does_not_block_on_a_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO named like a config, even one that passes an earlier is-a-file check."""
    from kalint import discovery

    os.mkfifo(tmp_path / "keepalived.conf")
    _write(tmp_path, CONFIG, "lb.conf")
    monkeypatch.setattr(os.path, "isfile", lambda p: True)
    with watchdog(60):
        assert discovery.find_configs(str(tmp_path)) == [str(tmp_path / "lb.conf")]


def test_placement_paths_stay_short_in_deep_nesting() -> None:
    """The KA1xx parser replay names each written block by its keyword path; past any
    keyword keepalived knows, the path must stop growing (50,000 levels made it build
    50,000 ever longer strings: quadratic)."""
    from kalint import model
    from kalint.rules import _placement
    from kalint.syntax import parser
    from kalint.syntax.tree import Block
    from kalint.text import expand

    text = "vrrp_instance VI_1 {\n" * 2 + "x {\n" * DEPTH
    config = model.build(parser.parse(expand.expand(source.SourceFile("deep.conf", text))), None)
    longest, path, block = 0, "", config.document.items[0]
    while isinstance(block, Block):
        path = _placement.child_path(path, block)
        longest = max(longest, len(path))
        block = block.children[0] if block.children else None
    assert longest <= len("vrrp_instance")


def test_a_stray_brace_in_every_block_crashes_no_rule() -> None:
    """`{ }` with no keyword inside each block and list keepalived knows, before and after
    an entry: a block without words among the entries (KA002 reports it) must not make a
    rule index its first word (KA332 did, found by the bounds fuzz test)."""
    from kalint.engine import Linter, LintOptions
    from kalint.model import schema
    from kalint.settings import Resolver

    linter = Linter(LintOptions(settings=Resolver(isolated=True)))
    crashed = {}
    for path, spec in schema.SPECS.items():
        if spec.kind not in ("block", "list"):
            continue
        parts = path.split(".")
        head = "".join(f"{'    ' * depth}{part} X {{\n" for depth, part in enumerate(parts))
        inner = "    " * len(parts)
        tail = "".join(f"{'    ' * depth}}}\n" for depth in reversed(range(len(parts))))
        result = linter.lint_paths(["-"], stdin=f"{head}{inner}{{ }}\n{inner}x\n{inner}{{ }}\n{tail}".encode())
        messages = [d.message for d in result.diagnostics if d.code == "KA000"] + [e for _, e in result.errors]
        if messages:
            crashed[path] = messages
    assert crashed == {}
