"""Directory search: .gitignore (git's view inside a work tree, pathspec elsewhere) and
``--show-files``; an ignored copy of a config is never its original's peer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from clihelp import CLEAN, kalint, write

PEER_B = CLEAN.replace("state MASTER", "state BACKUP").replace("priority 101", "priority 100")
#: An old copy of lb-a on another VRID: a split brain with lb-b if taken for a peer.
OLD_COPY = CLEAN.replace("virtual_router_id 51", "virtual_router_id 52")


def _tree(root: Path) -> Path:
    write(root / "lb-a" / "keepalived.conf", CLEAN)
    write(root / "lb-b" / "keepalived.conf", PEER_B)
    write(root / "backup" / "keepalived.conf", OLD_COPY)
    write(root / "lb-a" / "keepalived.conf.orig", OLD_COPY)
    write(root / ".gitignore", "backup/\n*.orig\n")
    return root


def _git_tree(root: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _tree(root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "lb-a", ".gitignore"], cwd=root, check=True)  # lb-b stays untracked
    return root


def _peers(root: Path, *args: str) -> set[str]:
    run = kalint("--isolated", "--format", "json", *args, ".", cwd=root)
    return {c for d in json.loads(run.stdout)["diagnostics"] if d["peer_group"] for c in d["peer_group"]["configs"]}


def test_git_ignored_files_are_not_searched(tmp_path: Path) -> None:
    root = _git_tree(tmp_path)
    shown = kalint("--isolated", "--show-files", ".", cwd=root)
    assert shown.code == 0
    assert shown.stdout.splitlines() == ["./lb-a/keepalived.conf", "./lb-b/keepalived.conf"]  # untracked lb-b too
    assert "./backup/keepalived.conf" not in _peers(root)
    run = kalint("--isolated", ".", cwd=root)
    assert "KA401" not in run.stdout and run.code == 0, run.stdout
    # named explicitly, an ignored directory is searched
    assert kalint("--isolated", "--show-files", "backup", cwd=root).stdout.split() == ["backup/keepalived.conf"]


def test_without_the_gitignore_the_copy_becomes_a_peer(tmp_path: Path) -> None:
    root = _git_tree(tmp_path)
    (root / ".gitignore").unlink()
    assert "./backup/keepalived.conf" in kalint("--isolated", "--show-files", ".", cwd=root).stdout.split()
    assert "./backup/keepalived.conf" in _peers(root)


def test_ignored_copy_is_no_peer_in_pre_commit_mode(tmp_path: Path) -> None:
    root = _git_tree(tmp_path)
    run = kalint("--isolated", "--changed-files", "--format", "json", "lb-b/keepalived.conf", cwd=root)
    assert not [d for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "KA401"]


def test_gitignore_outside_git_with_pathspec(tmp_path: Path) -> None:
    pytest.importorskip("pathspec")
    root = _tree(tmp_path)  # no git work tree
    write(root / "lb-b" / ".gitignore", "keep*.conf\n!keepalived.conf\n")  # nested file, negation
    shown = kalint("--isolated", "--show-files", ".", cwd=root).stdout.split()
    assert shown == ["./lb-a/keepalived.conf", "./lb-b/keepalived.conf"]


def test_nested_repository_is_searched_with_its_own_ignores(tmp_path: Path) -> None:
    root = _git_tree(tmp_path)
    nested = root / "site2"
    write(nested / "keepalived.conf", PEER_B)
    write(nested / "old" / "keepalived.conf", OLD_COPY)
    write(nested / ".gitignore", "old/\n")
    subprocess.run(["git", "init", "-q"], cwd=nested, check=True)
    shown = kalint("--isolated", "--show-files", ".", cwd=root).stdout.split()
    assert "./site2/keepalived.conf" in shown and "./site2/old/keepalived.conf" not in shown


def test_variables_files_with_block_names_as_keys_are_not_configs(tmp_path: Path) -> None:
    """An Ansible or Salt variables file of a keepalived role names `vrrp_instance:` as a
    YAML key: no config (it once gave 144 unknown-keyword errors on one pillar file)."""
    write(tmp_path / "keepalived-vars.sls", "keepalived:\n  vrrp_instance:\n    VI_1:\n      priority: 100\n")
    write(tmp_path / "keepalived-defaults.yml", "global_defs:\n  router_id: lb1\nvrrp_instance: []\n")
    write(tmp_path / "keepalived.conf", CLEAN)
    shown = kalint("--show-files", ".", cwd=tmp_path).stdout.split()
    assert [Path(p).name for p in shown] == ["keepalived.conf"]


@pytest.mark.parametrize("in_git", [False, True])
def test_real_path_of_found_configs_is_realpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_git: bool) -> None:
    """``discovery.real_path`` (one lstat per config) gives ``os.path.realpath`` for every
    config a search finds: plain, nested, behind a symlinked file inside and outside the
    tree, and a symlinked folder (never followed), however the directory is written."""
    from kalint import discovery

    root = tmp_path / "repo"
    _git_tree(root) if in_git else _tree(root)
    write(tmp_path / "outside.conf", CLEAN)
    (root / "lb-a" / "alias.conf").symlink_to("keepalived.conf")
    (root / "lb-b" / "far.conf").symlink_to(tmp_path / "outside.conf")
    (root / "linked-folder").symlink_to(root / "lb-a", target_is_directory=True)
    (tmp_path / "repo-link").symlink_to(root, target_is_directory=True)
    if in_git:
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    monkeypatch.chdir(root / "lb-b")
    for directory in (str(root), f"{root}/", "..", "../", str(tmp_path / "repo-link")):
        found = discovery.find_configs(directory)
        assert any(path.endswith("far.conf") for path in found) and any(path.endswith("alias.conf") for path in found)
        real_directory = os.path.realpath(directory)
        assert [discovery.real_path(p, directory, real_directory) for p in found] == [os.path.realpath(p) for p in found]
