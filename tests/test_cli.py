"""The command line as users run it: exit codes, formats, bad input, shorthand."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLE = REPO / "examples" / "keepalived.conf"
CLEAN = REPO / "examples" / "clean.conf"


def kalint(*args: str, cwd: Path | None = None, stdin: bytes | None = None, env: dict | None = None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "kalint", *args],
        cwd=cwd, input=stdin, capture_output=True, timeout=120, env=full_env,
    )


def test_example_exits_1_with_snippets() -> None:
    run = kalint(str(EXAMPLE))
    out = run.stdout.decode()
    assert run.returncode == 1
    assert "KA201 [error] `maintenance` is not a defined vrrp_script; did you mean `chk_maintenance`?" in out
    assert "33 |         maintenance\n" in out
    assert "   |         ^^^^^^^^^^^\n" in out
    assert "KA202 [warning]" in out
    assert "\x1b[" not in out  # no colour when piped
    assert run.stderr == b""


def test_clean_config_exits_0() -> None:
    run = kalint(str(CLEAN))
    assert run.returncode == 0, run.stdout.decode()
    assert run.stdout.decode().strip() == "No problems found."


def test_check_subcommand_and_shorthand_with_options_first() -> None:
    a = kalint("check", "--format", "json", str(EXAMPLE), str(CLEAN))
    b = kalint("--format", "json", str(EXAMPLE), str(CLEAN))
    assert a.returncode == b.returncode == 1
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_json_shape() -> None:
    run = kalint("--format", "json", str(EXAMPLE))
    data = json.loads(run.stdout)
    assert data["version"] == 1 and data["errors"] == []
    ka201 = next(d for d in data["diagnostics"] if d["code"] == "KA201")
    assert {k: ka201[k] for k in ("line", "column", "end_line", "end_column", "name", "severity", "config_id")} == {
        "line": 33, "column": 9, "end_line": 33, "end_column": 20,
        "name": "undefined-track-script", "severity": "error", "config_id": None,
    }
    assert ka201["related"][0]["line"] == 16 and ka201["path"] == str(EXAMPLE)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("\ufeffglobal_defs {}\n".encode("utf-16"), "UTF-16"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_not_a_config_exits_2_with_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.conf"
    path.write_bytes(content)
    run = kalint(str(path))
    assert run.returncode == 2
    err = run.stderr.decode()
    assert reason in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_path_and_empty_directory_exit_2(tmp_path: Path) -> None:
    missing = kalint(str(tmp_path / "nope.conf"))
    assert missing.returncode == 2 and b"no such file" in missing.stderr
    empty = kalint(str(tmp_path))
    assert empty.returncode == 2 and b"no keepalived configuration found" in empty.stderr
    assert b"Traceback" not in missing.stderr + empty.stderr


def test_json_on_exit_2_still_holds_the_linted_files(tmp_path: Path) -> None:
    run = kalint("--format", "json", str(EXAMPLE), str(tmp_path / "nope.conf"))
    assert run.returncode == 2
    data = json.loads(run.stdout)
    assert {d["code"] for d in data["diagnostics"]} >= {"KA201", "KA202"}
    assert data["errors"] == [{"path": str(tmp_path / "nope.conf"), "message": "no such file"}]


def test_empty_file_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(b"")
    run = kalint("--format", "concise", str(path))
    assert run.returncode == 1
    assert b"KA015" in run.stdout


def test_single_nul_byte_is_parsed_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(b"global_defs {\n router_id a\x00b\n}\n")
    run = kalint("--format", "concise", str(path))
    assert run.returncode == 1 and b"KA012" in run.stdout


def test_undecodable_bytes_show_as_hex_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(b"vrrp_script chk_\xc4\xe3 {\n script /bin/true\n}\n")
    text = kalint(str(path)).stdout.decode()
    assert "chk_\\xC4\\xE3" in text
    assert "\\xC4\\xE3 {\n" in text  # the snippet line
    data = json.loads(kalint("--format", "json", str(path)).stdout)
    assert any("chk_\\xC4\\xE3" in d["message"] for d in data["diagnostics"])


def test_stdin(tmp_path: Path) -> None:
    run = kalint("-", stdin=EXAMPLE.read_bytes(), cwd=tmp_path)
    assert run.returncode == 1
    assert b"<stdin>:33:9: KA201" in run.stdout


def test_executable_config(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(CLEAN.read_bytes())
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    run = kalint("--format", "concise", str(path))
    assert run.returncode == 1 and b"KA009" in run.stdout


def test_colour_follows_flags_and_no_color() -> None:
    forced = kalint("--color", "always", str(EXAMPLE))
    assert b"\x1b[" in forced.stdout
    never = kalint("--color", "never", str(EXAMPLE), env={"FORCE_COLOR": "1"})
    assert b"\x1b[" not in never.stdout


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_text("vrrp_script chk {\n script /bin/true\n}\n")
    assert kalint(str(path)).returncode == 1
    assert kalint("--fail-on", "error", str(path)).returncode == 0


def test_version_help_and_rule_docs() -> None:
    version = kalint("--version")
    assert version.returncode == 0 and b"kalint" in version.stdout
    helptext = kalint("--help").stdout.decode()
    assert "kalint PATH..." in helptext and "check" in helptext
    rule = kalint("rule", "KA201").stdout.decode()
    assert "undefined-track-script" in rule and "Bad:" in rule and "Good:" in rule
    assert kalint("rule", "KA999").returncode == 2
    listing = kalint("rules").stdout.decode()
    assert "KA201  undefined-track-script" in listing


def test_usage_error_exits_2() -> None:
    run = kalint("--format", "nonsense", str(EXAMPLE))
    assert run.returncode == 2


_CONDITIONAL = """vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    @lb1 priority 150
    @^lb1 prority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
}
"""


def _unknown_lines(run: subprocess.CompletedProcess) -> set[int]:
    return {d["line"] for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "KA101"}


def test_other_host_reads_the_file_as_keepalived_does_on_an_unnamed_host(tmp_path: Path, keepalived: str) -> None:
    """`--other-host` keeps the `@^ID` lines and drops the `@ID` ones, as `keepalived -t`
    does on a host whose name matches no id; `--config-id lb1` reads the opposite."""
    conf = tmp_path / "lb.conf"
    conf.write_text(_CONDITIONAL)
    as_other = kalint("--format", "json", "--other-host", str(conf))
    assert _unknown_lines(as_other) == {5}
    assert {d["config_id"] for d in json.loads(as_other.stdout)["diagnostics"]} == {"other host"}
    assert _unknown_lines(kalint("--format", "json", "--config-id", "lb1", str(conf))) == set()
    both = kalint("--format", "json", "--config-id", "lb1", "--other-host", str(conf))
    assert {(d["line"], d["config_id"]) for d in json.loads(both.stdout)["diagnostics"] if d["code"] == "KA101"} == {
        (5, "other host")}
    probe = subprocess.run([keepalived, "-t", "-f", conf.name], cwd=tmp_path, capture_output=True, text=True,
                           timeout=30, check=False)
    assert "Line 5) Unknown keyword 'prority'" in probe.stderr


@pytest.mark.parametrize("flags, expected", [
    (["--select", "KA999"], "`KA999` is no rule code, code prefix or rule name; did you mean `KA950`?"),
    (["--ignore", "KA2O1"], "did you mean `KA201`?"),
    (["--severity", "KA999=error"], "`KA999` is no rule code"),
    (["--select", "unknown-keywrd"], "did you mean `unknown-keyword`?"),
    (["--target-version", "9.9"], "`9.9` is not a keepalived release kalint knows"),
    (["--target-version", "2.2.77"], "did you mean `2.2.7`?"),
])
def test_a_mistyped_flag_is_a_usage_error_with_a_suggestion(flags: list[str], expected: str) -> None:
    run = kalint(*flags, str(EXAMPLE))
    assert run.returncode == 2, run.stdout
    assert expected in run.stderr.decode()
    assert run.stdout == b""


@pytest.mark.parametrize("name, text, expected", [
    (".kalint.toml", 'select = ["KA2O1"]\n', "did you mean `KA201`?"),
    ("pyproject.toml", '[tool.kalint]\ntarget-version = "9.9"\n', "`9.9` is not a keepalived release kalint knows"),
])
def test_a_mistyped_settings_file_stops_the_run_with_its_message(tmp_path: Path, name: str, text: str,
                                                                 expected: str) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "keepalived.conf").write_text(EXAMPLE.read_text())
    run = kalint("keepalived.conf", cwd=tmp_path)
    err = run.stderr.decode()
    assert run.returncode == 2 and expected in err and "internal error" not in err, err


def test_stdin_filename_names_the_file_and_finds_its_settings_and_includes(tmp_path: Path) -> None:
    """Standard input is linted as the named file: its path in findings, the .kalint.toml
    next to it, and includes relative to it (editors and pre-commit pipelines need this)."""
    (tmp_path / "lb").mkdir()
    (tmp_path / "lb" / ".kalint.toml").write_text('ignore = ["KA601"]\n')
    (tmp_path / "lb" / "scripts.conf").write_text('vrrp_script chk_maintenance {\n    script "/bin/true"\n}\n')
    text = EXAMPLE.read_text().replace("vrrp_script chk_maintenance", "include scripts.conf\nvrrp_script chk_x")
    run = kalint("--format", "json", "--stdin-filename", "lb/new.conf", cwd=tmp_path, stdin=text.encode())
    found = json.loads(run.stdout)["diagnostics"]
    assert {d["path"] for d in found} <= {"lb/new.conf", str(tmp_path / "lb" / "scripts.conf"), "lb/scripts.conf"}
    codes = {d["code"] for d in found}
    assert "KA601" not in codes and "KA004" not in codes  # the settings apply; the include is found
    assert any(d["code"] == "KA202" and d["path"].endswith("lb/scripts.conf") for d in found)  # read via the include
    assert not (tmp_path / "lb" / "new.conf").exists()
    refused = kalint("--fix", "--stdin-filename", "lb/new.conf", cwd=tmp_path, stdin=text.encode())
    assert refused.returncode == 2 and b"--fix cannot write standard input" in refused.stderr


def test_exit_zero_alias_environment_and_bare_invocation(tmp_path: Path) -> None:
    (tmp_path / "keepalived.conf").write_text(EXAMPLE.read_text())
    assert kalint("keepalived.conf", cwd=tmp_path).returncode == 1
    assert kalint("--exit-zero", "keepalived.conf", cwd=tmp_path).returncode == 0
    assert kalint("--exit-zero", "missing.conf", cwd=tmp_path).returncode == 2  # input errors still fail
    alias = kalint("--output-format", "json", "keepalived.conf", cwd=tmp_path)
    assert json.loads(alias.stdout)["version"] == 1
    from_env = kalint("keepalived.conf", cwd=tmp_path, env={"KALINT_OUTPUT_FORMAT": "json", "KALINT_EXIT_ZERO": "1"})
    assert from_env.returncode == 0 and json.loads(from_env.stdout)["diagnostics"]
    assert kalint("keepalived.conf", cwd=tmp_path, env={"KALINT_FAIL_ON": "error"}).returncode == 1
    bare = kalint("--format", "concise", cwd=tmp_path)
    assert bare.returncode == 1 and b"keepalived.conf:" in bare.stdout
    assert subprocess.run([sys.executable, "-m", "kalint"], cwd=tmp_path, capture_output=True,
                          timeout=60).stdout == kalint(cwd=tmp_path).stdout


def _kalint_process(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    """``kalint ARGS`` as a shell runs it in the foreground: its own process group, and
    SIGINT not ignored (a background job inherits it ignored)."""
    import signal

    return subprocess.Popen([sys.executable, "-m", "kalint", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.parametrize("jobs", ["1", "0"])
def test_an_interrupt_exits_130_not_as_findings(tmp_path: Path, jobs: str) -> None:
    """Ctrl-C (SIGINT to the foreground group) while a large config is linted: exit 130,
    as shells report an interrupt; click's own handling said "Aborted!" and exit 1, which
    a CI job reads as findings. With ``--jobs 0`` the config's rules run on two processes."""
    import signal
    import time

    block = "vrrp_instance VI_{n} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {r}\n" \
            "    priority 100\n    virtual_ipaddress {{\n        192.0.2.{r}\n    }}\n}}\n"
    (tmp_path / "big.conf").write_text("".join(block.format(n=n, r=n % 255 + 1) for n in range(40000)))
    proc = _kalint_process(["check", "--no-cache", "--jobs", jobs, "big.conf"], tmp_path)
    time.sleep(1.5)  # past start-up, inside the lint (which takes several seconds)
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Aborted" not in err


def test_a_usage_error_exits_2_with_click_s_message(tmp_path: Path) -> None:
    proc = _kalint_process(["check", "--format", "nope", "x.conf"], tmp_path)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert b"Invalid value for '--format'" in err and b"Usage:" in err


def _program(code: str, *args: str) -> subprocess.CompletedProcess:
    """``code`` run before ``kalint ARGS`` as the console script runs it (``entry``)."""
    script = f"import sys\n{code}\nsys.argv = ['kalint', *{list(args)!r}]\nfrom kalint.cli import entry\nentry()\n"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


# The interpreter's teardown announces itself to audit hooks; atexit handlers run before it.
_TEARDOWN_WITNESS = (
    "import atexit, os\n"
    "sys.addaudithook(lambda event, args, write=os.write:\n"
    "                 event == 'cpython.PyInterpreterState_Clear' and write(2, b'teardown ran\\n'))\n"
    "atexit.register(lambda: print('atexit ran', file=sys.stderr, flush=True))"
)


def test_the_program_skips_the_teardown_but_flushes_and_runs_atexit() -> None:
    """The output is complete, the exit code kept and the atexit handlers run; the
    interpreter's teardown (freeing every object, 30 ms after a large config) is not."""
    run = _program(_TEARDOWN_WITNESS, "--no-cache", str(EXAMPLE))
    assert run.returncode == 1
    assert run.stdout == kalint("--no-cache", str(EXAMPLE)).stdout.decode()
    assert "Found 5 problems" in run.stdout
    assert run.stderr.splitlines() == ["atexit ran"]
    clean = _program(_TEARDOWN_WITNESS, "--no-cache", str(CLEAN))
    assert (clean.returncode, clean.stderr.splitlines()) == (0, ["atexit ran"])


def test_the_program_exits_as_python_does_while_another_thread_runs() -> None:
    """A thread still running (the language server's, a plugin's) gets Python's own exit,
    which waits for it: its last words are not cut off."""
    thread = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done', flush=True))).start()"
    )
    run = _program(f"{_TEARDOWN_WITNESS}\n{thread}", "--no-cache", str(CLEAN))
    assert run.returncode == 0
    assert run.stdout.splitlines()[-1] == "thread done"
    assert run.stderr.splitlines() == ["atexit ran", "teardown ran"]
