"""The real pre-commit tool runs the hook from this checkout (``pre-commit try-repo``).

Installing the hook's environment takes pre-commit most of a minute, so it is done once
for the module (one PRE_COMMIT_HOME) and every case reuses it. Only committed files of
the checkout are seen by try-repo (plus changes to tracked files).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import CLEAN, SEED_BUG, write
from conftest import REPO

pytest.importorskip("pre_commit")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

MAIN_WITH_INCLUDE = """\
vrrp_script chk_nginx {
    script "/usr/bin/pgrep nginx"
}
include conf.d/*.conf
"""
FRAGMENT = """\
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.10
    }
    track_script {
        chk_nginx
    }
}
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def run(repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
        _git(repo, "add", "-A")
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "kalint", "--files", *files],
            cwd=repo, env=env, capture_output=True, text=True, timeout=600,
        )
        if "An error has occurred" in done.stdout + done.stderr:
            log = home / "pre-commit.log"
            pytest.fail(f"pre-commit could not run the hook:\n{done.stdout}\n{log.read_text() if log.exists() else ''}")
        return done

    return run


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "configs"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name, text in files.items():
        write(repo / name, text)
    return repo


def test_fails_on_the_seed_bug_and_passes_when_clean(hook, tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"keepalived/keepalived.conf": SEED_BUG})
    failed = hook(repo, "keepalived/keepalived.conf")
    assert failed.returncode == 1 and "KA201" in failed.stdout and "maintenance_mode" in failed.stdout
    (repo / "keepalived/keepalived.conf").write_text(CLEAN)
    passed = hook(repo, "keepalived/keepalived.conf")
    assert passed.returncode == 0, passed.stdout


def test_changed_fragment_is_linted_inside_its_main_config(hook, tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "keepalived/keepalived.conf": MAIN_WITH_INCLUDE,
        "keepalived/conf.d/vi_1.conf": FRAGMENT,
    })
    # Linted alone the fragment would track an undefined script (KA201): it must not be.
    passed = hook(repo, "keepalived/conf.d/vi_1.conf")
    assert passed.returncode == 0, passed.stdout
    (repo / "keepalived/conf.d/vi_1.conf").write_text(FRAGMENT.replace("chk_nginx", "chk_ngnix"))
    failed = hook(repo, "keepalived/conf.d/vi_1.conf")
    assert failed.returncode == 1
    assert "keepalived/conf.d/vi_1.conf:9:9: KA201" in failed.stdout
    assert "KA202" not in failed.stdout  # located in keepalived.conf, which did not change


def test_changed_peer_reports_only_its_own_findings(hook, tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "keepalived/lb-a/keepalived.conf": CLEAN,
        "keepalived/lb-b/keepalived.conf": SEED_BUG.replace("priority 101", "priority 100"),
    })
    assert hook(repo, "keepalived/lb-a/keepalived.conf").returncode == 0
    failed = hook(repo, "keepalived/lb-b/keepalived.conf")
    assert failed.returncode == 1 and "keepalived/lb-b/keepalived.conf" in failed.stdout
    assert "lb-a" not in failed.stdout
