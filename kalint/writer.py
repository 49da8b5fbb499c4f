"""The one place kalint writes user files (``--fix``, ``kalint format``, ``--output``).

Guarantees: the new content goes to a temporary file in the same directory, is flushed
and fsynced, gets the original file's owner and mode bits (setuid and setgid included),
then replaces the original with one ``rename``; on any error, SIGINT or SIGTERM the
original is untouched and the temporary file removed. A file whose content would not
change is not touched at all (its mtime stays).

The file written is the one the user meant, or nothing is written (:class:`WriteRefused`):

- a symbolic link is not followed unless asked for, since it may point anywhere (a
  repository can commit ``kalint.sarif`` as a link to a file outside the checkout);
- a file that changed since the caller read it (``original``) is not overwritten: the
  content is compared when the write starts and again, with its inode, size and mtime,
  right before the rename, so an edit saved while a large file is formatted survives;
- a hard-linked file (a rename would split the link, leaving the other names with the
  old content) and a read-only file (mode without the owner's write bit, or not writable
  for this user) are refused unless ``force``.

Text is encoded with ``surrogateescape`` by the callers, so undecodable bytes are
written back exactly as they were read.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from collections.abc import Iterator


class WriteRefused(Exception):
    """The file was not written, and why."""


class _Terminated(BaseException):
    """SIGTERM/SIGHUP arrived while a temporary file existed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def write_atomic(path: str, data: bytes, *, original: bytes | None = None, force: bool = False,
                 follow_symlinks: bool = False) -> bool:
    """Replace ``path``'s content with ``data``; False when it already had it.

    ``original``: the bytes the new content was computed from; the write is refused when
    the file no longer holds them. ``force``: write hard-linked and read-only files too.
    """
    if os.path.islink(path):
        if not follow_symlinks:
            raise WriteRefused(f"{path}: is a symbolic link; not writing through it")
        path = os.path.realpath(path)
    st = _regular_stat(path)
    current: bytes | None = None
    if st is None:
        if original is not None:
            raise WriteRefused(f"{path}: was removed since kalint read it; not written")
    else:
        current = _read(path)
        if original is not None and current != original:
            raise WriteRefused(f"{path}: changed since kalint read it; not overwritten (run kalint again)")
        if current == data:
            return False
        if not force:
            _check_replaceable(path, st)
    with _signals_cleaned():
        _replace(path, data, st, current)
    return True


def _regular_stat(path: str) -> os.stat_result | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{path}: not a regular file")
    return st


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _check_replaceable(path: str, st: os.stat_result) -> None:
    if st.st_nlink > 1:
        raise WriteRefused(f"{path}: has {st.st_nlink} hard links; replacing it would leave the other names "
                           "with the old content, so it is not written (--force replaces this name only)")
    if not st.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise WriteRefused(f"{path}: is read-only (mode {stat.S_IMODE(st.st_mode):04o}); not written (--force to write it)")


def _unchanged_since(path: str, st: os.stat_result) -> bool:
    """Same inode, size and mtime as when the write started (the content is compared too)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _replace(path: str, data: bytes, st: os.stat_result | None, current: bytes | None) -> None:
    import tempfile  # only when a file is really written (cold start)

    directory = os.path.dirname(os.path.abspath(path))
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=".kalint-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if st is not None:
            try:
                os.chown(temp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not permitted for non-root: the file keeps the writer's owner
            os.chmod(temp, stat.S_IMODE(st.st_mode))  # after chown, which clears setuid/setgid
            if not _unchanged_since(path, st) or _read(path) != current:
                raise WriteRefused(f"{path}: changed while kalint was writing it; not overwritten (run kalint again)")
        elif os.path.lexists(path):
            raise WriteRefused(f"{path}: was created while kalint was writing it; not overwritten")
        os.replace(temp, path)
    except BaseException:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise


@contextlib.contextmanager
def _signals_cleaned() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into an exception while the temporary file exists, so it is
    removed; then die of the signal as the process would have (previous handler)."""
    names = ("SIGTERM", "SIGHUP")
    numbers = [getattr(signal, n) for n in names if hasattr(signal, n)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated(signum)

    previous = {n: signal.signal(n, terminated) for n in numbers}
    try:
        yield
    except _Terminated as exc:
        for n, handler in previous.items():
            signal.signal(n, handler)
        previous = {}
        signal.raise_signal(exc.signum)
        raise WriteRefused(f"interrupted by signal {exc.signum}; not written") from None
    finally:
        for n, handler in previous.items():
            signal.signal(n, handler)


def symlinked_directory(path: str) -> str | None:
    """The first directory of a relative ``path`` that is a symbolic link, if any.

    Absolute paths are the user's own choice (``/tmp`` is a link on some systems); a
    relative one names directories of the tree being checked, which its authors control.
    """
    if os.path.isabs(path):
        return None
    parts = os.path.normpath(path).split(os.sep)[:-1]
    for i in range(1, len(parts) + 1):
        prefix = os.path.join(*parts[:i])
        if prefix not in (os.curdir, os.pardir) and os.path.islink(prefix):
            return prefix
    return None
