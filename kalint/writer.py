"""The one place kalint writes user files (``--fix``, ``kalint format``).

Guarantees: the new content goes to a temporary file in the same directory, is flushed
and fsynced, gets the original file's permission bits, then replaces the original with
one ``rename``; on any error the original is untouched and the temporary file removed.
A file whose content would not change is not touched at all (its mtime stays). Writing
through a symbolic link is refused unless asked for, since the link may point anywhere.
Text is encoded with ``surrogateescape`` by the callers, so undecodable bytes are
written back exactly as they were read.
"""

from __future__ import annotations

import os
import stat


class WriteRefused(Exception):
    """The file was not written, and why."""


def write_atomic(path: str, data: bytes, *, follow_symlinks: bool = False) -> bool:
    """Replace ``path``'s content with ``data``; False when it already had it."""
    if os.path.islink(path):
        if not follow_symlinks:
            raise WriteRefused(f"{path}: is a symbolic link; not writing through it")
        path = os.path.realpath(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{path}: not a regular file")
    if st is not None:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
    import tempfile  # only when a file is really written (cold start)

    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".kalint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if st is not None:
            os.chmod(temp, stat.S_IMODE(st.st_mode))
            try:
                os.chown(temp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not permitted for non-root: the file keeps the writer's owner
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return True
