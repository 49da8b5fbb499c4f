"""Fixes respect `@id` (issue 23, row 8): a line under `@id` and one without are read on
different hosts, and a fix is safe only if keepalived reads the same under every config id.

What keepalived does was checked with keepalived 2.2.7 run in a network namespace with
`-d -i lb1` and `-i lb2` on `@lb1 priority 200` followed by `priority 150`: both hosts
dump `Priority = 150` (on lb1 the later line wins), while `@lb1 advert_int 3` alone gives
lb1 3 seconds and lb2 the default.
"""

from __future__ import annotations

from pathlib import Path

from safety_support import run_cli

HEAD = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"


def _fix(tmp_path: Path, body: str, *flags: str) -> tuple[str, str]:
    path = tmp_path / "keepalived.conf"
    path.write_text(HEAD + body + "}\n")
    run = run_cli(["--isolated", "--select", "KA105", "--fix", *flags, str(path)])
    assert run.code in (0, 1), run.stderr
    return path.read_text(), run.stdout + run.stderr


def test_row_8_an_id_line_and_a_line_without_are_not_duplicates(tmp_path: Path) -> None:
    """The reproducer: `--fix` deleted `priority 150`, and hosts without -i lb1 fell to 100."""
    body = "    @lb1 priority 150\n    priority 150\n"
    text, output = _fix(tmp_path, body)
    assert text == HEAD + body + "}\n"
    assert "KA105" not in output


def test_the_override_idiom_is_not_reported(tmp_path: Path) -> None:
    body = "    priority 100\n    @lb1 priority 150\n    @lb2 priority 120\n"
    text, output = _fix(tmp_path, body)
    assert "KA105" not in output and text == HEAD + body + "}\n"


def test_an_id_line_that_never_takes_effect_is_reported_without_a_fix(tmp_path: Path) -> None:
    body = "    @lb1 priority 200\n    priority 150\n"
    text, output = _fix(tmp_path, body, "--unsafe-fixes")
    assert "`@lb1 priority 200` never takes effect" in output and "(config id: lb1)" in output
    assert text == HEAD + body + "}\n"


def test_repeated_id_lines_get_a_safe_fix(tmp_path: Path) -> None:
    text, _ = _fix(tmp_path, "    priority 100\n    @lb1 priority 150\n    @lb1 priority 150\n")
    assert text == HEAD + "    priority 100\n    @lb1 priority 150\n}\n"


def test_deleting_a_line_every_host_reads_is_unsafe_beside_id_lines(tmp_path: Path) -> None:
    """`priority 100` twice around `@lb2 priority 150`: without the second one lb2 would get
    150 instead of 100, so the fix waits for --unsafe-fixes."""
    body = "    priority 100\n    @lb2 priority 150\n    priority 100\n"
    text, output = _fix(tmp_path, body)
    assert text == HEAD + body + "}\n" and "--unsafe-fixes" in output
    # An `@id` line elsewhere in the block: lb1's reading is the only one kalint sees.
    body = "    priority 100\n    priority 100\n    @lb1 advert_int 3\n"
    text, output = _fix(tmp_path, body)
    assert text == HEAD + body + "}\n" and "--unsafe-fixes" in output
    text, _ = _fix(tmp_path, body, "--unsafe-fixes")
    assert text == HEAD + "    priority 100\n    @lb1 advert_int 3\n}\n"


def test_without_ids_the_fix_stays_safe(tmp_path: Path) -> None:
    text, _ = _fix(tmp_path, "    priority 100\n    priority 100\n")
    assert text == HEAD + "    priority 100\n}\n"
