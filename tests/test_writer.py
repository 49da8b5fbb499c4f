"""kalint.writer.write_atomic: the one place kalint writes user files (``--fix``, format)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from safety_support import watchdog

from kalint.text import source
from kalint.writer import WriteRefused, write_atomic

ORIGINAL = b"global_defs {\n  router_id lb1\n}\n"
NEW = b"global_defs {\n  router_id lb2\n}\n"


def _temp_files(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".kalint-")]


def test_replaces_through_a_temp_file_in_the_same_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    renames = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        renames.append((src, dst))
        assert Path(dst).read_bytes() == ORIGINAL, "the original must be intact until the rename"
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert write_atomic(str(path), NEW) is True
    assert path.read_bytes() == NEW
    ((src, dst),) = renames
    assert Path(src).parent == tmp_path and Path(dst) == path
    assert _temp_files(tmp_path) == []


def test_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    path.chmod(0o640)
    write_atomic(str(path), NEW)
    assert path.stat().st_mode & 0o7777 == 0o640


@pytest.mark.parametrize("failing", ["write", "fsync", "chmod", "replace"])
def test_never_truncates_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class FullDisk:
            def __init__(self, fd: int, mode: str) -> None:
                self.file = real_fdopen(fd, mode)

            def __enter__(self) -> FullDisk:
                return self

            def __exit__(self, *exc: object) -> None:
                self.file.close()

            def write(self, data: bytes) -> None:
                self.file.write(data[: len(data) // 2])
                disk_full()

        monkeypatch.setattr(os, "fdopen", FullDisk)
    else:
        monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError):
        write_atomic(str(path), NEW * 1000)
    monkeypatch.undo()
    assert path.read_bytes() == ORIGINAL
    assert _temp_files(tmp_path) == []


def test_refuses_symlinks_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "real.conf"
    target.write_bytes(ORIGINAL)
    link = tmp_path / "link.conf"
    link.symlink_to(target.name)
    with pytest.raises(WriteRefused, match="symbolic link"):
        write_atomic(str(link), NEW)
    assert target.read_bytes() == ORIGINAL and link.is_symlink()
    assert write_atomic(str(link), NEW, follow_symlinks=True) is True
    assert target.read_bytes() == NEW and link.is_symlink(), "the target is written, the link stays a link"


def test_refuses_special_files_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.conf"
    os.mkfifo(fifo)
    with watchdog(60), pytest.raises(WriteRefused, match="not a regular file"):
        write_atomic(str(fifo), NEW)


def test_undecodable_bytes_are_written_back_exactly(tmp_path: Path) -> None:
    raw = b"global_defs {\n  router_id caf\xe9 \xff\xfe\x80 \xc3\x28\n}\n"
    path = tmp_path / "keepalived.conf"
    path.write_bytes(b"")
    text = source.load(str(tmp_path / "x"), raw).text
    write_atomic(str(path), source.encode(text))
    assert path.read_bytes() == raw


def test_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    assert write_atomic(str(path), ORIGINAL) is False
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert _temp_files(tmp_path) == []


def test_fix_through_the_cli_keeps_bytes_and_mode_and_refuses_symlinks(tmp_path: Path) -> None:
    """``kalint --fix`` writes through write_atomic: other lines byte for byte, mode kept,
    a symlinked config refused (and left as it was)."""
    from safety_support import run_cli

    raw = b"global_defs {\n  router_id caf\xe9\xff\n  router_id caf\xe9\xff\n}\n"
    path = tmp_path / "keepalived.conf"
    path.write_bytes(raw)
    path.chmod(0o640)
    link = tmp_path / "link.conf"
    link.symlink_to(path.name)
    run = run_cli(["--fix", str(link)])
    assert run.code == 2 and "not fixed: is a symbolic link" in run.stderr, "a refused write is a failure"
    assert path.read_bytes() == raw
    run = run_cli(["--fix", str(path)])
    assert run.code in (0, 1), run.stderr
    assert path.read_bytes() == b"global_defs {\n  router_id caf\xe9\xff\n}\n"
    assert path.stat().st_mode & 0o7777 == 0o640


# -- writes are to the file the user meant (issue 23, rows 4, 9 and 15) -----------------


def test_keeps_setuid_setgid_and_owner(tmp_path: Path) -> None:
    """chown() clears setuid/setgid: the mode is set after it (row 15: setuid dropped)."""
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    path.chmod(0o6750)
    if path.stat().st_mode & 0o6000 != 0o6000:
        pytest.skip("this file system does not keep setuid/setgid bits")
    write_atomic(str(path), NEW)
    assert path.read_bytes() == NEW
    assert path.stat().st_mode & 0o7777 == 0o6750


def test_refuses_hard_linked_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    other = tmp_path / "other-name.conf"
    os.link(path, other)
    with pytest.raises(WriteRefused, match="2 hard links"):
        write_atomic(str(path), NEW)
    assert path.read_bytes() == other.read_bytes() == ORIGINAL and path.stat().st_nlink == 2
    assert write_atomic(str(path), NEW, force=True) is True
    assert path.read_bytes() == NEW and other.read_bytes() == ORIGINAL, "--force replaces this name only"


def test_refuses_read_only_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    path.chmod(0o444)
    with pytest.raises(WriteRefused, match="read-only"):
        write_atomic(str(path), NEW)
    assert path.read_bytes() == ORIGINAL
    assert write_atomic(str(path), NEW, force=True) is True
    assert path.read_bytes() == NEW and path.stat().st_mode & 0o7777 == 0o444


def test_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    edited = ORIGINAL + b"# saved by an editor meanwhile\n"
    path.write_bytes(edited)
    with pytest.raises(WriteRefused, match="changed since kalint read it"):
        write_atomic(str(path), NEW, original=ORIGINAL)
    assert path.read_bytes() == edited and _temp_files(tmp_path) == []
    assert write_atomic(str(path), NEW, original=edited) is True


def test_refuses_a_file_changed_while_it_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 9: an edit saved while the temporary file is written (same size, same second)
    is kept; the content and the stat are compared right before the rename."""
    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    stamp = path.stat().st_mtime_ns
    edited = ORIGINAL.replace(b"lb1", b"lbX")
    real_fsync = os.fsync

    def editor_saves(fd: int) -> None:
        real_fsync(fd)
        path.write_bytes(edited)
        os.utime(path, ns=(stamp, stamp))  # even with the old mtime and size

    monkeypatch.setattr(os, "fsync", editor_saves)
    with pytest.raises(WriteRefused, match="changed while kalint was writing"):
        write_atomic(str(path), NEW, original=ORIGINAL)
    assert path.read_bytes() == edited and _temp_files(tmp_path) == []


def test_sigterm_removes_the_temporary_file_and_kills(tmp_path: Path) -> None:
    """Row 15: SIGTERM while the temporary file exists removes it, leaves the original,
    and the process still dies of SIGTERM."""
    import signal
    import subprocess
    import sys

    path = tmp_path / "keepalived.conf"
    path.write_bytes(ORIGINAL)
    script = (
        "import os, signal\n"
        "from kalint.writer import write_atomic\n"
        "real = os.fsync\n"
        "def fsync(fd):\n"
        "    real(fd)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "os.fsync = fsync\n"
        f"write_atomic({str(path)!r}, b'x' * 10_000_000)\n"
        "print('survived')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert proc.returncode == -signal.SIGTERM, proc.stderr
    assert b"survived" not in proc.stdout
    assert path.read_bytes() == ORIGINAL and _temp_files(tmp_path) == []


def test_format_reports_refused_writes_as_failed(tmp_path: Path) -> None:
    """Row 15: no "reformatted" for a file that was not written; exit 2; --force writes it."""
    from safety_support import run_cli

    messy = b"global_defs {\nrouter_id lb1\n}\n"
    path = tmp_path / "keepalived.conf"
    path.write_bytes(messy)
    path.chmod(0o444)
    run = run_cli(["format", str(path)])
    assert run.code == 2, run.stderr
    assert "read-only" in run.stderr and "reformatted" not in run.stderr.replace("0 reformatted", "")
    assert "1 not written" in run.stderr and path.read_bytes() == messy
    run = run_cli(["format", "--force", str(path)])
    assert run.code == 0, run.stderr
    assert path.read_bytes() == b"global_defs {\n    router_id lb1\n}\n" and path.stat().st_mode & 0o777 == 0o444


def test_format_on_a_full_disk_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from safety_support import run_cli

    messy = b"global_defs {\nrouter_id lb1\n}\n"
    path = tmp_path / "keepalived.conf"
    path.write_bytes(messy)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    run = run_cli(["format", str(path)])
    assert run.code == 2
    assert "No space left on device" in run.stderr and f"reformatted {path}" not in run.stderr
    assert "0 reformatted" in run.stderr and path.read_bytes() == messy and _temp_files(tmp_path) == []


def test_format_keeps_an_edit_saved_while_it_ran(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 9: the file is edited after format read it: the edit stays, exit 2."""
    from safety_support import run_cli

    from kalint.cli import format as formatcli

    path = tmp_path / "keepalived.conf"
    path.write_bytes(b"global_defs {\nrouter_id lb1\n}\n")
    edited = b"global_defs {\nrouter_id lb2\n}\n"
    real = formatcli.format_source

    def slow_format(*args: object, **kwargs: object) -> object:
        path.write_bytes(edited)  # the editor saves while kalint formats
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(formatcli, "format_source", slow_format)
    run = run_cli(["format", str(path)])
    assert run.code == 2 and "changed since kalint read it" in run.stderr
    assert path.read_bytes() == edited


def test_fix_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    from safety_support import run_cli

    raw = b"global_defs {\n  router_id lb1\n  router_id lb1\n}\n"
    path = tmp_path / "keepalived.conf"
    path.write_bytes(raw)
    os.link(path, tmp_path / "backup.conf")
    run = run_cli(["--fix", "--isolated", str(path)])
    assert run.code == 2 and "hard links" in run.stderr and "fixed" not in run.stderr.replace("not fixed", "")
    assert path.read_bytes() == raw
    run = run_cli(["--fix", "--force", "--isolated", str(path)])
    assert run.code in (0, 1), run.stderr
    assert path.read_bytes() == b"global_defs {\n  router_id lb1\n}\n"


def test_output_refuses_a_symlinked_report_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 4: a pull request commits kalint.sarif (or reports/) as a link: its target stays."""
    from safety_support import run_cli

    (tmp_path / "keepalived.conf").write_bytes(ORIGINAL)
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    (tmp_path / "kalint.sarif").symlink_to(victim)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "reports").symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path)
    run = run_cli(["--isolated", "--format", "sarif", "--output", "kalint.sarif", "keepalived.conf"])
    assert run.code == 2 and "symbolic link" in run.stderr and "report not written" in run.stderr
    assert victim.read_bytes() == b"precious\n" and (tmp_path / "kalint.sarif").is_symlink()
    run = run_cli(["--isolated", "--format", "sarif", "--output", "reports/kalint.sarif", "keepalived.conf"])
    assert run.code == 2 and "`reports` is a symbolic link" in run.stderr
    assert list(elsewhere.iterdir()) == []
    run = run_cli(["--isolated", "--format", "sarif", "--output", "out.sarif", "keepalived.conf"])
    assert run.code == 0, run.stderr
    assert (tmp_path / "out.sarif").read_text().lstrip().startswith("{") and _temp_files(tmp_path) == []
