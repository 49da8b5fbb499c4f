"""pre-commit semantics of ``kalint check --changed-files``, and the real pre-commit tool.

pre-commit passes only the changed files: kalint lints every config under the working
directory that is or includes one of them, with its peers, and reports only findings
located in the changed files. The fast tests call the CLI in-process; the last one runs
``pre-commit try-repo`` on this checkout (it sees committed files and changes to tracked
ones). try-repo installs the hook into a throw-away store each time (about half a
minute), so both of its repositories are checked by two concurrent runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import CLEAN, SEED_BUG, kalint, write
from conftest import REPO

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
FRAGMENT_BUG = FRAGMENT.replace("chk_nginx", "chk_ngnix")
SEED_PATH = "keepalived/seed/keepalived.conf"
MAIN_PATH = "keepalived/main/keepalived.conf"
FRAGMENT_PATH = "keepalived/main/conf.d/vi_1.conf"
PEER_A, PEER_B = "keepalived/lb-a/keepalived.conf", "keepalived/lb-b/keepalived.conf"
CHANGED = [SEED_PATH, FRAGMENT_PATH, PEER_A]


def _tree(root: Path, seed: str, fragment: str) -> Path:
    """A config repository: a seed config, a main config with a conf.d fragment, and two
    peers of which lb-b (never changed here) has the seed's bug."""
    write(root / SEED_PATH, seed)
    write(root / MAIN_PATH, MAIN_WITH_INCLUDE)
    write(root / FRAGMENT_PATH, fragment)
    write(root / PEER_A, CLEAN)
    write(root / PEER_B, SEED_BUG.replace("priority 101", "priority 100").replace("state MASTER", "state BACKUP"))
    return root


def _findings(output: str) -> set[str]:
    return {line.split(" ")[0] + line.split(" ")[1] for line in output.splitlines() if ": KA" in line and "|" not in line}


def test_changed_files_clean(tmp_path: Path) -> None:
    root = _tree(tmp_path, CLEAN, FRAGMENT)
    run = kalint("--isolated", "--changed-files", *CHANGED, cwd=root)
    assert run.code == 0, run.stdout  # the fragment alone would track an undefined script


def test_changed_files_report_only_their_own_findings(tmp_path: Path) -> None:
    root = _tree(tmp_path, SEED_BUG, FRAGMENT_BUG)
    run = kalint("--isolated", "--changed-files", "--no-show-source", *CHANGED, cwd=root)
    assert run.code == 1
    assert _findings(run.stdout) == {
        f"{SEED_PATH}:1:1:KA202", f"{SEED_PATH}:16:9:KA201", f"{FRAGMENT_PATH}:9:9:KA201",
    }  # not KA202 in the main config (unchanged), nothing from the unchanged peer lb-b


def test_changed_files_outside_any_config_are_linted_alone(tmp_path: Path) -> None:
    write(tmp_path / "keepalived" / "orphan.conf", SEED_BUG)
    run = kalint("--isolated", "--changed-files", "keepalived/orphan.conf", cwd=tmp_path)
    assert run.code == 1 and "KA201" in run.stdout


#: pip's words for "the package index is out of reach" in pre-commit's log.
_OFFLINE = ("Could not find a version that satisfies", "No matching distribution found",
            "Failed to establish a new connection", "Temporary failure in name resolution")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=repo,
                   check=True, capture_output=True)


def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    runs = {}
    for name, seed, fragment in (("clean", CLEAN, FRAGMENT), ("buggy", SEED_BUG, FRAGMENT_BUG)):
        repo = _tree(tmp_path / name, seed, fragment)
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        runs[name] = subprocess.Popen(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "kalint", "--files", *CHANGED],
            cwd=repo, env={**env, "PRE_COMMIT_HOME": str(tmp_path / f"home-{name}")},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
    output = {name: process.communicate(timeout=600)[0] for name, process in runs.items()}
    for name, text in output.items():
        log = tmp_path / f"home-{name}" / "pre-commit.log"
        details = log.read_text(errors="replace") if log.exists() else ""
        if any(marker in details for marker in _OFFLINE):
            pytest.skip("pre-commit could not install the hook's dependencies (no package index)")
        assert "error has occurred" not in text, text + details
    assert runs["clean"].returncode == 0, output["clean"]
    assert runs["buggy"].returncode == 1, output["buggy"]
    assert _findings(output["buggy"]) == {
        f"{SEED_PATH}:1:1:KA202", f"{SEED_PATH}:16:9:KA201", f"{FRAGMENT_PATH}:9:9:KA201",
    }
