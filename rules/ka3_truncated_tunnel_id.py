"""KA325: an ip rule `tunnel-id` above 32 bits, which keepalived truncates."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._placement import ReplayedPerBlock, placement

_RULE_LISTS = frozenset({"static_rules", "vrrp_instance.virtual_rules"})
_U32 = 2**32
_U64_MAX = 2**64 - 1


class TruncatedTunnelId(ReplayedPerBlock, Rule):
    """An ip rule `tunnel-id` of 2^32 or more.

    keepalived reads it with read_unsigned64_strvec() (range 0..2^64-1), but
    lib/parser.c's read_unsigned64_func() stores the value through `(unsigned)val`, so
    only its low 32 bits reach the rule: `tunnel-id 4294967297` becomes tunnel-id 1
    without a word (keepalived 2.2.7 `-d` dumps `tunnel-id 1`), and the rule matches
    another tunnel.

    Bad:

        static_rules {
            from 192.0.2.1 table 100 tunnel-id 4294967297
        }

    Good:

        static_rules {
            from 192.0.2.1 table 100 tunnel-id 1
        }
    """

    code = "KA325"
    analyses = (placement,)
    name = "truncated-tunnel-id"
    severity = Severity.ERROR
    summary = "an ip rule `tunnel-id` of 2^32 or more: keepalived keeps only its low 32 bits"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for entry, spec in placement(config).entries:
            if spec.path not in _RULE_LISTS:
                continue
            words = entry.words
            for option, value in zip(words, words[1:]):
                if option.text == "tunnel-id" and value.text.isdigit() and _U32 <= int(value.text) <= _U64_MAX:
                    yield self.diagnostic(
                        value.span,
                        f"keepalived keeps only the low 32 bits of `tunnel-id {value.text}` (read_unsigned64 "
                        f"stores it as unsigned): the rule uses tunnel-id {int(value.text) % _U32}",
                    )
