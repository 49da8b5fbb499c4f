"""Inline suppressions, the unused-suppression report (KA901), and --fix / --diff."""

from __future__ import annotations

import os
from pathlib import Path

from clihelp import SEED_BUG, kalint, write

from kalint.diagnostic import Diagnostic, Edit, Fix
from kalint.engine import Linter, LintOptions
from kalint.fix import plan
from kalint.settings import Overrides, Resolver
from kalint.syntax.span import Span
from kalint.text.source import SourceFile

SUPPRESSED = SEED_BUG.replace("maintenance_mode", "maintenance_mode    ! kalint: disable=KA201")


def lint(path: Path, **overrides: object) -> list[str]:
    settings = Resolver(Overrides(**overrides), isolated=True)  # type: ignore[arg-type]
    result = Linter(LintOptions(settings=settings)).lint_paths([str(path)])
    return [f"{d.span.line}:{d.code}" for d in result.diagnostics]


def test_trailing_next_line_and_file_suppressions(tmp_path: Path) -> None:
    conf = write(tmp_path / "k.conf", "# kalint: disable-file=unused-vrrp-script\n" + SUPPRESSED)
    assert lint(conf) == []
    next_line = "        # kalint: disable-next-line=KA201\n"
    conf.write_text(SEED_BUG.replace("        maintenance_mode", next_line + "        maintenance_mode"))
    assert lint(conf) == ["1:KA202"]


def test_unused_suppression_is_reported_only_for_selected_codes(tmp_path: Path) -> None:
    conf = write(tmp_path / "k.conf", SEED_BUG.replace("state MASTER", "state MASTER  ! kalint: disable=KA202"))
    assert lint(conf) == ["1:KA202", "8:KA901", "16:KA201"]
    assert lint(conf, select=("KA201",)) == ["16:KA201"]
    assert lint(conf, ignore=("KA901",)) == ["1:KA202", "16:KA201"]


def test_fix_removes_unused_suppressions(tmp_path: Path) -> None:
    original = "! kalint: disable-file=KA202\n" + SEED_BUG.replace(
        "    state MASTER\n", "    ! kalint: disable-next-line=KA201\n    state MASTER   ! kalint: disable=KA201 -- old note\n"
    ).replace("maintenance_mode", "maintenance_mode ! kalint: disable=KA999,KA201")
    conf = write(tmp_path / "keepalived.conf", original)
    os.chmod(conf, 0o640)
    diff = kalint("--isolated", "--diff", str(conf))
    assert diff.code == 1 and conf.read_text() == original
    assert "-    ! kalint: disable-next-line=KA201\n" in diff.stdout
    run = kalint("--isolated", "--fix", str(conf))
    assert run.code == 0, run.stdout
    assert "fixed 3 problems in 1 file" in run.stderr
    expected = "! kalint: disable-file=KA202\n" + SEED_BUG.replace("maintenance_mode", "maintenance_mode ! kalint: disable=KA201")
    assert conf.read_text() == expected
    assert os.stat(conf).st_mode & 0o777 == 0o640


def test_fix_leaves_files_without_fixes_untouched(tmp_path: Path) -> None:
    conf = write(tmp_path / "keepalived.conf", SEED_BUG)
    os.utime(conf, (1_000_000, 1_000_000))
    run = kalint("--isolated", "--fix", str(conf))
    assert run.code == 1 and os.stat(conf).st_mtime == 1_000_000
    assert kalint("--isolated", "--diff", str(conf)).code == 0


def test_unsafe_fixes_need_the_flag_and_overlaps_wait() -> None:
    source = SourceFile("k.conf", "state MASTR\nstate MASTR\n")

    def diag(line: int, text: str, safe: bool) -> Diagnostic:
        span = Span("k.conf", line, 7, line, 12)
        return Diagnostic("KA101", "x", span, fix=Fix("rename", (Edit(span, text),), safe=safe))

    findings = [diag(1, "MASTER", False), diag(1, "BACKUP", True), diag(2, "MASTER", False)]
    assert [f.text for f in plan(findings, {"k.conf": source})] == ["state BACKUP\nstate MASTR\n"]
    fixes = plan(findings, {"k.conf": source}, unsafe=True)
    assert [f.text for f in fixes] == ["state MASTER\nstate MASTER\n"]
    assert len(fixes[0].fixed) == 2


def test_no_fix_in_a_file_that_did_not_parse(tmp_path: Path) -> None:
    text = "vrrp_instance VI_1 {\n    state MASTER ! kalint: disable=KA201\n"
    conf = write(tmp_path / "keepalived.conf", text)
    kalint("--isolated", "--fix", str(conf))
    assert conf.read_text() == text


TYPOS = """global_defs {
    router_id lb!backup
    enable_script_security
    script_user root
}
vrrp_script chk_nginx {
    script "pidof nginx | grep -q ."
    interval 2
}
vrrp_instance VI_1 {
    state master
    interface eth0
    virtual_router_id 51
    priorty 100
    virtual_ipaddress {
        192.0.2.10/24
    }
    track_script {
        chk_ngnix
    }
}
vrrp_sync_group G {
    group {
        VI_2
    }
}
"""

REPAIRED = {
    2: '    router_id "lb!backup"', 7: "    script \"/bin/sh -c 'pidof nginx | grep -q .'\"",
    11: "    state MASTER", 14: "    priority 100", 19: "        chk_nginx", 24: "        VI_1",
}


def test_did_you_mean_state_quote_and_shell_fixes_are_unsafe_and_repair_what_keepalived_reports(
        tmp_path: Path, keepalived: str) -> None:
    """Each rename/quote/shell fix needs --unsafe-fixes; applied, keepalived 2.2.7 has
    nothing left to say about the lines they touched."""
    import subprocess

    conf = tmp_path / "keepalived.conf"
    write(conf, TYPOS)
    assert kalint("--isolated", "--fix", "keepalived.conf", cwd=tmp_path).code == 1
    assert conf.read_text() == TYPOS  # none of them is safe
    before = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=tmp_path, capture_output=True, text=True,
                            check=False).stderr
    assert "unknown state 'master'" in before and "Unknown keyword 'priorty'" in before
    kalint("--isolated", "--fix", "--unsafe-fixes", "keepalived.conf", cwd=tmp_path)
    lines = conf.read_text().splitlines()
    assert {n: lines[n - 1] for n in REPAIRED} == REPAIRED
    after = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=tmp_path, capture_output=True, text=True,
                           check=False).stderr
    assert "Line" not in after and "doesn't exist" not in after and "not found" not in after, after
    assert "Sync group G has only 1 virtual router" in after  # read to the end, VI_1 now in the group


def test_no_rename_to_a_name_keepalived_has_not_read_yet(tmp_path: Path) -> None:
    """keepalived resolves track_script entries while reading: renaming to a script defined
    further down would still track nothing, so the hint stays and the fix is not offered."""
    later = TYPOS.replace('vrrp_script chk_nginx {\n    script "pidof nginx | grep -q ."\n    interval 2\n}\n', "")
    later += 'vrrp_script chk_nginx {\n    script "/usr/bin/pgrep nginx"\n}\n'
    write(tmp_path / "keepalived.conf", later)
    result = Linter(LintOptions(settings=Resolver(Overrides(), isolated=True))).lint_paths(
        [str(tmp_path / "keepalived.conf")])
    ka201 = next(d for d in result.diagnostics if d.code == "KA201")
    assert "did you mean `chk_nginx`?" in ka201.message and ka201.fix is None
    assert next(d for d in result.diagnostics if d.code == "KA101").fix is not None


def test_a_block_left_open_is_closed_at_the_end_by_an_unsafe_fix(tmp_path: Path, keepalived: str) -> None:
    """The one fix a file with a syntax error gets: its missing `}` (keepalived then stops
    reporting "missing '}'"); every other fix still waits for the structure to be right."""
    import subprocess

    text = ("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n"
            "    virtual_ipaddress {\n        192.0.2.1/24\n    }\n    track_script {\n        chk\n    }")
    conf = tmp_path / "keepalived.conf"
    write(conf, text)
    missing = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=tmp_path, capture_output=True, text=True,
                             check=False).stderr
    assert "missing '}'" in missing
    assert kalint("--isolated", "--fix", "keepalived.conf", cwd=tmp_path).code == 1 and conf.read_text() == text
    kalint("--isolated", "--fix", "--unsafe-fixes", "keepalived.conf", cwd=tmp_path)
    assert conf.read_text() == text + "\n}\n"
    after = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=tmp_path, capture_output=True, text=True,
                           check=False).stderr
    assert "missing '}'" not in after, after
