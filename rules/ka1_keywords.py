"""KA101, KA102, KA106, KA107: keywords keepalived does not know, or knows differently.

All four read ``_placement``: a replay of keepalived's parser over the tree, so a
misplaced block is reported once, at its cause, not once per line it displaces.
"""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Config, schema
from kalint.rule import Rule
from kalint.rules._common import closest, line_of, plural, rename_fix, stops_without_argument
from kalint.rules._placement import BOM, Cascade, ReplayedPerBlock, placed_specs, placement
from kalint.syntax.span import Span
from kalint.syntax.tree import Block, Statement


def where(path: str) -> str:
    """How a block path reads in a message."""
    return f"`{path.rsplit('.', 1)[-1]}`" if path else "the top level"


def inside(path: str) -> str:
    """``in `block``` or ``at the top level``."""
    return f"in {where(path)}" if path else "at the top level"


def enclosing(stmt: Statement | None) -> str:
    parent = stmt.parent if stmt is not None else None
    return f"`{parent.keyword}`" if parent is not None else "the top level"


def cascade_span(cascade: Cascade) -> Span:
    doc = cascade.start.doc
    last = cascade.last or cascade.start
    return doc.expansion.span(cascade.start.line, cascade.start.column, last.end_line, last.end_column)


def cascade_tail(cascade: Cascade) -> str:
    """What the cascade displaces, in numbers."""
    if not cascade.displaced:
        return ""
    start = cascade_span(cascade)
    last = line_of(cascade.last or cascade.start, start)
    unknown = len(cascade.unknown_lines) - (1 if cascade.cause in ("unknown-block", "bom") else 0)
    verb = "is" if cascade.displaced == 1 else "are"
    up_to = "" if last == f"line {start.line}" else f" up to {last}"  # (one line of the file: a `$NAME`)
    text = f"; {plural(cascade.displaced, 'line')}{up_to} {verb} read at the wrong level"
    if unknown > 0:
        text += f" ({unknown} reported as unknown keyword{'s' if unknown > 1 else ''})"
    return text


def braces_effect(stmt: Statement) -> str:
    """What keepalived makes of the braces after a keyword it does not open a block for."""
    if stmt.parent is None:
        return "the lines inside are read at the top level and its `}` is an extra `}` there"
    block = enclosing(stmt)
    return f"the lines inside are read as keywords of {block} and its `}}` closes {block}"


def close_note(cascade: Cascade) -> list[Related]:
    stmt = cascade.statement
    if isinstance(stmt, Block) and stmt.close_brace is not None:
        return [Related(stmt.close_brace.span, f"keepalived takes this `}}` as the end of {enclosing(stmt)}")]
    return []


class UnknownKeyword(ReplayedPerBlock, Rule):
    """A keyword keepalived does not know in this block.

    keepalived logs "Unknown keyword" and ignores the line, then starts anyway: a
    typo silently leaves the setting at its default. A keyword is only known in its own
    block, so one valid elsewhere is just as unknown here. When the unknown keyword
    opens a block, keepalived ignores the keyword but not the braces: the lines inside
    are read as keywords of the enclosing block and the `}` closes the enclosing block,
    so everything after it lands one level too high. kalint reports that once, with a
    span over every displaced line.

    Bad:

        vrrp_instance VI_1 {
            advert_intt 1
            track_scirpt {
                chk_haproxy
            }
        }

    Good:

        vrrp_instance VI_1 {
            advert_int 1
            track_script {
                chk_haproxy
            }
        }
    """

    code = "KA101"
    analyses = (placement,)
    name = "unknown-keyword"
    severity = Severity.ERROR
    summary = "a keyword keepalived does not know in this block (and the lines a block of it displaces)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        found = placement(config)
        for stmt, parent in found.unknown:
            yield self._unknown(stmt, parent)
        for cascade in found.cascades:
            if cascade.cause == "unknown-block":
                assert cascade.statement is not None
                first = self._unknown(cascade.statement, _written_parent(cascade.statement))
                yield self.diagnostic(
                    cascade_span(cascade),
                    f"{first.message}; it opens a block, and keepalived ignores the keyword but not the braces: "
                    f"{braces_effect(cascade.statement)}{cascade_tail(cascade)}",
                    related=close_note(cascade),
                    help=first.help,
                )
            elif cascade.cause == "bom":
                assert cascade.statement is not None
                name = cascade.statement.keyword.lstrip(BOM)
                yield self.diagnostic(
                    cascade_span(cascade),
                    f"the byte order mark makes `{name}` an unknown keyword for keepalived, so it ignores the "
                    f"keyword but not its braces: the lines of the block are read at the top level"
                    f"{cascade_tail(cascade)}",
                    help="save the file as UTF-8 without BOM",
                )

    def _unknown(self, stmt: Statement, parent: str) -> Diagnostic:
        word = stmt.keyword
        message = f"unknown keyword `{word}` {inside(parent)}: keepalived logs it and ignores the line"
        help: str | None = None
        fix = None
        elsewhere = [s for s in schema.locations(word) if s.parent != parent]
        if elsewhere:
            homes = sorted({where(s.parent) for s in elsewhere})
            places = ", ".join(homes[:3]) + (", ..." if len(homes) > 3 else "")
            message = f"`{word}` is valid in {places}, not {inside(parent)}: keepalived reports it as unknown here and ignores it"
            if len(homes) == 1:
                help = f"move it into {homes[0]}"
        else:
            guess = closest(word, schema.block_keywords(parent))
            if guess is None:
                guess = closest(word, schema.all_names(), cutoff=0.8)
                if guess is not None:
                    places = ", ".join(sorted({where(s.parent) for s in schema.locations(guess)})[:3])
                    help = f"did you mean `{guess}` (valid in {places})?"
            else:
                help = f"did you mean `{guess}`?"
                fix = rename_fix(stmt.words[0], guess)
        odd = next((c for c in word if ord(c) > 127), None)
        if odd is not None:
            message += f" (it contains the non-ASCII character `{odd}` U+{ord(odd):04X})"
        return self.diagnostic(stmt.header_span, message, help=help, fix=fix)


def _written_parent(stmt: Statement) -> str:
    return ".".join(stmt.path()[:-1])


class BlockMismatch(ReplayedPerBlock, Rule):
    """A block keyword without its `{`, a plain keyword given a block, or a stray `{`.

    keepalived follows its keyword tables, not the author's braces. A block keyword
    with no `{` ("Missing '{'") opens its block anyway, so the lines after it, up to
    the next `}`, are read inside it; a list block without `{` swallows the lines up to
    the next `}` as entries. A `{` after a keyword that takes no block, or after no
    keyword at all, is ignored ("Unexpected '{'"), and its `}` closes the enclosing
    block early. Either way the lines that follow are read at the wrong level; kalint
    reports the cascade once, at its cause.

    Bad:

        vrrp_instance VI_1 {
            authentication
            priority 100 {
            }
        }

    Good:

        vrrp_instance VI_1 {
            authentication {
                auth_type PASS
            }
            priority 100
        }
    """

    code = "KA102"
    analyses = (placement,)
    name = "block-mismatch"
    severity = Severity.ERROR
    summary = "a block keyword without `{`, a plain keyword with a block, or a stray `{`: lines land at the wrong level"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for cascade in placement(config).cascades:
            stmt, spec = cascade.statement, cascade.spec
            tail = cascade_tail(cascade)
            if cascade.cause == "plain-block" and stmt is not None:
                if spec is not None and len(stmt.texts) <= spec.nargs_min and stops_without_argument(spec):
                    continue  # keepalived exits at this line: KA103 says so, nothing cascades
                yield self.diagnostic(
                    cascade_span(cascade),
                    f"`{stmt.keyword}` takes no block: keepalived ignores this `{{` (\"Unexpected '{{'\"), so "
                    f"{braces_effect(stmt)}{tail}",
                    related=close_note(cascade),
                    help=f"remove the braces after `{stmt.keyword}`",
                )
            elif cascade.cause == "missing-brace" and spec is not None:
                if spec.kind == "list":
                    message = (f"list block `{spec.name}` has no `{{`: keepalived reads the following lines, up to "
                               f"the next `}}`, as its entries{tail}")
                else:
                    message = (f"block keyword `{spec.name}` has no `{{`: keepalived opens the block anyway "
                               f"(\"Missing '{{'\") and reads the following lines, up to the next `}}`, inside it{tail}")
                yield self.diagnostic(cascade_span(cascade), message, help=f"add `{{ ... }}` after `{spec.name}`")
            elif cascade.cause == "nested-in-list" and stmt is not None and spec is not None:
                yield self.diagnostic(
                    cascade_span(cascade),
                    f"`{stmt.keyword}` opens a block inside the list block `{spec.name}`, whose lines are entries: "
                    f"keepalived reads them as entries up to the first `}}` and the rest at the enclosing level{tail}",
                    help=f"close `{spec.name}` before `{stmt.keyword}`",
                )
            elif cascade.cause == "stray-brace":
                yield self.diagnostic(
                    cascade_span(cascade),
                    f"keepalived ignores the `{{` on {line_of(cascade.start, cascade.start.span)} (it follows no keyword), so the `}}` "
                    f"meant to close it closes the enclosing block{tail}",
                    help="remove the stray braces",
                )


class DeprecatedKeyword(ReplayedPerBlock, Rule):
    """A keyword keepalived still accepts but has replaced.

    Deprecated keywords are kept for old configurations: some are logged at every
    start, some silently mapped, and they are the first to go. Use the replacement.

    Bad:

        HTTP_GET {
            nb_get_retry 3
        }

    Good:

        HTTP_GET {
            retry 3
        }
    """

    code = "KA106"
    analyses = (placement, placed_specs)
    name = "deprecated-keyword"
    severity = Severity.WARNING
    summary = "a deprecated keyword, with its replacement"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        if not any(spec.deprecated for spec in placed_specs(config).values()):
            return
        for stmt, spec in placement(config).placed:
            if spec.deprecated:
                replacement = spec.deprecated
                if " " not in replacement and "`" not in replacement:
                    replacement = f"`{replacement}`"
                yield self.diagnostic(
                    stmt.header_span,
                    f"`{spec.name}` is deprecated {inside(spec.parent)}; use {replacement}",
                )


class KeywordTooNew(ReplayedPerBlock, Rule):
    """A keyword newer than the keepalived release the config targets.

    `--target-version` names the keepalived the configs run on (default: the newest
    kalint knows). An older keepalived reports a newer keyword as unknown and ignores
    it, so the setting silently does nothing there.

    Bad: with `--target-version 2.2.7`,

        vrrp_instance VI_1 {
            no_virtual_ipaddress
        }

    Good: upgrade keepalived, or leave the keyword out for that release.
    """

    code = "KA107"
    name = "keyword-too-new"
    severity = Severity.ERROR
    summary = "a keyword newer than --target-version: that keepalived ignores it as unknown"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        target = config.target_version
        if target is None or not any(schema.newer_than(spec, target) for spec in placed_specs(config).values()):
            return
        for stmt, spec in placement(config).placed:
            if schema.newer_than(spec, target):
                yield self.diagnostic(
                    stmt.header_span,
                    f"`{spec.name}` is new in keepalived {spec.since}: keepalived {target} (the target version) "
                    f"reports it as an unknown keyword and ignores it",
                )
