#!/usr/bin/env python3
"""Ask a real keepalived which keywords stop the whole config read when their argument is missing.

keepalived's parser registers a handler that, when a keyword handler reads a word the
line does not have, prints "is missing a parameter" and exits (lib/parser.c,
``null_strvec``). Handlers that check the word count themselves print their own message
and drop only the line. Which one a keyword gets is visible only in each handler's
body, so this tool asks the binary: for every keyword that needs an argument, one
config holds the keyword alone followed by an unknown canary keyword; if keepalived
never reaches the canary, it stopped at the keyword. The result is written to
``kalint/model/missing_argument.py``.

Usage: python3 tools/probe_missing_argument.py [--keepalived PATH] [--check]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from keyword_samples import COMPILED_OUT, sample  # noqa: E402

from kalint.model import schema  # noqa: E402

TARGET = ROOT / "kalint" / "model" / "missing_argument.py"
PROBED_VERSION = "2.2.7"
CANARY = "zz_canary"


def needing_argument(prefix: str = "") -> Iterator[schema.KeywordSpec]:
    """Every keyword path of the probed release that needs at least one argument."""
    for spec in schema.block_keywords(prefix).values():
        if schema.newer_than(spec, PROBED_VERSION) or spec.name in COMPILED_OUT:
            continue
        if spec.kind == "block":
            yield from needing_argument(spec.path)
        if spec.nargs_min >= 1:
            yield spec


def probe_config(spec: schema.KeywordSpec) -> str:
    """The keyword alone inside its enclosing blocks, then the canary at the same level."""
    names = spec.path.split(".")
    lines = []
    for depth in range(len(names) - 1):
        parent, _, name = ".".join(names[: depth + 1]).rpartition(".")
        outer = schema.block_keywords(parent)[name]
        lines.append("  " * depth + f"{outer.name} {sample(outer)}".rstrip() + " {")
    depth = len(names) - 1
    lines += ["  " * depth + spec.name, "  " * depth + CANARY]
    lines += ["  " * level + "}" for level in reversed(range(depth))]
    return "\n".join(lines) + "\n"


def stops_reading(keepalived: str, spec: schema.KeywordSpec, folder: Path) -> bool:
    conf = folder / "probe.conf"
    conf.write_text(probe_config(spec))
    done = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=folder, capture_output=True, text=True,
                          timeout=30, check=False)
    return CANARY not in done.stderr


def render(paths: list[str]) -> str:
    body = "".join(f"    {path!r},\n" for path in paths)
    return (
        '"""Keywords whose missing argument makes keepalived stop reading the config and exit.\n\n'
        f"Measured on keepalived {PROBED_VERSION} by tools/probe_missing_argument.py (do not edit by hand):\n"
        "every other keyword that needs an argument drops only its line when the argument is missing.\n"
        '"""\n\n'
        f"PROBED_VERSION = {PROBED_VERSION!r}\n\n"
        f"EXITS_WITHOUT_ARGUMENT = frozenset({{\n{body}}})\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keepalived", default="keepalived")
    parser.add_argument("--check", action="store_true", help="fail if the stored table differs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = sorted(spec.path for spec in needing_argument() if stops_reading(args.keepalived, spec, Path(folder)))
    text = render(paths)
    if args.check:
        if TARGET.read_text() != text:
            print(f"{TARGET} is stale: run tools/probe_missing_argument.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    print(f"{len(paths)} keywords stop the config read; written to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
