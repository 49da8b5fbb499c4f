"""Reading configuration files: bytes in, lossless text out.

keepalived reads bytes and never checks an encoding, so kalint decodes UTF-8 with
``surrogateescape``: an undecodable byte becomes one lone surrogate character (shown as
``\\xNN`` by every reporter) and is written back unchanged by any fixer. Input that is
plainly not a keepalived configuration (UTF-16, binary) is refused with a clear reason.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from array import array
from collections.abc import Sequence
from itertools import chain

from kalint.records import dataclass, field

#: keepalived's line buffer is 1024 bytes: fgets() returns longer lines in pieces.
MAX_LINE_BYTES = 1023

#: Share of control bytes (NUL and other C0 bytes except blanks and line ends) in the
#: first block above which a file is binary. A single NUL byte in a text file stays far
#: below it, so that file is parsed and the NUL reported, as keepalived silently cuts
#: the line there.
BINARY_CONTROL_RATIO = 0.10
_SNIFF_BYTES = 8192
#: Every byte except the C0 controls that are not blanks or line ends: deleting these
#: leaves the control bytes to count (bytes.translate, not a Python loop per byte).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\f\v")
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
#: What ends a line, by ``SourceFile.line_break``.
_BREAKS = {"\n": re.compile("\n"), "\r": re.compile("\r")}


class SourceError(Exception):
    """A file cannot be linted at all (missing, unreadable, not text)."""


@dataclass(slots=True, eq=False)
class SourceFile:
    """One file's decoded text and a lazily built line index for positions."""

    path: str
    text: str
    #: How the author sees line ends: "\n" (LF or CRLF) or "\r" (classic Mac).
    line_break: str = "\n"
    #: For a text made from a template (``kalint.templates``), the template itself: same
    #: lines and columns, and the text reporters and suppressions read it instead.
    template: SourceFile | None = None
    _line_starts: array[int] | None = field(default=None, repr=False)
    #: The file's ``identity`` when this text was read from it (None for other texts).
    identity: tuple[int, ...] | None = field(default=None, repr=False)

    def line_starts(self) -> Sequence[int]:
        if self._line_starts is None:
            # The ends of the line breaks' matches, gathered in C: a loop of `find` took
            # 19-34 ms on a 130k-line file, this 9, and no copy of the lines is made.
            # An array, not a list: 4 bytes a line (8 past 4 GiB) instead of 37 (an int each).
            breaks = _BREAKS[self.line_break].finditer(self.text)
            kind = "I" if len(self.text) < 1 << 32 else "q"
            self._line_starts = array(kind, chain((0,), map(re.Match.end, breaks)))
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count code points."""
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Offsets (start, end) of a 1-based line without its line end; (0, 0) if none."""
        starts = self.line_starts()
        if not 1 <= line <= len(starts):
            return 0, 0
        text = self.text
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(text)
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        return start, end

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line end (for snippets)."""
        start, end = self.line_bounds(line)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self.line_starts())


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


#: Signatures of common binary files someone may point kalint at by mistake.
_MAGIC = (
    (b"\x7fELF", "an ELF executable or library"), (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"), (b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF document"),
    (b"\xfd7zXZ\x00", "xz-compressed"), (b"BZh", "bzip2-compressed"), (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
)


def _looks_utf16(head: bytes) -> bool:
    """Every other byte NUL and the rest mostly printable: text, just in UTF-16."""
    if len(head) < 4 or head.count(0) * 4 < len(head):
        return False
    for nul_half, text_half in ((head[0::2], head[1::2]), (head[1::2], head[0::2])):
        if nul_half.count(0) * 3 >= len(nul_half) * 2:
            printable = sum(32 <= b < 127 or b in b"\t\n\r" for b in text_half)
            return printable * 10 >= len(text_half) * 9
    return False


def refuse_reason(data: bytes) -> str | None:
    """Why these bytes are not a configuration keepalived could read, or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "file is UTF-16 encoded (byte order mark); keepalived reads bytes and needs UTF-8 or ASCII"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"file is binary ({kind}), not a text configuration"
    head = data[:_SNIFF_BYTES]
    if not head:
        return None
    if _looks_utf16(head):
        return "file looks UTF-16 encoded (every other byte is NUL); keepalived needs UTF-8 or ASCII"
    controls = len(head.translate(None, _NOT_CONTROL))
    if controls > BINARY_CONTROL_RATIO * len(head):
        return "file is binary, not a text configuration"
    return None


def line_break_of(text: str) -> str:
    """keepalived splits lines on LF only; a file with CR and no LF is one long line."""
    if "\n" not in text and "\r" in text:
        return "\r"
    return "\n"


def identity(st: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's content may have: device, inode, size, and the
    modification and change times (git's test for an unchanged file). The change time
    moves on every write and cannot be set back by the file's owner."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def read_bytes(path: str) -> bytes:
    """Read a regular file; a clear SourceError for everything else."""
    return read_bytes_and_identity(path)[0]


def read_bytes_and_identity(path: str) -> tuple[bytes, tuple[int, ...]]:
    """``read_bytes``, and the file's ``identity`` taken on the descriptor before reading."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceError(f"{path}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(f"{path}: not a regular file")
    try:
        return _read_regular(path, -1)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None


def read_regular(path: str, limit: int = -1) -> bytes:
    """Up to ``limit`` bytes of a regular file; SourceError if it is anything else.

    Opened non-blocking and checked on the open descriptor, so a FIFO or device
    swapped in after an earlier check can neither block nor be read.
    """
    return _read_regular(path, limit)[0]


def _read_regular(path: str, limit: int) -> tuple[bytes, tuple[int, ...]]:
    fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SourceError(f"{path}: not a regular file")
        return read_descriptor(fd, st.st_size, limit), identity(st)
    finally:
        os.close(fd)


def read_descriptor(fd: int, size: int, limit: int = -1) -> bytes:
    """Up to ``limit`` bytes (-1: all) of the regular file open as ``fd``, whose size was
    ``size`` when asked (it may grow or shrink meanwhile): plain ``os.read`` calls, without
    the file objects ``os.fdopen`` builds (a third of reading a small config)."""
    chunks = []
    want = limit
    while want != 0:
        chunk = os.read(fd, max(size + 1, 65536) if want < 0 else want)
        if not chunk:
            break
        chunks.append(chunk)
        if want > 0:
            want -= len(chunk)
    return b"".join(chunks)


def load(path: str, data: bytes | None = None) -> SourceFile:
    """Decode one file (or the given bytes, e.g. stdin) into a SourceFile."""
    read_from = None
    if data is None:
        data, read_from = read_bytes_and_identity(path)
    reason = refuse_reason(data)
    if reason:
        raise SourceError(f"{path}: {reason}")
    text = decode(data)
    return SourceFile(path=path, text=text, line_break=line_break_of(text), identity=read_from)
