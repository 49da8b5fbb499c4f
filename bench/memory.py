#!/usr/bin/env python3
"""Peak memory and time of ``kalint check`` against input size: is memory linear?

    .venv/bin/python bench/memory.py                 # 1, 4 and 16 MB (about a minute)
    .venv/bin/python bench/memory.py --sizes 1,10,100  # issue 23's 100 MB config

Each input is a genconf.py config (``$KALINT_SHARED/bench/genconf.py`` or
``../shared/bench/genconf.py``, or ``--genconf``) scaled to about the size asked for,
linted once with ``--format json`` in a fresh process. The table gives wall time, peak
RSS (wait4) and RSS per input byte: a constant last column is linear memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIB = 1024 * 1024
#: genconf with --instances N --servers N writes about this many bytes per N.
BYTES_PER_UNIT = 1280


def genconf_path(given: str | None) -> Path:
    if given:
        return Path(given)
    shared = os.environ.get("KALINT_SHARED")
    base = Path(shared) if shared else HERE.parent.parent / "shared"
    return base / "bench" / "genconf.py"


def generate(genconf: Path, path: Path, megabytes: float) -> int:
    units = max(10, int(megabytes * MIB / BYTES_PER_UNIT))
    with path.open("w") as out:
        subprocess.run([sys.executable, str(genconf), "--instances", str(units), "--servers", str(units)],
                       stdout=out, check=True)
    return path.stat().st_size


def measure(path: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS in bytes of one ``kalint check`` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kalint", "check", "--isolated", "--format", "json", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kalint exited {proc.returncode} on {path}")
    return time.perf_counter() - start, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,4,16", help="input sizes in MB, comma-separated")
    parser.add_argument("--genconf", help="path to genconf.py")
    args = parser.parse_args()
    genconf = genconf_path(args.genconf)
    if not genconf.is_file():
        raise SystemExit(f"genconf.py not found at {genconf} (use --genconf)")
    print(f"{'input':>10} {'lines':>10} {'seconds':>8} {'peak RSS':>10} {'RSS/input byte':>15}")
    with tempfile.TemporaryDirectory(prefix="kalint-memory-") as tmp:
        for size in (float(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"{size:g}mb.conf"
            written = generate(genconf, path, size)
            with path.open("rb") as handle:
                lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(MIB), b""))
            seconds, rss = measure(path)
            print(f"{written / MIB:8.1f}MB {lines:>10,} {seconds:8.1f} {rss / MIB:8.0f}MB {rss / written:15.1f}")
            path.unlink()


if __name__ == "__main__":
    main()
