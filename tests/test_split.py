"""``kalint.split``: a large config's rules on two processes give the serial findings, in
the serial order, whatever happens to the child."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES
from kalint import parallel, split
from kalint.engine import Linter, LintOptions, run_rule
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime import loading
from kalint.settings import Resolver
from kalint.testing import fixture_files
from kalint.text import source as sourcemod

CORPUS_REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every config counts as large, on a machine with two cores, in a process of one
    thread (an earlier test may have left one behind)."""
    monkeypatch.setattr(split, "MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@pytest.fixture
def always_split(large: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """As ``large``; yields the pids forked, and fails a test during which nothing was."""
    forked: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    yield forked
    assert forked, "the rules never ran on two processes"


def _findings(paths: list[str], jobs: int) -> list[tuple]:
    result = Linter(LintOptions(jobs=jobs, settings=Resolver(isolated=True))).lint_paths(paths)
    return [(d.code, d.span, d.message, d.severity, d.config_id, d.fix, d.related) for d in result.diagnostics]


@pytest.mark.parametrize("folder", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_every_fixture_splits_to_the_serial_findings(always_split: list[int], folder: Path) -> None:
    """Each fixture folder's files named on the command line, linted as peers."""
    files = fixture_files(str(folder))
    assert _findings(files, jobs=0) == _findings(files, jobs=1)


def test_real_configs_split_to_the_serial_findings(always_split: list[int]) -> None:
    if not CORPUS_REAL.is_dir():
        pytest.skip(f"{CORPUS_REAL} is absent (../shared/corpus)")
    configs = sorted(str(p) for p in CORPUS_REAL.rglob("*") if p.is_file() and p.suffix != ".tsv")
    assert len(configs) > 100
    for path in configs:
        assert _findings([path], jobs=0) == _findings([path], jobs=1), path


def _model(path: Path) -> Config:
    linter = Linter(LintOptions(jobs=1, settings=Resolver(isolated=True)))
    return linter.build_model(sourcemod.load(str(path)), None, None)


def _rules() -> list[Rule]:
    return Linter(LintOptions(jobs=1)).config_rules


def _who_ran(rule: Rule, config: Config, into: list) -> None:
    """A run_rule whose 'findings' say which rule ran and in which process."""
    into.append((rule.code, os.getpid()))


def _split_with_a_signal(rules: list[Rule], make: Callable[[int, int], split.RunRule]) -> list[tuple[str, int]]:
    """``split.findings`` on the seed's first node with the run_rule ``make(read_end,
    write_end)`` returns, given a pipe through which the child can tell the parent when
    to go on; checks the rules came back in order."""
    read_end, write_end = os.pipe()
    try:
        ran = split.findings(rules, _model(SEED / "master.conf"), make(read_end, write_end), prepare=loading.load)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert ran is not None
    assert [code for code, _ in ran] == [rule.code for rule in rules]
    return ran  # type: ignore[return-value]


def _wait_for(read_end: int, what: str) -> None:
    assert select.select([read_end], [], [], 30)[0], what


def test_the_parent_takes_the_front_and_the_child_the_back() -> None:
    rules, parent = _rules(), os.getpid()
    started, start = os.pipe()  # the parent tells the child it has claimed its first rule
    child_waits = [True]

    def each_waits_for_the_other(read_end: int, write_end: int) -> split.RunRule:
        def run(rule: Rule, config: Config, into: list) -> None:
            """Each process's first rule lasts until the other has claimed one: both run
            rules, however long the parent's ``prepare`` takes (under load the child had
            claimed every rule before the parent claimed its first)."""
            if os.getpid() != parent:
                if child_waits[0]:
                    child_waits[0] = False
                    _wait_for(started, "the parent never claimed a rule")
                os.write(write_end, b"x")
            elif rule is rules[0]:
                os.write(start, b"x")
                _wait_for(read_end, "the child never claimed a rule")
            _who_ran(rule, config, into)
        return run

    try:
        ran = _split_with_a_signal(rules, each_waits_for_the_other)
    finally:
        os.close(started)
        os.close(start)
    in_parent = [ran[index][1] == parent for index in split.claim_order(rules)]
    assert in_parent[0] and not in_parent[-1]  # both processes ran rules
    cut = in_parent.index(False)
    assert all(in_parent[:cut]) and not any(in_parent[cut:])  # one cut in the claim order: front and back


def test_rules_that_share_an_analysis_are_claimed_side_by_side() -> None:
    """The placement replay's readers (KA101-KA133, and KA323-KA326 far from them in code
    order) are claimed one after the other, so one process replays it; other rules keep
    their code order."""
    rules = _rules()
    order = split.claim_order(rules)
    assert sorted(order) == list(range(len(rules)))
    codes = [rules[index].code for index in order]
    replay = next(rule for rule in rules if rule.code == "KA101").analyses[0]
    readers = [rule.code for rule in rules if rule.analyses and rule.analyses[0] is replay]
    assert {"KA101", "KA326"} <= set(readers)
    start = codes.index(readers[0])
    assert codes[start:start + len(readers)] == readers
    alone = [rule.code for rule in rules if not rule.analyses]
    assert [code for code in codes if code in set(alone)] == alone


def test_what_a_killed_child_claimed_runs_again_in_the_parent() -> None:
    """The child reports the last two rules, then is killed running the third from the
    back; the parent waits for that before it claims anything."""
    rules, parent = _rules(), os.getpid()
    claimed = [rules[at] for at in split.claim_order(rules)]  # the child claims from the back

    def dies_in_the_child(read_end: int, write_end: int) -> split.RunRule:
        def run(rule: Rule, config: Config, into: list) -> None:
            if os.getpid() != parent and rule is claimed[-3]:
                os.write(write_end, b"x")
                os.kill(os.getpid(), signal.SIGKILL)
            elif os.getpid() == parent and rule is claimed[0]:
                _wait_for(read_end, "the child never reached its third rule")
            _who_ran(rule, config, into)
        return run

    ran = dict(_split_with_a_signal(rules, dies_in_the_child))
    reported = {claimed[-1].code, claimed[-2].code}
    assert all(pid == parent for code, pid in ran.items() if code not in reported)  # the rule it died in ran again
    assert all(ran[code] != parent for code in reported)  # what it reported before it died was kept


def test_a_finding_that_does_not_pickle_is_found_again_in_the_parent() -> None:
    rules, parent = _rules(), os.getpid()
    first_in_child = rules[split.claim_order(rules)[-1]]

    def unpicklable_in_the_child(rule: Rule, config: Config, into: list) -> None:
        if os.getpid() != parent and rule is first_in_child:
            into.append(lambda: None)
            return
        _who_ran(rule, config, into)

    ran = split.findings(rules, _model(SEED / "master.conf"), unpicklable_in_the_child, prepare=loading.load)
    assert ran is not None
    assert (first_in_child.code, parent) in ran
    assert [code for code, _ in ran] == [rule.code for rule in rules]


def test_real_findings_match_run_rule_by_rule() -> None:
    config = _model(SEED / "backup.conf")
    serial: list = []
    for rule in _rules():
        run_rule(rule, config, serial)
    assert serial  # the seed's second node has findings of its own
    assert split.findings(_rules(), _model(SEED / "backup.conf"), run_rule, prepare=loading.load) == serial


def test_only_large_configs_on_two_free_cores_split(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _model(SEED / "master.conf")
    size = len(config.expansion.text)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # an earlier test may have left a thread
    monkeypatch.setattr(split, "MIN_CHARS", size)
    assert split.worth_splitting(config)
    monkeypatch.setattr(split, "MIN_CHARS", size + 1)
    assert not split.worth_splitting(config)  # too small: forking costs more than it saves
    monkeypatch.setattr(split, "MIN_CHARS", 0)
    monkeypatch.setattr(split, "MAX_CHARS", size - 1)
    assert not split.worth_splitting(config)  # too large: the child's copy costs too much memory
    monkeypatch.setattr(split, "MAX_CHARS", size)
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert not split.worth_splitting(config)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # a lock another thread holds stays held in a child
    assert not split.worth_splitting(config)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert split.worth_splitting(config)
    monkeypatch.setattr(parallel, "_task", len)  # a pool is linting: its workers have the cores
    assert not split.worth_splitting(config)


def test_jobs_1_never_forks(large: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked under --jobs 1")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _findings([str(SEED / "master.conf")], jobs=1)


def test_without_a_temporary_directory_the_rules_run_in_process(large: None, monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    expected = _findings([str(SEED / "backup.conf")], jobs=1)
    import tempfile

    def no_temporary_file(*args: object, **kwargs: object) -> object:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_temporary_file)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked without a place to report"))
    assert _findings([str(SEED / "backup.conf")], jobs=0) == expected


def test_a_small_config_s_start_imports_nothing_for_the_split(tmp_path: Path) -> None:
    """What only a split needs (pickle, tempfile, fcntl, signal: about 8 ms) is imported
    when a config is split, not on every start."""
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(sorted(m for m in ('pickle', 'tempfile', 'fcntl', 'signal') if m in sys.modules)))\n"
        f"sys.argv = ['kalint', 'check', '--no-cache', {str(SEED / 'master.conf')!r}]\n"
        "from kalint.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_a_child_whose_parent_is_gone_claims_no_more_rules() -> None:
    """The child's loop, run here: while the process that forked it lives it reports every
    rule from the back; once that process is gone (its parent is another), none."""
    import tempfile

    rules, config = _rules(), _model(SEED / "master.conf")
    for parent, expected in ((os.getppid(), list(reversed(range(len(rules))))), (os.getpid(), [])):
        with tempfile.TemporaryFile() as counters, tempfile.TemporaryFile() as reports:
            claims = split._Claims(counters.fileno(), len(rules))
            split.report_claims(rules, config, _who_ran, claims, reports, parent)
            reports.seek(0)
            assert [index for index, _ in split._read_frames(reports)] == expected
            assert claims.take(front=True) == (None if expected else 0)


def test_a_crash_in_prepare_is_reported_by_the_rules_as_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runtime model, computed before the fork, crashes: the rules that read it report
    that crash as their internal errors, exactly as when every rule runs in one process."""
    def crashes(config: Config) -> object:
        raise RuntimeError("planted")

    monkeypatch.setattr(loading, "_load", crashes)
    rules, serial = _rules(), []
    config = _model(SEED / "master.conf")
    for rule in rules:
        run_rule(rule, config, serial)
    assert any("planted" in d.message for d in serial)
    assert split.findings(rules, _model(SEED / "master.conf"), run_rule, prepare=loading.load) == serial


def test_the_parent_reads_the_findings_before_the_child_has_exited(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child closes its end of the pipe once it has reported, and the parent goes on
    from there: a child that takes its time to exit (here: it waits for the parent's
    word) does not hold the findings back, and is collected once it is gone."""
    rules, parent = _rules(), os.getpid()
    read_end, write_end = os.pipe()
    real_exit = os._exit

    def exits_when_told(status: int) -> None:
        if os.getpid() != parent:
            select.select([read_end], [], [], 30)  # then exits anyway: never a child left running tests
        real_exit(status)

    monkeypatch.setattr(os, "_exit", exits_when_told)
    try:
        ran = split.findings(rules, _model(SEED / "master.conf"), _who_ran, prepare=loading.load)
        assert ran is not None and [code for code, _ in ran] == [rule.code for rule in rules]
        assert len(split._exiting) == 1  # the child is still there: it was not waited for
        child = split._exiting[0]
        os.write(write_end, b"x")
        os.waitpid(child, 0)
        split._exiting.clear()
    finally:
        os.close(read_end)
        os.close(write_end)


def test_the_parent_prepares_once_the_child_is_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """``prepare`` (the runtime model) runs in the parent after the fork, so the child
    starts on its rules meanwhile instead of waiting for it."""
    events: list[str] = []
    real_fork = os.fork

    def fork() -> int:
        events.append("fork")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    parent = os.getpid()

    def prepare(config: Config) -> None:
        if os.getpid() == parent:
            events.append("prepare")

    ran = split.findings(_rules(), _model(SEED / "master.conf"), _who_ran, prepare=prepare)
    assert ran is not None
    assert events == ["fork", "prepare"]
