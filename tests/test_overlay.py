"""The engine reads unsaved editor buffers from LintOptions.overlay instead of the disk."""

from __future__ import annotations

import os

from kalint.engine import Linter, LintOptions

CONF = """vrrp_script chk {
    script "/bin/true"
}
vrrp_instance VI_1 {
    track_script {
        %s
    }
}
"""


#: The findings these tests are about; other rules' findings on the same text do not matter here.
FOCUS = {"KA009", "KA201", "KA202"}


def codes(diagnostics) -> list[str]:
    return sorted(d.code for d in diagnostics if d.code in FOCUS)


def test_overlay_replaces_main_and_included_files(tmp_path):
    main = tmp_path / "keepalived.conf"
    part = tmp_path / "part.conf"
    main.write_text("include part.conf\n")
    part.write_text(CONF % "chk")
    assert codes(Linter().lint_paths([str(main)]).diagnostics) == []

    overlay = {os.path.realpath(part): (CONF % "chkk").encode()}
    result = Linter(LintOptions(overlay=overlay)).lint_paths([str(main)])
    assert codes(result.diagnostics) == ["KA201", "KA202"]
    assert all(d.span.path.endswith("part.conf") for d in result.diagnostics if d.code in FOCUS)

    overlay = {os.path.realpath(main): (CONF % "nope").encode()}
    result = Linter(LintOptions(overlay=overlay)).lint_paths([str(main)])
    assert "KA201" in [d.code for d in result.diagnostics]
    assert part.read_text() == CONF % "chk"  # the disk is never written


def test_session_cache_reuses_unchanged_roots_without_duplicating_findings(tmp_path):
    from kalint.lsp.analysis import OpenDocument, Session

    a, b = tmp_path / "a.conf", tmp_path / "b.conf"
    a.write_text(CONF % "chk")
    b.write_text(CONF % "nope")
    b.chmod(0o755)  # KA009 is appended by lint_paths: must not pile up on a cached root
    session = Session()
    session.set_folders([str(tmp_path)])
    doc = OpenDocument(a.as_uri(), str(a), CONF % "chk")
    for text, expected in ((CONF % "chk", []), (CONF % "chkk", ["KA201", "KA202"]), (CONF % "chk", [])):
        doc.text = text
        analysis = session.lint(doc, [doc])
        assert codes(analysis.diagnostics_in(doc.key)) == expected
        assert codes(analysis.diagnostics_in(os.path.realpath(b))) == ["KA009", "KA201", "KA202"]
