"""``python -m kalint``."""

from kalint.cli import run

run()
