"""What git says about files: the committed version of a changed file (pre-commit mode)
and which files of a directory git does not ignore (directory walking).

Only ``git`` itself is run, with file names as arguments, never anything a config names.
Everything returns None when git is missing or the path is not in a git work tree, so
callers fall back to not knowing.
"""

from __future__ import annotations

import os
import shutil
import subprocess

#: Long enough for a large repository, short enough that a hung git cannot hang kalint.
TIMEOUT = 30


def _git(directory: str, *args: str) -> bytes | None:
    """git's standard output, or None when it fails (not a work tree, no git, ...)."""
    if shutil.which("git") is None:
        return None
    try:
        run = subprocess.run(["git", "-C", directory, *args], capture_output=True, timeout=TIMEOUT,
                             env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout if run.returncode == 0 else None


def work_tree(path: str) -> str | None:
    """The top of the git work tree ``path`` (a file or directory) is in."""
    directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    top = _git(directory, "rev-parse", "--show-toplevel")
    return os.fsdecode(top.rstrip(b"\n")) if top else None


def committed(path: str) -> bytes | None:
    """The file as HEAD has it; ``b""`` when HEAD does not have it (a new file, or no
    commit yet); None when ``path`` is not in a git work tree."""
    directory = os.path.dirname(os.path.abspath(path))
    if work_tree(directory) is None:
        return None
    data = _git(directory, "show", f"HEAD:./{os.path.basename(path)}")
    return data if data is not None else b""


def listed_files(directory: str) -> list[str] | None:
    """The files under ``directory`` that git tracks or would track (not ignored), as
    paths joined to ``directory``; None outside a git work tree, and for a directory git
    ignores as a whole (it was named explicitly: search all of it). One git run in the
    usual case: the language server searches a folder on every edit."""
    out = _git(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
    if out is None:  # not a work tree (or no git)
        return None
    if not out and _git(directory, "check-ignore", "-q", ".") is not None:
        return None
    return sorted(os.path.join(directory, os.fsdecode(name.rstrip(b"/"))) for name in out.split(b"\0") if name)
