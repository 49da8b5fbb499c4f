"""The example plugin, installed into a temporary virtual environment, is found through
the ``kalint.rules`` entry points and its rule fires.

For speed the venv has no pip of its own and sees this environment's packages (kalint
and its dependencies) through a .pth file; this environment's pip installs the plugin
into it without build isolation, so nothing is downloaded. The result is what a user
gets from ``pip install kalint ./examples/kalint-plugin-example``.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from clihelp import CLEAN

from conftest import REPO

EXAMPLE = REPO / "examples" / "kalint-plugin-example"


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    venv = tmp_path_factory.mktemp("plugin-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    # addsitedir, not a plain path: the editable install of kalint is itself a .pth file.
    lines = "".join(f"import site; site.addsitedir({p!r})\n" for p in sorted(ours))
    Path(purelib, "_kalint_test_env.pth").write_text(lines)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-build-isolation", "--no-index", str(EXAMPLE)],
        check=True, capture_output=True, text=True, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return python


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_plugin_rule_fires(venv_python: Path, tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(CLEAN.replace("virtual_router_id 51", "virtual_router_id 12"))
    listed = _run(venv_python, "-m", "kalint", "rules", cwd=tmp_path)
    assert "SITE001  vrid-outside-site-range" in listed.stdout, listed.stderr
    run = _run(venv_python, "-m", "kalint", "--isolated", "--no-show-source", str(conf), cwd=tmp_path)
    assert run.returncode == 1
    assert "keepalived.conf:10:23: SITE001 [warning] vrrp_instance `VI_1` uses virtual_router_id 12" in run.stdout
    ignored = _run(venv_python, "-m", "kalint", "--isolated", "--ignore", "SITE", str(conf), cwd=tmp_path)
    assert ignored.returncode == 0, ignored.stdout


def test_plugin_fixtures_with_the_exported_helper(venv_python: Path) -> None:
    run = _run(venv_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests"), cwd=EXAMPLE)
    assert run.returncode == 0, run.stdout + run.stderr
