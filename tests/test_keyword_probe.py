"""Every keyword path of keepalived 2.2.7 kalint knows is known to keepalived 2.2.7 itself.

One probe config per root keyword holds every 2.2.7 path under it (in its block, with a
plausible value) and ends with a canary unknown keyword; `keepalived -t` must report
nothing unknown but the canary, and the canary only at the top level (so every block
closed where kalint expects). This counts the paths as it writes them: all 501.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from kalint.model import schema

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from keyword_samples import COMPILED_OUT, sample  # noqa: E402

_UNKNOWN = re.compile(r"Line (\d+)\) Unknown keyword '([^']*)'")


def probe_lines(spec: schema.KeywordSpec, depth: int, written: list[str]) -> list[str]:
    pad = "  " * depth
    head = f"{pad}{spec.name} {sample(spec)}".rstrip()
    written.append(spec.path)
    if spec.kind == "statement":
        return [head]
    lines = [head + " {"]
    if spec.kind == "block":
        for child in schema.block_keywords(spec.path).values():
            if not schema.newer_than(child, "2.2.7"):
                lines += probe_lines(child, depth + 1, written)
    return lines + [pad + "}"]


def test_every_227_keyword_is_known_to_keepalived(tmp_path, keepalived: str) -> None:
    written: list[str] = []
    unknown: set[str] = set()
    for spec in schema.block_keywords("").values():
        if schema.newer_than(spec, "2.2.7"):
            continue
        lines = probe_lines(spec, 0, written) + ["zz_canary"]
        conf = tmp_path / f"{spec.name}.conf"
        conf.write_text("\n".join(lines) + "\n")
        done = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=tmp_path, capture_output=True,
                              text=True, timeout=30, check=False)
        found = {(int(n), word) for n, word in _UNKNOWN.findall(done.stderr)}
        assert (len(lines), "zz_canary") in found, done.stderr  # all blocks closed as written
        unknown |= {word for _, word in found} - {"zz_canary"}
    assert unknown == COMPILED_OUT
    assert len(written) == len(set(written)) == 501


def test_fixture_findings_match_what_keepalived_reports(tmp_path, keepalived: str) -> None:
    """On the KA101/KA102/KA104 fixtures: every line keepalived calls an unknown keyword is
    covered by a kalint finding, and every KA101/KA104 line kalint expects is one that
    keepalived complains about too."""
    import os
    import shutil

    from conftest import FIXTURES
    from kalint.engine import Linter, LintOptions
    from kalint.testing import expectations

    linter = Linter(LintOptions(target_version="2.2.7"))
    for code in ("KA101", "KA102", "KA104"):
        for name in sorted(os.listdir(FIXTURES / code)):
            source = FIXTURES / code / name
            copy = tmp_path / name
            shutil.copyfile(source, copy)
            done = subprocess.run([keepalived, "-t", "-f", name], cwd=tmp_path, capture_output=True,
                                  text=True, timeout=30, check=False)
            complained = {int(n) for n in re.findall(r"Line (\d+)\)", done.stderr)}
            unknown = {n for n, _ in _UNKNOWN.findall(done.stderr)}
            covered: set[int] = set()
            for diag in linter.lint_paths([str(copy)]).diagnostics:
                for span in (diag.span, *(r.span for r in diag.related)):
                    covered.update(range(span.line, span.end_line + 1))
            assert {int(n) for n in unknown} <= covered, (name, done.stderr)
            expected = {line for _, line, c in expectations(str(source)) if c in ("KA101", "KA104")}
            assert expected <= complained, (name, sorted(expected - complained), done.stderr)


def test_missing_argument_table_matches_keepalived(keepalived: str) -> None:
    """kalint.model.missing_argument says which keywords stop keepalived's read when their
    argument is missing; the real binary must still agree, keyword by keyword."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "tools" / "probe_missing_argument.py"),
                           "--keepalived", keepalived, "--check"], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
