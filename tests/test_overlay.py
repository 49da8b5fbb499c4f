"""The engine reads unsaved editor buffers from LintOptions.overlay instead of the disk."""

from __future__ import annotations

import os

from kalint.engine import LintOptions, Linter

CONF = """vrrp_script chk {
    script "/bin/true"
}
vrrp_instance VI_1 {
    track_script {
        %s
    }
}
"""


def test_overlay_replaces_main_and_included_files(tmp_path):
    main = tmp_path / "keepalived.conf"
    part = tmp_path / "part.conf"
    main.write_text("include part.conf\n")
    part.write_text(CONF % "chk")
    assert not Linter().lint_paths([str(main)]).diagnostics

    overlay = {os.path.realpath(part): (CONF % "chkk").encode()}
    result = Linter(LintOptions(overlay=overlay)).lint_paths([str(main)])
    assert sorted(d.code for d in result.diagnostics) == ["KA201", "KA202"]
    assert all(d.span.path.endswith("part.conf") for d in result.diagnostics)

    overlay = {os.path.realpath(main): (CONF % "nope").encode()}
    result = Linter(LintOptions(overlay=overlay)).lint_paths([str(main)])
    assert "KA201" in [d.code for d in result.diagnostics]
    assert part.read_text() == CONF % "chk"  # the disk is never written
