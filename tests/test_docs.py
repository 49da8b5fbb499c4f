"""docs/rules.md is generated from the registry; it fails here when stale.

Regenerate with ``python3 tools/gen_docs.py`` after adding or changing a rule.
"""

from __future__ import annotations

import importlib.util
import re

from conftest import REPO, defined_rule_classes

_spec = importlib.util.spec_from_file_location("gen_docs", REPO / "tools" / "gen_docs.py")
assert _spec is not None and _spec.loader is not None
gen_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_docs)
DEFAULT_PATH, builtin_rules, render = gen_docs.DEFAULT_PATH, gen_docs.builtin_rules, gen_docs.render


def test_rules_md_is_current() -> None:
    expected = render(builtin_rules())
    current = DEFAULT_PATH.read_text(encoding="utf-8") if DEFAULT_PATH.exists() else ""
    assert current == expected, "docs/rules.md is stale: run `python3 tools/gen_docs.py`"


def test_every_rule_defined_in_rules_has_a_section() -> None:
    """The sections of the file on disk, against the rule classes the modules of rules/
    define: not against ``render``, whose output has a section for every rule it is
    given by construction, nor against ``builtin_rules``, whose filter is what could
    drop a rule."""
    sections = re.findall(r"^## (\S+) (\S+)$", DEFAULT_PATH.read_text(encoding="utf-8"), re.MULTILINE)
    defined = sorted((rule.code, rule.name) for rule in defined_rule_classes() if hasattr(rule, "code"))
    missing, extra = sorted(set(defined) - set(sections)), sorted(set(sections) - set(defined))
    assert (missing, extra) == ([], []), f"rules with no section: {missing}; sections of no rule: {extra}"
    assert sections == defined, "docs/rules.md has a section twice or out of code order"


def test_readme_pre_commit_rev_is_this_release_and_its_repo_is_the_documented_home() -> None:
    """The `rev:` users copy must be the tag of the version they install (README tells
    maintainers to push it), and the repository the one rule links point at."""
    from kalint import __version__
    from kalint.links import RULES_PAGE

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"- repo: (\S+)\n  rev: (\S+)", readme)
    assert snippet is not None
    assert snippet.group(2) == f"v{__version__}"
    assert f"git tag v{__version__}" in readme
    assert RULES_PAGE.startswith(snippet.group(1) + "/")


def test_readme_example_output_is_what_kalint_prints() -> None:
    """The README's example block: its lines are lines of the real output, in order, and
    its last line is the real summary."""
    import subprocess
    import sys

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n\$ kalint examples/keepalived.conf\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    real = subprocess.run([sys.executable, "-m", "kalint", "examples/keepalived.conf"], cwd=REPO,
                          capture_output=True, text=True, check=False).stdout.splitlines()
    shown = [line for line in block.group(1).splitlines() if line != "..."]
    position = 0
    for line in shown:
        assert line in real[position:], line
        position = real.index(line, position) + 1
    assert shown[-1] == real[-1]
