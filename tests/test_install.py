"""`pip install .` and `pip install -e .` both ship the rules and the grammar.

Slow (a venv and a pip build each, and pip may fetch the build backend): CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def source_copy(target: Path) -> Path:
    """The checkout's files as git sees them (tracked, and untracked but not ignored),
    copied to ``target``: pip builds in the source tree (build/, *.egg-info), which must
    not be the checkout, and a file the install needs but .gitignore hides fails here as
    it would in a fresh clone."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout
    for name in filter(None, os.fsdecode(listed).split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the work tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.slow
@pytest.mark.parametrize("editable", [False, True], ids=["regular", "editable"])
def test_installed_package_finds_rules_and_grammar(tmp_path: Path, editable: bool) -> None:
    source = source_copy(tmp_path / "src")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = ["-e", str(source)] if editable else [str(source)]
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *target],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False,
    )
    assert install.returncode == 0, install.stderr
    probe = (
        "import kalint.rules, kalint.grammar, kalint.syntax.parser as p;"
        "from kalint.registry import load;"
        "assert 'KA201' in load().rules, load().errors;"
        "assert 'statement' in p.grammar_text();"
        "print(kalint.rules.__file__)"
    )
    run = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert ("site-packages" not in run.stdout) == editable
    # at the root of a checkout, `python -m kalint` imports the checkout's kalint/ first
    at_root = subprocess.run([str(python), "-m", "kalint", "rule", "KA201"], capture_output=True, text=True,
                             cwd=source, timeout=60, check=False)
    assert at_root.returncode == 0 and "undefined-track-script" in at_root.stdout, at_root.stderr
    if editable:
        assert run.stdout.startswith(str(source)), "the editable install must point at the copy, not the checkout"
