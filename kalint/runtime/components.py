"""Connected components of numbered things joined in pairs (union-find): routers tied by
sync groups, instances linked into virtual routers, configs that share a grouping key."""

from __future__ import annotations

from collections.abc import Iterable


def components(count: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The components of ``0 .. count-1`` joined by ``pairs``: each in ascending order,
    ordered by their first member."""
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    found: dict[int, list[int]] = {}
    for x in range(count):
        found.setdefault(find(x), []).append(x)
    return list(found.values())
