"""One large config's rules on two processes: the parent takes rules from the front of
the list, a forked child from the back, until they meet.

A 130k-line config spends about half its time in the rules (docs/performance.md), and
no rule waits for another's findings, so on a machine with a second core the rules can
run on both. The child is forked after the model is built: it inherits the tree, the
model and the rules, and nothing but its findings is ever sent (pickled, rule by rule,
to a temporary file).

Why from both ends. Rules that share an analysis (the placement replay for the KA1xx
rules and KA323-KA326, the LVS services for KA5xx) are claimed side by side
(``claim_order``); claimed from opposite ends, each such run stays in one process, and
at most the run where the two meet is computed twice. In code order the placement's
readers KA323-KA326 sat where the two processes often meet on the 130k-line benchmark
config: the child then replayed the placement again (124 ms for KA326).

The runtime model, which rules from KA137 to KA337 share and peer grouping needs after
the rules anyway, is computed by the parent (``prepare``) after the fork, while the
child starts on its first rules: the child computes it again only if its claims reach
that far (then both work on it at once, as long as the parent alone would have before
the fork), and otherwise the runtime model costs no wall time of its own (about 30 ms on
the 130k-line benchmark config).
Claims are dynamic (two counters under a POSIX record lock), so the two halves balance
themselves whatever the config holds.

The result is the serial result: findings are put back in rule order. A rule the child
claimed but never reported (it was killed, a finding would not pickle) is run again in
the parent. Nothing here applies where fork is missing, in a process with other threads
(a lock one of them holds would stay held in the child), on one core, below
``MIN_CHARS`` (forking costs more than it saves) or above ``MAX_CHARS``: the child
writes to the pages of every object it reads (reference counts), so it ends up with a
private copy of about 18 bytes per byte of config (45 MB on the 130k-line benchmark
config, measured with /proc/PID/smaps_rollup); above ``MAX_CHARS`` that copy would cost
more memory than the seconds saved are worth.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO, NoReturn

from kalint import parallel

if TYPE_CHECKING:
    from kalint.diagnostic import Diagnostic
    from kalint.model import Config
    from kalint.rule import Rule

#: Configs shorter than this (about 20,000 lines) run their rules in-process.
MIN_CHARS = 400_000
#: Configs longer than this (about 8 MB, 400,000 lines) too: the child's copy would cost
#: over 150 MB.
MAX_CHARS = 8 << 20

RunRule = Callable[["Rule", "Config", "list[Diagnostic]"], None]
_COUNTERS = struct.Struct("=ii")  # the next rule from the front, one past the next from the back
_FRAME = struct.Struct("=iI")  # a rule's index and the length of its pickled findings


def worth_splitting(config: Config) -> bool:
    """Whether ``config``'s rules should run on two processes on this machine."""
    if not MIN_CHARS <= len(config.expansion.text) <= MAX_CHARS or not hasattr(os, "fork"):
        return False
    import threading  # only for a large config: a small config's start does without

    return parallel.cores() >= 2 and not parallel.pool_running() and threading.active_count() == 1


def findings(rules: Sequence[Rule], config: Config, run_rule: RunRule,
             prepare: Callable[[Config], object]) -> list[Diagnostic] | None:
    """Every rule's findings on ``config``, in rule order, as ``run_rule`` appends them;
    ``prepare(config)`` runs in the parent once the child is forked, before the parent's
    first rule. None, before any rule ran, when there is no temporary directory to write to."""
    import tempfile  # here, not at the top: with pickle, 7 ms of every start, split or not

    try:
        counters, reports = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    except OSError:
        return None
    order = claim_order(rules)
    claimed = [rules[index] for index in order]
    with counters, reports:
        by_rule = _findings_by_claim(claimed, config, run_rule, prepare, counters, reports)
    by_index = {order[at]: found for at, found in by_rule.items()}
    return [finding for index in range(len(rules)) for finding in by_index[index]]


def claim_order(rules: Sequence[Rule]) -> list[int]:
    """The rules' indexes in the order the two processes claim them: code order, except
    that the rules declaring the same first analysis (``Rule.analyses``) are claimed one
    after the other, where the first of them is."""
    groups: dict[object, list[int]] = {}
    runs: list[list[int]] = []
    for index, rule in enumerate(rules):
        key = rule.analyses[0] if rule.analyses else None
        if key is None:
            runs.append([index])
        elif key in groups:
            groups[key].append(index)
        else:
            groups[key] = [index]
            runs.append(groups[key])
    return [index for run in runs for index in run]


def _findings_by_claim(rules: Sequence[Rule], config: Config, run_rule: RunRule,
                       prepare: Callable[[Config], object], counters: BinaryIO,
                       reports: BinaryIO) -> dict[int, list[Diagnostic]]:
    """Each of ``rules``' findings by its place in ``rules``, claimed from both ends."""
    by_rule: dict[int, list[Diagnostic]] = {}
    claims = _Claims(counters.fileno(), len(rules))
    child = _fork_child(rules, config, run_rule, claims, reports)
    try:
        # A crash here is left to the rules that ask for the same analysis: each reports it
        # as its internal error, as in one process.
        with contextlib.suppress(Exception):
            prepare(config)
        while (index := claims.take(front=True)) is not None:
            by_rule[index] = _run(rules[index], config, run_rule)
        if child is not None:
            by_rule.update(child.results())
    except BaseException:  # an interrupt, a kalint bug: the child's work is moot
        if child is not None:
            child.kill()
        raise
    for index in range(len(rules)):  # what the child claimed and never reported
        if index not in by_rule:
            by_rule[index] = _run(rules[index], config, run_rule)
    return by_rule


def _run(rule: Rule, config: Config, run_rule: RunRule) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    run_rule(rule, config, found)
    return found


class _Claims:
    """Which rules are still unclaimed: two counters in a temporary file, read and moved
    under a POSIX record lock. Such a lock belongs to a process (a forked child does not
    inherit the parent's) and dies with it, so a child killed while holding it never
    stops the parent."""

    def __init__(self, fd: int, count: int) -> None:
        self.fd = fd
        os.pwrite(fd, _COUNTERS.pack(0, count), 0)

    def take(self, front: bool) -> int | None:
        """The next rule from the front (or the back), or None when none is left."""
        import fcntl

        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            low, high = _COUNTERS.unpack(os.pread(self.fd, _COUNTERS.size, 0))
            if low >= high:
                return None
            index, low, high = (low, low + 1, high) if front else (high - 1, low, high - 1)
            os.pwrite(self.fd, _COUNTERS.pack(low, high), 0)
            return index
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)


class _Child:
    """The forked process, the unlinked file it writes its findings to (a file, not a
    pipe: the child never waits for the parent to read, however much it finds), and a
    pipe it closes once it has written them."""

    def __init__(self, pid: int, reports: BinaryIO, done: int) -> None:
        self.pid = pid
        self.reports = reports
        self.done = done

    def results(self) -> dict[int, list[Diagnostic]]:
        """Every rule's findings the child reported, read once it has closed its end of
        the pipe (or died). Not once it has exited: giving back a copy of the tree took
        it 30 ms on the 130k-line benchmark config, which the parent need not wait for
        (``_reap`` collects it later)."""
        try:
            while os.read(self.done, 1):
                pass
        finally:
            os.close(self.done)
            self.done = -1
        _reap(self.pid)
        self.reports.seek(0)
        return dict(_read_frames(self.reports))

    def kill(self) -> None:
        """Stop the child and collect it (the parent is unwinding)."""
        import signal

        if self.done >= 0:
            with contextlib.suppress(OSError):
                os.close(self.done)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


#: Children that had reported but not yet exited when last looked at.
_exiting: list[int] = []


def _reap(pid: int) -> None:
    """Collect ``pid`` if it has exited, and every child left exiting before; one still
    exiting is collected by a later split, or waited for when the interpreter exits."""
    if not _exiting:
        import atexit

        atexit.unregister(_reap_at_exit)  # registered once, however many splits
        atexit.register(_reap_at_exit)
    _exiting.append(pid)
    for waiting in list(_exiting):
        try:
            finished, _ = os.waitpid(waiting, os.WNOHANG)
        except ChildProcessError:  # collected elsewhere
            finished = waiting
        if finished:
            _exiting.remove(waiting)


def _reap_at_exit() -> None:
    for waiting in _exiting:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(waiting, 0)
    _exiting.clear()


def _read_frames(stream: BinaryIO) -> Iterator[tuple[int, list[Diagnostic]]]:
    import pickle

    while len(header := stream.read(_FRAME.size)) == _FRAME.size:
        index, length = _FRAME.unpack(header)
        payload = stream.read(length)
        if len(payload) < length:
            return  # the child died mid-frame: that rule runs again in the parent
        yield index, pickle.loads(payload)


def _fork_child(rules: Sequence[Rule], config: Config, run_rule: RunRule, claims: _Claims,
                reports: BinaryIO) -> _Child | None:
    """Fork the child that claims rules from the back; None if fork fails (the parent
    then claims every rule itself)."""
    parent = os.getpid()
    try:
        done, done_writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(done)
        os.close(done_writer)
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(done)
        _child_main(rules, config, run_rule, claims, reports, parent, done_writer)
    os.close(done_writer)
    return _Child(pid, reports, done)


def _child_main(rules: Sequence[Rule], config: Config, run_rule: RunRule, claims: _Claims,
                reports: BinaryIO, parent: int, done: int) -> NoReturn:  # pragma: no cover - runs in the child
    """Report rules from the back (``report_claims``), then close ``done``; never
    returns. ``os._exit`` skips the parent's atexit handlers and the stdio buffers it
    inherited."""
    import signal

    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # an interrupt ends the child quietly
        report_claims(rules, config, run_rule, claims, reports, parent)
    except BaseException:
        status = 1
    os.close(done)  # the parent reads the findings now, while this process exits
    os._exit(status)


def report_claims(rules: Sequence[Rule], config: Config, run_rule: RunRule, claims: _Claims,
                  reports: BinaryIO, parent: int) -> None:
    """The child's loop: claim rules from the back and write each one's findings to
    ``reports``, while the process ``parent`` that forked it lives. A parent killed
    without a chance to stop the child (SIGKILL, or SIGTERM without a handler) leaves it
    to the init process; it then stops before its next rule instead of running them all."""
    import pickle

    while os.getppid() == parent and (index := claims.take(front=False)) is not None:
        found = _run(rules[index], config, run_rule)
        try:
            payload = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a finding that does not pickle: the parent runs the rule again
            continue
        reports.write(_FRAME.pack(index, len(payload)) + payload)
        reports.flush()  # a child killed later loses only the rule it is running
