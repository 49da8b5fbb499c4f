"""Layout mutations of real configs: the formatter keeps `keepalived -t`'s verdict and is
idempotent (issue 23, rows 13 and 14, and the 10,000-mutation run).

Each case takes a fixture or corpus config and changes only its layout the way people
and editors do: indentation, blanks between words, trailing blanks, braces moved to or
from their own line, lines joined at a brace, blank and comment lines, CRLF ends, a
stray CR inside a line, and ``\\#``/``\\!`` escapes beside braces. Whatever keepalived
makes of the mutated text (often an error) is the reference: formatting must not change
it, and formatting the result again must change nothing.

The number of cases is ``KALINT_FORMAT_MUTATIONS`` (small by default, so the suite stays
fast); ``KALINT_FORMAT_MUTATIONS_SEED`` picks another draw. A failure names its case
number, which reproduces it alone with the same seed.
"""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from test_format_properties import keepalived_verdict, shape

from conftest import FIXTURES, shared_dir
from kalint.formatter import format_source
from kalint.text.source import SourceError, SourceFile, encode, line_break_of, load

CASES = int(os.environ.get("KALINT_FORMAT_MUTATIONS", "60"))
SEED = os.environ.get("KALINT_FORMAT_MUTATIONS_SEED", "20261206")
#: Seeds above this size make keepalived -t and the formatter slow without adding layouts.
MAX_SEED_BYTES = 12_000
#: keepalived itself never finishes on some inputs (a self-referencing `$X`): no verdict.
KEEPALIVED_SECONDS = 15

Mutation = Callable[[random.Random, list[str]], str]


def seed_files() -> list[Path]:
    """Fixtures and the shared corpus's real configs (when present), small ones."""
    paths = sorted(p for p in FIXTURES.rglob("*.conf") if p.is_file())
    shared = shared_dir()
    if shared is not None and (shared / "corpus" / "real").is_dir():
        paths += sorted(p for p in (shared / "corpus" / "real").iterdir() if p.is_file())
    return [p for p in paths if p.stat().st_size <= MAX_SEED_BYTES]


def _pick(rng: random.Random, lines: list[str], want: Callable[[str], bool] = bool) -> int | None:
    candidates = [i for i, line in enumerate(lines) if want(line)]
    return rng.choice(candidates) if candidates else None


def reindent(rng: random.Random, lines: list[str]) -> str:
    i = _pick(rng, lines)
    if i is None:
        return "reindent: nothing"
    lines[i] = rng.choice(["", " ", "\t", "  \t ", " " * rng.randint(1, 12)]) + lines[i].lstrip(" \t")
    return f"reindent line {i + 1}"


def widen_blanks(rng: random.Random, lines: list[str]) -> str:
    i = _pick(rng, lines, lambda s: " " in s.strip())
    if i is None:
        return "widen: nothing"
    line = lines[i]
    spaces = [k for k, c in enumerate(line) if c == " " and line[:k].strip()]
    if spaces:
        k = rng.choice(spaces)
        lines[i] = line[:k] + rng.choice(["  ", "\t", " \t  "]) + line[k + 1 :]
    return f"widen blanks line {i + 1}"


def trailing_blanks(rng: random.Random, lines: list[str]) -> str:
    i = _pick(rng, lines)
    if i is None:
        return "trail: nothing"
    lines[i] += rng.choice([" ", "\t", "  \t "])
    return f"trailing blanks line {i + 1}"


def brace_down(rng: random.Random, lines: list[str]) -> str:
    """``keyword {`` -> ``keyword`` / ``{`` (Allman style)."""
    i = _pick(rng, lines, lambda s: s.rstrip().endswith("{") and s.strip() != "{")
    if i is None:
        return "brace down: nothing"
    head = lines[i].rstrip()[:-1].rstrip()
    lines[i : i + 1] = [head, rng.choice(["{", "  {", "\t{ "])]
    return f"brace down line {i + 1}"


def join_after_open(rng: random.Random, lines: list[str]) -> str:
    """``keyword {`` + next line -> ``keyword { next``."""
    i = _pick(rng, lines[:-1], lambda s: s.rstrip().endswith("{"))
    if i is None:
        return "join: nothing"
    lines[i : i + 2] = [lines[i].rstrip() + rng.choice([" ", "", "\t"]) + lines[i + 1].lstrip()]
    return f"join after open line {i + 1}"


def join_close(rng: random.Random, lines: list[str]) -> str:
    """a statement + the ``}`` line after it -> ``statement }``."""
    i = _pick(rng, lines[1:], lambda s: s.strip() == "}")
    if i is None or "#" in lines[i] or "!" in lines[i]:
        return "join close: nothing"
    lines[i : i + 2] = [lines[i].rstrip() + rng.choice([" }", "}", "\t}"])]
    return f"join close line {i + 1}"


def blank_or_comment(rng: random.Random, lines: list[str]) -> str:
    i = rng.randint(0, len(lines))
    lines.insert(i, rng.choice(["", "   ", "# note", "  ! note {", "\t# }"]))
    return f"insert line {i + 1}"


def trailing_comment(rng: random.Random, lines: list[str]) -> str:
    i = _pick(rng, lines, lambda s: bool(s.strip()) and "#" not in s and "!" not in s and '"' not in s)
    if i is None:
        return "comment: nothing"
    lines[i] += rng.choice([" # c", "\t! c", "  # a { b"])
    return f"trailing comment line {i + 1}"


def stray_cr(rng: random.Random, lines: list[str]) -> str:
    """Row 14: a CR inside a line (``router_id lb1\\r   ``) or between words."""
    i = _pick(rng, lines, lambda s: bool(s.strip()))
    if i is None:
        return "cr: nothing"
    line = lines[i]
    if rng.random() < 0.5:
        lines[i] = line + "\r" + rng.choice([" ", "   ", "\t"])
    else:
        k = rng.randint(0, len(line))
        lines[i] = line[:k] + "\r" + line[k:]
    return f"stray CR line {i + 1}"


def escape_by_brace(rng: random.Random, lines: list[str]) -> str:
    """Row 13: ``\\#``/``\\!`` next to a brace, on the brace's line."""
    i = _pick(rng, lines, lambda s: ("{" in s or "}" in s) and "#" not in s and "!" not in s and '"' not in s)
    if i is None:
        return "escape: nothing"
    esc = rng.choice(["\\#", "\\!"])
    line = lines[i]
    k = line.index("{") if "{" in line else line.index("}")
    if rng.random() < 0.5:
        lines[i] = line[:k] + rng.choice(["", " "]) + f"x{esc}y " + line[k:]
    else:
        lines[i] = line[: k + 1] + rng.choice(["", " "]) + f"{esc}z" + line[k + 1 :]
    return f"escape by brace line {i + 1}"


MUTATIONS: tuple[Mutation, ...] = (
    reindent, widen_blanks, trailing_blanks, brace_down, join_after_open, join_close,
    blank_or_comment, trailing_comment, stray_cr, escape_by_brace,
)


def mutate(text: str, rng: random.Random) -> tuple[str, list[str]]:
    crlf = "\r\n" in text
    lines = text.replace("\r\n", "\n").split("\n")
    done = [rng.choice(MUTATIONS)(rng, lines) for _ in range(rng.randint(1, 4))]
    if not crlf and rng.random() < 0.05:
        done.append("CRLF")
        crlf = True
    return ("\r\n" if crlf else "\n").join(lines), done


def run_case(index: int, seeds: list[Path], keepalived: str) -> tuple[str, str | None]:
    """('changed'|'unchanged'|'left'|'refused'|'skipped'|'keepalived hangs', failure or None)."""
    rng = random.Random(f"{SEED}-{index}")
    path = rng.choice(seeds)
    try:
        original = load(str(path)).text
    except SourceError:
        return "skipped", None
    text, done = mutate(original, rng)
    label = f"case {index} ({path.name}: {', '.join(done)})"
    outcome = format_source(SourceFile(path.name, text, line_break_of(text)))
    if outcome.text is None:
        return ("refused" if outcome.refused else "left"), None
    if outcome.text == text:
        return "unchanged", None
    again = format_source(SourceFile(path.name, outcome.text, line_break_of(outcome.text)))
    if again.text != outcome.text:
        return "changed", f"{label}: not idempotent"
    if shape(outcome.text, path.name, text) != shape(text, path.name):
        return "changed", f"{label}: different tree"
    with tempfile.TemporaryDirectory() as folder:
        try:
            before = keepalived_verdict(keepalived, folder, "keepalived.conf", encode(text), KEEPALIVED_SECONDS)
        except subprocess.TimeoutExpired:
            return "keepalived hangs", None
        try:
            after = keepalived_verdict(keepalived, folder, "keepalived.conf", encode(outcome.text), KEEPALIVED_SECONDS)
        except subprocess.TimeoutExpired:
            return "changed", f"{label}: keepalived -t hangs on the formatted text only"
    if before != after:
        return "changed", f"{label}: keepalived -t {before} != {after}"
    return "changed", None


def test_layout_mutations_keep_keepalived_verdict_and_are_idempotent(keepalived: str) -> None:
    seeds = seed_files()
    counts: dict[str, int] = {}
    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for kind, failure in pool.map(lambda i: run_case(i, seeds, keepalived), range(CASES)):
            counts[kind] = counts.get(kind, 0) + 1
            if failure:
                failures.append(failure)
    print(f"{CASES} layout mutations (seed {SEED}, {len(seeds)} seed configs): {counts}, {len(failures)} failures")
    assert failures == [], "\n".join(failures[:20])
    assert counts.get("changed", 0) >= CASES // 4, counts  # the mutations really reach the formatter
