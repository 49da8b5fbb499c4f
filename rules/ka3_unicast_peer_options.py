"""KA323: words after a `unicast_peer` address that keepalived reads as TTL options."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import quoted
from kalint.rules._placement import ReplayedPerBlock, placement
from kalint.runtime.addresses import ip_text
from kalint.syntax.span import Span
from kalint.syntax.tree import Statement, Word

_TTL = re.compile(r"\s*\+?\d+")  # read_unsigned(): strtoul in base 10, no sign
_OPTIONS = ("min_ttl", "max_ttl")


class UnicastPeerOptions(ReplayedPerBlock, Rule):
    """Words after a `unicast_peer` address that are not `min_ttl N` / `max_ttl N`.

    keepalived reads one peer per line (alloc_vrrp_unicast_peer): the first word is the
    address and the rest are read as option/value pairs. A second address on the line,
    or a range written `192.0.2.11 - 192.0.2.12`, is never a peer: the `-` or the second
    address is taken as an option name and the next word as its number, which keepalived
    2.2.7 reports only as `invalid number '192.0.2.12'` or `(VI_1) 192.0.2.12 is missing a
    value`. A TTL outside 0..255 is ignored (`number '300' outside range [0, 255]`); an
    unknown option stops the reading of the line; a `min_ttl` above the `max_ttl` drops
    every advert from that peer.

    Bad:

        unicast_peer {
            192.0.2.11 - 192.0.2.12
            192.0.2.13 192.0.2.14
        }

    Good:

        unicast_peer {
            192.0.2.11
            192.0.2.12
            192.0.2.13
            192.0.2.14 min_ttl 250
        }
    """

    code = "KA323"
    analyses = (placement,)
    name = "unicast-peer-options"
    severity = Severity.ERROR
    summary = "words after a unicast_peer address that keepalived misreads (a second address or range is never a peer)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for entry, spec in placement(config).entries:
            # a malformed address drops the line before its options are read (KA104's)
            if spec.path == "vrrp_instance.unicast_peer" and len(entry.texts) > 1 and ip_text(entry.texts[0]):
                yield from self._options(entry)

    def _options(self, entry: Statement) -> Iterator[Diagnostic]:
        words = entry.words
        lost = [w.text for w in words[1:] if ip_text(w.text)]
        if lost:
            ranged = any(w.text == "-" for w in words[1:])
            yield self.diagnostic(
                _span(entry, words[1], words[-1]),
                f"keepalived reads one peer per `unicast_peer` line and the words after `{words[0].text}` as "
                f"`min_ttl`/`max_ttl` options: {quoted(lost)} {'is never a peer' if len(lost) == 1 else 'are never peers'}"
                + (" (`-` is no address range)" if ranged else ""),
                help="write each peer address on its own line",
            )
            return
        ttl = {"min_ttl": 0, "max_ttl": 255}
        for i in range(1, len(words), 2):
            option = words[i]
            if i + 1 >= len(words):
                yield self.diagnostic(option.span, f"`{option.text}` has no value: keepalived says "
                                      f"`{option.text} is missing a value` and ignores it")
                break
            value = words[i + 1]
            if not _TTL.fullmatch(value.text) or int(value.text) > 255:
                yield self.diagnostic(value.span, f"`{option.text} {value.text}`: the TTL must be a number in "
                                      f"0..255; keepalived ignores this option")
            elif option.text not in _OPTIONS:
                yield self.diagnostic(option.span, f"unknown `unicast_peer` option `{option.text}` "
                                      f"(only min_ttl and max_ttl): keepalived ignores the rest of the line")
                break
            else:
                ttl[option.text] = int(value.text)
        if ttl["min_ttl"] > ttl["max_ttl"]:
            yield self.diagnostic(
                _span(entry, words[1], words[-1]),
                f"min_ttl {ttl['min_ttl']} > max_ttl {ttl['max_ttl']}: keepalived discards every advert from "
                f"`{words[0].text}` (`all packets will be discarded`)",
            )

def _span(entry: Statement, first: Word, last: Word) -> Span:
    return entry.doc.expansion.span(first.line, first.column, last.line, last.end_column)

