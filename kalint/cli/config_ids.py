"""The `--config-id` / `--other-host` pair, shared by `check` and `simulate`.

keepalived keeps an `@ID` line only on the host whose config id (`-i`, by default the
short hostname) is ID. By default kalint reads a file once per id it names; a host whose
name matches none of them sees a third config — the one a plain `keepalived -t` checks
there — and `--other-host` asks for that one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

#: A config id no `@ID` line can name: ids end at the first blank, and this one has a blank.
OTHER_HOST = "other host"

F = TypeVar("F", bound=Callable[..., Any])


def config_id_options(subject: str) -> Callable[[F], F]:
    """Add `--config-id ID` (repeatable) and `--other-host` to a command."""

    def decorate(command: F) -> F:
        command = click.option(
            "--other-host", is_flag=True,
            help=f"{subject} as a host whose config id matches none of the file's `@ID` lines (what a plain "
                 "`keepalived -t` sees there); combines with --config-id.")(command)
        return click.option(
            "--config-id", "config_ids", multiple=True, metavar="ID",
            help=f"{subject} as the host with this config id (for `@ID` lines); repeatable. "
                 "Default: once per id the file names.")(command)

    return decorate


def chosen_ids(config_ids: Sequence[str], other_host: bool) -> tuple[str, ...] | None:
    """The config ids to read each file as (None: every id the file names)."""
    ids = tuple(config_ids) + ((OTHER_HOST,) if other_host else ())
    return ids or None
