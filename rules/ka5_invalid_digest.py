"""KA507: an HTTP_GET/SSL_GET `digest` that is not 32 hex digits."""

from __future__ import annotations

import string
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule

#: An MD5 digest in hex (check_http.c: 2 * MD5_DIGEST_LENGTH).
_LENGTH = 32


class InvalidDigest(Rule):
    """A `url` `digest` that is not an MD5 digest of 32 hex digits.

    keepalived rejects it (`digest '…' character length should be 32 rather than N`, or
    `Unable to interpret hex digit`, check_http.c) and keeps the `url` without a
    digest: the checker then no longer compares the page's content, so a server that
    returns the wrong page passes.

    Bad:

        url {
            path /health
            digest 9b3a0c85a887a256d6939da88aabd8cd0
        }

    Good:

        url {
            path /health
            digest 9b3a0c85a887a256d6939da88aabd8cd
        }
    """

    code = "KA507"
    name = "invalid-digest"
    severity = Severity.ERROR
    summary = "a `digest` that is not 32 hex digits, which keepalived ignores"

    block_local = True  # one digest line

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for stmt in config.document.index().keyword("digest"):
            if len(stmt.texts) < 2 or stmt.parent is None or stmt.parent.keyword != "url":
                continue
            digest = stmt.texts[1]
            if len(digest) != _LENGTH:
                why = f"`digest '{digest}' character length should be {_LENGTH} rather than {len(digest)}`"
            elif not all(c in string.hexdigits for c in digest):
                why = f"`Unable to interpret hex digit in '{digest}'`"
            else:
                continue
            yield self.diagnostic(
                stmt.words[1].span,
                f"`{digest}` is not an MD5 digest of {_LENGTH} hex digits: keepalived rejects it ({why}) and checks "
                f"this url without comparing the page",
                help="use the output of `genhash` (or `md5sum` of the page)",
            )
