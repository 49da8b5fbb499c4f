"""Property tests: whatever the bytes, kalint ends with exit 0, 1 or 2, a complete
machine-readable report on stdout, the same exit code in every format, no exception
and no hang.

The normal suite runs a bounded number of examples per property; a longer run:

    KALINT_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py --hypothesis-show-statistics

Mutated inputs start from real configs read at test time: the project's fixtures,
and ../shared's seed and corpus when present (never copied into the repository).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_support import ALL_FORMATS, MACHINE_FORMATS, check_machine_output, lint_all_formats, run_cli

from conftest import FIXTURES, shared_dir
from kalint.text import source

EXAMPLES = int(os.environ.get("KALINT_FUZZ_EXAMPLES", "300"))
#: Seeds above this size slow every example down without adding new structure.
MAX_SEED_BYTES = 16_384

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # no wall-clock limits: the watchdog in safety_support catches hangs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _seed_files() -> list[Path]:
    files = sorted(FIXTURES.rglob("*.conf"))
    shared = shared_dir()
    if shared is not None:
        files += sorted((shared / "seed").glob("*.conf"))
        for folder in ("real", "samples"):
            files += sorted(p for p in (shared / "corpus" / folder).glob("*") if p.suffix not in (".tsv", ".md"))
    return [p for p in files if p.is_file() and 0 < p.stat().st_size <= MAX_SEED_BYTES]


SEEDS = [p.read_bytes() for p in _seed_files()]

#: Fragments that reach every stage: braces, quotes, comments, escapes, the
#: expander's directives, encodings and line ends keepalived reads differently.
FRAGMENTS = [
    b"{", b"}", b"{ }", b'"', b'""', b"#", b"!", b"\\", b"\t", b"\r", b"\r\n", b"\n", b"\x00",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\xc3", b"include ", b"include *\n", b"include /dev/zero\n",
    b"includem x\n", b"$X=", b"$X", b"${X}", b"@a ", b"@^a ", b"~SEQ(i,1,3) ", b"~LST(x,{1,2}) ",
    b"~SEQ(i,1,100000) ", b"\n$X=$X $X $X $X\n", b"\n$X=a \\\n", b"$_PWD ", b"@\x80 ",
    b"vrrp_instance V {\n", b"vrrp_script s {\n", b"track_script {\n", b"virtual_server 10.0.0.1 80 {\n",
    b"real_server 10.0.0.2 80 {\n", b"vrrp_sync_group G {\n group {\n", b" weight -", b" 999999999999999999999",
]

#: Words for generated configs: structure keepalived knows, so inputs reach the model
#: and the rules rather than stopping at the lexer.
WORDS = [
    "global_defs", "vrrp_instance", "vrrp_script", "vrrp_sync_group", "virtual_server", "real_server",
    "virtual_server_group", "track_script", "track_interface", "virtual_ipaddress", "unicast_peer",
    "authentication", "group", "script", "interval", "weight", "rise", "fall", "state", "MASTER", "BACKUP",
    "interface", "eth0", "virtual_router_id", "priority", "advert_int", "nopreempt", "notify_master",
    "include", "include_check", "reverse", "10.0.0.1", "10.0.0.1/24", "80", "-5", "0", "256", "1e9", "VI_1",
    "chk", "chk2", "G1", "{", "}", '"', '"quoted word"', "#", "!", "\n", "\n", "\n", "\t", "@a", "$X=1", "$X",
]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _delete_line(data: bytes, draw: Callable) -> bytes:
    lines = _lines(data)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return b"".join(lines)


def _duplicate_line(data: bytes, draw: Callable) -> bytes:
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(i, lines[i])
    return b"".join(lines)


def _swap_lines(data: bytes, draw: Callable) -> bytes:
    lines = _lines(data)
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def _truncate(data: bytes, draw: Callable) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _insert(data: bytes, draw: Callable) -> bytes:
    at = draw(st.integers(0, len(data)))
    fragment = draw(st.sampled_from(FRAGMENTS) | st.binary(min_size=1, max_size=8))
    return data[:at] + fragment + data[at:]


def _replace_bytes(data: bytes, draw: Callable) -> bytes:
    at = draw(st.integers(0, len(data)))
    noise = draw(st.binary(min_size=1, max_size=16))
    return data[:at] + noise + data[at + len(noise) :]


MUTATIONS = [_delete_line, _duplicate_line, _swap_lines, _truncate, _insert, _replace_bytes]


@st.composite
def mutated_configs(draw: Callable) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=8)):
        data = mutate(data, draw)
    return data


generated_configs = st.lists(st.sampled_from(WORDS), max_size=120).map(lambda ws: " ".join(ws).encode())


def _check_spans(path: Path, data: bytes, runs: dict) -> None:
    """Every finding in the fuzzed file points at a line that exists in it."""
    import json

    src = source.SourceFile(str(path), source.decode(data), source.line_break_of(source.decode(data)))
    for diag in json.loads(runs["json"].stdout)["diagnostics"]:
        if diag["path"] == str(path):
            assert diag["line"] <= src.line_count and diag["end_line"] <= src.line_count, diag


_WORKDIR = Path(tempfile.mkdtemp(prefix="kalint-fuzz-"))
atexit.register(shutil.rmtree, _WORKDIR, True)


def _lint(data: bytes) -> None:
    path = _WORKDIR / "fuzz.conf"
    path.write_bytes(data)
    runs = lint_all_formats([str(path)], formats=ALL_FORMATS)
    _check_spans(path, data, runs)


@FUZZ
@given(mutated_configs())
def test_mutated_real_configs(data: bytes) -> None:
    _lint(data)


@FUZZ
@given(generated_configs)
def test_generated_configs(data: bytes) -> None:
    _lint(data)


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(data: bytes) -> None:
    _lint(data)


@FUZZ
@given(st.binary(max_size=1024) | mutated_configs())
def test_arbitrary_bytes_on_stdin(data: bytes) -> None:
    for output_format in MACHINE_FORMATS:
        check_machine_output(output_format, run_cli(["--format", output_format, "-"], stdin=data))


def test_seeds_are_found() -> None:
    """The mutation tests are only as good as their seeds: at least the fixtures."""
    assert len(SEEDS) >= 3
