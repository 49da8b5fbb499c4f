"""``@dataclass`` that is cheap to declare: the same classes, fewer compiled methods.

``dataclasses.dataclass`` writes each method it adds as source text and compiles it when
the class is declared (Python 3.11: ``__init__``, ``__repr__``, ``__eq__``, and for frozen
classes ``__setattr__``, ``__delattr__`` and ``__hash__``, one ``exec`` each). A plain
``kalint FILE`` declares about 70 dataclasses, and declaring them took about 30 ms of a
130 ms cold start (``bench/bench.py``), more than all the rest of kalint's own imports.

``dataclass`` here takes the options kalint uses (``frozen``, ``eq``, ``order``,
``slots``) and gives the classes the same behaviour: dataclasses still does the field
bookkeeping (so ``dataclasses.fields``, ``replace``, ``asdict`` and pickling work as
before), but is asked for no method; then

- ``__init__``, ``__eq__``, ``__hash__`` and the order methods are compiled to the same
  code as dataclasses' own, each after its first ``COMPILE_AFTER`` calls; until then a
  generic version (a loop over the fields, same results) serves them. About half of the
  classes a run declares never make an object, few are ever compared or hashed, and
  compiling a method costs about 120 us: a lint of a small config compiled 32 of
  them, 4 ms of its 90 ms start. (A class without a docstring gets its ``__init__`` at
  once: dataclasses describes such a class by its signature.)
- ``__repr__`` and a frozen class's ``__setattr__``/``__delattr__`` are closures over
  the class's field names, built without compiling anything.

Differences that nothing in kalint relies on: ``__dataclass_params__`` describes what
dataclasses itself added (nothing); until their first call the compiled methods are
stubs (``__init__`` takes ``*args, **kwargs``), and the generic ``__init__``'s error
messages for wrong arguments name them as Python's would for the compiled one; and ``__eq__`` compares tuples of fields
as dataclasses did up to Python 3.12 (3.13 compares field by field, which differs only
for a field not equal to itself, such as a NaN). ``InitVar``, ``KW_ONLY`` and
``unsafe_hash`` are refused. Type checkers see ``dataclasses.dataclass`` itself, whose
behaviour this reproduces.
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
import sys
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, field
from functools import partial
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass", "field"]

_ORDER = {"__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="}
_OPERATORS = {"==": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

#: Calls a generated method serves through its generic version before it is compiled:
#: compiling costs about as much as 50 generic calls lose against the compiled code.
COMPILE_AFTER = 50


class _Factory:
    """The default of an ``__init__`` parameter whose field has a ``default_factory``."""

    def __repr__(self) -> str:
        return "<factory>"  # as dataclasses shows it in signatures


_FACTORY = _Factory()


def _dataclass(
    cls: type | None = None, /, *, frozen: bool = False, eq: bool = True, order: bool = False, slots: bool = False,
) -> Any:
    """``dataclasses.dataclass(cls, frozen=..., eq=..., order=..., slots=...)``."""

    def wrap(cls: type) -> type:
        return _process(cls, frozen, eq, order, slots)

    return wrap if cls is None else wrap(cls)


def _process(cls: type, frozen: bool, eq: bool, order: bool, slots: bool) -> type:
    if order and not eq:
        raise ValueError("eq must be true if order is true")
    own = cls.__dict__
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    documented = bool(cls.__doc__)
    if not documented:
        cls.__doc__ = "-"  # dataclasses would describe the class by an __init__ not there yet
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    fields = _fields(cls)
    methods: dict[str, Callable[..., Any] | None] = dict(_methods(cls, fields, frozen, eq, order, slots, documented))
    if eq and not explicit_hash:  # dataclasses' rule: only a frozen class is hashed by value
        hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        methods["__hash__"] = _tiered(cls, "__hash__", _generic_hash(hashed), partial(_hash, cls, hashed)) \
            if frozen else None
    for name, method in methods.items():
        if method is not None:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    if not documented:
        import inspect

        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _fields(cls: Any) -> tuple[Field[Any], ...]:
    """The class's fields; those this module does not support are refused."""
    fields = dataclasses.fields(cls)
    regular = set(map(id, fields))
    for f in cls.__dataclass_fields__.values():
        if f.kw_only is True:  # kw_only is MISSING on Python 3.10 when not given
            raise TypeError(f"{cls.__qualname__}.{f.name}: kw_only fields are not supported")
        if id(f) not in regular and "InitVar" in str(f.type):
            raise TypeError(f"{cls.__qualname__}.{f.name}: InitVar fields are not supported")
    return fields


def _methods(
    cls: type, fields: tuple[Field[Any], ...], frozen: bool, eq: bool, order: bool, slots: bool, documented: bool,
) -> dict[str, Callable[..., Any]]:
    """The methods dataclasses would add, except those the class defines itself."""
    own = cls.__dict__
    methods: dict[str, Callable[..., Any]] = {}
    if "__init__" not in own:
        init = partial(_init, cls, fields, frozen, slots)
        methods["__init__"] = _tiered(cls, "__init__", _generic_init(cls, fields, frozen, slots), init) \
            if documented else init()
    if "__repr__" not in own:
        methods["__repr__"] = _repr(tuple(f.name for f in fields if f.repr))
    compared = tuple(f.name for f in fields if f.compare)
    if eq and "__eq__" not in own:
        methods["__eq__"] = _tiered(cls, "__eq__", _generic_comparison(cls, "==", compared),
                                    partial(_comparison, cls, "__eq__", "==", compared))
    for name, op in _ORDER.items() if order else ():
        if name in own:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                            "Consider using functools.total_ordering")
        methods[name] = _tiered(cls, name, _generic_comparison(cls, op, compared),
                                partial(_comparison, cls, name, op, compared))
    if frozen:
        for name in ("__setattr__", "__delattr__"):
            if name in own:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
        methods["__setattr__"], methods["__delattr__"] = _frozen(cls, frozenset(f.name for f in fields))
        state = tuple(f.name for f in fields)
        if slots and "__getstate__" not in own:  # what dataclasses gives a frozen slotted class
            methods["__getstate__"] = _getstate(state)  # for pickle
        if slots and "__setstate__" not in own:
            methods["__setstate__"] = _setstate(state)
    return methods


def _tiered(
    cls: Any, name: str, generic: Callable[..., Any], build: Callable[[], Callable[..., Any]],
) -> Callable[..., Any]:
    """A stand-in for the method ``name``: ``generic`` serves its first ``COMPILE_AFTER``
    calls, then ``build`` compiles the real one and puts it on the class (a subclass
    that is no dataclass of its own shares it)."""
    calls = 0

    def stub(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls <= COMPILE_AFTER:
            return generic(self, *args, **kwargs)
        method = build()
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
        return method(self, *args, **kwargs)

    return stub


def _generic_init(cls: type, fields: tuple[Field[Any], ...], frozen: bool, slots: bool) -> Callable[..., None]:
    """What ``_init`` compiles, as a loop: the arguments bound to the ``init`` fields
    (Python's errors when they do not fit), then every field set in order."""
    names = tuple(f.name for f in fields if f.init)
    known = frozenset(names)
    required = tuple(f.name for f in fields if f.init and f.default is MISSING and f.default_factory is MISSING)
    steps: list[tuple[str, bool, Any, Any]] = []  # (name, init, default, factory)
    for f in fields:
        if f.default_factory is not MISSING:
            steps.append((f.name, f.init, MISSING, f.default_factory))
        elif f.init:
            steps.append((f.name, True, f.default, None))
        elif slots and f.default is not MISSING:
            steps.append((f.name, False, f.default, None))
    assign = object.__setattr__ if frozen else setattr
    post_init = hasattr(cls, "__post_init__")
    where = f"{cls.__qualname__}.__init__()"
    most = len(names) + 1  # self included, as Python counts
    least = len(required) + 1  # dataclasses puts the fields without a default first
    takes = f"{most} positional argument{'s' if most > 1 else ''}" if least == most \
        else f"from {least} to {most} positional arguments"

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{where} takes {takes} but {len(args) + 1} were given")
        given = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in known:
                raise TypeError(f"{where} got an unexpected keyword argument {key!r}")
            if key in given:
                raise TypeError(f"{where} got multiple values for argument {key!r}")
            given[key] = value
        missing = [name for name in required if name not in given]
        if missing:
            quoted = [repr(name) for name in missing]
            listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
            plural = "s" if len(missing) > 1 else ""
            raise TypeError(f"{where} missing {len(missing)} required positional argument{plural}: {listed}")
        for name, init, default, factory in steps:
            if init and name in given:
                assign(self, name, given[name])
            else:
                assign(self, name, default if factory is None else factory())
        if post_init:
            self.__post_init__()

    return __init__


def _generic_comparison(cls: type, op: str, names: tuple[str, ...]) -> Callable[[Any, Any], Any]:
    """What ``_comparison`` compiles: the tuples of the compared fields, same class only."""
    compare, fields = _OPERATORS[op], operator.attrgetter(*names) if names else None

    def comparison(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        if fields is None:
            return compare((), ())
        if len(names) == 1:
            return compare((fields(self),), (fields(other),))
        return compare(fields(self), fields(other))

    return comparison


def _generic_hash(names: tuple[str, ...]) -> Callable[[Any], int]:
    """What ``_hash`` compiles: the hash of the tuple of the hashed fields."""
    fields = operator.attrgetter(*names) if names else None

    def __hash__(self: Any) -> int:
        if fields is None:
            return hash(())
        return hash((fields(self),) if len(names) == 1 else fields(self))

    return __hash__


def _init(cls: type, fields: tuple[Field[Any], ...], frozen: bool, slots: bool) -> Callable[..., None]:
    """dataclasses' ``__init__`` (defaults and factories reach it as closure variables;
    a frozen class sets its fields with ``object.__setattr__``)."""
    bound: dict[str, Any] = {"__factory": _FACTORY, "__set": object.__setattr__}
    params = ["self"]
    body = []
    for f in fields:
        value: str | None = f.name
        default = f"__dflt_{f.name}"
        if f.default_factory is not MISSING:
            bound[default] = f.default_factory
            value = f"{default}() if {f.name} is __factory else {f.name}" if f.init else f"{default}()"
            if f.init:
                params.append(f"{f.name}=__factory")
        elif f.init:
            if f.default is not MISSING:
                bound[default] = f.default
            params.append(f.name if f.default is MISSING else f"{f.name}={default}")
        elif slots and f.default is not MISSING:  # a slot has no class attribute to fall back on
            bound[default] = f.default
            value = default
        else:
            value = None
        if value is not None:
            body.append(f"__set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    init = _compile(cls, "__init__", params, body or ["pass"], bound)
    init.__annotations__ = {**{f.name: f.type for f in fields if f.init}, "return": None}
    return init


def _comparison(cls: type, name: str, op: str, names: tuple[str, ...]) -> Callable[[Any, Any], Any]:
    """dataclasses' ``__eq__`` or order method: the same class, and the tuples of the
    compared fields compared."""
    return _compile(cls, name, ["self", "other"], [
        "if other.__class__ is self.__class__:",
        f"    return {_tuple('self', names)} {op} {_tuple('other', names)}",
        "return NotImplemented",
    ])


def _hash(cls: type, names: tuple[str, ...]) -> Callable[[Any], int]:
    """dataclasses' ``__hash__`` of a frozen class: the hash of the tuple of its fields."""
    return _compile(cls, "__hash__", ["self"], [f"return hash({_tuple('self', names)})"])


def _tuple(name: str, fields: tuple[str, ...]) -> str:
    return f"({''.join(f'{name}.{f},' for f in fields)})"


def _compile(
    cls: type, name: str, params: list[str], body: list[str], bound: dict[str, Any] | None = None,
) -> Callable[..., Any]:
    """A function compiled from text built from the class's field names, in the class's
    module (as dataclasses does), with ``bound`` as closure variables."""
    bound = bound or {}
    lines = "\n        ".join(body)
    source = (f"def __make__({', '.join(bound)}):\n"
              f"    def {name}({', '.join(params)}):\n        {lines}\n"
              f"    return {name}")
    module = sys.modules.get(cls.__module__)
    namespace: dict[str, Any] = {}
    exec(source, module.__dict__ if module else {}, namespace)
    function: Callable[..., Any] = namespace["__make__"](**bound)
    return function


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    return __repr__


def _frozen(cls: Any, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _getstate(names: tuple[str, ...]) -> Callable[[Any], list[Any]]:
    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, n) for n in names]

    return __getstate__


def _setstate(names: tuple[str, ...]) -> Callable[[Any, list[Any]], None]:
    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state):
            object.__setattr__(self, name, value)

    return __setstate__


if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    dataclass = _dataclass
