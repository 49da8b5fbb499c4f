"""What keepalived's parsers accept: every keyword path, its arguments and history.

The data lives in ``kalint.model.keywords_data`` (generated from a fact sheet read off
keepalived's registration code and handlers); this module is the lookup API used by
the KA1xx rules and, later, by editor hover and completion:

- ``keyword(path)``: the spec of one keyword path (``"vrrp_instance.priority"`` or a
  sequence of keywords), or None;
- ``block_keywords(path)``: the keywords valid directly inside a block (``""``: root);
- ``locations(name)``: every path a keyword name is valid at (for "valid in Y");
- ``newer_than(spec, version)``: whether a keyword is missing from that release.

Paths are the keywords of the enclosing blocks joined with dots, exactly as
``Statement.path()`` gives them, so a lookup is one dict access.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from kalint.model import keywords_data

VERSIONS: tuple[str, ...] = keywords_data.VERSIONS
NEWEST: str = VERSIONS[-1]
OLDEST: str = VERSIONS[0]

#: Words of check_true_false(): exact, lower case.
BOOLEAN_WORDS = frozenset({"true", "on", "yes", "false", "off", "no"})


@dataclass(frozen=True, slots=True)
class KeywordSpec:
    """One keyword at one path.

    ``kind`` is ``statement``, ``block`` (its lines are keywords) or ``list`` (a list
    block: its lines are entries handed to the handler). ``type`` is the value kind
    kalint checks: none, bool, int, decimal, ip, enum, word, script or any (composite
    syntax). ``duplicate`` says which value keepalived keeps when a single-valued
    keyword is given twice: ``last``, ``first``, ``master`` (vrrp_instance state) or
    ``unset1``/``unset0`` (the first weight unless it was that default or invalid).
    """

    path: str
    kind: str
    synopsis: str
    type: str
    min: float | None
    max: float | None
    enum: tuple[str, ...]
    nargs_min: int
    nargs_max: int | None
    repeatable: bool
    enum_case_sensitive: bool
    since: str
    alias_of: str | None
    deprecated: str | None
    duplicate: str
    doc: str

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def opens_block(self) -> bool:
        return self.kind != "statement"


_KINDS = {"S": "statement", "B": "block", "L": "list"}


def _spec(row: tuple) -> KeywordSpec:
    (path, kind, synopsis, vtype, lo, hi, enum, nmin, nmax, flags, since, alias, deprecated, dup, doc) = row
    return KeywordSpec(
        path=path, kind=_KINDS[kind], synopsis=synopsis, type=vtype, min=lo, max=hi, enum=enum,
        nargs_min=nmin, nargs_max=nmax, repeatable="r" in flags, enum_case_sensitive="i" not in flags,
        since=since, alias_of=alias, deprecated=deprecated, duplicate=dup, doc=doc,
    )


SPECS: Mapping[str, KeywordSpec] = {row[0]: _spec(row) for row in keywords_data.KEYWORDS}

_CHILDREN: dict[str, dict[str, KeywordSpec]] = {"": {}}
_LOCATIONS: dict[str, list[KeywordSpec]] = {}
for _s in SPECS.values():
    _CHILDREN.setdefault(_s.parent, {})[_s.name] = _s
    _LOCATIONS.setdefault(_s.name, []).append(_s)
    if _s.kind == "block":
        _CHILDREN.setdefault(_s.path, {})
del _s


def _key(path: str | Sequence[str]) -> str:
    return path if isinstance(path, str) else ".".join(path)


def keyword(path: str | Sequence[str]) -> KeywordSpec | None:
    """The keyword at ``path``, e.g. ``"vrrp_instance.priority"`` or ``stmt.path()``."""
    return SPECS.get(_key(path))


def block_keywords(path: str | Sequence[str] = "") -> Mapping[str, KeywordSpec]:
    """Keywords valid directly inside the block at ``path`` (``""`` is the top level)."""
    return _CHILDREN.get(_key(path), {})


def is_block(path: str | Sequence[str]) -> bool:
    """Whether ``path`` is a block whose lines are keywords (not a list block)."""
    return _key(path) in _CHILDREN


def locations(name: str) -> list[KeywordSpec]:
    """Every path where the keyword ``name`` is valid, in fact-sheet order."""
    return _LOCATIONS.get(name, [])


def all_names() -> Iterable[str]:
    return _LOCATIONS.keys()


@lru_cache(maxsize=64)
def version_key(version: str) -> tuple[int, ...]:
    """``"2.2.7"`` -> (2, 2, 7); raises ValueError for anything else."""
    parts = version.strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"{version!r} is not a keepalived version like 2.2.7")
    return tuple(int(p) for p in parts) + (0,) * (3 - len(parts))


def newer_than(spec: KeywordSpec, version: str | None) -> bool:
    """Whether ``spec`` appeared after ``version`` (None: the newest release known)."""
    if version is None or spec.since == OLDEST:  # OLDEST means "in OLDEST or earlier"
        return False
    return version_key(spec.since) > version_key(version)
