"""A work budget for expansion: hostile input costs a bounded, linear amount of work.

Depth and cycle limits do not bound expansion: ``include {a,b}{a,b}...`` doubles per
group, files that include each other by glob read every order of them, ``~SEQ`` repeats
an include, a ``$NAME`` that uses itself grows with every substitution, and every
``@id`` a config names is one more expansion of the whole config. So expansion counts
the work it does in units: one per line or segment it produces, per ``$NAME``
substituted, per include alternative or directory entry it looks at, and
:data:`FILE_COST` per file it opens. A config may spend :data:`FLOOR` units plus
:data:`PER_LINE` units per line of the distinct files it reads. A real config reads each
of its lines a few times at most (a 130k-line config spends about 4 units per line), so
it never comes near; a runaway stops at the first line past the budget with one finding
(KA018), and its cost stays linear in the input's own size.
"""

from __future__ import annotations

from kalint.records import dataclass, field

#: Units any config may spend, however small it is.
FLOOR = 50_000
#: Units each line of a distinct file read adds to the budget.
PER_LINE = 64
#: Units an opened file costs (stat, realpath, read, decode) on top of its lines.
FILE_COST = 16


#: All ``@id`` variants of a config together: each is linted in full (rules included, ten
#: times the cost of expanding a line), so the lines of all variants are bounded tighter:
#: 16 full-size ids of any config, more for a small one.
VARIANT_FLOOR = 10_000
VARIANT_PER_LINE = 16


class Exhausted(Exception):
    """The budget is spent: expansion stops here."""


def allowance(lines: int) -> int:
    """The budget of a config whose distinct files hold ``lines`` lines."""
    return FLOOR + PER_LINE * lines


def variants_allowance(lines: int) -> int:
    """The units all config ids of a config may spend together."""
    return VARIANT_FLOOR + VARIANT_PER_LINE * lines


@dataclass(slots=True)
class Budget:
    """Units spent and allowed; :meth:`charge` raises :class:`Exhausted` past the limit."""

    limit: int = field(default_factory=lambda: FLOOR)  # read when used: tests lower it
    used: int = 0

    def grow(self, lines: int) -> None:
        """A distinct file of ``lines`` lines was read: it may cost its share."""
        self.limit += PER_LINE * lines

    def charge(self, units: int = 1) -> None:
        self.used += units
        if self.used > self.limit:
            raise Exhausted
