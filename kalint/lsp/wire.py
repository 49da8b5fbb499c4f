"""LSP base protocol framing that survives a bad frame: answer it, then find the next one.

pygls 2's own read loop leaves a request unanswered when its params do not validate (a
negative position: the editor waits forever), and after one Content-Length that is too
short it never finds a header again: the rest of that body is read as a header line, with
the next real header glued to it. ``Framer`` reads frames out of a byte buffer instead
and resynchronises on the next ``Content-Length:`` wherever it starts; what it cannot
frame comes out as a ``Problem``, which the server answers (with the request's id when
one can be read from the bytes) before it goes on.

A body that never arrives in full (a Content-Length too long, and the editor waiting for
the answer) would block any reader: when the wire has been quiet for ``QUIET_SECONDS``
with an incomplete frame, ``stalled()`` gives it up as a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = re.compile(rb"Content-Length:[ \t]*(\d{1,10})[ \t]*\r?\n", re.IGNORECASE)
#: Another header field (Content-Type; a Content-Length that HEADER did not take is
#: garbage), or the blank line that ends the header.
_FIELD = re.compile(rb"(?!content-length:)[!-9;-~]+:[^\r\n]*\r?\n", re.IGNORECASE)
_BLANK = re.compile(rb"\r?\n")
_ID = re.compile(rb'"id"[ \t\r\n]*:[ \t\r\n]*(-?\d{1,15}|"(?:[^"\\\r\n]|\\.){0,200}")')
#: A larger body is refused rather than buffered (no editor sends one).
MAX_BODY = 256 * 1024 * 1024
#: How long the wire must stay quiet before an incomplete frame is a framing error.
QUIET_SECONDS = 1.5
#: Garbage without a header in sight is dropped beyond this size (a header's start is kept).
_MAX_GARBAGE = 1 << 20


@dataclass(frozen=True, slots=True)
class Problem:
    """Bytes that are not a frame: why, and the id of the request they carried if seen."""

    reason: str
    request_id: int | str | None = None


#: What ``Framer._drop`` gives for bytes not worth a report of their own.
_SKIPPED = Problem("skipped")


class Framer:
    """Frames in, as bodies (bytes) or ``Problem``s, from a stream fed in pieces."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        #: What follows a bad frame is the rest of it: not reported a second time.
        self._after_problem = False

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def next(self) -> bytes | Problem | None:
        """The next body or problem; None when more bytes are needed."""
        while True:
            found = self._scan()
            if found is not _SKIPPED:
                return found

    def _scan(self) -> bytes | Problem | None:
        buf = self.buffer
        header = HEADER.search(buf)
        if header is None:
            if len(buf) > _MAX_GARBAGE:
                return self._drop(len(buf) - 64, "bytes that are not an LSP message")
            return None
        if _garbage(buf, header.start()):
            return self._drop(header.start(), "bytes that are not an LSP message before a header")
        pos = header.end()
        while not (blank := _BLANK.match(buf, pos)):
            field = _FIELD.match(buf, pos)
            if field is None:
                if b"\n" not in buf[pos:]:
                    return None  # the line is still coming
                return self._drop(header.end(), "a malformed header line", sniff=bytes(buf[pos:]))
            pos = field.end()
        start = blank.end()
        length = int(header.group(1))
        if length > MAX_BODY:
            return self._drop(start, f"a Content-Length of {length}, more than {MAX_BODY}")
        if len(buf) - start < length:
            return None
        body = bytes(buf[start:start + length])
        del buf[:start + length]
        self._after_problem = False
        return body

    def reject(self, body: bytes, reason: str) -> Problem:
        """A body that is not a JSON-RPC message: a problem; a header inside it (the
        Content-Length was too long and the body ran into the next frame) is read again."""
        inner = HEADER.search(body, 1)
        if inner is not None:
            self.buffer[:0] = body[inner.start():]
        self._after_problem = True
        return Problem(reason, _request_id(body))

    def stalled(self) -> Problem | None:
        """The wire went quiet with bytes that make no frame: give them up (the caller
        then asks ``next()`` again: a frame may start in what is left)."""
        buf = self.buffer
        header = HEADER.search(buf)
        if header is None or _garbage(buf, header.start()):
            found = self._drop(header.start() if header else len(buf), "an incomplete or malformed LSP message")
            return None if found is _SKIPPED else found
        # A header whose body never came in full: drop the header, look for the next
        # frame in what came after it.
        self._after_problem = True
        problem = Problem(f"a Content-Length of {int(header.group(1))} with fewer bytes after it",
                          _request_id(bytes(buf[header.end():])))
        del buf[:header.end()]
        return problem

    def _drop(self, upto: int, reason: str, sniff: bytes = b"") -> Problem:
        """Drop ``buffer[:upto]``: a problem, or ``_SKIPPED`` for the rest of the last one.
        The request id is looked for in what is dropped, else in ``sniff``."""
        dropped = bytes(self.buffer[:upto])
        del self.buffer[:upto]
        if self._after_problem or not dropped.strip():
            self._after_problem = False
            return _SKIPPED
        self._after_problem = True
        found = _request_id(dropped)
        return Problem(reason, found if found is not None else _request_id(sniff))


def _garbage(buf: bytearray, end: int) -> bool:
    """Anything but header fields and blank lines before ``end``."""
    pos = 0
    while pos < end:
        match = _FIELD.match(buf, pos, end) or _BLANK.match(buf, pos, end)
        if match is None:
            return True
        pos = match.end()
    return False


def _request_id(data: bytes) -> int | str | None:
    found = _ID.search(data)
    if found is None:
        return None
    text = found.group(1).decode("utf-8", "replace")
    return text[1:-1] if text.startswith('"') else int(text)
