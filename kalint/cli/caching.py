"""The result cache on the command line: ``--no-cache``, ``--cache-dir`` and ``kalint clean``.

Where the cache lives: ``--cache-dir`` (or ``KALINT_CACHE_DIR``), else ``cache-dir`` of the
configuration file that applies to the current directory (relative to that file), else
``$XDG_CACHE_HOME/kalint/results`` (``~/.cache/kalint/results``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from kalint.settings import Resolver, SettingsError

if TYPE_CHECKING:
    from kalint.engine import Linter
    from kalint.resultcache import ResultCache


def cache_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--no-cache`` and ``--cache-dir`` for ``kalint check``."""
    command = click.option(
        "--cache-dir", metavar="DIR", default=None, envvar="KALINT_CACHE_DIR", show_envvar=True,
        help="Keep the result cache in DIR [default: `cache-dir` of the configuration, else "
             "$XDG_CACHE_HOME/kalint/results].")(command)
    return click.option(
        "--no-cache", is_flag=True, envvar="KALINT_NO_CACHE", show_envvar=True,
        help="Lint every file again; neither read nor write the result cache.")(command)


def location(settings: Resolver, given: str | None) -> str | None:
    """The cache directory asked for (None: the default in the user's cache directory)."""
    if given:
        return given
    try:
        return settings.for_path(os.path.join(os.getcwd(), "-")).cache_dir
    except SettingsError:
        return None


def open_cache(linter: Linter, settings: Resolver, given: str | None) -> ResultCache | None:
    from kalint.resultcache import ResultCache
    from kalint.syntax.parser import grammar_text

    return ResultCache.open(location(settings, given), linter.registry, grammar_text())


@click.command("clean")
@click.option("--cache-dir", metavar="DIR", default=None, envvar="KALINT_CACHE_DIR", show_envvar=True,
              help="The cache directory to clean [default: as `kalint check` would use].")
def clean_command(cache_dir: str | None) -> None:
    """Remove the result cache (only the files kalint wrote there)."""
    from kalint.resultcache import clean

    where, removed = clean(location(Resolver(), cache_dir))
    click.echo(f"kalint: removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {where}", err=True)
