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
#: The clean run changes lb-a, the buggy run lb-b (whose peer finding needs lb-a to be seen).
CHANGED_CLEAN = [SEED_PATH, FRAGMENT_PATH, PEER_A]
CHANGED_BUGGY = [SEED_PATH, FRAGMENT_PATH, PEER_B]
EXPECTED_BUGGY = {
    f"{SEED_PATH}:1:1:KA202", f"{SEED_PATH}:16:9:KA201", f"{FRAGMENT_PATH}:9:9:KA201",
    f"{PEER_B}:8:5:KA408",  # lb-b says MASTER below lb-a's priority: found only with the peer
}


def _cluster(text: str, vip: str, vrid: int) -> str:
    return text.replace("192.0.2.10", vip).replace("virtual_router_id 51", f"virtual_router_id {vrid}")


def _tree(root: Path, seed: str, fragment: str) -> Path:
    """A config repository: a seed config, a main config with a conf.d fragment, and two
    HA peers of which lb-b says `state MASTER` at a lower priority than lb-a. Each
    cluster has its own VIP and VRID."""
    write(root / SEED_PATH, _cluster(seed, "192.0.2.30", 53))
    write(root / MAIN_PATH, MAIN_WITH_INCLUDE)
    write(root / FRAGMENT_PATH, fragment)
    write(root / PEER_A, _cluster(CLEAN, "192.0.2.20", 52))
    write(root / PEER_B, _cluster(CLEAN, "192.0.2.20", 52).replace("priority 101", "priority 100"))
    return root


def _findings(output: str) -> set[str]:
    return {line.split(" ")[0] + line.split(" ")[1] for line in output.splitlines() if ": KA" in line and "|" not in line}


def test_changed_files_clean(tmp_path: Path) -> None:
    root = _tree(tmp_path, CLEAN, FRAGMENT)
    run = kalint("--isolated", "--changed-files", *CHANGED_CLEAN, cwd=root)
    # The fragment alone would track an undefined script; lb-b's peer finding is in lb-b.
    assert run.code == 0, run.stdout


def test_changed_files_report_only_their_own_findings(tmp_path: Path) -> None:
    root = _tree(tmp_path, SEED_BUG, FRAGMENT_BUG)
    run = kalint("--isolated", "--changed-files", "--no-show-source", *CHANGED_BUGGY, cwd=root)
    assert run.code == 1
    assert _findings(run.stdout) == EXPECTED_BUGGY  # not KA202 in the unchanged main config
    alone = kalint("--isolated", "--no-show-source", PEER_B, cwd=root)
    assert "KA408" not in alone.stdout  # the peer finding needs lb-a


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
    cases = (("clean", CLEAN, FRAGMENT, CHANGED_CLEAN), ("buggy", SEED_BUG, FRAGMENT_BUG, CHANGED_BUGGY))
    for name, seed, fragment, changed in cases:
        repo = _tree(tmp_path / name, seed, fragment)
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        runs[name] = subprocess.Popen(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "kalint", "--files", *changed],
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
    assert _findings(output["buggy"]) == EXPECTED_BUGGY
