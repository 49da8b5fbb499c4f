"""Safety guarantees that are not about one hostile input: a crashing rule or stage is
reported and the rest still runs, nothing a config names is executed or looked up on
the live system, and nothing from outside the linted tree reaches the output."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_support import check_machine_output, lint_all_formats, run_cli, run_process

from kalint.diagnostic import Diagnostic, Severity
from kalint.engine import Linter
from kalint.registry import Registry, load
from kalint.rule import Rule

FIXTURES = Path(__file__).parent / "fixtures"


class ExplodingRule(Rule):
    """A deliberately broken rule.

    Bad:

        anything

    Good:

        nothing
    """

    code = "KA998"
    name = "exploding-rule"
    severity = Severity.ERROR
    summary = "raises on every config"

    def check(self, config: object) -> Iterator[Diagnostic]:
        raise ZeroDivisionError("boom")


class ExplodingClusterRule(ExplodingRule):
    """A deliberately broken cluster rule."""

    code = "KA999"
    name = "exploding-cluster-rule"
    scope = "cluster"

    def check_cluster(self, cluster: object) -> Iterator[Diagnostic]:
        raise KeyError("peers")


def _registry_with_broken_rules() -> Registry:
    registry = Registry()
    for rule in load().sorted():
        registry.add(rule, "builtin")
    registry.add(ExplodingRule, "test")
    registry.add(ExplodingClusterRule, "test")
    assert not registry.errors
    return registry


def test_crashing_rule_is_reported_and_the_other_rules_still_run() -> None:
    seed = str(FIXTURES / "KA201" / "seed_pattern.conf")
    result = Linter(registry=_registry_with_broken_rules()).lint_paths([seed, seed.replace("seed_pattern", "typo")])
    codes = [d.code for d in result.diagnostics]
    assert "KA201" in codes, "the other rules must still run"
    internal = [d for d in result.diagnostics if d.code == "KA000"]
    messages = {d.message for d in internal}
    assert any("KA998" in m and "ZeroDivisionError: boom" in m for m in messages), messages
    assert any("KA999" in m and "KeyError" in m for m in messages), messages
    assert all(d.severity is Severity.ERROR and d.name == "internal-error" for d in internal)


def test_crash_while_reading_one_file_keeps_the_other_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kalint bug outside the rules (here: the parser) on one file is exit 2 with the
    reason, and the report still holds every other file's findings."""
    from kalint.syntax import parser

    real_parse = parser.parse

    def parse(expansion, *args, **kwargs):  # type: ignore[no-untyped-def]
        if expansion.main.path.endswith("bad.conf"):
            raise RuntimeError("parser bug")
        return real_parse(expansion, *args, **kwargs)

    monkeypatch.setattr(parser, "parse", parse)
    (tmp_path / "bad.conf").write_text("global_defs {\n}\n")
    good = (FIXTURES / "KA201" / "typo.conf").read_text()
    (tmp_path / "good.conf").write_text(good)
    run = run_cli(["--format", "json", str(tmp_path / "bad.conf"), str(tmp_path / "good.conf")])
    doc = check_machine_output("json", run)
    assert run.code == 2
    assert [e["path"] for e in doc["errors"]] == [str(tmp_path / "bad.conf")]
    assert "RuntimeError: parser bug" in doc["errors"][0]["message"]
    assert "KA201" in [d["code"] for d in doc["diagnostics"]]
    assert "internal error" in run.stderr


# -- never execute ----------------------------------------------------------------------


def _canary(tmp_path: Path) -> tuple[Path, Path]:
    """A script that creates ``marker`` if anything ever runs it."""
    marker = tmp_path / "canary-ran"
    script = tmp_path / "canary.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    return script, marker


def _config_naming(script: Path) -> str:
    return f"""global_defs {{
  script_user nobody
  enable_script_security
  notify_fifo /tmp/kalint-canary-fifo
  notify_fifo_script {script}
}}
vrrp_script chk {{
  script "{script} check"
  user nobody
}}
vrrp_instance VI_1 {{
  interface eth0
  virtual_router_id 51
  track_script {{
    chk
  }}
  notify {script}
  notify_master "{script} master"
  notify_backup {script}
  notify_fault {script}
  notify_stop {script}
}}
vrrp_sync_group G {{
  group {{
    VI_1
  }}
  notify_master {script}
}}
virtual_server 10.0.0.1 80 {{
  quorum_up {script}
  real_server 10.0.0.2 80 {{
    notify_up {script}
    MISC_CHECK {{
      misc_path "{script} --check"
    }}
  }}
}}
"""


def test_nothing_a_config_names_is_executed(tmp_path: Path) -> None:
    script, marker = _canary(tmp_path)
    config = tmp_path / "keepalived.conf"
    config.write_text(_config_naming(script) + f"include {script}\n")
    lint_all_formats([str(config)])
    lint_all_formats(["--allow-outside-includes", str(tmp_path)])
    for output_format in ("json", "text"):
        assert run_process(["--format", output_format, str(config)]).code in (0, 1)
    assert not marker.exists(), "kalint ran a script the config names"


def test_no_users_interfaces_or_commands_from_the_live_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Users, groups and interfaces are never resolved, and no process is started."""
    import grp
    import pwd
    import socket
    import subprocess

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"kalint consulted the live system: {args}")

    for owner, name in [
        (pwd, "getpwnam"), (pwd, "getpwuid"), (pwd, "getpwall"), (grp, "getgrnam"), (grp, "getgrall"),
        (socket, "if_nametoindex"), (socket, "if_nameindex"), (socket, "getaddrinfo"), (socket, "gethostbyname"),
        (subprocess, "Popen"), (os, "system"), (os, "execv"), (os, "execve"), (os, "fork"), (os, "posix_spawn"),
    ]:
        monkeypatch.setattr(owner, name, forbidden)
    script, marker = _canary(tmp_path)
    (tmp_path / "keepalived.conf").write_text(_config_naming(script))
    result = Linter().lint_paths([str(tmp_path / "keepalived.conf")])
    assert not result.errors and not marker.exists()


# -- no leaks ---------------------------------------------------------------------------

SECRET = "s3cr3t-token-7f1c"


def _tree_with_outside_secret(tmp_path: Path) -> tuple[Path, Path]:
    """``tree/`` is linted; ``outside/secret.conf`` has a finding (KA003) on the secret's line."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.conf").write_text(f'vrrp_instance VI_1 {{\n  authentication {{\n    auth_pass "{SECRET}\n  }}\n}}\n')
    tree = tmp_path / "tree"
    tree.mkdir()
    return tree, outside / "secret.conf"


@pytest.mark.parametrize("how", ["absolute", "relative", "glob", "symlink"])
def test_includes_outside_the_tree_are_not_read(tmp_path: Path, how: str) -> None:
    tree, secret = _tree_with_outside_secret(tmp_path)
    pattern = {"absolute": str(secret), "relative": "../outside/secret.conf", "glob": "../outside/*.conf",
               "symlink": "link.conf"}[how]
    if how == "symlink":
        (tree / "link.conf").symlink_to(secret)
    config = tree / "keepalived.conf"
    config.write_text(f"global_defs {{\n  router_id lb1\n}}\ninclude {pattern}\n")
    runs = lint_all_formats([str(config)])
    for run in runs.values():
        assert SECRET not in run.stdout + run.stderr
    diags = json.loads(runs["json"].stdout)["diagnostics"]
    assert [(d["code"], d["line"]) for d in diags] == [("KA008", 4)]
    assert "--allow-outside-includes" in diags[0]["message"]

    opted_in = lint_all_formats(["--allow-outside-includes", str(config)])
    assert SECRET in opted_in["text"].stdout, "--allow-outside-includes reads the file and shows its lines"
    assert "KA003" in [d["code"] for d in json.loads(opted_in["json"].stdout)["diagnostics"]]


def test_include_check_of_etc_shadow_style_paths(tmp_path: Path) -> None:
    """``include /etc/shadow``: refused before anything is read, named at the include line."""
    config = tmp_path / "keepalived.conf"
    config.write_text("include /etc/shadow\ninclude /etc/passwd\n")
    runs = lint_all_formats([str(config)])
    diags = json.loads(runs["json"].stdout)["diagnostics"]
    assert {(d["code"], d["line"]) for d in diags} >= {("KA008", 2)}
    assert "root:" not in runs["text"].stdout



def test_symlink_out_of_a_linted_directory_is_not_read(tmp_path: Path) -> None:
    """A directory walk does not follow a symlinked config out of the directory."""
    tree, secret = _tree_with_outside_secret(tmp_path)
    (tree / "keepalived.conf").write_text("global_defs {\n  router_id lb1\n}\n")
    (tree / "peer.conf").symlink_to(secret)
    runs = lint_all_formats([str(tree)])
    for run in runs.values():
        assert SECRET not in run.stdout + run.stderr
    diags = json.loads(runs["json"].stdout)["diagnostics"]
    assert [(d["code"], Path(d["path"]).name) for d in diags] == [("KA008", "peer.conf")]
    opted_in = lint_all_formats(["--allow-outside-includes", str(tree)])
    assert SECRET in opted_in["text"].stdout


# -- real exit codes ----------------------------------------------------------------------


def test_real_process_exit_codes_and_streams(tmp_path: Path) -> None:
    """As a process: 0 clean, 1 findings, 2 input error, stdout always a JSON document,
    the reason for exit 2 on stderr in one line, never a traceback."""
    clean = tmp_path / "clean.conf"
    clean.write_text("global_defs {\n  router_id lb1\n}\n")
    findings = FIXTURES / "KA201" / "typo.conf"
    cases = [
        ([str(clean)], None, 0),
        ([str(findings)], None, 1),
        ([str(clean), str(tmp_path / "missing.conf")], None, 2),
        (["-"], "global_defs {\n}\n".encode("utf-16"), 2),
        (["-"], bytes(range(256)) * 8, 2),
        (["-"], b"\xff\xfe{{{{\x00}}}}\"\n" * 50, 2),
        (["-"], b"}\n{\n\"\n\x00\n\r\xef\xbb\xbf@x $Y ~SEQ(i,1,3) include *\n", 1),
    ]
    for args, stdin, expected in cases:
        for output_format in ("json", "text"):
            run = run_process(["--format", output_format, *args], cwd=str(tmp_path), stdin=stdin)
            assert run.code == expected, (args, output_format, run)
            if output_format == "json":
                check_machine_output("json", run)
            if expected == 2:
                assert len(run.stderr.strip().splitlines()) == 1, run.stderr
