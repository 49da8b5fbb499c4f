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
    assert run.code in (0, 1) and "symbolic link" in run.stderr
    assert path.read_bytes() == raw
    run = run_cli(["--fix", str(path)])
    assert run.code in (0, 1), run.stderr
    assert path.read_bytes() == b"global_defs {\n  router_id caf\xe9\xff\n}\n"
    assert path.stat().st_mode & 0o7777 == 0o640
