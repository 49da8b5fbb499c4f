"""The lint thread, and stopping a lint the editor no longer needs while it runs.

A lint of a large config takes seconds of pure Python (expansion, the LALR loop,
rules); an edit that arrives meanwhile makes its result useless. Waiting for it before
the next lint starts is what made diagnostics arrive 12-24 s after the last key on a
130k-line file. The engine has no cancellation points of its own, so a stale lint is
stopped where it runs: the worker raises ``Stale`` in the lint thread
(``PyThreadState_SetAsyncExc``; it fires at the thread's next call or jump back).

``Stale`` derives from BaseException so that no ``except Exception`` on the way (a rule
that fails is reported, not fatal) catches it. At most one is ever raised per job, only
while that job is registered as running, and one raised but not yet fired when the job
ends fires and dies as the job is unregistered, so it can never hit the executor's own
loop or the next job. (It is not cleared with ``PyThreadState_SetAsyncExc(id, NULL)``:
in CPython 3.11 that leaves the interpreter's eval breaker set for good, so every
thread stops at each check from then on, and a profiled or traced call, a debugger's or
coverage's, loops forever at its first line.) What a lint leaves behind when stopped is
garbage (its caches are written only when it completes), except the collector switch
``kalint.engine`` flips around a lint: restored here.
"""

from __future__ import annotations

import ctypes
import gc
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Stale(BaseException):
    """Raised inside a job that was interrupted."""


class Worker:
    """One thread that runs jobs in order; a running job can be interrupted."""

    def __init__(self, name: str = "kalint-lint") -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._lock = threading.Lock()
        #: The job running now: (its token, the thread, interrupted already?)
        self._running: tuple[object, int, bool] | None = None

    def submit(self, job: Callable[[], T], token: object | None = None) -> Future[T]:
        """Run ``job``; with a ``token``, ``interrupt(token)`` can stop it while it runs
        (its future then fails with ``Stale``)."""
        if token is None:
            return self.executor.submit(job)
        return self.executor.submit(self._guarded, job, token)

    def interrupt(self, token: object) -> bool:
        """Stop the job submitted with ``token`` if it is running now; whether it was."""
        with self._lock:
            if self._running is None or self._running[0] is not token or self._running[2]:
                return False
            ident = self._running[1]
            self._running = (token, ident, True)
            _raise_in(ident, Stale)
            return True

    def shutdown(self) -> None:
        """Stop the running job (whatever it is) and drop the queued ones."""
        with self._lock:
            running = self._running[0] if self._running else None
        if running is not None:
            self.interrupt(running)
        self.executor.shutdown(wait=False, cancel_futures=True)

    def _guarded(self, job: Callable[[], T], token: object) -> T:
        collecting = gc.isenabled()
        try:
            try:
                with self._lock:
                    self._running = (token, threading.get_ident(), False)
                return job()
            finally:
                self._unregister()
        finally:
            if collecting:
                gc.enable()

    def _unregister(self) -> None:
        """No interrupt reaches the job any more; a ``Stale`` raised for it that has not
        fired yet (the job ended first) fires and dies here."""
        while True:
            try:
                with self._lock:
                    interrupted = self._running is not None and self._running[2]
                    self._running = None
                if interrupted:
                    _check_pending()
                return
            except Stale:  # it fired, here or a little earlier: nothing is pending now
                continue


def _check_pending() -> None:
    """Run bytecodes that check for a pending asynchronous exception (a call and a
    backward jump both do)."""
    for _ in range(2):
        pass


def _raise_in(ident: int, exc: type[BaseException]) -> None:
    """Raise ``exc`` in thread ``ident`` at its next check of pending work (a call, a jump back)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc))
