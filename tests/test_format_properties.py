"""The formatter's three promises on every fixture and corpus file: same tree, same
keepalived verdict, idempotent. The tree is rebuilt here with the linter's own
expansion and parser, independently of the formatter's internal check."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import FIXTURES, require_shared
from kalint.formatter import format_source
from kalint.syntax import parser
from kalint.syntax.tree import Block, Statement
from kalint.text import expand as expandmod
from kalint.text.source import SourceFile, encode, line_break_of, load

#: keepalived's `(Line N)` / `(file: Line N)` prefix: line numbers may differ.
_LINE_PREFIX = re.compile(r"\((?:[^()\n]*: )?Line \d+\) ")


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file())


def corpus_files() -> list[Path]:
    corpus = require_shared("corpus")
    return sorted(
        p for folder in ("real", "samples") if (corpus / folder).is_dir()
        for p in (corpus / folder).iterdir() if p.is_file() and p.suffix != ".tsv"
    )


def shape(text: str, path: str, ids_from: str | None = None) -> list:
    """Keywords, arguments and nesting under every config id (includes not read).

    The ids are those ``ids_from`` names (the original text), so that a dropped
    ``@id`` line with nothing after the id compares equal under that id too.
    """
    src = SourceFile(path, text, line_break_of(text))
    shapes = []
    for config_id in [None, *sorted(expandmod.scan_config_ids(ids_from or text))]:
        expansion = expandmod.expand(src, expandmod.Options(config_id=config_id, allowed_dirs=()))
        shapes.append([_node(item) for item in parser.parse(expansion).items])
    return shapes


def _node(node: Statement) -> tuple:
    words = [(w.text, w.quoted) for w in node.words]
    children = [_node(c) for c in node.children] if isinstance(node, Block) else None
    return words, children


def check_files(paths: list[Path]) -> dict[str, list[str]]:
    """Format every file; the properties that failed, and the counts of each outcome."""
    report: dict[str, list[str]] = {"changed": [], "unchanged": [], "left": [], "refused": [], "failures": []}
    for path in paths:
        src = load(str(path))
        outcome = format_source(src)
        if outcome.text is None:
            report["refused" if outcome.refused else "left"].append(path.name)
            continue
        report["changed" if outcome.text != src.text else "unchanged"].append(path.name)
        if shape(outcome.text, str(path), src.text) != shape(src.text, str(path)):
            report["failures"].append(f"{path.name}: different tree")
        again = format_source(SourceFile(str(path), outcome.text, line_break_of(outcome.text)))
        if again.text != outcome.text:
            report["failures"].append(f"{path.name}: not idempotent")
    return report


def test_fixtures_keep_their_tree_and_are_idempotent() -> None:
    report = check_files(fixture_files())
    assert report["failures"] == []
    assert report["changed"] or report["unchanged"]


def test_corpus_keeps_its_tree_and_is_idempotent() -> None:
    report = check_files(corpus_files())
    assert report["failures"] == []
    # Measured on the shared corpus (430 files): 383 changed, 37 already canonical,
    # 1 left untouched (braces on a `$NAME` line), 9 refused for brace errors (KA001/KA002).
    assert len(report["changed"]) + len(report["unchanged"]) >= 0.95 * sum(map(len, report.values()))


def keepalived_verdict(binary: str, folder: str, name: str, data: bytes, timeout: float = 120) -> tuple[int, list[str]]:
    """Exit code and messages of `keepalived -t`, line prefixes removed, in a stable order."""
    Path(folder, name).write_bytes(data)
    result = subprocess.run([binary, "-t", "-f", name], cwd=folder, capture_output=True, timeout=timeout)
    messages = result.stderr.decode("utf-8", "surrogateescape").splitlines()
    return result.returncode, sorted(_LINE_PREFIX.sub("", m) for m in messages)


def test_corpus_keeps_its_keepalived_verdict(keepalived: str) -> None:
    def compare(path: Path) -> str | None:
        src = load(str(path))
        outcome = format_source(src)
        if outcome.text is None or outcome.text == src.text:
            return None
        with tempfile.TemporaryDirectory() as folder:  # same name, same folder: same ${_PWD}
            before = keepalived_verdict(keepalived, folder, path.name, path.read_bytes())
            after = keepalived_verdict(keepalived, folder, path.name, encode(outcome.text))
        return None if before == after else f"{path.name}: {before} != {after}"

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        failures = [r for r in pool.map(compare, corpus_files()) if r]
    assert failures == []
