"""The progress bar: only on a terminal, only for text output, only for many files."""

from __future__ import annotations

import io
from pathlib import Path

from clihelp import CLEAN, write

from kalint.cli.check import PROGRESS_MIN_FILES, ProgressBar, progress_wanted
from kalint.engine import Linter


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_for_people() -> None:
    assert progress_wanted("text", quiet=False, stderr=_Tty())
    assert not progress_wanted("text", quiet=False, stderr=io.StringIO())
    assert not progress_wanted("text", quiet=True, stderr=_Tty())
    for machine in ("json", "sarif", "github"):
        assert not progress_wanted(machine, quiet=False, stderr=_Tty())


def test_progress_bar_follows_the_linter(tmp_path: Path) -> None:
    from rich.console import Console

    for n in range(PROGRESS_MIN_FILES):
        write(tmp_path / f"lb{n:02}" / "keepalived.conf", CLEAN)
    screen = _Tty()
    calls: list[tuple[int, int]] = []
    bar = ProgressBar(True, Console(file=screen, force_terminal=True, width=80))
    with bar:
        Linter().lint_paths([str(tmp_path)], progress=lambda d, t: (calls.append((d, t)), bar.update(d, t)))
    assert calls[-1] == (PROGRESS_MIN_FILES, PROGRESS_MIN_FILES)
    assert "linting" in screen.getvalue()
    quiet = _Tty()
    with ProgressBar(True, Console(file=quiet, force_terminal=True)) as small:
        small.update(1, PROGRESS_MIN_FILES - 1)
    assert quiet.getvalue() == ""
