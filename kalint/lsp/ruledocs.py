"""Where a diagnostic's ``codeDescription`` points: the rule's documentation.

By default a Markdown page of every rule, written once per kalint version into the user's
cache directory (a file URI works offline and over SSH); an editor can set the
initialization option ``rulesUrl`` to a template such as
``https://example.org/kalint/docs/rules.md#{code}`` (``{code}`` is the lower-case code).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kalint import __version__
from kalint.registry import Registry
from kalint.writer import WriteRefused, write_atomic


def render(registry: Registry) -> str:
    parts = ["# kalint rules\n"]
    for rule in registry.sorted():
        parts.append(
            f'<a id="{rule.code.lower()}"></a>\n\n## {rule.code} {rule.name} ({rule.severity})\n\n'
            f"{rule.summary}\n\n{rule.documentation()}\n"
        )
    return "\n".join(parts)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kalint"


def local_page(registry: Registry) -> str | None:
    """Write the rules page into the cache; its file URI, or None if it cannot be written."""
    path = cache_dir() / f"rules-{__version__}.md"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(path), render(registry).encode("utf-8"))
    except (OSError, WriteRefused):
        return None
    return path.as_uri()


def resolver(registry: Registry, template: str | None) -> Callable[[str], str | None]:
    """code -> documentation URL, for rule codes the registry knows."""
    if template:
        return lambda code: template.replace("{code}", code.lower()) if registry.get(code) else None
    page = local_page(registry)
    if page is None:
        return lambda code: None
    return lambda code: f"{page}#{code.lower()}" if registry.get(code) else None
