"""pre-commit semantics of ``kalint check --changed-files``, and the real pre-commit tool.

pre-commit passes only the changed files: kalint lints every config under the working
directory that is or includes one of them, with its peers, and reports the findings the
changed files take part in that the committed version does not have (kalint.blame). The
fast tests call the CLI in-process on git repositories; the slow one installs the hook
with the real ``pre-commit`` from a local commit of this checkout and commits every row
of issue 24's table (about 25 s: pre-commit builds the hook's virtualenv).
"""

from __future__ import annotations

import json
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
    f"{SEED_PATH}:1:1:KA202", f"{SEED_PATH}:16:9:KA201", f"{FRAGMENT_PATH}:9:9:KA201", f"{MAIN_PATH}:4:1:KA202",
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


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True)


def _committed(root: Path) -> Path:
    """The clean tree, committed: changes are then compared with it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _tree(root, CLEAN, FRAGMENT)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "clean")
    return root


def test_changed_files_report_what_the_change_takes_part_in(tmp_path: Path) -> None:
    root = _committed(tmp_path)
    write(root / SEED_PATH, _cluster(SEED_BUG, "192.0.2.30", 53))
    write(root / FRAGMENT_PATH, FRAGMENT_BUG)
    write(root / PEER_B, "# reviewed\n" + (root / PEER_B).read_text())  # comment only: innocent
    run = kalint("--isolated", "--changed-files", "--no-show-source", *CHANGED_BUGGY, cwd=root)
    assert run.code == 1
    # the fragment's typo leaves chk_nginx unused in the main config: reported at its include
    # line; main's KA601 and lb-b's KA408 exist in the committed version too: not blamed
    assert _findings(run.stdout) == EXPECTED_BUGGY
    alone = kalint("--isolated", "--no-show-source", PEER_B, cwd=root)
    assert "KA408" not in alone.stdout  # the peer finding needs lb-a


def test_peer_finding_is_reported_in_the_changed_config(tmp_path: Path) -> None:
    root = _committed(tmp_path)
    write(root / PEER_A, (root / PEER_A).read_text().replace("virtual_router_id 52", "virtual_router_id 54"))
    run = kalint("--isolated", "--changed-files", "--format", "json", PEER_A, cwd=root)
    found = [d for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "KA401"]
    assert run.code == 1 and len(found) == 1
    assert found[0]["path"] == PEER_A and found[0]["peer_group"]["how"] == "automatic"
    assert {r["path"] for r in found[0]["related"]} == {PEER_B}  # the other side
    everything = kalint("--isolated", "--format", "json", "keepalived", cwd=root)
    assert {d["path"] for d in json.loads(everything.stdout)["diagnostics"] if d["code"] == "KA401"} == {PEER_B}


def test_unchanged_files_and_comment_edits_pass(tmp_path: Path) -> None:
    root = _committed(tmp_path)
    # nothing differs from HEAD (`pre-commit run --all-files`, CI on a commit): the
    # committed tree's findings (KA601 in main, KA408 in lb-b) are reported
    as_committed = kalint("--isolated", "--changed-files", "--no-show-source", *CHANGED_CLEAN, cwd=root)
    assert {f"{MAIN_PATH}:4:1:KA601", f"{PEER_A}:8:5:KA408"} <= _findings(as_committed.stdout)
    write(root / FRAGMENT_PATH, "# moved down\n\n" + FRAGMENT)
    write(root / PEER_A, (root / PEER_A).read_text().replace("{", "{  # note", 1))
    assert kalint("--isolated", "--changed-files", FRAGMENT_PATH, PEER_A, cwd=root).code == 0


def test_without_git_every_finding_the_change_takes_part_in_counts(tmp_path: Path) -> None:
    root = _tree(tmp_path, CLEAN, FRAGMENT)  # no git: nothing to compare with
    run = kalint("--isolated", "--changed-files", "--no-show-source", FRAGMENT_PATH, cwd=root)
    # main's KA601 (scripts without script security) is reported at the include line
    found = _findings(run.stdout)
    assert f"{MAIN_PATH}:4:1:KA601" in found and run.code == 1
    assert all(f.startswith(f"{MAIN_PATH}:4:1:") for f in found)


def test_changed_files_outside_any_config_are_linted_alone(tmp_path: Path) -> None:
    write(tmp_path / "keepalived" / "orphan.conf", SEED_BUG)
    run = kalint("--isolated", "--changed-files", "keepalived/orphan.conf", cwd=tmp_path)
    assert run.code == 1 and "KA201" in run.stdout




# -- the real pre-commit tool on the table of issue 24 ---------------------------------

LB = """\
global_defs {{
    router_id {name}
    enable_script_security
    script_user keepalived_script
}}

include common/checks.conf

vrrp_instance VI_1 {{
    state {state}
    interface eth0
    virtual_router_id 51
    priority {priority}
    advert_int 1
    virtual_ipaddress {{
        192.0.2.100/24
    }}
    track_script {{
        chk_haproxy
    }}
}}
"""
CHECKS = """\
vrrp_script chk_haproxy {
    script "/usr/bin/pgrep haproxy"
    interval 2
    weight -60
}
"""
LB_A, LB_B, CHECKS_PATH = "keepalived/lb-a.conf", "keepalived/lb-b.conf", "keepalived/common/checks.conf"
#: (what is committed: file -> (old, new) replacements, the codes that must block it)
BREAKING = [
    ({LB_A: ("virtual_router_id 51", "virtual_router_id 52")}, {f"{LB_A}:12:5:KA401"}),
    ({LB_A: ("advert_int 1", "advert_int 2")}, {f"{LB_A}:14:5:KA403"}),
    ({CHECKS_PATH: ("weight -60", "weight -10")}, {f"{LB_A}:7:1:KA410"}),
    # with fail-on = "error" only the two KA201 (in the including configs) block it
    ({CHECKS_PATH: ("chk_haproxy", "chk_haproxy2"), ".kalint.toml": ("", 'fail-on = "error"\n')},
     {f"{CHECKS_PATH}:1:1:KA201"}),
]
#: pip's words for "the package index is out of reach" in pre-commit's log.
_OFFLINE = ("Could not find a version that satisfies", "No matching distribution found",
            "Failed to establish a new connection", "Temporary failure in name resolution")


def _hook_repo(target: Path) -> str:
    """This checkout's files (uncommitted changes too) at a commit of a fresh repository:
    what `rev:` of a user's .pre-commit-config.yaml points at."""
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "kalint under test")
    return _git(target, "rev-parse", "HEAD").stdout.strip()


def _edit(repo: Path, edits: dict[str, tuple[str, str]]) -> None:
    for name, (old, new) in edits.items():
        path = repo / name
        text = path.read_text() if path.exists() else ""
        write(path, text.replace(old, new) if old else text + new)


@pytest.mark.slow
def test_real_pre_commit_blocks_what_a_change_breaks(tmp_path: Path) -> None:
    """Every row of issue 24's table is blocked; a comment-only edit to the other peer
    passes, also after a breaking change was committed with --no-verify."""
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    rev = _hook_repo(tmp_path / "hook")
    repo = tmp_path / "configs"
    write(repo / LB_A, LB.format(name="lb-a", state="MASTER", priority=150))
    write(repo / LB_B, LB.format(name="lb-b", state="BACKUP", priority=100))
    write(repo / CHECKS_PATH, CHECKS)
    write(repo / ".pre-commit-config.yaml", f"repos:\n  - repo: {tmp_path / 'hook'}\n    rev: {rev}\n"
                                            "    hooks:\n      - id: kalint\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "two peers and a shared fragment")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS", "VIRTUAL_ENV")}
    env.update(NO_COLOR="1", PRE_COMMIT_HOME=str(tmp_path / "home"))
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True)

    def commit(message: str, *extra: str) -> subprocess.CompletedProcess[str]:
        _git(repo, "add", "-A")
        return subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q",
                               "-m", message, *extra], cwd=repo, env=env, capture_output=True, text=True)

    for edits, blocking in BREAKING:
        _edit(repo, edits)
        run = commit(f"change {sorted(edits)}")
        log = tmp_path / "home" / "pre-commit.log"
        if run.returncode != 0 and log.exists() and any(m in log.read_text(errors="replace") for m in _OFFLINE):
            pytest.skip("pre-commit could not install the hook's dependencies (no package index)")
        output = run.stdout + run.stderr
        assert run.returncode != 0 and "kalint" in output and "Failed" in output, output
        assert blocking <= _findings(output), output
        _git(repo, "reset", "-q", "--hard", "HEAD")
        _git(repo, "clean", "-qfd")
    innocent = {LB_B: ("global_defs {", "# reviewed by the on-call team\nglobal_defs {")}
    _edit(repo, innocent)
    run = commit("comment only")
    assert run.returncode == 0, run.stdout + run.stderr
    # the story: lb-a's break got in with --no-verify; lb-b's innocent edit still passes
    _edit(repo, BREAKING[0][0])
    assert commit("forced", "--no-verify").returncode == 0
    _edit(repo, {LB_B: ("# reviewed", "# reviewed again")})
    run = commit("another comment")
    assert run.returncode == 0, run.stdout + run.stderr
