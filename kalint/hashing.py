"""SHA-256 without loading OpenSSL for small inputs.

``import hashlib`` loads OpenSSL's ``_hashlib`` first (about 2.2 ms), a tenth of what a
run of a small config spends after ``import click``, where nothing else needs it (lark,
which does, is imported only to compute the parser's table once). CPython's own SHA-256
module (``_sha256``; ``_sha2`` from Python 3.12) imports in a tenth of that time and gives
the same digests, but hashes about six times slower (2.5 MB: 17.6 ms against OpenSSL's
2.8 ms), so large inputs still go to hashlib. Either way the digest is SHA-256's: cache
keys and integrity checks are what they were.
"""

from __future__ import annotations

import sys
from typing import Any

try:
    from _sha2 import sha256 as _builtin  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256 as _builtin  # Python 3.10, 3.11
    except ImportError:  # an interpreter without CPython's module
        _builtin = None

#: From this many bytes hashed in a run, OpenSSL's speed is worth its import.
LARGE = 256 * 1024
_hashed = 0


def sha256(data: bytes | memoryview = b"", *, more: int = 0) -> Any:
    """A SHA-256 object fed ``data``, to be fed about ``more`` bytes besides: OpenSSL's
    once hashlib is loaded anyway or the run has hashed ``LARGE``
    bytes in all (a repository of configs read from the result cache)."""
    global _hashed
    _hashed += len(data) + more
    if _builtin is None or _hashed >= LARGE or "hashlib" in sys.modules:
        import hashlib

        return hashlib.sha256(data)
    return _builtin(data)
