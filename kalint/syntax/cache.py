"""A per-user cache for data kalint can always rebuild (today: the parser tables).

The directory is ``$XDG_CACHE_HOME/kalint`` or ``~/.cache/kalint``, created 0700. It is
used only while it is a real directory the user owns that nobody else can write (one
with read access for others is tightened to 0700 first), and a file in it is read only when it is a regular file (not a symlink) that
the user owns and nobody else can write. Anything else is ignored, never trusted:
whoever could plant a file there could feed kalint the data it loads. (This is why
kalint never uses lark's ``cache=True``, whose file sits in the shared temp directory.)
Every failure means "no cache": the caller rebuilds in memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable

from kalint.text.source import read_descriptor

_PRIVATE = 0o077
_OTHERS_WRITE = 0o022


def directory() -> str | None:
    """The cache directory, created if needed; None when it is missing or not private."""
    base = default_base()
    return None if base is None else private_dir(base)


def default_base() -> str | None:
    """``$XDG_CACHE_HOME/kalint`` or ``~/.cache/kalint`` (not created); None without a home."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec says relative paths are ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "kalint")


def private_dir(path: str) -> str | None:
    """``path`` created 0700 if needed; None when it is not a directory only the user can write."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != getuid() or st.st_mode & _OTHERS_WRITE:
        return None
    if st.st_mode & _PRIVATE:  # ours, made by an older kalint or by hand: nobody else could write
        try:
            os.chmod(path, 0o700)
        except OSError:
            return None
    return path


def read(name: str) -> bytes | None:
    """The bytes of cache file ``name``, or None when absent or not trustworthy."""
    folder = directory()
    return None if folder is None else read_in(folder, name)


def read_in(folder: str, name: str) -> bytes | None:
    """``read`` in a directory ``private_dir`` accepted."""
    try:
        fd = os.open(os.path.join(folder, name), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & _OTHERS_WRITE:
            return None
        return read_descriptor(fd, st.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)


def write(name: str, data: bytes) -> None:
    """Store ``data`` as cache file ``name`` (atomically, mode 0600); failures are ignored."""
    folder = directory()
    if folder is not None:
        write_in(folder, name, data)


def write_in(folder: str, name: str, data: bytes | Iterable[bytes]) -> None:
    """``write`` in a directory ``private_dir`` accepted. ``data`` may come in parts, each
    written as it comes (a result-cache entry can be tens of MB); if making a part fails,
    the file is not written and the exception goes on."""
    target = os.path.join(folder, name)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            for part in (data,) if isinstance(data, bytes) else data:
                handle.write(part)
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
