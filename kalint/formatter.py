"""The formatter engine behind ``kalint format``: text in, canonical text (or a refusal) out.

The layout is line-oriented because keepalived is: it reads physical lines, strips the
comment, then splits the rest at braces. Normal lines are therefore cut at their braces
(exactly where keepalived cuts them) and re-indented, blanks between words are squeezed
outside double quotes, comments are carried along unchanged. Lines keepalived rewrites
*before* it splits braces (``@id``, ``$NAME=`` and its continuations, ``$NAME`` uses,
``~SEQ``/``~LST``, ``include`` and anything after a brace on such a line) and lines with a
backslash (escapes, and keepalived joins a trailing ``\\`` to the word before it) are kept
byte for byte; only their indentation may change, and their braces do not count.

Every result is checked before it is returned: the output must parse, under every config
id the file names, to the same tree of keywords, arguments and nesting as the input, and
no line may exceed keepalived's 1023-byte buffer. When that does not hold, or when the
nesting cannot be worked out, the input is refused and left as it is.
"""

from __future__ import annotations

import re

from kalint.diagnostic import Diagnostic, Severity
from kalint.records import dataclass, field
from kalint.rules import ka0_reading as reading
from kalint.rules.ka9_kalint import FormatNote
from kalint.syntax import parser
from kalint.syntax.span import Span
from kalint.syntax.tree import Block, Statement
from kalint.templates import detect
from kalint.text import budget as budgetmod
from kalint.text import expand as expandmod
from kalint.text.source import MAX_LINE_BYTES, SourceFile, encode, line_break_of

#: Problems of the reading stage that make keepalived read a file differently from how
#: it looks (BOM, over-long line, NUL, CR-only line ends): formatting would hide that.
UNREADABLE_CODES = frozenset(r.code for r in (reading.ByteOrderMark, reading.LineTooLong, reading.NulByte,
                                               reading.CarriageReturnLineEnds, reading.ExpansionBudget))
#: Brace and quote errors: the nesting is not what the layout would show.
SYNTAX_CODES = frozenset(r.code for r in (reading.UnbalancedBraces, reading.StrayBrace, reading.UnmatchedQuote))

_BLANKS = re.compile(r"[ \t]+")
_SPECIAL_SEGMENT = re.compile(
    rf"@|~SEQ|~LST|{expandmod.INCLUDE_KEYWORD}(?:[ \t]|$)|\$({expandmod.PARAM_NAME})[ \t]*=")
_PARAM_USE = expandmod.PARAM_USE  # keepalived's `$NAME` / `${NAME}` recognition (same lexer)
#: Anything that is or could become a parameter use: `$NAME{` is no use, but split at its
#: brace `$NAME` would be one, so every line naming a parameter is kept as it is.
_NAME_REFERENCE = re.compile(r"\$[A-Za-z_{]")
#: A backslash other than the ``\\#`` / ``\\!`` escapes (which decomment simply unescapes):
#: keepalived joins a trailing one to the word before it and skips the character after
#: the others, also when that is a blank or a quote, so such lines are not re-spaced.
_ODD_BACKSLASH = re.compile(r"\\(?![#!])")
#: ``\#`` / ``\!``: keepalived unescapes them when it reads a line, writes the result to
#: the copy of the config its children read, and reads that copy again: there the ``#``
#: is a comment. A brace after one is read by the parent and lost by the children
#: (`keepalived -t`: "1 missing '}'"), so such lines keep their braces where they are.
_ESCAPE = re.compile(r"\\[#!]")
_CONDITION = re.compile(expandmod.CONDITION)
_INCLUDE_SEGMENT = re.compile(rf"{expandmod.INCLUDE_KEYWORD}(?:[ \t]|$)")
#: After a brace, these take the rest of the line with them (id mismatch, value, repetition).
_SWALLOWING_SEGMENT = re.compile(rf"@|~SEQ|~LST|\$({expandmod.PARAM_NAME})=")
#: A definition, possibly conditional, at the start of a line: its value is not read yet.
_DEFINITION_START = re.compile(rf"(?:{expandmod.CONDITION})?\$({expandmod.PARAM_NAME})=")


@dataclass(slots=True, frozen=True)
class Style:
    """How one block level is indented."""

    indent_width: int = 4
    use_tabs: bool = False

    @property
    def unit(self) -> str:
        return "\t" if self.use_tabs else " " * self.indent_width


@dataclass(slots=True)
class Outcome:
    """``text`` is the canonical text, or None when the input is left untouched.

    ``problems`` says why it was left untouched: severity ERROR means the file cannot be
    formatted (exit 2), INFO is a note (the file is fine as it is, exit 0).
    """

    text: str | None
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.problems)


class _Unworkable(Exception):
    """The nesting cannot be worked out line by line (braces hidden in kept lines)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class FormatRefused(Exception):
    """``format_text`` could not format the text; ``problems`` says why."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        first = problems[0]
        super().__init__(f"{first.code} line {first.span.line}: {first.message}")
        self.problems = problems


# -- the engine ----------------------------------------------------------------------------


def format_text(text: str, style: Style | None = None, path: str = "<text>") -> str:
    """Text in, canonical text out (the language server's formatting request).

    Text left as it is with a note comes back unchanged; FormatRefused when it cannot be
    formatted at all.
    """
    outcome = format_source(SourceFile(path, text, line_break_of(text)), style)
    if outcome.refused:
        raise FormatRefused(outcome.problems)
    return text if outcome.text is None else outcome.text



def format_source(src: SourceFile, style: Style | None = None) -> Outcome:
    """Format one file's text; never reads other files and never prints."""
    style = style or Style()
    engine = detect.detect(src.path, src.text)
    if engine is not None:  # its markup is not keepalived text: moving it would change the output
        return Outcome(None, [_note(src, 1, f"this is a {engine} template: kalint format leaves it as it is", Severity.INFO)])
    try:
        before = _trees(src)
    except budgetmod.Exhausted:
        return Outcome(None, [_note(
            src, 1, "the file names too many config ids to check the formatting under each within kalint's "
            "work budget (KA018); file left as it is", Severity.INFO,
        )])
    except Exception as exc:  # the grammar rejects what keepalived reads (e.g. U+00A0 blanks)
        return Outcome(None, [_note(
            src, 1, f"kalint cannot parse this file ({type(exc).__name__}); file left as it is", Severity.ERROR
        )])
    problems = [d for d in before.problems if d.code in UNREADABLE_CODES | SYNTAX_CODES]
    long_line = _first_long_line(src.text)  # also counts bytes where the reader counted characters
    if long_line and not any(d.code == reading.LineTooLong.code for d in problems):
        problems.append(_too_long(src, long_line, f"line {long_line} is"))
    if problems:
        return Outcome(None, [d.with_(severity=Severity.ERROR) for d in problems])
    try:
        text = layout(src.text, style)
    except _Unworkable as exc:
        return Outcome(None, [_note(src, exc.line, str(exc), Severity.INFO)])
    if text.startswith("\ufeff"):  # only blanks or blank lines stood before it
        return Outcome(None, [_note(src, 1, "a byte order mark after blanks: without them the file would start "
                                            "with one, which keepalived reads as part of the first keyword; "
                                            "file left as it is", Severity.INFO)])
    long_line = _first_long_line(text)
    if long_line:
        return Outcome(None, [_too_long(src, 1, f"formatted line {long_line} would be")])
    if text != src.text:
        after = _trees(SourceFile(src.path, text, line_break_of(text)), before.config_ids)
        if after.shapes != before.shapes:
            return Outcome(None, [_note(
                src, 1,
                "the formatted text would not parse to the same keywords, arguments and nesting; "
                "file left as it is (this is a kalint bug, please report it)",
                Severity.ERROR,
            )])
    return Outcome(text)


@dataclass(slots=True)
class _Trees:
    """The parse trees of a file before formatting, under each config id."""

    shapes: list[tuple]
    problems: list[Diagnostic]
    config_ids: list[str | None]


def _trees(src: SourceFile, config_ids: list[str | None] | None = None) -> _Trees:
    """The file's tree shape under each config id it names (includes are not read)."""
    if config_ids is None:
        config_ids = [None, *sorted(expandmod.scan_config_ids(src.text))]
    shapes = []
    problems: list[Diagnostic] = []
    spent, limit = 0, budgetmod.variants_allowance(src.line_count)  # ids x lines: bounded like the linter's
    for config_id in config_ids:
        if spent > limit:
            raise budgetmod.Exhausted
        expansion = _NoIncludes(src, expandmod.Options(config_id=config_id)).run()
        spent += expansion.work
        document = parser.parse(expansion)
        shapes.append(_shape(document.items))
        problems.extend(d for d in expansion.problems.items if d not in problems)
    return _Trees(shapes, problems, config_ids)


class _NoIncludes(expandmod._Expander):
    """keepalived's reading steps for one file alone: an include line reads nothing."""

    def _include(self, src: SourceFile, offset: int, buf: str, variant: str) -> None:
        self._emit("", src, offset)


def _shape(items: list[Statement]) -> tuple:
    """Keywords, arguments (with their quoting) and nesting; positions left out."""
    return tuple(_shape_one(item) for item in items)


def _shape_one(node: Statement) -> tuple:
    words = tuple((w.text, w.quoted) for w in node.words)
    if isinstance(node, Block):
        return words, tuple(_shape_one(child) for child in node.children), node.closed
    return words, None, None


def _first_long_line(text: str) -> int:
    """1-based number of the first line over keepalived's buffer, or 0."""
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_BYTES // 4 and len(encode(line)) > MAX_LINE_BYTES:
            return number
    return 0


def _too_long(src: SourceFile, line: int, what: str) -> Diagnostic:
    return reading.LineTooLong.finding(
        Span(src.path, line, 1, line, 1),
        f"{what} longer than {MAX_LINE_BYTES} bytes: keepalived reads it in pieces, "
        "and formatting would hide that; file left as it is",
        severity=Severity.ERROR,
    )


def _note(src: SourceFile, line: int, message: str, severity: Severity) -> Diagnostic:
    return FormatNote.finding(Span(src.path, line, 1, line, 1), message, severity=severity)


# -- the layout ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    """One output line before indentation: what it is, its depth, its text and comment."""

    kind: str  # "stmt" | "open" | "close" | "kept" | "comment" | "blank" | "end-definition"
    depth: int
    text: str
    comment: str = ""
    #: Kept lines inside a multi-line definition are written exactly, indentation included.
    exact: bool = False


def layout(text: str, style: Style) -> str:
    """The canonical layout of ``text`` (which has already been checked for syntax).

    Line ends: keepalived drops every ``\\r`` before the ``\\n``, so a file whose first line
    ends in CRLF is written with CRLF throughout (Windows-edited repositories stay as they
    are); any other file gets LF.
    """
    line_end = "\r\n" if _first_line_end(text) == "\r\n" else "\n"
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    builder = _Layout()
    for number, raw in enumerate(lines, 1):
        builder.line(number, raw.rstrip("\r"))
    builder.finish(len(lines))
    return _render(builder.entries, style, line_end)


def _first_line_end(text: str) -> str:
    nl = text.find("\n")
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


_UNWORKABLE = (
    "braces on lines keepalived rewrites before it reads braces (`@id`, `$NAME`, `~SEQ`, `include` "
    "or backslash lines) leave the nesting unclear; file left as it is"
)


class _Layout:
    """Turns physical lines into entries, tracking depth the way keepalived counts braces."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.depth = 0
        self.in_definition = False
        self.definition_line = 0
        #: ``{`` minus ``}`` in the value of the definition being read.
        self.definition_balance = 0

    def line(self, number: int, raw: str) -> None:
        if self.in_definition:
            self._definition_line(raw)
            return
        content = raw.lstrip(" \t")
        if not content.strip(" \t"):
            self.entries.append(_Entry("blank", self.depth, ""))
            return
        start, end, _ = expandmod.decomment(content)
        code = content[start:end]
        comment = content[end:].lstrip(" \t")
        if comment and comment[0] not in "#!":
            code, comment = content.rstrip(" \t"), ""
        comment = _trim(comment)
        if not code:
            self.entries.append(_Entry("comment", self.depth, comment))
            return
        if _ODD_BACKSLASH.search(code) or _is_special(code) or _read_as_written(content, code):
            self._kept(number, content, code)
            return
        self._split(number, code, comment)

    def finish(self, last: int) -> None:
        self.in_definition = False
        self._end_definition()
        if self.depth != 0:
            raise _Unworkable(last, _UNWORKABLE)

    def _kept(self, number: int, content: str, code: str) -> None:
        """A line keepalived rewrites before it reads braces: only its indentation changes.

        Its braces are not counted. A definition's value may hold whole blocks (they
        open and close where the value is used); any other brace on such a line opens
        or closes something depending on values, ids or files kalint does not follow.
        """
        kept = content if content.rstrip(" \t").endswith("\\") else _trim(content)
        self.entries.append(_Entry("kept", self.depth, kept))
        definition = _DEFINITION_START.match(code)
        if definition is None:
            if _brace_balance(code) is not None and not _braces_close_on_the_line(code):
                raise _Unworkable(number, _UNWORKABLE)
            return
        self.definition_line = number
        self.definition_balance = _brace_balance(code[definition.end() :]) or 0
        self.in_definition = code.endswith("\\")
        self._end_definition()

    def _end_definition(self) -> None:
        if not self.in_definition and self.definition_balance:
            raise _Unworkable(self.definition_line, _UNWORKABLE)

    def _definition_line(self, raw: str) -> None:
        """A continuation of a ``$NAME=`` value: an empty line ends it, nothing else is touched."""
        if raw == "":
            self.entries.append(_Entry("end-definition", self.depth, ""))
            self.in_definition = False
            self._end_definition()
            return
        kept = raw if not raw.strip(" \t") or raw.rstrip(" \t").endswith("\\") else _trim(raw)
        self.entries.append(_Entry("kept", self.depth, kept, exact=True))
        start, end, _ = expandmod.decomment(raw)
        code = raw[start:end]
        self.definition_balance += _brace_balance(code) or 0
        if code and not code.endswith("\\"):
            self.in_definition = False
            self._end_definition()

    def _split(self, number: int, code: str, comment: str) -> None:
        """Cut a normal line at its braces, as keepalived's read_line does."""
        first: _Entry | None = None
        rest = code
        while rest:
            brace = expandmod._first_brace(rest)
            if brace != 0:
                piece = rest if brace == -1 else rest[:brace]
                entry = _Entry("stmt", self.depth, _squeeze(piece.strip(" \t")))
                self.entries.append(entry)
                first = first or entry
                if brace == -1:
                    break
            if rest[brace] == "{":
                entry = self._open(first is not None, comment)
            else:
                self.depth -= 1
                if self.depth < 0:
                    raise _Unworkable(number, _UNWORKABLE)
                entry = _Entry("close", self.depth, "}")
                self.entries.append(entry)
            first = first or entry
            rest = rest[brace + 1 :].lstrip(" \t")
        if comment and first is not None:
            first.comment = comment

    def _open(self, same_line: bool, comment: str) -> _Entry:
        """``{`` goes on its keyword's line, also when it stood alone on the next one.

        It does not move past an own-line comment, nor onto a line whose trailing comment
        would then have to share the line with this line's comment, nor onto a line with a
        ``\\#``/``\\!`` escape (see ``_ESCAPE``: keepalived's children would not read it).
        """
        entries = self.entries
        index = len(entries) - 1
        if not same_line:
            while index >= 0 and entries[index].kind == "blank":
                index -= 1
        target = entries[index] if index >= 0 else None
        movable = not (comment and target.comment) and not _ESCAPE.search(target.text) if target else False
        if target is not None and target.kind == "stmt" and (same_line or movable):
            del entries[index + 1 :]
            target.kind = "open"
            self.depth += 1
            return target
        entry = _Entry("open", self.depth, "")
        entries.append(entry)
        self.depth += 1
        return entry


def _trim(text: str) -> str:
    """Without trailing blanks, unless that leaves a CR at the end: keepalived would drop it
    there (and so would the next run), so the blanks after it stay."""
    trimmed = text.rstrip(" \t")
    return text if trimmed.endswith("\r") else trimmed


def _read_as_written(content: str, code: str) -> bool:
    """Lines kept byte for byte (indentation aside), as any change alters what keepalived reads.

    A CR inside a line: trimming the blanks after it would leave it at the line's end,
    where keepalived drops it (a later ``\\`` would become a continuation) and where the
    next run would drop it too, so the layout would not be stable. ``\\#``/``\\!`` on a
    line with braces: see ``_ESCAPE``.
    """
    return "\r" in content or (_ESCAPE.search(code) is not None and _brace_balance(code) is not None)


def _is_special(code: str) -> bool:
    """Does keepalived rewrite this line (or a piece of it after a brace) before reading braces?"""
    if _NAME_REFERENCE.search(code):
        return True
    if not any(c in code for c in "@~$i"):
        return False
    rest = code
    while True:
        if _SPECIAL_SEGMENT.match(rest):
            return True
        brace = expandmod._first_brace(rest)
        if brace == -1:
            return False
        rest = rest[brace + 1 :].lstrip(" \t")


def _braces_close_on_the_line(code: str) -> bool:
    """Whatever keepalived makes of this kept line, does the nesting around it stay the same?

    True when every brace it reads closes on the line (``@lb1 virtual_ipaddress { x }``,
    ``~SEQ(i,1,3) track_interface { eth$i }``) or belongs to an include pattern
    (``include {vrrp,lvs}/*.conf``). False where a brace precedes an ``@id``, a definition,
    a generator or an include, which swallow the rest of the line (braces included), and
    on lines with backslashes, where quotes may be counted differently.
    """
    if "\\" in code or "\r" in code:
        return False
    rest = _PARAM_USE.sub("", code) if "${" in code else code
    prefix = _CONDITION.match(rest)
    if prefix:
        rest = rest[prefix.end() :]
    depth = 0
    first = True
    while True:
        if _INCLUDE_SEGMENT.match(rest):
            return depth == 0
        if not first and _SWALLOWING_SEGMENT.match(rest):
            return False
        brace = expandmod._first_brace(rest)
        if brace == -1:
            return depth == 0
        depth += 1 if rest[brace] == "{" else -1
        if depth < 0:
            return False
        rest = rest[brace + 1 :].lstrip(" \t")
        first = False


def _brace_balance(code: str) -> int | None:
    """``{`` minus ``}`` outside double quotes; None when there is no brace at all.

    The braces of ``${NAME}`` are gone before keepalived looks for braces.
    """
    balance: int | None = None
    rest = _PARAM_USE.sub("", code) if "${" in code else code
    while True:
        brace = expandmod._first_brace(rest)
        if brace == -1:
            return balance
        balance = (balance or 0) + (1 if rest[brace] == "{" else -1)
        rest = rest[brace + 1 :]


def _squeeze(words: str) -> str:
    """One space between words; blanks inside double quotes are kept."""
    if '"' not in words:
        return _BLANKS.sub(" ", words)
    parts = words.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _BLANKS.sub(" ", parts[i])
    return '"'.join(parts)


def _render(entries: list[_Entry], style: Style, line_end: str) -> str:
    """Indent, attach braces and comments, and settle blank lines."""
    out: list[str] = []
    unit = style.unit
    pending_blank = False
    previous: _Entry | None = None
    for entry in entries:
        if entry.kind == "blank":
            pending_blank = True
            continue
        if entry.kind == "end-definition":
            out.append("")
            pending_blank = False
            previous = entry
            continue
        if previous is not None:
            after_open = previous.kind == "open"
            before_close = entry.kind == "close"
            top_level_end = previous.kind == "close" and previous.depth == 0
            if previous.kind != "end-definition" and (
                top_level_end or (pending_blank and not after_open and not before_close)
            ):
                out.append("")
        pending_blank = False
        previous = entry
        if entry.exact:
            out.append(entry.text)
            continue
        text = entry.text
        if entry.kind == "open":
            text = f"{text} {{" if text else "{"
        if entry.comment:
            text = f"{text} {entry.comment}"
        out.append(unit * entry.depth + text)
    while out and out[-1] == "":  # a definition's closing empty line: the end of file ends it too
        out.pop()
    if not out:
        return ""
    return line_end.join(out) + line_end
