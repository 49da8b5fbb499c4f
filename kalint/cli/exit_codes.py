"""kalint's exit codes: one definition for every command."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """0, 1, 2 as ruff, shellcheck and hadolint use them (docs/ci.md)."""

    #: Nothing at or above the ``fail-on`` threshold; ``format --check``: nothing to change.
    CLEAN = 0
    #: Findings at or above ``fail-on``; ``format --check`` or ``--diff``: something would change.
    FINDINGS = 1
    #: Usage or input error: a path missing, unreadable or not a config, a bad flag or setting.
    ERROR = 2
    #: Interrupted (SIGINT), as shells report it.
    INTERRUPTED = 130
