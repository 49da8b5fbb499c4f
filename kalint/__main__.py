"""``python -m kalint``."""

from kalint.cli import entry

entry()
