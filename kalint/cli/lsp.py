"""``kalint lsp``: the language server on stdio (needs the ``lsp`` extra: pygls)."""

from __future__ import annotations

import gc
import sys

import click

from kalint.cli.exit_codes import ExitCode
from kalint.lsp import INSTALL_HINT


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def lsp_command(stdio: bool) -> None:
    """Run the kalint language server on stdin/stdout for editors."""
    # The one-shot CLI (kalint.cli.run) turns the cyclic collector off for its whole
    # life; a server lives for hours and drops an analysis per keystroke, whose cycles
    # only the collector frees (RSS grew ~1 MB per edit on a 2k-line file without it);
    # the server decides when it runs (kalint.lsp.heap).
    gc.enable()
    try:
        from kalint.lsp.server import serve
    except ImportError as exc:
        click.echo(f"kalint: {INSTALL_HINT} ({exc})", err=True)
        sys.exit(ExitCode.ERROR)
    serve()
