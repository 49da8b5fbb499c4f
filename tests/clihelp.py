"""Run the CLI in-process (fast) for tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from kalint.cli import main

SEED_BUG = """\
vrrp_script check_test_mode {
    script "/usr/bin/test ! -e /etc/keepalived/maintenance"
    interval 2
    weight -50
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 101
    virtual_ipaddress {
        192.0.2.10
    }
    track_script {
        maintenance_mode
    }
}

global_defs {
    enable_script_security
    script_user keepalived_script
}
"""

CLEAN = SEED_BUG.replace("maintenance_mode", "check_test_mode")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def kalint(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    runner = CliRunner()
    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), env={"GITHUB_ACTIONS": None, **(env or {})})
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
