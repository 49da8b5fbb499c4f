"""kalint.records.dataclass behaves as dataclasses.dataclass for the options kalint uses.

Each case declares the same class body twice, once with each decorator, and compares
what code can observe: construction, defaults and factories, repr (recursive too),
equality, hash values, ordering, frozen errors, pickling, replace/fields/asdict,
__match_args__, the generated docstring and signature. kalint's methods are generic for
their first calls and compiled after: the cases run in both modes.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import sys
import types
from typing import Any

import pytest

from kalint import records

OPTIONS = [
    "",
    "slots=True",
    "frozen=True",
    "frozen=True, slots=True",
    "slots=True, eq=False",
    "frozen=True, order=True",
    "frozen=True, slots=True, order=True",
]
#: Declared once with each decorator (``dataclass`` is dataclasses' or kalint.records'),
#: in a module of its own so that pickle finds the classes.
CLASSES = """
from __future__ import annotations

import dataclasses
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass({options})
class Point:
    \"\"\"A point.\"\"\"

    x: int
    y: str = "y"
    tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)
    note: str = dataclasses.field(default="n", compare=False, repr=False)
    cached: dict[str, int] = dataclasses.field(default_factory=dict, init=False, compare=False)
    level: int = dataclasses.field(default=3, init=False)


@dataclass({options})
class Bare:
    a: int
    b: tuple[int, ...] = ()


@dataclass({options})
class One:
    \"\"\"One field: hashed and compared as a 1-tuple.\"\"\"

    value: float


@dataclass({options})
class Nothing:
    \"\"\"No field at all.\"\"\"


@dataclass({options})
class Node:
    \"\"\"A node that may hold itself.\"\"\"

    children: list[Any] = dataclasses.field(default_factory=list)


@dataclass({options})
class Base(Generic[T]):
    \"\"\"A generic base with a field __post_init__ sets.\"\"\"

    value: T
    seen: list[T] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.seen = [self.value]


@dataclass({options})
class Child(Base[int]):
    \"\"\"A subclass.\"\"\"

    extra: int = 0
"""
ARGS = {"Point": ((1,), {"tags": ("a",)}), "Bare": ((5,), {}), "One": ((1.5,), {}), "Nothing": ((), {}),
        "Node": ((), {}), "Base": ((1,), {}), "Child": ((1, 2), {})}


def declare(implementation: Any, options: str) -> types.ModuleType:
    name = f"_records_{implementation.__name__.replace('.', '_')}_{len(sys.modules)}"
    module = types.ModuleType(name)
    module.dataclass = implementation.dataclass  # type: ignore[attr-defined]
    sys.modules[name] = module
    exec(CLASSES.format(options=options), module.__dict__)
    return module


def both(options: str) -> tuple[types.ModuleType, types.ModuleType]:
    """The classes as dataclasses and as kalint.records declare them."""
    return declare(dataclasses, options), declare(records, options)


@pytest.fixture(params=["generic", "compiled"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Generated methods served by their generic versions, or compiled at the first call."""
    monkeypatch.setattr(records, "COMPILE_AFTER", 10**9 if request.param == "generic" else 0)
    return str(request.param)


def observe(obj: Any, signature: bool = True) -> dict[str, Any]:
    """What a caller sees of an object, as comparable values (the signature of an
    ``__init__`` still generic is ``*args, **kwargs``: compared when compiled)."""
    cls = type(obj)
    seen: dict[str, Any] = {
        "repr": repr(obj),
        "fields": [(f.name, f.type, f.init, f.repr, f.compare) for f in dataclasses.fields(obj)],
        "asdict": dataclasses.asdict(obj),
        "match_args": cls.__match_args__,
        "doc": cls.__doc__,
        "signature": str(inspect.signature(cls)) if signature else None,
        "hashable": cls.__hash__ is not None,
        "slots": getattr(cls, "__slots__", None),
        "pickled": repr(pickle.loads(pickle.dumps(obj))),
        "replaced": repr(dataclasses.replace(obj)),
    }
    if cls.__hash__ not in (None, object.__hash__):  # eq=False: hashed by identity
        seen["hash"] = hash(obj)
    return seen


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("name", sorted(ARGS))
def test_same_behaviour_as_dataclasses(name: str, options: str, mode: str) -> None:
    if "frozen" in options and name in ("Node", "Base", "Child"):
        pytest.skip("a list field (not hashable) or a __post_init__ that sets a field")
    std, ours = (getattr(module, name) for module in both(options))
    args, kwargs = ARGS[name]
    a, b = std(*args, **kwargs), ours(*args, **kwargs)
    compiled = mode == "compiled"
    assert observe(a, compiled) == observe(b, compiled)
    again_a, again_b = std(*args, **kwargs), ours(*args, **kwargs)
    assert (a == again_a) == (b == again_b)
    if sys.version_info < (3, 13) and name == "One":  # 3.13 compares field by field, not tuples
        nan = float("nan")  # the identity shortcut of tuple comparison
        assert (std(nan) == std(nan)) == (ours(nan) == ours(nan))
    assert (a != again_a) == (b != again_b)
    assert (a == 1) == (b == 1)
    if "order" in options:
        for op in ("__lt__", "__le__", "__gt__", "__ge__"):
            assert getattr(a, op)(again_a) == getattr(b, op)(again_b)
            assert getattr(b, op)(1) is NotImplemented


@pytest.mark.parametrize("options", ["frozen=True", "frozen=True, slots=True"])
def test_frozen_errors(options: str, mode: str) -> None:
    for module in both(options):
        obj = module.Point(1)
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
            obj.x = 2
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'y'"):
            del obj.y
        if "slots" not in options:  # (3.11's own slotted frozen classes raise a TypeError here)
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'other'"):
                obj.other = 1  # not a field, but frozen all the same


def test_defaults_and_factories_are_per_object(mode: str) -> None:
    for module in both("slots=True"):
        first, second = module.Point(1), module.Point(2, "z", ("t",), "m")
        first.cached["a"] = 1
        assert (first.tags, second.tags, first.cached, second.cached, first.level) == ((), ("t",), {"a": 1}, {}, 3)
        assert first.cached is not module.Point(3).cached
        assert (second.y, second.note) == ("z", "m")


def test_ordering_and_sorting(mode: str) -> None:
    std, ours = both("frozen=True, order=True")
    values = [(3, "a"), (1, "b"), (1, "a"), (2, "c")]
    assert [repr(p) for p in sorted(std.Point(*v) for v in values)] == \
        [repr(p) for p in sorted(ours.Point(*v) for v in values)]


def test_recursive_repr() -> None:
    for module in both("slots=True"):
        n = module.Node()
        n.children.append(n)
        assert repr(n) == "Node(children=[...])"


def test_post_init_inheritance_and_generics(mode: str) -> None:
    std, ours = both("slots=True")
    assert repr(ours.Child(1, 2)) == repr(std.Child(1, 2)) == "Child(value=1, seen=[1], extra=2)"
    assert ours.Base(1) == ours.Base(1) and ours.Base(1) != ours.Child(1)
    assert std.Child.__slots__ == ours.Child.__slots__


def test_own_methods_are_kept() -> None:
    @records.dataclass(frozen=True)
    class Custom:
        """Defines its own repr, eq and hash."""

        a: int

        def __repr__(self) -> str:
            return "custom"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    assert (repr(Custom(1)), Custom(1) == Custom(2), hash(Custom(3))) == ("custom", True, 7)


def test_unsupported_options_are_refused() -> None:
    with pytest.raises(TypeError, match="InitVar"):
        @records.dataclass
        class WithInitVar:
            """Has an InitVar."""

            a: dataclasses.InitVar[int]

    with pytest.raises(TypeError, match="kw_only"):
        @records.dataclass
        class WithKwOnly:
            """Has a keyword-only field."""

            a: int = dataclasses.field(kw_only=True)


def test_first_object_of_a_plain_subclass(monkeypatch: pytest.MonkeyPatch) -> None:
    """__init__ is compiled when the first object is made, also through a subclass."""
    monkeypatch.setattr(records, "COMPILE_AFTER", 0)
    reprs = []
    for module in both("slots=True"):
        class Sub(module.Point):
            """Not a dataclass itself."""

        reprs.append((repr(Sub(1, "a")), repr(module.Point(2)), str(inspect.signature(module.Point))))
    assert reprs[0] == reprs[1]


CALLS = [((), {}), ((1, "a", (), "n", 5), {}), ((1,), {"z": 2}), ((1,), {"x": 2}), ((), {"y": "b"})]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_wrong_arguments_fail_alike(args: tuple[Any, ...], kwargs: dict[str, Any], mode: str) -> None:
    """Too many, unknown, repeated or missing arguments: the generic __init__ raises what
    Python raises for the compiled one."""
    errors = []
    for module in both("slots=True"):
        with pytest.raises(TypeError) as error:
            module.Point(*args, **kwargs)
        errors.append(str(error.value).replace("__init__() ", "").split(".", 1)[-1])
    assert errors[0] == errors[1]


def test_compiled_after_the_generic_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "COMPILE_AFTER", 3)
    module = declare(records, "frozen=True, slots=True")
    stub = module.Point.__init__
    points = [module.Point(i) for i in range(3)]
    assert module.Point.__init__ is stub
    points.append(module.Point(3))
    assert module.Point.__init__ is not stub
    assert [p.x for p in points] == [0, 1, 2, 3]
    assert len({hash(p) for p in points}) == 4 and points[0] == module.Point(0)
