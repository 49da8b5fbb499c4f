"""KA103, KA104, KA105: argument counts, values and keywords given twice.

Checked only for lines keepalived reads where they were written (see ``_placement``);
a displaced line is already part of a KA101/KA102 cascade.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Edit, Fix, Related, Severity
from kalint.model import Config, schema
from kalint.model.schema import KeywordSpec
from kalint.rule import Rule
from kalint.rules._common import plural
from kalint.rules._placement import placement
from kalint.syntax.span import Span
from kalint.syntax.tree import Statement, Word

# read_int/read_unsigned: strtol/strtoul in base 10 (leading blanks allowed).
_INT = re.compile(r"\s*[+-]?\d+")
# read_decimal_unsigned: digits with at most one decimal point.
_DECIMAL = re.compile(r"\s*\+?(?:\d+\.?\d*|\.\d+)")
_WEIGHT = re.compile(r"weight <(-?\d+)\.\.(-?\d+)>")
_CHECKED_TYPES = frozenset({"int", "decimal", "bool", "enum", "ip"})
#: List blocks whose entries start with an address[/prefix].
#: Values a more specific rule reports (one finding per token): `state` is KA302's.
_EXPLAINED_ELSEWHERE = frozenset({"vrrp_instance.state"})
_ADDRESS_LISTS = {"virtual_ipaddress", "virtual_ipaddress_excluded", "static_ipaddress"}


class ArgumentCount(Rule):
    """A keyword with too few or too many words after it.

    A missing argument makes keepalived exit while reading the config ("is missing a
    parameter") or drop the line; extra words are ignored without a message, which
    hides mistakes such as `nopreempt false` (still turns nopreempt on) or
    `priority 100 150`.

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
    name = "argument-count"
    severity = Severity.ERROR
    summary = "too few words after a keyword (error) or extra words keepalived ignores (warning)"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for stmt, spec in placement(config).placed:
            args = stmt.args
            count = len(args)
            if count < spec.nargs_min:
                yield self.diagnostic(
                    stmt.header_span,
                    f"`{spec.name}` needs {plural(spec.nargs_min, 'argument')} (`{spec.name} {spec.synopsis}`), "
                    f"got {count}: keepalived drops the line or stops reading the config",
                )
            elif spec.nargs_max is not None and count > spec.nargs_max:
                extra = args[spec.nargs_max:]
                words = " ".join(w.text for w in extra)
                if spec.nargs_max == 0:
                    message = f"`{spec.name}` takes no value: keepalived ignores `{words}`"
                    if spec.type == "none" and spec.kind == "statement":
                        message += " (the keyword alone turns the option on)"
                else:
                    message = (f"`{spec.name}` takes at most {plural(spec.nargs_max, 'argument')} "
                               f"(`{spec.name} {spec.synopsis}`): keepalived ignores `{words}`")
                start, end = extra[0], extra[-1]
                yield self.diagnostic(
                    stmt.doc.expansion.span(start.line, start.column, end.line, end.end_column),
                    message,
                    severity=Severity.WARNING,
                )


class InvalidValue(Rule):
    """A value keepalived rejects.

    Not a number, out of range, not one of the words it accepts, not a boolean, or not
    an IP address or prefix:
    keepalived logs the value and then ignores it, uses a default, or clamps it, and
    starts anyway; the ranges depend on the block (`weight` is -253..253 in a
    vrrp_script, -254..254 in a track_file, 0..2147483647 in a real_server). Booleans
    are the lower-case words true/on/yes/false/off/no only; enum words are compared
    case-sensitively unless keepalived says otherwise.

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
    name = "invalid-value"
    severity = Severity.ERROR
    summary = "a value keepalived rejects: type, range, enum word, boolean or IP address"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        found = placement(config)
        for stmt, spec in found.placed:
            if not stmt.args or spec.path in _EXPLAINED_ELSEWHERE:
                continue
            if spec.type == "enum" and spec.nargs_max is None:
                for word in stmt.args:
                    problem = _check_enum(spec, word.text.lstrip("+-"))
                    if problem:
                        yield self.diagnostic(word.span, problem)
                continue
            if spec.type not in _CHECKED_TYPES:
                continue
            problem = check_word(spec, stmt.args[0].text)
            if problem:
                yield self.diagnostic(stmt.args[0].span, problem)
            elif spec.type == "decimal":
                rounded = _too_precise(spec, stmt.args[0].text)
                if rounded:
                    yield self.diagnostic(stmt.args[0].span, rounded, severity=Severity.WARNING)
        for entry, spec in found.entries:
            yield from self._entry(entry, spec)

    def _entry(self, entry: Statement, spec: KeywordSpec) -> Iterator[Diagnostic]:
        words = entry.words
        if not words:
            return
        if spec.name in _ADDRESS_LISTS:
            problem = _check_address(words[0].text, prefix=True)
        elif spec.name == "unicast_peer":
            problem = _check_address(words[0].text, prefix=False)
        else:
            problem = None
        if problem:
            yield self.diagnostic(words[0].span, f"{problem} in `{spec.name}`")
        limits = _WEIGHT.search(spec.synopsis)
        if limits:
            yield from self._weight(words, int(limits.group(1)), int(limits.group(2)), spec)

    def _weight(self, words: list[Word], low: int, high: int, spec: KeywordSpec) -> Iterator[Diagnostic]:
        for i, word in enumerate(words[:-1]):
            if word.text == "weight":
                value = words[i + 1]
                if not _INT.fullmatch(value.text) or not low <= int(value.text) <= high:
                    yield self.diagnostic(
                        value.span,
                        f"`weight {value.text}` in `{spec.name}` is not an integer in {low}..{high}: "
                        f"keepalived ignores the entry's weight",
                    )


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
    """read_decimal_unsigned/read_timer keep 6 decimals (3 for milliseconds) and round."""
    places = 3 if "3 decimals" in spec.synopsis else 6
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
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"{what} is not an IP address"
    if length:
        limit = 32 if parsed.version == 4 else 128
        if not length.isdigit() or int(length) > limit:
            return f"{what}: the prefix length must be 0..{limit} (keepalived uses {limit} instead)"
    return None


class DuplicateKeyword(Rule):
    """A single-valued keyword given twice in one block.

    keepalived keeps one of the values without a word, and which one depends on the
    keyword: most take the last, `notify*` scripts and `process`/`file` keep the first,
    `state` is MASTER if any of them says MASTER, and a track_file / vrrp_track_process
    `weight` keeps the first unless it was the default. The other line is dead and
    misleads whoever reads the config. A repeated identical line gets a safe fix that
    deletes it.

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
    name = "duplicate-keyword"
    severity = Severity.WARNING
    summary = "a single-valued keyword given twice in one block, and which value keepalived uses"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        first: dict[tuple[int, str], Statement] = {}
        repeated: dict[tuple[int, str], tuple[KeywordSpec, list[Statement]]] = {}
        for stmt, spec in placement(config).placed:
            if spec.repeatable or spec.kind == "block":
                continue
            key = (id(stmt.parent), spec.path)
            seen = first.setdefault(key, stmt)
            if seen is not stmt:
                repeated.setdefault(key, (spec, [seen]))[1].append(stmt)
        for spec, stmts in repeated.values():
            kept = _kept(spec, stmts)
            for previous, stmt in zip(stmts, stmts[1:]):
                yield self._report(config, spec, previous, stmt, kept)

    def _report(self, config: Config, spec: KeywordSpec, previous: Statement, stmt: Statement,
                kept: Statement | None) -> Diagnostic:
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
            fix = _delete_line(config, stmt)
        return self.diagnostic(
            stmt.header_span,
            f"`{spec.name}` is given again in {block} (first on line {previous.span.line}): {outcome}",
            related=[Related(previous.header_span, f"`{f'{spec.name} {_value(previous)}'.strip()}` given here")],
            fix=fix,
        )


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


def _delete_line(config: Config, stmt: Statement) -> Fix | None:
    """A fix deleting ``stmt``'s line when the line holds nothing else but a comment."""
    span = stmt.header_span
    source = config.expansion.source(span.path)
    if source is None:
        return None
    text = source.line_text(span.line)
    code = re.split(r"[#!]", text, maxsplit=1)[0]
    if "{" in code or "}" in code or code.split()[:1] != [stmt.keyword]:
        return None
    if span.line < source.line_count:
        whole = Span(span.path, span.line, 1, span.line + 1, 1)
    else:
        whole = Span(span.path, span.line, 1, span.line, len(text) + 1)
    return Fix(f"delete the repeated `{stmt.keyword}` line", (Edit(whole, ""),))
