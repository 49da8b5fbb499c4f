"""What keepalived's number readers make of a word that is not a valid number.

keepalived's readers (lib/parser.c: read_int_func, read_unsigned_func,
read_decimal_unsigned_long_func) take an ``ignore_error`` argument. Where a handler
passes true (``KeywordSpec.lenient``) and keepalived runs for real (not ``-t``), an
invalid number is reported as ``WARNING - invalid number '2x'`` and then *used* if the
part strtol()/strtoull() could read is in range: ``rise 3O`` is 3, ``weight high`` is 0,
and a decimal reader, which appends its zeros after the text before converting,
reads ``preempt_delay 5s`` as 5 microseconds. ``keepalived -t`` rejects the same words, so
the check and the running daemon disagree. Verified with keepalived 2.2.7 ``-d``.
"""

from __future__ import annotations

import re

from kalint.model.schema import KeywordSpec

_LEADING = re.compile(r"\s*([+-]?)(\d*)")  # what strtol/strtoull read before they stop


def lenient_value(spec: KeywordSpec, text: str) -> float | None:
    """The value a running keepalived uses for ``text``, which ``-t`` rejects as not a
    number, or None when it is rejected at run time too (or the reader is strict)."""
    if not spec.lenient or spec.type not in ("int", "decimal"):
        return None
    return read_leniently(text, spec.min, spec.max, spec.places if spec.type == "decimal" else None)


def read_leniently(text: str, low: float | None, high: float | None, places: int | None = None) -> float | None:
    """What a lenient reader makes of ``text`` outside ``-t``: read_int/read_unsigned
    (``places`` None; a negative ``text`` is rejected when ``low`` >= 0) or
    read_decimal_unsigned with ``places`` decimals; None when out of ``low``..``high``."""
    if places is None:
        sign, digits = _LEADING.match(text).groups()  # type: ignore[union-attr]  # always matches
        if sign == "-" and low is not None and low >= 0:
            return None  # read_unsigned: "negative number"
        value: float = int(digits or 0) * (-1 if sign == "-" else 1)
    else:
        scaled = _decimal_digits(text, places)
        if scaled is None:
            return None
        value = scaled / 10**places
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value


def _decimal_digits(text: str, places: int) -> int | None:
    """read_decimal_unsigned_long_func(): the integer it converts, in units of 10**-places."""
    if text.startswith("-"):
        return None
    before, dot, after = text.partition(".")
    round_up = False
    if dot and len(after) > places:
        round_up = after[places] >= "5"
        after = after[:places]
    sign, digits = _LEADING.match(before + after + "0" * (places - len(after))).groups()  # type: ignore[union-attr]
    if sign == "-":
        return None
    return int(digits or 0) + round_up


def seconds_as_run(spec: KeywordSpec, text: str) -> float | None:
    """The number a running keepalived takes from ``text`` for ``spec`` (already
    ``for_version``'d): the number itself when the release's reader accepts its form
    (whole seconds only for an ``int`` reader), else what the lenient reader makes of it."""
    if spec.type == "int" and re.fullmatch(r"\s*[+-]?\d+", text):
        return float(int(text))
    if spec.type == "decimal" and re.fullmatch(r"\s*\+?(?:\d+\.?\d*|\.\d+)", text):
        return float(text)
    return lenient_value(spec, text)
