"""No code from the temp directory: kalint never loads a parser cache that anyone
could have planted in a shared, writable place.

lark's ``cache=True`` unpickles ``$TMPDIR/.lark_cache_*.tmp``: whoever can write the
temp directory could run code as the user running kalint. These tests plant such
files, booby-trapped to create a marker when unpickled, for every name lark would
use for kalint's grammar, and watch every file kalint opens: nothing in a directory
other users can write may be read, whatever cache kalint keeps (or does not keep).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

PLANT = textwrap.dedent(
    """
    import glob, os, pickle, sys
    from lark import Lark
    from kalint.syntax.parser import grammar_text

    marker = sys.argv[1]

    class Trap:
        def __reduce__(self):
            return (open, (marker, "w"))

    # Let lark name the cache files it would use for kalint's grammar, then replace
    # each with a trap: lark reads the first line, then unpickles.
    for options in ({}, {"maybe_placeholders": False}, {"lexer": "basic"},
                    {"lexer": "basic", "maybe_placeholders": False}):
        Lark(grammar_text(), parser="lalr", cache=True, **options)
    for name in glob.glob(os.path.join(os.environ["TMPDIR"], ".lark*")):
        first = open(name, "rb").readline()
        with open(name, "wb") as handle:
            handle.write(first)
            pickle.dump(Trap(), handle)
    """
)

WATCH = textwrap.dedent(
    """
    import json, os, stat, sys

    shared = os.path.realpath(os.environ["TMPDIR"])
    opened = []

    def audit(event, args):
        if event == "open" and isinstance(args[0], (str, bytes)):
            path = os.path.realpath(os.fsdecode(args[0]))
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = (args[1] or "r")[0] in "wax" if isinstance(args[1], str) else flags & 3
            if path.startswith(shared + os.sep) and not writing:
                opened.append(path)
        elif event == "pickle.find_class":
            opened.append("unpickled " + ".".join(map(str, args)))

    sys.addaudithook(audit)
    from kalint.cli import main
    try:
        main([*sys.argv[2:]], standalone_mode=True)
    except SystemExit:
        pass
    open(sys.argv[1], "w").write(json.dumps(opened))
    """
)


def _others_can_plant(directory: str) -> bool:
    """A directory another user could have written: shared-writable or not ours."""
    st = os.stat(directory)
    return bool(st.st_mode & (stat.S_IWOTH | stat.S_IWGRP)) or st.st_uid not in (os.getuid(), 0)


def test_planted_lark_cache_in_the_shared_temp_directory_is_ignored(tmp_path: Path) -> None:
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: anyone may plant files here
    marker = tmp_path / "trap-sprung"
    env = {**os.environ, "TMPDIR": str(shared)}
    subprocess.run([sys.executable, "-c", PLANT, str(marker)], env=env, check=True, timeout=300)
    planted = sorted(p.name for p in shared.iterdir() if p.name.startswith(".lark"))
    assert planted, "lark should have named at least one cache file"
    assert not marker.exists()

    config = tmp_path / "keepalived.conf"
    config.write_text("global_defs {\n  router_id lb1\n}\n")
    report = tmp_path / "opened.json"
    for _ in range(2):  # a second run would find whatever the first one cached
        proc = subprocess.run(
            [sys.executable, "-c", WATCH, str(report), "--format", "json", str(config)],
            env=env, capture_output=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        assert not marker.exists(), "kalint unpickled a planted parser cache"
        opened = json.loads(report.read_text())
        unsafe = [p for p in opened if p.startswith("unpickled") or _others_can_plant(os.path.dirname(p))]
        assert unsafe == [], f"kalint read from a directory others can write: {unsafe}"
