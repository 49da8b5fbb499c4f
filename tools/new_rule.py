#!/usr/bin/env python3
"""Write a new rule and its two fixtures: ``python3 tools/new_rule.py KA321 vip-on-loopback``.

The rule goes into its own module, ``rules/ka3_vip_on_loopback.py`` (the prefix is the
hundred of its code, which is how rules/ is laid out), where the registry finds it with
no other edit. The fixtures are ``tests/fixtures/KA321/fires.conf`` (expects the code, so
it fails until the rule is written: the first red test) and ``silent_ok.conf``. Then:
write the rule, make both fixtures real, then ``python3 tools/gen_docs.py`` regenerates
docs/rules.md and ``KALINT_UPDATE_SNAPSHOTS=1 pytest tests/test_fixtures.py -k CODE``
writes the rule's output snapshot.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODE = re.compile(r"^KA([0-9])[0-9]{2}$")
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

RULE = '''"""{code}: {summary}."""

from __future__ import annotations

from typing import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule


class {cls}(Rule):
    """{summary_cap}.

    Why it matters: what keepalived does with this text, and what goes wrong.

    Bad:

        vrrp_instance VI_1 {{
        }}

    Good:

        vrrp_instance VI_1 {{
        }}
    """

    code = "{code}"
    name = "{name}"
    severity = Severity.WARNING
    summary = "{summary}"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        return iter(())
'''

FIRES = """# {code} {name}: a config on which the rule must fire.
vrrp_instance VI_1 {{    ! expect: {code}
}}
"""

SILENT = """# {code} {name}: a config on which the rule must stay silent.
vrrp_instance VI_1 {{
}}
"""


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def create(code: str, name: str, summary: str) -> list[str]:
    """Write the files; refuse to overwrite anything. Returns the paths written."""
    hundred = CODE.match(code)
    if hundred is None:
        raise SystemExit(f"new_rule: {code!r} is not a code like KA321")
    if not NAME.match(name):
        raise SystemExit(f"new_rule: {name!r} is not a kebab-case name like vip-on-loopback")
    files = {
        os.path.join(ROOT, "rules", f"ka{hundred.group(1)}_{name.replace('-', '_')}.py"): RULE.format(
            code=code, name=name, cls=class_name(name), summary=summary,
            summary_cap=summary[:1].upper() + summary[1:]),
        os.path.join(ROOT, "tests", "fixtures", code, "fires.conf"): FIRES.format(code=code, name=name),
        os.path.join(ROOT, "tests", "fixtures", code, "silent_ok.conf"): SILENT.format(code=code, name=name),
    }
    existing = [path for path in files if os.path.exists(path)]
    if existing or os.path.isdir(os.path.join(ROOT, "tests", "fixtures", code)):
        raise SystemExit(f"new_rule: {code} already has files: {', '.join(existing) or 'tests/fixtures/' + code}")
    for path, text in files.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    return list(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a new kalint rule and its two fixtures.")
    parser.add_argument("code", help="the rule's code, e.g. KA321")
    parser.add_argument("name", help="the rule's kebab-case name, e.g. vip-on-loopback")
    parser.add_argument("--summary", default="one line saying what is wrong", help="the rule's one-line summary")
    args = parser.parse_args(argv)
    for path in create(args.code, args.name, args.summary):
        print(os.path.relpath(path, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
