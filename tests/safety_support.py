"""Shared by the safety tests: run kalint in-process or as a process, check machine
output on every exit code, and catch hangs without timing anything that finishes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from click.testing import CliRunner

from kalint.cli import main
from kalint.cli.check import FORMATS

#: Machine-readable formats whose stdout must parse on every exit code. A new format
#: is one more name here (and a checker in ``_CHECKERS``); until the CLI offers it,
#: it is left out.
MACHINE_FORMATS = tuple(f for f in ("json", "sarif") if f in FORMATS)

#: Generous: far above any real run, only there to turn a hang into a failure.
HANG_SECONDS = 300


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so no ``except Exception`` hides it."""


@contextlib.contextmanager
def watchdog(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Interrupt the block after ``seconds``: a hang fails instead of blocking CI."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"kalint still running after {seconds}s: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str], stdin: bytes | None = None) -> Run:
    """``kalint ARGS`` in-process; any exception other than an exit fails the test."""
    with watchdog():
        result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        raise AssertionError(f"kalint {' '.join(args)} raised {type(exc).__name__}: {exc}") from exc
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(args: Sequence[str], cwd: str | None = None, stdin: bytes | None = None) -> Run:
    """``python -m kalint ARGS`` as a real process: real exit codes, real streams."""
    proc = subprocess.run(
        [sys.executable, "-m", "kalint", *args], cwd=cwd, input=stdin or b"", capture_output=True,
        timeout=HANG_SECONDS, env={**os.environ, "NO_COLOR": "1"},
    )
    stdout, stderr = (s.decode("utf-8", "replace") for s in (proc.stdout, proc.stderr))
    assert "Traceback" not in stderr, stderr
    return Run(proc.returncode, stdout, stderr)


def _check_json(doc: dict, code: int) -> None:
    assert doc["version"] == 1
    assert isinstance(doc["diagnostics"], list) and isinstance(doc["errors"], list)
    for diag in doc["diagnostics"]:
        assert diag["line"] >= 1 and diag["column"] >= 1, diag
        assert (diag["end_line"], diag["end_column"]) >= (diag["line"], diag["column"]), diag
        assert diag["severity"] in ("error", "warning", "info"), diag
        assert diag["code"] and diag["message"], diag
    assert bool(doc["errors"]) == (code == 2), (code, doc["errors"])
    if code != 2:
        failing = any(d["severity"] in ("error", "warning") for d in doc["diagnostics"])
        assert code == (1 if failing else 0), (code, [d["code"] for d in doc["diagnostics"]])


def _check_sarif(doc: dict, code: int) -> None:
    assert doc["version"] == "2.1.0"
    assert doc["runs"] and all(isinstance(run.get("results", []), list) for run in doc["runs"])
    if code == 2:
        notes = [n for run in doc["runs"] for inv in run.get("invocations", [])
                 for n in inv.get("toolExecutionNotifications", [])]
        assert notes, "exit 2 without a toolExecutionNotification"


_CHECKERS = {"json": _check_json, "sarif": _check_sarif}


def check_machine_output(output_format: str, run: Run) -> dict:
    """Exit 0, 1 or 2, and stdout a complete document of the format, whatever happened."""
    assert run.code in (0, 1, 2), (run.code, run.stderr)
    doc = json.loads(run.stdout)
    _CHECKERS[output_format](doc, run.code)
    if run.code == 2:
        assert run.stderr.strip(), "exit 2 without a message on stderr"
    return doc


#: Every format the CLI offers (the fuzz tests run them all).
ALL_FORMATS = tuple(FORMATS)


def lint_all_formats(
    args: Sequence[str], stdin: bytes | None = None, formats: Sequence[str] = (*MACHINE_FORMATS, "text")
) -> dict[str, Run]:
    """Run kalint in each format (default: the machine ones and text) and check each."""
    runs = {}
    for output_format in formats:
        run = run_cli(["check", "--format", output_format, *args], stdin)
        if output_format in MACHINE_FORMATS:
            check_machine_output(output_format, run)
        else:
            assert run.code in (0, 1, 2), (run.code, run.stderr)
        runs[output_format] = run
    codes = {r.code for r in runs.values()}
    assert len(codes) == 1, f"exit code depends on the format: {runs}"
    return runs
