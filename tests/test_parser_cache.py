"""The parser's table cache is private to the user, a start that finds it never imports
lark, and what kalint's scanner yields is exactly what lark's own lexer yields for the
same grammar."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from functools import cache as memoized
from pathlib import Path

import lark
import pytest

from conftest import FIXTURES
from kalint.syntax import cache, parser
from kalint.text.expand import expand
from kalint.text.source import SourceFile

TRICKY = [
    "",
    "\n\n",
    "global_defs {\n  router_id a # comment { }\n}\n",
    'vrrp_script s {\n script "/bin/a b{c}" ! note\n}\n',
    "a\\#b \\! c { d }\n}\n{\n x\n",
    'x "unterminated { quote\n y }\n',
    "k1 v1\r\n  k2\tv2 \f\v\n",
    'virtual_ipaddress { 10.0.0.1 "a" "b"c }',
    # line shapes the tokenizer cuts without the scanner, and near misses
    "a b {\n  }\n{\n}\n \t{ \r\n\f}\v\na{\nb}\n}c\n{d\nx {}\n{ y\na\\{\n\"{\n#{\n!}\n{ #\n",
    "\r\n \r \n\ta\tb \t\r\nlast line { ",
    "\u00a0{\n\x1c }\n\u2028a {\n",
]


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parser._parser.cache_clear()
    yield tmp_path / "kalint"
    parser._parser.cache_clear()


@memoized
def _larks_lexer() -> lark.Lark:
    return lark.Lark(parser.grammar_text(), **parser._LARK_OPTIONS)


class _Recorder:
    """A sink for ``parser._scan`` that writes down the tokens as lark's lexer gives
    them: (type, value, offset, line, column), 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.line_starts = [0] + [at + 1 for at, ch in enumerate(text) if ch == "\n"]
        self.tokens: list[tuple[str, str, int, int, int]] = []

    def statement(self, value: str, line: int, column: int) -> None:
        self.tokens.append(("STMT", value, self.line_starts[line - 1] + column, line, column + 1))

    def plain(self, value: str, line: int, column: int) -> None:
        """A STMT the scanner promises holds no quote and no backslash."""
        assert '"' not in value and "\\" not in value, value
        self.statement(value, line, column)

    def brace(self, opening: bool, line: int, column: int) -> None:
        kind, value = ("OPEN", "{") if opening else ("CLOSE", "}")
        self.tokens.append((kind, value, self.line_starts[line - 1] + column, line, column + 1))

    def headed(self, value: str, line: int, column: int, at: int) -> None:
        """A plain STMT and the `{` the scanner promises follows it at ``at``."""
        self.plain(value, line, column)
        self.brace(True, line, at)


def _our_tokens(text: str, chunk: int | None = None) -> list[tuple[str, str, int, int, int]]:
    recorder = _Recorder(text)
    scanner = parser._parser()[1]
    if chunk is None:
        parser._scan(text, scanner, recorder)
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(parser, "_CHUNK", chunk)
            parser._scan(text, scanner, recorder)
    return recorder.tokens


def _cache_file(folder: Path) -> Path:
    name, _ = parser._cache_name(parser.grammar_text())
    return folder / name


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count full grammar builds (a cache hit loads without calling Lark.__init__)."""
    calls: list[int] = []
    original = lark.Lark.__init__

    def counting(self, *args, **kwargs):
        calls.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(lark.Lark, "__init__", counting)
    return calls


def test_tables_are_cached_in_a_private_directory(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _builds(monkeypatch)
    parser._parser()
    assert builds == [1]
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(_cache_file(private_cache).stat().st_mode) == 0o600
    parser._parser.cache_clear()
    parser._parser()
    assert builds == [1]  # the second start loaded the tables


@pytest.mark.parametrize("plant", ["garbage", "world_writable_dir", "group_writable_file", "symlink"])
def test_untrusted_cache_is_ignored(private_cache: Path, monkeypatch: pytest.MonkeyPatch, plant: str) -> None:
    parser._parser()  # a good cache file
    target = _cache_file(private_cache)
    if plant == "garbage":
        target.write_bytes(b"\x00not marshal data")
    elif plant == "world_writable_dir":
        private_cache.chmod(0o777)
    elif plant == "group_writable_file":
        target.chmod(0o660)
    else:
        elsewhere = private_cache.parent / "planted"
        elsewhere.write_bytes(target.read_bytes())
        target.unlink()
        target.symlink_to(elsewhere)
    builds = _builds(monkeypatch)
    parser._parser.cache_clear()
    doc = parser.parse(expand(SourceFile("t.conf", "a {\n b c\n}\n")))
    assert builds == [1]
    assert [w.text for w in doc.items[0].children[0].words] == ["b", "c"]


def test_a_start_with_the_cache_never_imports_lark(private_cache: Path) -> None:
    parser._parser()  # writes the cache
    code = (
        "import sys\n"
        "from kalint.syntax import parser\n"
        "from kalint.text.expand import expand\n"
        "from kalint.text.source import SourceFile\n"
        "doc = parser.parse(expand(SourceFile('t.conf', 'a {\\n b c\\n')))\n"
        "print(doc.items[0].keyword, doc.items[0].closed, 'lark' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(private_cache.parent)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["a", "False", "False"]


def test_planted_file_in_shared_temp_is_never_read(private_cache: Path) -> None:
    """kalint never uses lark's cache=True (a pickle in the shared temp directory)."""
    parser._parser()
    assert cache.directory() == str(private_cache)
    assert "cache" not in parser._LARK_OPTIONS


def _texts() -> list[str]:
    texts = list(TRICKY)
    for path in sorted(FIXTURES.rglob("*.conf")):
        texts.append(path.read_text(encoding="utf-8", errors="surrogateescape"))
    return texts


@pytest.mark.parametrize("text", _texts())
def test_scanner_matches_larks_lexer(text: str) -> None:
    theirs = [(t.type, str(t), t.start_pos, t.line, t.column) for t in _larks_lexer().lex(text)]
    assert _our_tokens(text) == theirs
    # Split into lines a few characters at a time, as a 100 MB config is.
    assert _our_tokens(text, chunk=7) == theirs


@pytest.mark.parametrize("seed", range(10))
def test_scanner_matches_larks_lexer_on_random_lines(seed: int) -> None:
    """The tokenizer cuts common line shapes without the scanner: random lines of words,
    blanks, braces, quotes, comments and backslashes must still give lark's tokens."""
    rng = random.Random(seed)
    alphabet = ["a", "bc", " ", "  ", "\t", "\r", "\f", "\v", "{", "}", '"', "#", "!", "\\", "\n", "\u00a0", "\x1c"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 25)))
        ours = _our_tokens(text, chunk=rng.choice([None, 1, 3]))
        theirs = [(t.type, str(t), t.start_pos, t.line, t.column) for t in _larks_lexer().lex(text)]
        assert ours == theirs, repr(text)


def test_every_character_is_matched_by_some_terminal() -> None:
    r"""keepalived reads any byte: no character may stop the scanner (once \x1c and a
    no-break space did, because Python's \s is wider than keepalived's six blanks)."""
    characters = [chr(c) for c in range(0x3000) if c != 0x0A] + [chr(c) for c in range(0xDC80, 0xDD00)]
    for ch in characters:
        assert _our_tokens(f"a {{\n {ch}b\n}}\n"), repr(ch)


def test_cache_write_leaves_no_temporary_files(private_cache: Path) -> None:
    parser._parser()
    assert sorted(os.listdir(private_cache)) == [_cache_file(private_cache).name]


def test_the_table_calls_every_reduction_of_the_builder_and_no_other_method() -> None:
    table, _ = parser._parser()
    assert {method for _, _, method in table.rules} == parser._Builder.REDUCTIONS


@pytest.mark.parametrize("method", ["__init__", "statement", "end"])
def test_a_cached_table_naming_other_methods_is_rebuilt(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """A table whose rules name anything but the builder's reductions (a private method,
    one the scanner calls, or none) is not run."""
    import marshal

    parser._parser()
    target = _cache_file(private_cache)
    entry = marshal.loads(target.read_bytes())
    actions, rules, start, end = entry["table"]
    entry["table"] = (actions, [(name, size, method) for name, size, _ in rules], start, end)
    target.write_bytes(marshal.dumps(entry))
    builds = _builds(monkeypatch)
    parser._parser.cache_clear()
    doc = parser.parse(expand(SourceFile("t.conf", "a {\n b c\n}\n")))
    assert builds == [1]
    assert [w.text for w in doc.items[0].children[0].words] == ["b", "c"]
