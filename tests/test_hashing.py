"""kalint.hashing.sha256 gives hashlib's digests, without OpenSSL for small inputs."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from kalint import hashing


@pytest.mark.parametrize("size", [0, 1, 1000, hashing.LARGE - 1, hashing.LARGE, 3 * hashing.LARGE])
def test_same_digest_as_hashlib(size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    assert hashing.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    h = hashing.sha256(data[:10], more=size)
    h.update(data[10:])
    assert h.digest() == hashlib.sha256(data).digest()


def test_small_inputs_do_not_load_openssl() -> None:
    code = (
        "import sys; from kalint.hashing import sha256; sha256(b'x' * 1000, more=1000).hexdigest(); "
        "print('_hashlib' in sys.modules, end=''); sha256(b'x', more=1 << 20); print('_hashlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == ("FalseTrue\n" if hashing._builtin is not None else "TrueTrue\n")
