"""``kalint lsp``: a Language Server Protocol server for keepalived configuration.

The server adapts the CLI's pipeline (``kalint.engine.Linter`` with unsaved buffers as an
overlay) to an editor; it has no analysis of its own beyond finding what sits under the
cursor. pygls is an optional dependency (``pip install 'kalint[lsp]'``): only
``kalint.lsp.server`` imports it.
"""

from __future__ import annotations

INSTALL_HINT = "kalint lsp needs pygls: pip install 'kalint[lsp]'"
