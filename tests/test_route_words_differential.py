"""Route, rule and address-option lines: kalint's findings against `keepalived -t` (skipped
without it).

Random one-line configs (a fixed seed) built from the option words of alloc_route,
alloc_rule and alloc_ipaddress: a line keepalived says something about must carry a
finding of a route/address rule, and a line it is silent about must carry none. Lines
where keepalived looks a name up on this host (interfaces, iproute2 tables, realms, scopes,
dsfield and protocol names) are set aside: kalint leaves those names alone by design.
The one-line files name only `lo`, so no interface has to exist.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kalint.engine import Linter, LintOptions

pytestmark = pytest.mark.skipif(shutil.which("keepalived") is None, reason="keepalived is not installed")

CODES = {"KA104", "KA139", "KA326", "KA340", "KA342", "KA343", "KA344", "KA345"}
ROUTE_WORDS = (
    "inet inet6 src via from to as tos table protocol scope metric dev onlink encap ip mpls expires mtu lock hoplimit "
    "rtt realms pref ttl-propagate or nexthop weight no_track track_group lookup not preference priority fwmark "
    "sup_pl iif oif tunnel-id uidrange l3mdev ipproto sport dport type goto nop blackhole unreachable local default "
    "all dst id 0 1 5 256 -1 0x10 010 1e3 1s 10ms 5/ 1-2 enabled low 192.0.2.0/24 192.0.2.1 198.51.100.1 "
    "2001:db8::1 2001:db8::/64 300"
).split()
ADDRESS_WORDS = ("dev lo scope link 300 brd broadcast + - label lo:1 lo:abcdefghijklmn peer 198.51.100.1 2001:db8::1 "
                 "preferred_lft forever 5 no_track home track_group TG").split()
#: keepalived looked a name up on this host, or says something only to the log.
HOST = re.compile(r"interface|not found for (route|rule)|not found or invalid for route|Invalid scope '[^0-9]"
                  r"|[Ii]nvalid realms [0-9]*[^0-9/ ]|Invalid ipproto [^0-9]|TOS value [0-9]*[^0-9 ]|cannot track route")
LOG_ONLY = ("below minimum", "exceeds maximum", "exponential form")  # log_message in 2.2.7
HEADER = "track_group TG {\n group {\n  VI_1\n }\n}\n"
LINE = 7  # the generated line, after HEADER and the block's first line


def _line(rng: random.Random, kind: str) -> str:
    if kind == "static_ipaddress":
        first = rng.choice(["192.0.2.1/24", "2001:db8::1/64", "192.0.2.1", "192.0.2.9/31"])
        return " ".join([first] + [rng.choice(ADDRESS_WORDS) for _ in range(rng.randint(0, 6))])
    words = [rng.choice(ROUTE_WORDS) for _ in range(rng.randint(1, 8))]
    words = ["lo" if i and words[i - 1] in ("dev", "oif", "iif") else w for i, w in enumerate(words)]
    if kind == "static_rules" and rng.random() < 0.5:
        words += ["table", "5", "priority", str(rng.randint(1, 9))]
    return " ".join(words)


def test_random_lines_agree_with_keepalived(tmp_path: Path) -> None:
    rng = random.Random(20261206)
    linter = Linter(LintOptions(target_version="2.2.7"))
    disagreements = []
    for n in range(240):
        kind = ("static_routes", "static_rules", "static_ipaddress")[n % 3]
        text = _line(rng, kind)
        path = tmp_path / f"{n}.conf"
        path.write_text(f"{HEADER}{kind} {{\n    {text}\n}}\n")
        run = subprocess.run(["keepalived", "-t", "-f", str(path)], capture_output=True, text=True, timeout=30)
        said = re.findall(rf"Line {LINE}\) (.*)", run.stdout + run.stderr)
        if any(HOST.search(message) for message in said):
            continue
        found = [d.code for d in linter.lint_paths([str(path)]).diagnostics
                 if d.code in CODES and d.span.line == LINE and not (d.code == "KA344" and _log_only(d.message))]
        if bool(said) != bool(found):
            disagreements.append((text, said, found))
    assert disagreements == []


def _log_only(message: str) -> bool:
    return any(part in message for part in LOG_ONLY)
