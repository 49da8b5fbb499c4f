"""``kalint format``: writing, --check, --diff, stdin, refusals and include fragments."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from kalint.cli import main

MESSY = b"vrrp_instance VI_1\n{\n   state   MASTER   # primary\n  priority 100 }\n"
CANONICAL = b"vrrp_instance VI_1 {\n    state MASTER # primary\n    priority 100\n}\n"


def run(*args: str, input: bytes | None = None):  # noqa: A002 (click's name)
    return CliRunner().invoke(main, ["format", *args], input=input)


def write(path: Path, data: bytes, mode: int = 0o640) -> str:
    path.write_bytes(data)
    path.chmod(mode)
    return str(path)


def test_rewrites_in_place_keeping_permissions(tmp_path: Path) -> None:
    conf = write(tmp_path / "keepalived.conf", MESSY)
    result = run(conf)
    assert result.exit_code == 0, result.stderr
    assert Path(conf).read_bytes() == CANONICAL
    assert os.stat(conf).st_mode & 0o777 == 0o640
    assert "reformatted" in result.stderr


def test_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    conf = write(tmp_path / "keepalived.conf", CANONICAL)
    os.utime(conf, (1_000_000, 1_000_000))
    result = run(conf)
    assert result.exit_code == 0
    assert os.stat(conf).st_mtime == 1_000_000


def test_check_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    conf = write(tmp_path / "keepalived.conf", MESSY)
    result = run("--check", conf)
    assert result.exit_code == 1
    assert Path(conf).read_bytes() == MESSY
    assert f"would reformat {conf}" in result.stderr
    assert run("--check", write(tmp_path / "ok.conf", CANONICAL)).exit_code == 0


def test_diff_writes_nothing(tmp_path: Path) -> None:
    conf = write(tmp_path / "keepalived.conf", MESSY)
    result = run("--diff", conf)
    assert result.exit_code == 0
    assert Path(conf).read_bytes() == MESSY
    assert "-{\n" in result.stdout and "+vrrp_instance VI_1 {\n" in result.stdout
    assert run("--diff", "--check", conf).exit_code == 1


def test_stdin_to_stdout() -> None:
    result = run("-", input=MESSY)
    assert result.exit_code == 0
    assert result.stdout_bytes == CANONICAL


def test_indent_options(tmp_path: Path) -> None:
    assert run("--use-tabs", "-", input=MESSY).stdout_bytes == CANONICAL.replace(b"    ", b"\t")
    assert run("--indent-width", "2", "-", input=MESSY).stdout_bytes == CANONICAL.replace(b"    ", b"  ")


def test_undecodable_bytes_and_crlf_are_written_back(tmp_path: Path) -> None:
    conf = write(tmp_path / "k.conf", b"global_defs {\r\n  router_id  \xb0\xff  # \xe9t\xe9\r\n}\r\n")
    assert run(conf).exit_code == 0
    assert Path(conf).read_bytes() == b"global_defs {\r\n    router_id \xb0\xff # \xe9t\xe9\r\n}\r\n"


def test_syntax_errors_are_refused(tmp_path: Path) -> None:
    data = b"vrrp_instance VI_1 {\n  state MASTER\n"
    conf = write(tmp_path / "keepalived.conf", data)
    result = run(conf)
    assert result.exit_code == 2
    assert "KA001" in result.stderr
    assert Path(conf).read_bytes() == data


def test_unreadable_layouts_are_refused(tmp_path: Path) -> None:
    for name, data, code in [
        ("bom.conf", b"\xef\xbb\xbfglobal_defs {\n}\n", "KA010"),
        ("cr.conf", b"global_defs {\r}\r", "KA013"),
        ("nul.conf", b"global_defs {\n router_id a\x00b\n}\n", "KA012"),
        ("long.conf", b"global_defs {\n router_id " + b"x" * 1100 + b"\n}\n", "KA011"),
    ]:
        conf = write(tmp_path / name, data)
        result = run(conf)
        assert result.exit_code == 2, name
        assert code in result.stderr, name
        assert Path(conf).read_bytes() == data


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.conf"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_include_fragment_is_left_with_a_note(tmp_path: Path) -> None:
    main_conf = b"vrrp_instance VI_1 {\n    include body.conf\n"
    body = b"    state MASTER\n}\n"
    write(tmp_path / "keepalived.conf", main_conf)
    fragment = write(tmp_path / "body.conf", body)
    result = run(fragment)
    assert result.exit_code == 0, result.stderr
    assert "include fragment" in result.stderr
    assert Path(fragment).read_bytes() == body
    # The includer balances only with its include read: also a note, not an error.
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "keepalived.conf").read_bytes() == main_conf


def test_unbalanced_file_that_nothing_includes_is_refused(tmp_path: Path) -> None:
    fragment = write(tmp_path / "body.conf", b"    state MASTER\n}\n")
    assert run(fragment).exit_code == 2


def test_fragment_in_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    write(tmp_path / "keepalived.conf", b"global_defs {\n}\nvrrp_instance VI_1 {\ninclude conf.d/*.conf\n")
    fragment = write(tmp_path / "conf.d" / "vi1.conf", b"state MASTER\n}\n")
    result = run(fragment)
    assert result.exit_code == 0, result.stderr
    assert "keepalived.conf" in result.stderr


def test_stdin_refused_writes_nothing_and_diff_works() -> None:
    refused = run("-", input=b"a {\n")
    assert refused.exit_code == 2 and refused.stdout_bytes == b""
    diff = run("--diff", "-", input=MESSY)
    assert diff.exit_code == 0 and b"+    priority 100\n" in diff.stdout_bytes
