"""`pip install .` and `pip install -e .` both ship the rules and the grammar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


@pytest.mark.parametrize("editable", [False, True], ids=["regular", "editable"])
def test_installed_package_finds_rules_and_grammar(tmp_path: Path, editable: bool) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = ["-e", str(REPO)] if editable else [str(REPO)]
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *target],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    probe = (
        "import kalint.rules, kalint.grammar, kalint.syntax.parser as p;"
        "from kalint.registry import load;"
        "assert 'KA201' in load().rules, load().errors;"
        "assert 'statement' in p.grammar_text();"
        "print(kalint.rules.__file__)"
    )
    run = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert ("site-packages" not in run.stdout) == editable
