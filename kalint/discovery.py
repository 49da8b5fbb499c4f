"""Which files a PATH argument means: a file, ``-`` (stdin) or a directory to search.

A directory is searched for files whose name and text say keepalived, skipping VCS and
virtualenv folders and what ``.gitignore`` ignores: inside a git work tree git's own
view (tracked files and untracked ones it does not ignore); elsewhere the ``.gitignore``
files of the searched tree when the optional ``pathspec`` library is installed. An
ignored backup copy of a config is thus never linted, nor taken for its original's peer.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable

from kalint.text.source import SourceError, read_regular

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"})
#: A config's name, or a template's (``vrrp_instance.conf.erb``, ``ha.j2``): kalint reads templates.
_CONFIG_NAME = re.compile(r"(?:\.conf|\.cfg)$|keepalived|\.(?:j2|jinja2?|erb|epp|tmpl|gotmpl|tpl)$", re.IGNORECASE)
#: A top-level block keyword keepalived knows, at the start of a line.
_CONFIG_CONTENT = re.compile(
    rb"(?m)^[ \t]*(?:@\^?\S+[ \t]+)?(?:global_defs|vrrp_instance|vrrp_script|vrrp_sync_group|virtual_server"
    rb"|virtual_server_group|static_ipaddress|static_routes|vrrp_track_process|vrrp_track_file|bfd_instance)"
    rb"(?![\w:=-])"  # `vrrp_instance:` is a YAML key (Ansible/Salt variables), not a block
)
_SNIFF = 65536
GITIGNORE = ".gitignore"


def looks_like_config(path: str) -> bool:
    """A file in a searched directory counts when its name and its text say keepalived."""
    if not _CONFIG_NAME.search(os.path.basename(path)):
        return False
    try:
        head = read_regular(path, _SNIFF)
    except (OSError, SourceError):
        return False
    return bool(_CONFIG_CONTENT.search(head))


def find_configs(directory: str) -> list[str]:
    """keepalived configs under ``directory``, in walking order (a directory's files, then
    its subdirectories, each sorted), without skipped folders and ignored files.

    No symlink to a directory is followed: every folder between ``directory`` and a path
    found is a real directory, so only the file itself can lead out of the tree
    (``real_path``). Anything but a regular file (or a symlink to one) is never a config:
    ``looks_like_config`` reads it only as such."""
    return [path for path in candidate_files(directory) if looks_like_config(path)]


def real_path(path: str, directory: str, real_directory: str) -> str:
    """``os.path.realpath`` of a path ``find_configs(directory)`` gave, where
    ``real_directory`` is the realpath of ``directory``: one ``lstat`` of the file
    instead of one per folder above it, unless the file is a symlink."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(real_directory, _relative(path, directory))


def candidate_files(directory: str) -> list[str]:
    """Every file a search of ``directory`` looks at (named or not like a config)."""
    from kalint import gitview  # only when a directory is searched

    listed = gitview.listed_files(directory)
    if listed is None:  # not in a git work tree, or the directory named is itself ignored
        return _walk(directory)
    inside: list[tuple[list[tuple[int, str]], str]] = []
    for path in listed:
        parts = _parts(path, directory)
        if _SKIP_DIRS.intersection(parts[:-1]):
            continue
        if _is_real_directory(path):  # a nested repository or submodule
            inside.extend((_walk_order(_parts(p, directory)), p) for p in candidate_files(path))
        else:
            inside.append((_walk_order(parts), path))
    return [path for _, path in sorted(inside)]


def _parts(path: str, directory: str) -> list[str]:
    return _relative(path, directory).split(os.sep)


def _relative(path: str, directory: str) -> str:
    """``path`` relative to ``directory``, for a path joined to it (as listed and walked:
    no ``os.path.relpath``, which asks for the working directory twice per path)."""
    prefix = os.path.join(directory, "")
    return path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, directory)


def _is_real_directory(path: str) -> bool:
    """A directory, not a symlink to one (one ``lstat``)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _walk_order(parts: list[str]) -> list[tuple[int, str]]:
    """os.walk's order: a directory's files before its subdirectories."""
    return [(1, part) for part in parts[:-1]] + [(0, parts[-1])]


def _walk(directory: str) -> list[str]:
    found: list[str] = []
    ignored = _ignore_rules()
    rules: dict[str, list[Callable[[str, bool], bool]]] = {}
    for root, dirs, files in os.walk(directory):
        here = list(rules.get(root, ()))
        if ignored is not None and GITIGNORE in files:
            here.append(ignored(root))
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not any(r(os.path.join(root, d), True) for r in here))
        for name in dirs:
            rules[os.path.join(root, name)] = here
        found.extend(path for path in (os.path.join(root, name) for name in sorted(files))
                     if not any(r(path, False) for r in here))
    return found


def _ignore_rules() -> Callable[[str], Callable[[str, bool], bool]] | None:
    """A maker of one directory's ``.gitignore`` matcher; None without ``pathspec``."""
    try:
        import pathspec
    except ImportError:
        return None

    def rules_of(directory: str) -> Callable[[str, bool], bool]:
        try:
            with open(os.path.join(directory, GITIGNORE), encoding="utf-8", errors="replace") as handle:
                spec = pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines())
        except OSError:
            return lambda path, is_dir: False

        def ignored(path: str, is_dir: bool) -> bool:
            relative = os.path.relpath(path, directory).replace(os.sep, "/")
            return bool(spec.match_file(relative + "/" if is_dir else relative))

        return ignored

    return rules_of
