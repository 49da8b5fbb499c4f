"""Linear work: ten times the input costs at most ~10.5 times the work.

Work is counted, not timed: every Python and C function call made while linting
(``sys.setprofile``), kalint's and lark's alike, so a quadratic loop or a
backtracking pattern shows up as calls whatever the machine's speed. A wall-clock
benchmark belongs in ``bench/``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kalint.engine import Linter
from kalint.report import json_format, text

N = 30
MAX_RATIO = 10.5


def _instances(n: int) -> str:
    """A realistic config: scripts, instances tracking them, virtual servers."""
    parts = []
    for i in range(n):
        parts.append(
            f"vrrp_script chk_{i} {{\n  script \"/usr/bin/true\"\n  interval 2\n  weight -20\n}}\n"
            f"vrrp_instance VI_{i} {{\n  state BACKUP\n  interface eth0\n  virtual_router_id {i % 255 + 1}\n"
            f"  priority 100\n  virtual_ipaddress {{\n    10.{i // 250}.{i % 250}.1/24\n  }}\n"
            f"  track_script {{\n    chk_{i} weight -10\n  }}\n}}\n"
            f"virtual_server 10.{i // 250}.{i % 250}.1 80 {{\n  real_server 10.9.{i % 250}.2 80 {{\n"
            f"    TCP_CHECK {{\n      connect_timeout 3\n    }}\n  }}\n}}\n"
        )
    return "".join(parts)


def _typos(n: int) -> str:
    """Many findings: n scripts, n instances tracking a misspelled name (did-you-mean)."""
    scripts = "".join(f"vrrp_script check_{i} {{\n  script /bin/true\n}}\n" for i in range(n))
    users = "".join(f"vrrp_instance V{i} {{\n  track_script {{\n    chek_{i}\n  }}\n}}\n" for i in range(n))
    return scripts + users


SHAPES: dict[str, Callable[[int], str]] = {
    "instances": _instances,
    "typos": _typos,
    "nested-blocks": lambda n: "vrrp_instance V {\n" * (10 * n) + "}\n" * (10 * n),
    "unclosed-blocks": lambda n: "vrrp_instance V {\n" * (10 * n),
    "extra-braces": lambda n: "}\n" * (10 * n),
    "braces-one-line": lambda n: "{" * (10 * n) + "}" * (10 * n) + "\n",
    "long-line": lambda n: "global_defs {\n  router_id " + "x" * (1000 * n) + "\n}\n",
    "unmatched-quotes": lambda n: 'global_defs {\n  router_id "x\n' * n + "}\n",
    "definitions": lambda n: "".join(f"$V{i}=10.{i // 250}.{i % 250}.1\n" for i in range(n))
    + "".join(f"vrrp_instance I{i} {{\n  virtual_ipaddress {{\n    $V{i}\n  }}\n}}\n" for i in range(n)),
    "generators": lambda n: "".join(f"~SEQ(i, 1, 10) vrrp_script s{j}_$i {{ script /bin/true }}\n" for j in range(n)),
    "cr-only": lambda n: "global_defs {\r  router_id x\r}\r" * (10 * n),
    "bytes": lambda n: (b"\xe9\xff global_defs { router_id \xe9 }\n" * n).decode("utf-8", "surrogateescape"),
}


def _work(path: Path, content: str) -> int:
    """Function calls made to lint ``path`` and render every report."""
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    linter = Linter()
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        result = linter.lint_paths([str(path)])
        json_format.render(result.diagnostics, result.errors)
        for line in text.render_lines(result.diagnostics, result.errors, result.sources):
            text.write([line], lambda s: None, color=False)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("shape", SHAPES)
def test_ten_times_the_input_is_at_most_ten_and_a_half_times_the_work(tmp_path: Path, shape: str) -> None:
    make = SHAPES[shape]
    _work(tmp_path / "warm.conf", make(2))  # load the grammar and rules outside the count
    small = _work(tmp_path / "small.conf", make(N))
    large = _work(tmp_path / "large.conf", make(10 * N))
    assert large <= MAX_RATIO * small, f"{shape}: {small} calls for n, {large} for 10n ({large / small:.1f}x)"
