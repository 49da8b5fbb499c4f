"""Keyword knowledge for hover and completion, from ``kalint.schema`` when it exists.

Integration point with the schema: ``_entries()`` reads the schema module's table of
keyword entries (``KEYWORDS``, ``SCHEMA`` or ``keywords()``: a mapping keyed by dotted
path / tuple, or a sequence of entries with a ``path``); an entry may be an object or a
dict with the fields of shared/reference/keywords.json (``path``, ``args``, ``type``,
``enum``, ``min``, ``max``, ``since``, ``note``/``summary``/``doc``). Without the module
hover shows no keyword text and completion offers the keywords the document itself uses
in blocks of the same kind, plus the enum values below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

#: Enum values keepalived's handlers compare with strcmp (vrrp_parser.c, check_parser.c):
#: used when the schema is absent.
FALLBACK_ENUMS: dict[str, tuple[str, ...]] = {
    "state": ("MASTER", "BACKUP"),
    "auth_type": ("PASS", "AH"),
    "lb_algo": ("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos"),
    "lvs_sched": ("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos"),
    "lb_kind": ("NAT", "DR", "TUN"),
    "lvs_method": ("NAT", "DR", "TUN"),
}


@dataclass(frozen=True, slots=True)
class KeywordInfo:
    path: tuple[str, ...]
    summary: str = ""
    args: str = ""
    type: str = ""
    enum: tuple[str, ...] = ()
    minimum: Any = None
    maximum: Any = None
    since: str = ""

    def markdown(self) -> str:
        lines = [f"**{self.path[-1]}** `{'.'.join(self.path)}`"]
        if self.summary:
            lines += ["", self.summary]
        if self.args:
            lines += ["", f"Argument: `{self.args}`" + (f" ({self.type})" if self.type else "")]
        if self.minimum is not None or self.maximum is not None:
            lines.append(f"Range: {self.minimum if self.minimum is not None else ''}..{self.maximum if self.maximum is not None else ''}")
        if self.since:
            lines.append(f"Since keepalived {self.since}")
        return "\n".join(lines)


def _field(entry: Any, *names: str) -> Any:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value is not None:
            return value
    return None


def _path(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return tuple(p for p in raw.replace("/", ".").split(".") if p)
    return tuple(str(p) for p in raw or ())


def _info(path: tuple[str, ...], entry: Any) -> KeywordInfo:
    return KeywordInfo(
        path=path,
        summary=str(_field(entry, "summary", "doc", "description", "note") or ""),
        args=str(_field(entry, "args", "argument", "syntax") or ""),
        type=str(_field(entry, "type") or ""),
        enum=tuple(str(v) for v in (_field(entry, "enum", "values", "choices") or ())),
        minimum=_field(entry, "min", "minimum"),
        maximum=_field(entry, "max", "maximum"),
        since=str(_field(entry, "since", "added") or ""),
    )


@lru_cache(maxsize=1)
def _entries() -> dict[tuple[str, ...], KeywordInfo]:
    """Every keyword path the schema knows (empty without a schema module)."""
    try:
        schema = importlib.import_module("kalint.schema")
    except Exception:  # absent or broken: degrade to keyword-free hover
        return {}
    table: Any = None
    for name in ("KEYWORDS", "SCHEMA", "keywords"):
        table = getattr(schema, name, None)
        if callable(table):
            table = table()
        if table:
            break
    found: dict[tuple[str, ...], KeywordInfo] = {}
    try:
        items: Iterable[tuple[Any, Any]] = (
            table.items() if isinstance(table, dict) else ((_field(e, "path"), e) for e in table or ())
        )
        for raw, entry in items:
            path = _path(raw if raw is not None else _field(entry, "path"))
            if path:
                found[path] = _info(path, entry)
    except Exception:
        return {}
    return found


def available() -> bool:
    return bool(_entries())


def lookup(path: Sequence[str]) -> KeywordInfo | None:
    return _entries().get(tuple(path))


def children(block_path: Sequence[str]) -> list[KeywordInfo]:
    """Keywords the schema allows directly inside the block at ``block_path`` (() = top level)."""
    depth = len(block_path) + 1
    prefix = tuple(block_path)
    return [info for path, info in _entries().items() if len(path) == depth and path[:-1] == prefix]


def enum_values(block_path: Sequence[str], keyword: str) -> tuple[str, ...]:
    info = lookup((*block_path, keyword))
    if info is not None and info.enum:
        return info.enum
    return FALLBACK_ENUMS.get(keyword, ())
