"""Lint many root configs on every core: a process pool whose results keep input order.

A repository of hundreds of small configs is dominated by per-file work that needs
nothing from the other files, so the roots are spread over worker processes and the
results (diagnostics and models, which cluster rules need) come back in the order the
roots were given, identical to a serial run. Workers are forked, so they inherit the
parser, the rules and the options already loaded; where fork is not available the run
stays serial.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: With ``--jobs`` left at auto, fewer roots than this are linted in-process: forking
#: workers and sending models back costs more than it saves on a handful of files.
AUTO_MIN_ROOTS = 16
#: ... and so does a machine with fewer cores than this: sending a small config's model
#: back (pickled by the worker, unpickled by the parent) costs about as much CPU as
#: linting it, so two cores only break even (docs/performance.md).
AUTO_MIN_CORES = 4

_task: Callable[[Any], Any] | None = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(requested: int, roots: int) -> int:
    """Processes for ``roots`` roots: ``requested`` 0 means auto, 1 means in-process."""
    if requested == 1 or roots < 2:
        return 1
    if requested == 0:
        available = cores()
        return min(available, roots) if roots >= AUTO_MIN_ROOTS and available >= AUTO_MIN_CORES else 1
    return min(requested, roots)


def pool_running() -> bool:
    """Whether a pool is linting (this process is one of its workers, or their parent):
    the cores are taken, and nothing else should fork more processes."""
    return _task is not None


def map_ordered(func: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """``map(func, items)``, on ``jobs`` forked processes when that is more than one."""
    items = list(items)
    if jobs <= 1:  # before importing multiprocessing, which costs ~10 ms of cold start
        yield from map(func, items)
        return
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from map(func, items)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _task
    _task = func  # inherited by the forked workers: nothing about the linter is pickled
    chunk = max(1, len(items) // (jobs * 8))
    done = 0
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for result in pool.map(_run, items, chunksize=chunk):
                yield result
                done += 1
    except BrokenProcessPool:
        # A worker died (killed, out of memory): every item not yet returned, the dead
        # worker's among them, is done again here, so the report stays complete.
        _task = None
        yield from map(func, items[done:])
    finally:
        _task = None


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)
