"""KA324: a numeric `umask` without a leading 0, which keepalived reads as decimal."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Edit, Fix, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._placement import ReplayedPerBlock, placed_specs, placement

_PERMISSION_BITS = 0o777


class UmaskDecimal(ReplayedPerBlock, Rule):
    """A numeric `umask` written without a leading `0`.

    keepalived reads it with strtol() in base 0 (umask_handler): `022` is octal, but
    `22` or `77` are decimal, unlike the shell's `umask 77`. keepalived 2.2.7 accepts
    `umask 77` silently and runs with umask 0115 (its `-d` dump says `umask = 0115`),
    so the files it creates are readable by others; a decimal value above 511 is not a
    umask at all (`invalid umask value`) and is ignored.

    Bad:

        global_defs {
            umask 77
        }

    Good:

        global_defs {
            umask 077
        }
    """

    code = "KA324"
    analyses = (placement, placed_specs)
    name = "umask-decimal"
    severity = Severity.WARNING
    summary = "a numeric `umask` without a leading 0: keepalived reads it as decimal"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        if "global_defs.umask" not in placed_specs(config):
            return
        for stmt, spec in placement(config).placed:
            if spec.path != "global_defs.umask" or len(stmt.texts) != 2:
                continue
            word = stmt.args[0]
            text = word.text
            if not text.isdigit() or text.startswith("0") or int(text) < 8:
                continue  # octal (or symbolic) as written, or the same in both bases
            value = int(text)
            if value & ~_PERMISSION_BITS:
                yield self.diagnostic(
                    word.span,
                    f"keepalived reads `umask {text}` as decimal {text} (strtol base 0), which is not a umask: it "
                    f"reports `invalid umask value {text}` and ignores it; write octal with a leading 0",
                    severity=Severity.ERROR,
                )
                continue
            octal = set(text) <= set("01234567")
            yield self.diagnostic(
                word.span,
                f"keepalived reads `umask {text}` as decimal (strtol base 0): it runs with umask 0{value:03o}"
                + (f", not 0{text}" if octal else "") + "; write octal with a leading 0",
                fix=Fix(f"write `0{text}`", (Edit(word.span, f"0{text}"),), safe=False) if octal else None,
            )
