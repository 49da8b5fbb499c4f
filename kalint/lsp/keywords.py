"""Keyword knowledge for hover and completion, read from ``kalint.model.schema``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kalint.model import schema


@dataclass(frozen=True, slots=True)
class KeywordInfo:
    path: tuple[str, ...]
    summary: str = ""
    args: str = ""
    type: str = ""
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    since: str = ""
    deprecated: str | None = None

    def markdown(self) -> str:
        lines = [f"**{self.path[-1]}** `{'.'.join(self.path)}`"]
        if self.summary:
            lines += ["", self.summary]
        if self.args:
            lines += ["", f"Argument: `{self.args}`" + (f" ({self.type})" if self.type else "")]
        if self.minimum is not None or self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            lines.append(f"Range: {low}..{high}")
        if self.since:
            lines.append(f"Since keepalived {self.since}")
        if self.deprecated:
            lines.append(f"Deprecated: use `{self.deprecated}`")
        return "\n".join(lines)


def _info(spec: schema.KeywordSpec) -> KeywordInfo:
    return KeywordInfo(
        path=tuple(spec.path.split(".")),
        summary=spec.doc,
        args=spec.synopsis,
        type=spec.type,
        enum=spec.enum,
        minimum=spec.min,
        maximum=spec.max,
        since=spec.since,
        deprecated=spec.deprecated,
    )


def lookup(path: Sequence[str]) -> KeywordInfo | None:
    spec = schema.keyword(tuple(path))
    return _info(spec) if spec is not None else None


def children(block_path: Sequence[str]) -> list[KeywordInfo]:
    """Keywords the schema allows directly inside the block at ``block_path`` (() = top level)."""
    return [_info(spec) for spec in schema.block_keywords(tuple(block_path)).values()]


def enum_values(block_path: Sequence[str], keyword: str) -> tuple[str, ...]:
    spec = schema.keyword((*block_path, keyword))
    return spec.enum if spec is not None else ()
