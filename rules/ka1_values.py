"""KA103, KA104, KA105: argument counts, values and keywords given twice.

Checked only for lines keepalived reads where they were written (see ``_placement``);
a displaced line is already part of a KA101/KA102 cascade.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Edit, Fix, Related, Severity
from kalint.model import Config, schema
from kalint.model.numbers import lenient_value, read_leniently
from kalint.model.schema import KeywordSpec
from kalint.rule import Rule
from kalint.rules._common import missing_argument_effect, plural
from kalint.rules._placement import ReplayedPerBlock, placement
from kalint.runtime.addresses import address_int
from kalint.syntax.span import Span
from kalint.syntax.tree import Block, Statement, Word

# read_int/read_unsigned: strtol/strtoul in base 10 (leading blanks allowed).
_INT = re.compile(r"\s*[+-]?\d+")
# read_decimal_unsigned: digits with at most one decimal point.
_DECIMAL = re.compile(r"\s*\+?(?:\d+\.?\d*|\.\d+)")
_WEIGHT = re.compile(r"weight <(-?\d+)\.\.(-?\d+)>")
_CHECKED_TYPES = frozenset({"int", "decimal", "bool", "enum", "ip"})
#: List blocks whose entries start with an address[/prefix].
#: Values a more specific rule reports (one finding per token): `state` is KA302's.
_EXPLAINED_ELSEWHERE = frozenset({"vrrp_instance.state"})
#: Words that say "off" to a reader (check_true_false's, and 0), given to a keyword with no value.
_NEGATIONS = frozenset({"false", "off", "no", "0"})
_ADDRESS_LISTS = {"virtual_ipaddress", "virtual_ipaddress_excluded", "static_ipaddress"}
_CONDITION = re.compile(r"@\^?[^ \t]+(?=[ \t])")


class ArgumentCount(ReplayedPerBlock, Rule):
    """A keyword with too few or too many words after it.

    A missing argument makes keepalived exit while reading the config ("is missing a
    parameter") or drop the line; extra words are ignored without a message, which
    hides mistakes such as `nopreempt false` (still turns nopreempt on: an error, as for
    any off-word given to a keyword that takes none) or `priority 100 150`.

    Bad:

        vrrp_instance VI_1 {
            nopreempt false
            priority
        }

    Good:

        vrrp_instance VI_1 {
            nopreempt
            priority 100
        }
    """

    code = "KA103"
    analyses = (placement,)
    name = "argument-count"
    severity = Severity.ERROR
    summary = "too few words after a keyword, an off-word keepalived ignores (errors), or other extra words (warning)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for stmt, spec in placement(config).placed:
            count = len(stmt.texts) - 1
            if count < spec.nargs_min:
                brace = (" (a `{` is not an argument)"
                         if isinstance(stmt, Block) and spec.kind == "statement" else "")
                yield self.diagnostic(
                    stmt.header_span,
                    f"`{spec.name}` needs {plural(spec.nargs_min, 'argument')} (`{spec.name} {spec.synopsis}`), "
                    f"got {count}{brace}: {missing_argument_effect(spec)}",
                )
            elif spec.nargs_max is not None and count > spec.nargs_max:
                extra = stmt.words[1 + spec.nargs_max:]
                words = " ".join(w.text for w in extra)
                severity = Severity.WARNING
                if spec.nargs_max == 0:
                    message = f"`{spec.name}` takes no value: keepalived ignores `{words}`"
                    if spec.type == "none" and spec.kind == "statement":
                        message += " (the keyword alone turns the option on)"
                        if extra[0].text in _NEGATIONS:  # the text says off, keepalived turns it on
                            message = (f"`{spec.name} {extra[0].text}` turns `{spec.name}` on: the keyword takes no "
                                       f"value and keepalived ignores `{words}`; remove the line to leave it off")
                            severity = Severity.ERROR
                    message += _until(spec, config)
                else:
                    message = (f"`{spec.name}` takes at most {plural(spec.nargs_max, 'argument')} "
                               f"(`{spec.name} {spec.synopsis}`): keepalived ignores `{words}`")
                start, end = extra[0], extra[-1]
                yield self.diagnostic(
                    stmt.doc.expansion.span(start.line, start.column, end.line, end.end_column),
                    message,
                    severity=severity,
                )


class InvalidValue(ReplayedPerBlock, Rule):
    """A value keepalived rejects.

    Not a number, out of range, not one of the words it accepts, not a boolean, or not
    an IP address or prefix:
    keepalived logs the value and then ignores it, uses a default, or clamps it, and
    starts anyway; the ranges depend on the block (`weight` is -253..253 in a
    vrrp_script, -254..254 in a track_file, 0..2147483647 in a real_server). Booleans
    are the lower-case words true/on/yes/false/off/no only; enum words are compared
    case-sensitively unless keepalived says otherwise. Addresses are read as keepalived
    reads them (`inet_pton`): an IPv6 address with a `%zone` is not one.

    A trap `keepalived -t` hides: most number keywords are read leniently
    (`ignore_error`), so where `-t` rejects `rise 3O` or `preempt_delay 5s`, the running
    daemon only logs `WARNING - invalid number` and uses the part it could read, when in
    range: `rise 3`, and a preempt delay of 5 microseconds (a decimal reader appends its
    zeros after the text). The message then says which value runs.

    (`state` words are KA302's, which says what keepalived does with them.)

    Bad:

        vrrp_instance VI_1 {
            advert_int fast
            priority 300
            virtual_ipaddress {
                10.0.0.256/24
            }
        }

    Good:

        vrrp_instance VI_1 {
            advert_int 1
            priority 150
            virtual_ipaddress {
                10.0.0.10/24
            }
        }
    """

    code = "KA104"
    analyses = (placement,)
    name = "invalid-value"
    severity = Severity.ERROR
    summary = "a value keepalived rejects: type, range, enum word, boolean or IP address"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        found = placement(config)
        # Every line of one config reads its keyword's spec for the same release, so a
        # verdict depends on the spec's path and the word alone: configs repeat values
        # (`interval 2`, `weight -20`) far more often than they vary them.
        verdicts: dict[tuple[str, str], tuple[str, Severity | None] | None] = {}
        for stmt, spec in found.placed:
            texts = stmt.texts
            if len(texts) < 2 or spec.path in _EXPLAINED_ELSEWHERE:
                continue
            if spec.type == "enum" and spec.nargs_max is None:
                for at, text in enumerate(texts[1:], 1):
                    problem = _check_enum(spec, text.lstrip("+-"))
                    if problem:
                        yield self.diagnostic(stmt.words[at].span, problem)
                continue
            if spec.type not in _CHECKED_TYPES:
                continue
            key = (spec.path, texts[1])
            if key not in verdicts:
                verdicts[key] = _verdict(spec, texts[1], config)
            verdict = verdicts[key]
            if verdict is not None:
                yield self.diagnostic(stmt.words[1].span, verdict[0], severity=verdict[1])
        for entry, spec in found.entries:
            yield from self._entry(entry, spec)

    def _entry(self, entry: Statement, spec: KeywordSpec) -> Iterator[Diagnostic]:
        texts = entry.texts
        if not texts:
            return
        if spec.name in _ADDRESS_LISTS:
            problem = _check_address(texts[0], prefix=True)
        elif spec.name == "unicast_peer":
            problem = _check_address(texts[0], prefix=False)
        else:
            problem = None
        if problem:
            yield self.diagnostic(entry.words[0].span, f"{problem} in `{spec.name}`")
        limits = _WEIGHT.search(spec.synopsis)
        if limits and "weight" in texts:
            yield from self._weight(entry.words, int(limits.group(1)), int(limits.group(2)), spec)

    def _weight(self, words: list[Word], low: int, high: int, spec: KeywordSpec) -> Iterator[Diagnostic]:
        for i, word in enumerate(words[:-1]):
            if word.text == "weight":
                value = words[i + 1]
                if not _INT.fullmatch(value.text) or not low <= int(value.text) <= high:
                    # track_* entries read the weight leniently (read_int_strvec(..., true))
                    used = None if _INT.fullmatch(value.text) else read_leniently(value.text, low, high)
                    yield self.diagnostic(
                        value.span,
                        f"`weight {value.text}` in `{spec.name}` is not an integer in {low}..{high}: "
                        + (f"`keepalived -t` ignores the entry's weight, but the running daemon only warns "
                           f"(`WARNING - invalid number`) and uses {int(used)}" if used
                           else "keepalived ignores the entry's weight"),
                    )


def _verdict(spec: KeywordSpec, text: str, config: Config) -> tuple[str, Severity | None] | None:
    """KA104's message for ``text`` as the first argument of ``spec``, and its severity
    (None: the rule's), or None when keepalived reads it as written."""
    problem = check_word(spec, text)
    if problem:
        return problem + _until(spec, config) + _at_run_time(spec, text), None
    rounded = _too_precise(spec, text) if spec.type == "decimal" else None
    return (rounded, Severity.WARNING) if rounded else None


def _at_run_time(spec: KeywordSpec, text: str) -> str:
    """What a running keepalived uses instead, where it reads an invalid number leniently."""
    if (_INT if spec.type == "int" else _DECIMAL).fullmatch(text):
        return ""  # a number out of range: rejected at run time too
    value = lenient_value(spec, text)
    if not value:  # rejected at run time too, or 0, which many handlers replace by a default
        return ""
    head = "; `keepalived -t` rejects it, but the running daemon only warns (`WARNING - invalid number`) and uses"
    if spec.type == "int":
        return f"{head} {int(value)}, the number before the first character that is not a digit"
    shown = f"{value:.{spec.places}f}".rstrip("0").rstrip(".")
    return (f"{head} {shown}: it appends {spec.places} zeros for the decimals to the text, "
            f"then reads the digits before the first other character")


def _until(spec: KeywordSpec, config: Config) -> str:
    """Where the target release reads a value unlike newer ones: which release changed it."""
    changed = schema.changed_after(spec, config.target_version)
    return f" (as keepalived before {changed} reads it; the target is {config.target_version})" if changed else ""


def check_word(spec: KeywordSpec, text: str) -> str | None:
    """Why keepalived rejects ``text`` as the first argument of ``spec``, or None."""
    kind = spec.type
    if kind == "int":
        if not _INT.fullmatch(text) or (spec.min is not None and spec.min >= 0 and text.strip().startswith("-")):
            return f"`{spec.name}` needs an integer{_range(spec)}, not `{text}`"
        return _out_of_range(spec, int(text), text)
    if kind == "decimal":
        if not _DECIMAL.fullmatch(text):
            return f"`{spec.name}` needs a non-negative decimal number{_range(spec)}, not `{text}`"
        return _out_of_range(spec, float(text.strip().rstrip(".") or 0), text)
    if kind == "bool":
        if text not in schema.BOOLEAN_WORDS:
            return (f"`{spec.name} {text}`: keepalived accepts only the lower-case words "
                    f"true/on/yes or false/off/no")
        return None
    if kind == "enum":
        return _check_enum(spec, text)
    if kind == "ip":
        return _check_address(text, prefix=False, name=spec.name)
    return None


def _too_precise(spec: KeywordSpec, text: str) -> str | None:
    """read_decimal_unsigned/read_timer keep ``places`` decimals (6, or 3 for milliseconds) and round."""
    places = spec.places or 6
    if "." in text and len(text.rsplit(".", 1)[1]) > places:
        return f"`{spec.name} {text}` has more than {places} decimal places: keepalived reports it and rounds"
    return None


def _range(spec: KeywordSpec) -> str:
    if spec.min is None or spec.max is None:
        return ""
    return f" in {_fmt(spec.min)}..{_fmt(spec.max)}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0")


def _out_of_range(spec: KeywordSpec, value: float, text: str) -> str | None:
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        where = f" in `{spec.parent}`" if spec.parent else ""
        return f"`{spec.name} {text.strip()}` is out of range{where}: keepalived accepts {_range(spec)[4:] or _bounds(spec)}"
    return None


def _bounds(spec: KeywordSpec) -> str:
    if spec.min is not None:
        return f"values from {_fmt(spec.min)}"
    return f"values up to {_fmt(spec.max)}" if spec.max is not None else "other values"


def _check_enum(spec: KeywordSpec, text: str) -> str | None:
    if not spec.enum:
        return None
    if spec.enum_case_sensitive:
        ok = text in spec.enum
    else:
        ok = text.lower() in {e.lower() for e in spec.enum}
    if ok:
        return None
    hint = ""
    if spec.enum_case_sensitive and text.lower() in {e.lower() for e in spec.enum}:
        hint = " (the words are case-sensitive)"
    return f"`{spec.name} {text}`: keepalived accepts only {', '.join(spec.enum)}{hint}"


def _check_address(text: str, prefix: bool, name: str | None = None) -> str | None:
    """An address, optionally ``/prefix``; without ``prefix`` keepalived cuts at `/` or `-`."""
    what = f"`{name} {text}`" if name else f"`{text}`"
    if prefix:
        address, _, length = text.partition("/")
    else:
        address, length = re.split(r"[/-]", text, maxsplit=1)[0], ""
    parsed = address_int(address)  # inet_pton, as keepalived: no `%zone`, unlike ipaddress
    if parsed is None:
        return f"{what} is not an IP address"
    if length:
        limit = 32 if parsed[0] == 4 else 128
        if not length.isdigit() or int(length) > limit:
            # parse_ipaddress() reads it with read_unsigned(..., true): lenient outside -t
            used = None if length.isdigit() else read_leniently(length, 0, limit)
            if used is None:
                return f"{what}: the prefix length must be 0..{limit} (keepalived uses {limit} instead)"
            return (f"{what}: the prefix length must be 0..{limit}; `keepalived -t` says it uses {limit}, but the "
                    f"running daemon only warns (`WARNING - invalid number`) and adds the address as /{int(used)}")
    return None


class DuplicateKeyword(ReplayedPerBlock, Rule):
    """A single-valued keyword given twice in one block.

    keepalived keeps one of the values without a word, and which one depends on the
    keyword: most take the last, `notify*` scripts and `process`/`file` keep the first,
    `state` is MASTER if any of them says MASTER, and a track_file / vrrp_track_process
    `weight` keeps the first unless it was the default. The other line is dead and
    misleads whoever reads the config. A repeated identical line gets a fix that deletes
    it, safe only when keepalived then reads the same value under every config id.

    A line under `@id` and one without are not duplicates: `priority 100` followed by
    `@lb1 priority 150` is the way to give lb1 its own value. They are reported only
    when the `@id` line never takes effect, because the line keepalived keeps on that host
    is the one without `@id` (`@lb1 priority 150` followed by `priority 100`: keepalived
    2.2.7 run with `-i lb1` uses 100). With equal values that changes nothing and is not
    reported.

    Bad:

        vrrp_instance VI_1 {
            priority 100
            priority 150
        }

    Good:

        vrrp_instance VI_1 {
            priority 150
        }
    """

    code = "KA105"
    analyses = (placement,)
    name = "duplicate-keyword"
    severity = Severity.WARNING
    summary = "a single-valued keyword given twice in one block, and which value keepalived uses"

    def blocks_independent(self, config: Config) -> bool:
        # Keywords at the top level are compared across blocks (their parent is the file).
        return super().blocks_independent(config) and all(isinstance(item, Block) for item in config.document.items)

    def check(self, config: Config) -> Iterator[Diagnostic]:
        # The first line of each keyword, kept only for the blocks still open: the
        # statements go by in file order, so a block left behind has closed. (A dict over
        # every line of the config was the largest thing a lint of a large one held.)
        open_blocks: list[tuple[Block | None, dict[str, Statement]]] = [(None, {})]
        repeated: dict[tuple[int, str], tuple[KeywordSpec, list[Statement]]] = {}
        for stmt, spec in placement(config).placed:
            if spec.repeatable or spec.kind == "block":
                continue
            parent = stmt.parent
            if open_blocks[-1][0] is not parent:
                _enter(open_blocks, parent, stmt)
            seen = open_blocks[-1][1].setdefault(spec.path, stmt)
            if seen is not stmt:
                repeated.setdefault((id(parent), spec.path), (spec, [seen]))[1].append(stmt)
        for spec, stmts in repeated.values():
            yield from self._group(config, spec, stmts)

    def _group(self, config: Config, spec: KeywordSpec, stmts: list[Statement]) -> Iterator[Diagnostic]:
        """Duplicates among lines with the same `@id` condition; `@id` lines that never take effect."""
        kept = _kept(spec, stmts)
        groups: dict[str | None, list[Statement]] = {}
        for stmt in stmts:
            groups.setdefault(_condition(config, stmt), []).append(stmt)
        for group in groups.values():
            for previous, stmt in zip(group, group[1:]):
                yield self._report(config, spec, previous, stmt, kept, stmts)
        if kept is None or _condition(config, kept) is not None:
            return
        for condition, group in groups.items():
            overridden = group[0]
            if condition is not None and _value(overridden) != _value(kept):
                yield self._overridden(spec, condition, overridden, kept)

    def _overridden(self, spec: KeywordSpec, condition: str, stmt: Statement, kept: Statement) -> Diagnostic:
        name = condition.lstrip("@^")
        hosts = f"hosts other than {name}" if condition.startswith("@^") else f"{name} (-i {name})"
        order = "later" if kept.line > stmt.line else "earlier"
        return self.diagnostic(
            stmt.header_span,
            f"`{condition} {spec.name} {_value(stmt)}` never takes effect: on {hosts} keepalived also reads "
            f"the {order} `{spec.name} {_value(kept)}` without `@id` (line {kept.span.line}) and uses that one",
            related=[Related(kept.header_span, f"`{spec.name} {_value(kept)}`: the value keepalived uses there")],
            help=f"put the `{condition}` line after the line without `@id`, or remove it",
        )

    def _report(self, config: Config, spec: KeywordSpec, previous: Statement, stmt: Statement,
                kept: Statement | None, stmts: list[Statement]) -> Diagnostic:
        here = _value(stmt)
        if kept is None:
            outcome = ("keepalived uses the default (BACKUP), as the last word is invalid" if spec.duplicate == "master"
                       else "keepalived uses neither value as written")
        elif spec.kind == "list":
            outcome = f"keepalived uses the block on line {kept.span.line} and skips the other"
        elif kept is stmt:
            outcome = f"keepalived uses this one (`{here}`)"
        else:
            outcome = f"keepalived uses `{_value(kept)}` from line {kept.span.line}"
        block = f"`{stmt.parent.keyword}`" if stmt.parent is not None else "the top level"
        fix = None
        if spec.kind == "statement" and previous.arg_texts() == stmt.arg_texts():
            fix = _delete_line(config, stmt, _same_for_every_id(config, spec, stmts, stmt))
        return self.diagnostic(
            stmt.header_span,
            f"`{spec.name}` is given again in {block} (first on line {previous.span.line}): {outcome}",
            related=[Related(previous.header_span, f"`{f'{spec.name} {_value(previous)}'.strip()}` given here")],
            fix=fix,
        )


def _enter(open_blocks: list[tuple[Block | None, dict[str, Statement]]], parent: Block | None,
           stmt: Statement) -> None:
    """Make ``parent`` (``stmt``'s block) the last of ``open_blocks``: the blocks that
    closed before ``stmt`` go, and what is left encloses it."""
    line, column = stmt.line, stmt.column
    while (block := open_blocks[-1][0]) is not None and (
            block.end_line < line or (block.end_line == line and block.end_column <= column)):
        open_blocks.pop()
    if open_blocks[-1][0] is not parent:
        open_blocks.append((parent, {}))


def _value(stmt: Statement) -> str:
    return " ".join(stmt.arg_texts())


def _kept(spec: KeywordSpec, stmts: list[Statement]) -> Statement | None:
    """The occurrence whose value keepalived ends up with (see KeywordSpec.duplicate)."""
    policy = spec.duplicate
    if policy == "first":
        return stmts[0]
    if policy == "master":
        kept: Statement | None = None
        for stmt in stmts:
            word = stmt.args[0].text if stmt.args else ""
            if word == "MASTER":
                kept = stmt
            elif word == "BACKUP":
                if kept is None or _value(kept) != "MASTER":
                    kept = stmt
            else:
                kept = None  # "unknown state, defaulting to BACKUP"
        return kept
    if policy in ("unset1", "unset0"):
        # Once a weight other than the default is stored, later ones are "already set";
        # a default or invalid value leaves the slot open (track_file: 1, track_process: 0).
        default = 1 if policy == "unset1" else 0
        kept = None
        for stmt in stmts:
            text = stmt.args[0].text if stmt.args else ""
            if _INT.fullmatch(text) and check_word(spec, text) is None:
                kept = stmt
                if int(text) != default:
                    break
        return kept
    return stmts[-1]


def _condition(config: Config, stmt: Statement) -> str | None:
    """The `@id` / `@^id` its line starts with (keepalived reads the line only on those hosts)."""
    span = stmt.header_span
    source = next((s for s in config.expansion.sources if s.path == span.path), None)
    if source is None:
        return None
    match = _CONDITION.match(source.line_text(span.line).lstrip(" \t"))
    return match.group().rstrip(" \t") if match else None


def _same_for_every_id(config: Config, spec: KeywordSpec, stmts: list[Statement], deleted: Statement) -> bool:
    """Does keepalived read the same value without ``deleted``, whatever its config id?

    Under this lint's id the kept value is compared. A line for this id alone (`@id`)
    changes nothing elsewhere; a line every host reads is judged for all of them only
    when no line of its block depends on an id (lines for other ids are not in this
    expansion); an `@^id` line is read by hosts this expansion does not show.
    """
    rest = [s for s in stmts if s is not deleted]
    before, after = _kept(spec, stmts), _kept(spec, rest)
    if (before is None) != (after is None) or (before and after and _value(before) != _value(after)):
        return False
    condition = _condition(config, deleted)
    if condition is not None:
        return config.config_id is not None and condition == f"@{config.config_id}"
    return config.config_id is None or not _conditional_lines_in_block(config, deleted)


def _conditional_lines_in_block(config: Config, stmt: Statement) -> bool:
    """Is there an `@id` line in the source lines of ``stmt``'s block (the file, at the top)?"""
    span = stmt.header_span
    source = next((s for s in config.expansion.sources if s.path == span.path), None)
    if source is None:
        return True
    first, last = 1, source.line_count
    if stmt.parent is not None:
        block = stmt.parent.span
        if block.path != span.path:
            return True
        first, last = block.line, block.end_line
    return any(source.line_text(n).lstrip(" \t").startswith("@") for n in range(first, last + 1))


def _delete_line(config: Config, stmt: Statement, safe: bool = True) -> Fix | None:
    """A fix deleting ``stmt``'s line when the line holds nothing else but a comment."""
    span = stmt.header_span
    source = config.expansion.source(span.path)
    if source is None:
        return None
    text = source.line_text(span.line)
    code = re.split(r"[#!]", text, maxsplit=1)[0].lstrip(" \t")
    condition = _CONDITION.match(code)
    if condition is not None:
        code = code[condition.end() :]
    if "{" in code or "}" in code or code.split()[:1] != [stmt.keyword]:
        return None
    if span.line < source.line_count:
        whole = Span(span.path, span.line, 1, span.line + 1, 1)
    else:
        whole = Span(span.path, span.line, 1, span.line, len(text) + 1)
    return Fix(f"delete the repeated `{stmt.keyword}` line", (Edit(whole, ""),), safe=safe)
