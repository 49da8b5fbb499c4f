"""Turn a config file into the line stream keepalived actually parses.

keepalived's ``read_line`` (lib/parser.c) works on each physical line in this order:
fgets() in pieces of at most 1023 bytes (a NUL ends the piece), drop the line end,
strip comments and blanks, ``@id`` conditionals, ``$NAME=`` definitions, ``~SEQ``/``~LST``
generators, ``$NAME`` substitution, ``include``; then it splits the line at the first
brace outside quotes and runs the remainder through the same steps again. This module
does the same and records, for every line it hands to the grammar, the file and offset it
came from, so every diagnostic points at what the author wrote.

Most files need none of this: they are passed to the grammar unchanged (the fast path).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator, Mapping

from kalint.diagnostic import Collector, Severity
from kalint.records import dataclass, field
from kalint.rules import ka0_reading as reading
from kalint.syntax.span import Span
from kalint.text import budget as budgetmod
from kalint.text import generators
from kalint.text import source as sourcemod
from kalint.text.source import MAX_LINE_BYTES, SourceError, SourceFile

#: kalint's own limit; keepalived recurses until open() fails.
MAX_INCLUDE_DEPTH = 32
#: Bound on repeated ``$NAME`` substitution within one line (keepalived's own bound is
#: the 1024-byte buffer).
MAX_SUBSTITUTIONS = 16
#: Lines one physical line may expand into (``$NAME``, ``~SEQ``): a parameter whose value
#: uses itself after a brace makes keepalived loop forever; kalint stops and reports it.
MAX_LINES_PER_LINE = 10000

INCLUDE_R, INCLUDE_M, INCLUDE_W, INCLUDE_B = 1, 2, 4, 8
_INCLUDE_VARIANTS = {
    "": 0,
    "r": INCLUDE_R,
    "m": INCLUDE_R | INCLUDE_M,
    "w": INCLUDE_R | INCLUDE_M | INCLUDE_W,
    "b": INCLUDE_R | INCLUDE_B,
    "a": INCLUDE_R | INCLUDE_M | INCLUDE_W | INCLUDE_B,
}
_INCLUDE_CHECK_WORDS = {"read": INCLUDE_R, "match": INCLUDE_M, "wildcard_match": INCLUDE_W, "brace_match": INCLUDE_B}

#: Text that only the slow path handles: directives, NUL, a byte order mark, include.
_SLOW_PATH_MARKERS = ("@", "$", "~", "\x00", "\ufeff", "include")
#: keepalived's lexical pieces, shared with the formatter, which must recognise the same text.
PARAM_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
INCLUDE_KEYWORD = r"include[rmwba]?"
#: An ``@id``/``@^id`` condition and the blanks after it.
CONDITION = r"@\^?[^ \t]+[ \t]+"
_INCLUDE_LINE = re.compile(r"include([rmwba]?)[ \t\f\v\r]")
# check_definition(): no blank between the name and `=` (`$X = 1` is a keyword line).
_DEFINITION = re.compile(rf"\$({PARAM_NAME})=")
#: ``${NAME args}`` or ``$NAME`` followed by a blank, comma, parenthesis or the end.
PARAM_USE = re.compile(rf"\$\{{({PARAM_NAME})((?:[ \t]+[^}}]*)?)\}}|\$({PARAM_NAME})(?=[ \t,)]|$)")
_WILDCARD = re.compile(r"[*?\[]")
#: ``{a,b}`` without braces inside; the first part has no comma, so a `{` followed by a
#: long comma list without `}` costs one pass, not one per comma.
_BRACE_ALTERNATIVES = re.compile(r"\{([^{},]*,[^{}]*)\}")


@dataclass(slots=True, frozen=True)
class Origin:
    """Where an expanded line starts: a file and a character offset in its text."""

    source: SourceFile
    offset: int


@dataclass(slots=True)
class IncludeRecord:
    """One include line, for rules that must know what could not be read."""

    span: Span
    pattern: str
    read: list[str] = field(default_factory=list)
    #: True when some file the pattern names was not read (missing, refused, outside).
    incomplete: bool = False


@dataclass(slots=True)
class Expansion:
    """The text the grammar parses, with the origin of each of its lines."""

    main: SourceFile
    text: str
    #: One Origin per line of ``text``; None means ``text`` is ``main.text`` unchanged.
    origins: list[Origin] | None
    sources: list[SourceFile]
    problems: Collector
    includes: list[IncludeRecord]
    config_ids: set[str]
    #: True when expansion stopped at the work budget (KA018): ``text`` is empty, so no
    #: rule reports on half a config.
    exhausted: bool = False
    #: Work units spent (kalint.text.budget); the engine bounds all config ids together.
    work: int = 0
    _by_path: dict[str, SourceFile] | None = None

    def source(self, path: str) -> SourceFile | None:
        """The file read under ``path`` (a dict: rules ask per statement, and a config may
        include thousands of files)."""
        if self._by_path is None:
            self._by_path = {}
            for src in self.sources:
                self._by_path.setdefault(src.path, src)
        return self._by_path.get(path)

    def locate(self, line: int, column: int) -> tuple[SourceFile, int]:
        """Map a 1-based line and 0-based column of ``text`` to (file, offset)."""
        if self.origins is None:
            starts = self.main.line_starts()
            return self.main, starts[line - 1] + column if line <= len(starts) else len(self.main.text)
        origin = self.origins[line - 1]
        # An expanded line comes from one line of its file; where a `$NAME` made it
        # longer than that line, its columns beyond stay at the line's end.
        return origin.source, min(origin.offset + column, _line_end(origin.source.text, origin.offset))

    def span(self, line: int, column: int, end_line: int, end_column: int) -> Span:
        """A Span for 1-based lines and 0-based columns (end exclusive) of ``text``."""
        if self.origins is None:  # the text is the main file's: where both ends lie in their lines, shift the columns
            starts = self.main.line_starts()
            count = len(starts)
            if 1 <= line <= end_line <= count and column >= 0 and end_column >= 0 \
                    and (line < end_line or column <= end_column) \
                    and (line == count or starts[line - 1] + column < starts[line]) \
                    and (end_line == count or starts[end_line - 1] + end_column < starts[end_line]):
                return Span(self.main.path, line, column + 1, end_line, end_column + 1)
        src, start = self.locate(line, column)
        end_src, end = self.locate(end_line, end_column)
        sline, scol = src.position(start)
        if end_src is not src:
            return Span(src.path, sline, scol, sline, scol + 1)
        eline, ecol = src.position(end)
        if (eline, ecol) < (sline, scol):  # two lines of one `$NAME`'s expansion: both map to its use
            return Span(src.path, sline, scol, sline, scol + 1)
        return Span(src.path, sline, scol, eline, ecol)


@dataclass(slots=True)
class Options:
    """What the caller decides for the expansion."""

    config_id: str | None = None
    #: Map absolute include paths: ``/x`` reads ``root/x`` (config repositories).
    root: str | None = None
    #: Directories includes may be read from; None means anywhere.
    allowed_dirs: tuple[str, ...] | None = None
    #: Text to read instead of a file on disk, keyed by realpath (unsaved editor buffers).
    overlay: Mapping[str, bytes] | None = None


def overlaid(overlay: Mapping[str, bytes] | None, path: str) -> bytes | None:
    """The overlay's bytes for ``path`` (None: read the file on disk)."""
    if not overlay:
        return None
    return overlay.get(os.path.realpath(path))


def source_span(src: SourceFile, start: int, end: int) -> Span:
    line, col = src.position(start)
    end_line, end_col = src.position(max(end, start))
    return Span(src.path, line, col, end_line, end_col)


def expand(main: SourceFile, options: Options | None = None) -> Expansion:
    options = options or Options()
    expander = _Expander(main, options)
    expansion = expander.run()
    return expansion


def scan_config_ids(text: str) -> set[str]:
    """Every id named by ``@id`` / ``@^id`` lines, without expanding anything."""
    return {m.group(1) for m in re.finditer(r"(?m)^[ \t]*@\^?([^ \t\n]+)[ \t]", text)}


def _split_pieces(line: str) -> list[tuple[int, str]]:
    """fgets() with a 1024-byte buffer: pieces of at most 1023 bytes (offset, text)."""
    if line.isascii():
        if len(line) <= MAX_LINE_BYTES:
            return [(0, line)]
        return [(i, line[i : i + MAX_LINE_BYTES]) for i in range(0, len(line), MAX_LINE_BYTES)]
    data = sourcemod.encode(line)
    if len(data) <= MAX_LINE_BYTES:
        return [(0, line)]
    pieces = []
    offset = 0
    for i in range(0, len(data), MAX_LINE_BYTES):
        text = sourcemod.decode(data[i : i + MAX_LINE_BYTES])
        pieces.append((offset, text))
        offset += len(text)
    return pieces


def decomment(text: str) -> tuple[int, int, bool]:
    """keepalived's decomment(): (start, end, unterminated_quote) of the kept text.

    ``start`` skips leading blanks; ``end`` stops at the first ``#``/``!`` outside
    quotes and drops trailing blanks. ``\\#`` escapes are left for the word splitter.
    """
    n = len(text)
    start = 0
    while start < n and text[start] in " \t":
        start += 1
    quote = False
    i = start
    end = n
    while i < n:
        c = text[i]
        if c == '"':
            quote = not quote
        elif c == "\\":
            i += 2
            continue
        elif not quote and (c == "#" or c == "!"):
            end = i
            break
        i += 1
    while end > start and text[end - 1] in " \t\r\n\f\v":
        end -= 1
    return start, end, quote and end == n


def _first_brace(text: str) -> int:
    """Index of the first ``{`` or ``}`` outside double quotes, or -1."""
    quote = False
    for i, c in enumerate(text):
        if c == '"':
            quote = not quote
        elif not quote and (c == "{" or c == "}"):
            return i
    return -1


class _Expander:
    def __init__(self, main: SourceFile, options: Options) -> None:
        self.main = main
        self.options = options
        self.lines: list[str] = []
        self.origins: list[Origin] = []
        self.sources: list[SourceFile] = [main]
        self.problems = Collector()
        self.includes: list[IncludeRecord] = []
        self.config_ids: set[str] = set()
        self.definitions: dict[str, str] = {}
        self.include_check = 0
        self.stack: list[str] = []
        #: Lines produced by ~SEQ/~LST so far (bounded by generators.MAX_GENERATED_LINES).
        self.generated = 0
        self.generator_limit_reported = False
        self.line_budget = MAX_LINES_PER_LINE
        self.budget = budgetmod.Budget()
        #: Files read at least once (realpaths): each adds its lines to the budget once.
        self.distinct: set[str] = set()
        #: The main file's piece being expanded: where a budget finding points.
        self.top: tuple[int, int] = (0, 0)

    # -- driver -----------------------------------------------------------------------

    def run(self) -> Expansion:
        main = self.main
        self._report_file_level(main)
        if main.line_break == "\n" and not _needs_slow_path(main.text):
            return Expansion(main, main.text, None, self.sources, self.problems, self.includes, set())
        self.stack.append(_real(main.path))
        self._account(main)
        try:
            self._read_file(main)
        except budgetmod.Exhausted:
            return self._exhausted()
        return Expansion(
            main, "\n".join(self.lines), self.origins, self.sources, self.problems, self.includes, self.config_ids,
            work=self.budget.used,
        )

    def _account(self, src: SourceFile) -> None:
        """A file is read: let a file read for the first time grow the budget."""
        real = _real(src.path)
        if real not in self.distinct:
            self.distinct.add(real)
            self.budget.grow(src.text.count(src.line_break) + 1)

    def _exhausted(self) -> Expansion:
        """One finding at the main file's line that ran over the budget, and nothing to parse:
        what was found on the way (thousands of cycles, say) would bury it."""
        start, end = self.top
        self.problems = Collector()
        self.problems.add(
            reading.ExpansionBudget, source_span(self.main, start, end),
            f"expanding this line goes past kalint's work budget for this config ({self.budget.limit:,} units: "
            "lines, files, include alternatives and `$NAME` substitutions, scaled from the size of the files it "
            "reads); includes that fan out or include each other, `{a,b}` alternatives, `~SEQ` or a `$NAME` "
            "that uses itself make it grow without end. kalint stops here and checks nothing else in this config",
        )
        for record in self.includes:
            record.incomplete = True
        return Expansion(
            self.main, "", [], self.sources, self.problems, self.includes, self.config_ids,
            exhausted=True, work=self.budget.used,
        )

    def _report_file_level(self, src: SourceFile) -> None:
        text = src.text
        if src.line_break == "\r":
            self.problems.add(
                reading.CarriageReturnLineEnds,
                source_span(src, 0, min(len(text), text.find("\r") + 1 if "\r" in text else 0)),
                "line ends are CR only: keepalived splits lines on LF, so it reads this file as one line "
                "cut into 1023-byte pieces, and a comment hides the rest of its piece",
                help="convert the line ends to LF (e.g. `tr '\\r' '\\n'`)",
            )
        bad = _first_undecodable(text)
        if bad != -1:
            self.problems.add(
                reading.InvalidUtf8,
                source_span(src, bad, bad + 1),
                "not valid UTF-8: keepalived reads these bytes as they are, but editors and other tools may not",
            )

    def _read_file(self, src: SourceFile) -> None:
        text = src.text
        sep = src.line_break
        pos = 0
        n = len(text)
        pending_definition: str | None = None
        if text.startswith("\ufeff"):
            self.problems.add(
                reading.ByteOrderMark,
                source_span(src, 0, 1),
                "the file starts with a UTF-8 byte order mark: keepalived makes it part of the first keyword, "
                "which it then does not know (and a block it opens is read at top level)",
                help="save the file as UTF-8 without BOM",
            )
        while pos <= n:
            nl = text.find("\n", pos) if sep == "\n" else -1
            line_end = n if nl == -1 else nl
            physical = text[pos:line_end]
            for piece_offset, piece in self._pieces(src, pos, physical):
                pending_definition = self._process_piece(src, pos + piece_offset, piece, pending_definition)
            if nl == -1:
                break
            pos = nl + 1

    def _pieces(self, src: SourceFile, pos: int, physical: str) -> list[tuple[int, str]]:
        pieces = _split_pieces(physical)
        if len(pieces) > 1 and src.line_break == "\n":
            cut = pieces[1][0]
            self.problems.add(
                reading.LineTooLong,
                source_span(src, pos + cut, pos + cut + 1),
                f"line is longer than {MAX_LINE_BYTES} bytes: keepalived reads it in {len(pieces)} pieces, "
                f"and the text from here on is parsed as a separate line",
                help="split the statement or shorten it; keepalived reports nothing",
            )
        result = []
        for offset, piece in pieces:
            nul = piece.find("\x00")
            if nul != -1:
                self.problems.add(
                    reading.NulByte,
                    source_span(src, pos + offset + nul, pos + offset + nul + 1),
                    "NUL byte: keepalived silently ignores the rest of the line from here",
                )
                piece = piece[:nul]
            result.append((offset, piece))
        return result

    # -- one piece of a physical line -----------------------------------------------------

    def _emit(self, text: str, src: SourceFile, offset: int) -> None:
        self.budget.charge()
        self.lines.append(text)
        self.origins.append(Origin(src, offset))

    def _process_piece(self, src: SourceFile, offset: int, piece: str, pending_definition: str | None) -> str | None:
        self.line_budget = MAX_LINES_PER_LINE
        if src is self.main:
            self.top = (offset, offset + len(piece))
        mark = len(self.lines)
        start, end, _ = decomment(piece)
        if pending_definition is not None:
            # decomment() keeps a final `\` even after a comment, so `# note \` is an empty
            # line that continues the definition. A line left empty without one ends it:
            # the parent skips a comment-only line, but the VRRP and checker processes read
            # its consolidated copy, where it is empty (checked with keepalived 2.2.7), and
            # kalint follows the processes that use the config.
            body = piece[start:end]
            continues = body.endswith("\\") or piece.rstrip("\r\n").endswith("\\")
            if body.endswith("\\"):
                body = body[:-1].rstrip(" \t")
            if body:
                self.definitions[pending_definition] += "\n" + body
            self._emit("", src, offset)
            return pending_definition if continues else None
        body = piece[start:end]
        if src.line_break == "\r":
            body = body.replace("\r", " ")
            piece = piece.replace("\r", " ")
        if not any(c in body for c in "@$~") and "include" not in body:
            self._emit(piece, src, offset)
            return None
        pending = self._process_segments(src, offset + start, body)
        if self.line_budget <= 0:
            # Drop what the runaway line produced: thousands of half-built blocks would
            # only bury the one finding that matters.
            del self.lines[mark:], self.origins[mark:]
            self._emit("", src, offset)
            self.problems.add(
                reading.EndlessExpansion, source_span(src, offset + start, offset + end),
                f"this line expands into more than {MAX_LINES_PER_LINE} lines: a `$NAME` whose value "
                "uses itself makes keepalived loop forever; kalint stops expanding here",
            )
        return pending

    def _process_segments(self, src: SourceFile, offset: int, buf: str) -> str | None:
        """read_line's loop over one decommented line and its brace remainders.

        Offsets advance by positions in ``buf``; once a ``$NAME`` has replaced part of
        it, those are positions in text the file does not hold, so each offset is kept
        within the physical line (every piece of an expansion maps into the line that
        used the name, never into the lines below it)."""
        line_end = _line_end(src.text, offset)
        emitted = False
        first = True
        while buf:
            self.line_budget -= 1
            self.budget.charge()
            if self.line_budget <= 0:
                return None
            buf, offset, definition = self._directives(src, min(offset, line_end), buf)
            offset = min(offset, line_end)
            if definition is not None:
                return definition
            if not buf:
                break
            include = _INCLUDE_LINE.match(buf + " ")
            if include:
                self._include(src, offset, buf, include.group(1))
                emitted = True
                break
            if buf.startswith("include_check"):
                self._note_include_check(buf.split()[1:])
            brace = _first_brace(buf)
            if brace == -1:
                self._emit(buf, src, offset)
                emitted = True
                break
            if brace == 0:
                self._emit(buf[0], src, offset)
                rest = buf[1:]
                skip = len(rest) - len(rest.lstrip(" \t"))
                offset, buf = offset + 1 + skip, rest[skip:]
            else:
                self._emit(buf[:brace], src, offset)
                offset, buf = offset + brace, buf[brace:]
            emitted = True
            first = False
        if not emitted and first:
            self._emit("", src, offset)
        return None

    def _directives(self, src: SourceFile, offset: int, buf: str) -> tuple[str, int, str | None]:
        """``@id``, ``$NAME=``, ``~SEQ``/``~LST`` and ``$NAME`` substitution on one segment."""
        for _ in range(MAX_SUBSTITUTIONS):
            if buf.startswith("@"):
                buf, offset = self._conditional(src, offset, buf)
                if not buf:
                    return "", offset, None
            m = _DEFINITION.match(buf)
            if m:
                value = buf[m.end() :].lstrip(" \t")
                name = m.group(1)
                if value.endswith("\\"):
                    self.definitions[name] = value[:-1].rstrip(" \t")
                    return "", offset, name
                self.definitions[name] = value
                return "", offset, None
            if buf.startswith(("~SEQ", "~LST")):
                self._generator(src, offset, buf)
                return "", offset, None
            if buf.startswith("~") or "$" not in buf:
                return buf, offset, None
            replaced = self._substitute(buf)
            if replaced == buf or len(replaced) > MAX_LINE_BYTES:
                # replace_param() refuses a result longer than its line buffer and leaves
                # the line as it is ("would exceed maximum line length").
                return buf, offset, None
            if "\n" in replaced:
                *lines, buf = replaced.split("\n")
                for line in lines:
                    start, end, _ = decomment(line)
                    if line[start:end]:
                        self._process_segments(src, offset, line[start:end])
            start, end, _ = decomment(replaced if "\n" not in replaced else buf)
            buf = (replaced if "\n" not in replaced else buf)[start:end]
            if not buf.startswith("@") and "$" not in buf:
                return buf, offset, None
        return buf, offset, None

    def _conditional(self, src: SourceFile, offset: int, buf: str) -> tuple[str, int]:
        negate = buf.startswith("@^")
        id_start = 2 if negate else 1
        m = re.compile(r"[ \t]").search(buf, id_start)
        name = buf[id_start : m.start()] if m else buf[id_start:]
        if name:
            self.config_ids.add(name)
        if m is None:
            return "", offset
        matches = self.options.config_id is not None and name == self.options.config_id
        if matches == negate:
            return "", offset
        rest = buf[m.start() :]
        skip = len(rest) - len(rest.lstrip(" \t"))
        return rest[skip:], offset + m.start() + skip

    def _substitute(self, buf: str) -> str:
        def value(m: re.Match[str]) -> str:
            self.budget.charge()
            name = m.group(1) or m.group(3)
            builtin = _builtin(name, self.main, self.options.config_id, (m.group(2) or "").split())
            if builtin is not None and name not in self.definitions:
                return builtin
            return self.definitions.get(name, m.group(0))

        return PARAM_USE.sub(value, buf)

    def _generator(self, src: SourceFile, offset: int, buf: str) -> None:
        span = source_span(src, offset, offset + len(buf))
        if self.generated >= generators.MAX_GENERATED_LINES:
            # Nested generators multiply: one budget for the whole config keeps it linear.
            if not self.generator_limit_reported:
                self.generator_limit_reported = True
                self.problems.add(
                    reading.InvalidGenerator, span,
                    f"generators produce more than {generators.MAX_GENERATED_LINES} lines in this config; "
                    "kalint does not expand this one, so findings in what it would produce are missing",
                    severity=Severity.INFO,
                )
            return
        expanded = generators.expand(buf, self._substitute)
        if isinstance(expanded, str):
            self.problems.add(reading.InvalidGenerator, span, expanded)
            return
        expanded = expanded[: generators.MAX_GENERATED_LINES - self.generated]
        self.generated += len(expanded)
        saved = dict(self.definitions)
        for bindings, text in expanded:
            self.definitions.update(bindings)
            start, end, _ = decomment(text)
            if text[start:end]:
                self._process_segments(src, offset, text[start:end])
        for name in set(self.definitions) - set(saved):
            self.definitions.pop(name)
        self.definitions.update({k: v for k, v in saved.items()})

    # -- include ------------------------------------------------------------------------

    def _include(self, src: SourceFile, offset: int, buf: str, variant: str) -> None:
        pattern = buf[len("include") + len(variant) :].lstrip(" \t\f\v\r")
        span = source_span(src, offset, offset + len(buf))
        checks = _INCLUDE_VARIANTS[variant] | self.include_check
        record = IncludeRecord(span, pattern)
        self.includes.append(record)
        self._emit("", src, offset)
        if not pattern:
            record.incomplete = True
            self.problems.add(reading.IncludeMissing, span, "include names no file", severity=Severity.WARNING)
            return
        base = os.path.dirname(src.path) or "."
        mapped = self._map_root(pattern)
        full = mapped if os.path.isabs(mapped) else os.path.join(base, mapped)
        if not self._allowed(_real(full)):
            record.incomplete = True
            self.problems.add(
                reading.IncludeOutsideTree, span,
                f"`{pattern}` is outside the linted tree and was not read "
                "(use --root DIR for a repository that mirrors /etc, or --allow-outside-includes)",
            )
            return
        wildcard = bool(_WILDCARD.search(pattern))
        matched: list[str] = []
        missing_alternatives = alternatives = 0
        for alternative in _expand_braces(full):
            self.budget.charge()
            alternatives += 1
            found = self._glob(alternative, record) if _WILDCARD.search(alternative) else (
                [alternative] if os.path.lexists(alternative) else []
            )
            if not found:
                missing_alternatives += 1
            matched.extend(found)
        if not matched:
            if record.incomplete:  # a directory out of the tree was not looked into (KA008)
                return
            record.incomplete = True
            directory = os.path.dirname(full)
            if wildcard and os.path.isdir(directory or "."):
                if checks & INCLUDE_W:
                    self.problems.add(
                        reading.IncludeMissing, span, f"no config files matched `{pattern}`; keepalived refuses to start",
                        severity=Severity.ERROR,
                    )
                return
            fatal = bool(checks & INCLUDE_M)
            what = f"`{pattern}` matches nothing: its directory does not exist" if wildcard else (
                f"included file `{pattern}` does not exist"
            )
            self.problems.add(
                reading.IncludeMissing,
                span,
                what
                + ("; keepalived refuses to start" if fatal else "; keepalived only logs this and carries on"),
                severity=Severity.ERROR if fatal else Severity.WARNING,
            )
            return
        if missing_alternatives and alternatives > 1:
            record.incomplete = True
            fatal = bool(checks & INCLUDE_B)
            self.problems.add(
                reading.IncludeMissing,
                span,
                f"some files of `{pattern}` do not exist" + ("; keepalived refuses to start" if fatal else ""),
                severity=Severity.ERROR if fatal else Severity.WARNING,
            )
        for path in matched:
            if not self._include_file(path, span, checks, record):
                record.incomplete = True

    def _glob(self, pattern: str, record: IncludeRecord) -> list[str]:
        """glob(3) one directory level at a time, never listing a directory outside the tree.

        Each directory a wildcard would look into is resolved first: an in-tree symbolic
        link to ``/etc`` or ``/`` is reported (by the name it has in the tree) and not
        walked. Every directory entry looked at costs a unit of the budget.
        """
        parts = pattern.split(os.sep)
        first = next(i for i, part in enumerate(parts) if _WILDCARD.search(part))
        base = os.sep.join(parts[:first]) or (os.sep if pattern.startswith(os.sep) else "")
        paths = [base]
        for depth, part in enumerate(parts[first:], start=first + 1):
            last = depth == len(parts)
            found: list[str] = []
            for directory in paths:
                if not self._allowed(_real(directory or ".")):
                    self._outside_directory(record, directory)
                    continue
                found.extend(self._match(directory, part, last))
            paths = found
        return sorted(paths)

    def _match(self, directory: str, part: str, last: bool) -> list[str]:
        """Entries of ``directory`` matching one pattern component (directories unless last)."""
        listed = bool(_WILDCARD.search(part))
        if not listed:
            candidates = [part]
        else:
            try:
                names = os.listdir(directory or ".")
            except OSError:
                return []
            self.budget.charge(len(names))
            hidden = part.startswith(".")
            candidates = [n for n in names if (hidden or not n.startswith(".")) and fnmatch.fnmatchcase(n, part)]
        paths = [os.path.join(directory, name) if directory else name for name in candidates]
        if last:  # like glob(3): a listed name is a match even if it is gone by now
            return paths if listed else [p for p in paths if os.path.lexists(p)]
        return [p for p in paths if os.path.isdir(p)]

    def _outside_directory(self, record: IncludeRecord, directory: str) -> None:
        record.incomplete = True
        self.problems.add(
            reading.IncludeOutsideTree, record.span,
            f"`{record.pattern}` reaches `{os.path.normpath(directory)}`, which resolves outside the linted tree; "
            "kalint did not look inside it (use --allow-outside-includes to read it)",
        )

    def _map_root(self, pattern: str) -> str:
        root = self.options.root
        if root and pattern.startswith("/"):
            return os.path.join(root, pattern.lstrip("/"))
        return pattern

    def _include_file(self, path: str, span: Span, checks: int, record: IncludeRecord) -> bool:
        self.budget.charge(budgetmod.FILE_COST)
        shown = os.path.normpath(path)
        real = _real(path)
        if not self._allowed(real):
            self.problems.add(
                reading.IncludeOutsideTree, span,
                f"included `{shown}` resolves outside the linted tree and was not read "
                "(use --allow-outside-includes to read it)",
            )
            return False
        try:
            st = os.stat(path)
        except OSError as exc:
            self.problems.add(
                reading.IncludeNotRead, span, f"cannot read included `{shown}` ({exc.strerror}); keepalived skips it",
                severity=Severity.ERROR if checks & INCLUDE_R else Severity.WARNING,
            )
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o111:
            what = "a directory" if stat.S_ISDIR(st.st_mode) else (
                "executable" if stat.S_ISREG(st.st_mode) else "not a regular file"
            )
            self.problems.add(
                reading.IncludeNotRead, span,
                f"included `{shown}` is {what}; keepalived reads only regular, non-executable files and skips it",
                severity=Severity.ERROR if checks & INCLUDE_R and stat.S_ISDIR(st.st_mode) else Severity.WARNING,
            )
            return False
        if real in self.stack:
            chain = " -> ".join(os.path.basename(p) for p in self.stack + [real])
            self.problems.add(
                reading.IncludeCycle, span,
                f"include cycle: {chain}; keepalived recurses until it runs out of file descriptors",
            )
            return False
        if len(self.stack) >= MAX_INCLUDE_DEPTH:
            self.problems.add(reading.IncludeTooDeep, span, f"includes nested deeper than {MAX_INCLUDE_DEPTH} levels; not read further")
            return False
        try:
            included = sourcemod.load(shown, overlaid(self.options.overlay, shown))
        except SourceError as exc:
            self.problems.add(reading.IncludeNotRead, span, f"cannot read included file: {exc}", severity=Severity.WARNING)
            return False
        self._account(included)
        record.read.append(shown)
        self.sources.append(included)
        self._report_file_level(included)
        self.stack.append(real)
        try:
            self._read_file(included)
        finally:
            self.stack.pop()
        return True

    def _allowed(self, real: str) -> bool:
        dirs = self.options.allowed_dirs
        return dirs is None or is_inside(real, dirs)

    def _note_include_check(self, words: list[str]) -> None:
        """``global_defs { include_check ... }`` makes later include problems fatal."""
        flags = 0
        for word in words or ["read", "match", "wildcard_match", "brace_match"]:
            flags |= _INCLUDE_CHECK_WORDS.get(word.lstrip("+-"), 0)
        self.include_check = flags


def is_inside(real: str, dirs: tuple[str, ...]) -> bool:
    """Whether a resolved path is one of ``dirs`` (resolved too) or below one."""
    return any(real == d or real.startswith(d.rstrip(os.sep) + os.sep) for d in dirs)


def _needs_slow_path(text: str) -> bool:
    """Whether ``text`` holds anything ``read_line`` would change (else it passes unchanged).

    One ``in`` per marker and a skip through the text for long lines: a regular
    expression with the same alternatives took 150 ms on a 130k-line config, splitting it
    into lines to measure them 20 ms, these take about 5 ms.
    """
    if any(marker in text for marker in _SLOW_PATH_MARKERS):
        return True
    if _has_line_longer(text, MAX_LINE_BYTES):
        return True
    # keepalived cuts lines at 1023 bytes, not characters: only non-ASCII text can differ.
    return not text.isascii() and _has_line_longer(text, MAX_LINE_BYTES // 4) and any(
        len(sourcemod.encode(line)) > MAX_LINE_BYTES for line in text.split("\n") if 4 * len(line) > MAX_LINE_BYTES
    )


def _has_line_longer(text: str, limit: int) -> bool:
    """Whether a line of ``text`` (split at LF) is longer than ``limit`` characters.

    From the start of a line, the last LF within the next ``limit + 1`` characters is
    where the next line to look at starts; with no LF there, this line is too long. Each
    step skips about ``limit`` characters in one ``rfind``.
    """
    start, size = 0, len(text)
    while start + limit < size:
        newline = text.rfind("\n", start, start + limit + 1)
        if newline == -1:
            return True
        start = newline + 1
    return False


def _line_end(text: str, offset: int) -> int:
    """Where the physical line holding ``offset`` ends, as keepalived splits lines: at LF
    (a lone CR ends none)."""
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


def _real(path: str) -> str:
    return os.path.realpath(path)


def _first_undecodable(text: str) -> int:
    if text.isascii():
        return -1
    for i, c in enumerate(text):
        if "\udc80" <= c <= "\udcff":
            return i
    return -1


def _builtin(name: str, main: SourceFile, config_id: str | None, params: list[str]) -> str | None:
    if name == "_PWD":
        return os.path.dirname(os.path.abspath(main.path))
    if name == "_INSTANCE":
        return config_id or ""
    if name == "_HASH":
        return "#"
    if name == "_BANG":
        return "!"
    if name == "_RANDOM":  # a value keepalived may pick: the minimum (default range 0..32767)
        return params[0] if params and params[0].lstrip("-").isdigit() else "0"
    return None


def _expand_braces(pattern: str) -> Iterator[str]:
    """GLOB_BRACE: ``a{b,c}d`` is ``abd`` then ``acd``; one at a time, as ``{a,b}`` groups
    multiply (the caller charges each to the budget)."""
    m = _BRACE_ALTERNATIVES.search(pattern)
    if not m:
        yield pattern
        return
    for choice in m.group(1).split(","):
        yield from _expand_braces(pattern[: m.start()] + choice + pattern[m.end() :])


def names_fixed_files(expansion: Expansion) -> bool:
    """Every include line named one file and read it: no file that appears or changes
    later, other than those read, could change the expansion."""
    return all(
        not record.incomplete and not _WILDCARD.search(record.pattern) and not _BRACE_ALTERNATIVES.search(record.pattern)
        for record in expansion.includes
    )
