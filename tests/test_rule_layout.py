"""rules/ is laid out by code: a module named ``kaN_…`` holds KA N xx codes only, and its
docstring's first line names exactly the codes it holds (ranges written ``KA301–KA307``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kalint.rules import rule_classes, rule_modules

ROOT = Path(__file__).resolve().parents[1]
_CODES = re.compile(r"KA(\d{3})(?:\s*[–-]\s*KA(\d{3}))?")


def named_codes(first_line: str) -> set[str]:
    """The codes a docstring's first line names, ranges expanded."""
    head = first_line.split(":", 1)[0]
    codes = set()
    for start, end in _CODES.findall(head):
        codes |= {f"KA{n:03d}" for n in range(int(start), int(end or start) + 1)}
    return codes


@pytest.mark.parametrize("module", rule_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_module_holds_the_codes_its_name_and_docstring_say(module: ModuleType) -> None:
    codes = {rule.code for rule in rule_classes(module)}
    hundred = re.match(r"ka(\d)_", module.__name__.rsplit(".", 1)[1])
    assert hundred is not None, f"{module.__name__}: rule modules are named kaN_<topic>"
    assert codes and all(code[2] == hundred.group(1) for code in codes), (module.__name__, sorted(codes))
    first_line = (module.__doc__ or "").strip().splitlines()[0]
    assert named_codes(first_line) == codes, f"{module.__name__}: docstring says {first_line!r}, holds {sorted(codes)}"


def test_a_dropped_in_rule_file_is_found_and_documented(tmp_path: Path) -> None:
    """tools/new_rule.py writes one module and two fixtures; the registry finds the rule
    with no other edit (checked in a copy of the package, so the checkout stays clean)."""
    copy = tmp_path / "repo"
    for part in ("rules", "tools"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    made = subprocess.run([sys.executable, str(copy / "tools" / "new_rule.py"), "KA399", "test-only-rule"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert made == ["rules/ka3_test_only_rule.py", "tests/fixtures/KA399/fires.conf",
                    "tests/fixtures/KA399/silent_ok.conf"]
    probe = ("import sys, importlib.util, kalint;"
             f"spec = importlib.util.spec_from_file_location('kalint.rules', {str(copy / 'rules' / '__init__.py')!r},"
             f" submodule_search_locations=[{str(copy / 'rules')!r}]);"
             "module = importlib.util.module_from_spec(spec); sys.modules['kalint.rules'] = module;"
             "spec.loader.exec_module(module);"
             "print([r.code for r in module.RULES if r.code == 'KA399'])")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "['KA399']"
