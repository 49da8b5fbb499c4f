"""The CLI's result cache (kalint.resultcache): the same findings with and without it,
stale after any change that matters, and never trusted when it is not the user's own."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require_shared
from kalint import resultcache
from kalint.cli import main

PEER = (
    "vrrp_instance VI_1 {{\n    state {state}\n    interface eth0\n    virtual_router_id 51\n"
    "    priority {priority}\n    advert_int 1\n    virtual_ipaddress {{\n        192.0.2.10/24\n    }}\n}}\n"
)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KALINT_NO_CACHE", raising=False)
    monkeypatch.delenv("KALINT_CACHE_DIR", raising=False)
    return tmp_path / "cache"


def lint(cache: Path | None, *args: str) -> str:
    """The JSON report of ``kalint check``, with the cache in ``cache`` or without one."""
    flags = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    result = CliRunner().invoke(main, ["check", "--format", "json", *flags, *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def entries(cache: Path) -> list[str]:
    return sorted(os.listdir(cache)) if cache.exists() else []


def pair(tmp_path: Path, fixed: bool = False) -> list[str]:
    """Two peers: a config finding in a.conf, cluster findings (both MASTER, advert
    intervals differ) that change to another one (equal priorities) once ``fixed``."""
    (tmp_path / "a.conf").write_text("global_defs {\n    router_idd a\n}\n" + PEER.format(state="MASTER", priority=150))
    b = PEER.format(state="BACKUP", priority=150) if fixed else PEER.format(state="MASTER", priority=100)
    (tmp_path / "b.conf").write_text(b if fixed else b.replace("advert_int 1", "advert_int 2"))
    return [str(tmp_path / "a.conf"), str(tmp_path / "b.conf")]


def test_corpus_twice_gives_the_same_report(cache_dir: Path) -> None:
    corpus = sorted(str(p) for p in require_shared("corpus", "real").glob("*.conf"))
    args = ["--target-version", "2.2.7", *corpus]
    uncached = lint(None, *args)
    first = lint(cache_dir, *args)
    assert len(entries(cache_dir)) > len(corpus) // 2  # root entries, and the candidate set's
    second = lint(cache_dir, *args)
    assert json.loads(uncached)["diagnostics"]  # a report with findings, not an empty one
    assert first == uncached
    assert second == uncached


def test_a_hit_does_not_lint_again(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = pair(tmp_path)
    before = lint(cache_dir, *paths)
    from kalint.engine import Linter

    def refuse(*args: object) -> None:
        raise AssertionError("linted although cached")

    monkeypatch.setattr(Linter, "lint_source", refuse)
    monkeypatch.setattr(Linter, "lint_group", refuse)
    assert lint(cache_dir, *paths) == before


def test_a_changed_peer_relints_the_cluster(cache_dir: Path, tmp_path: Path) -> None:
    paths = pair(tmp_path)
    before = lint(cache_dir, *paths)
    assert "KA403" in before and "router_idd" in before
    pair(tmp_path, fixed=True)
    fresh = lint(None, *paths)
    assert "KA409" in fresh and "KA403" not in fresh
    assert lint(cache_dir, *paths) == fresh
    assert lint(cache_dir, *paths) == fresh


def test_a_changed_include_makes_the_entry_stale(cache_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "part.inc").write_text("global_defs {\n    router_id a\n}\n")
    main_conf = tmp_path / "main.conf"
    main_conf.write_text("include part.inc\n" + PEER.format(state="MASTER", priority=100))
    lint(cache_dir, str(main_conf))
    (tmp_path / "part.inc").write_text("global_defs {\n    router_idd a\n}\n")
    fresh = lint(None, str(main_conf))
    assert "router_idd" in fresh
    assert lint(cache_dir, str(main_conf)) == fresh
    (tmp_path / "part.inc").chmod(0o755)  # keepalived skips an executable include
    assert lint(cache_dir, str(main_conf)) == lint(None, str(main_conf))


def test_wildcard_includes_are_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    conf = tmp_path / "main.conf"
    conf.write_text("include parts/*.inc\n" + PEER.format(state="MASTER", priority=100))
    (tmp_path / "parts").mkdir()
    lint(cache_dir, str(conf))
    assert not [e for e in entries(cache_dir) if e.startswith(resultcache.ROOT_PREFIX)]
    (tmp_path / "parts" / "x.inc").write_text("bogus_keyword 1\n")
    assert "bogus_keyword" in lint(cache_dir, str(conf))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "flipped-body", "foreign-mode", "symlink"])
def test_a_damaged_or_foreign_entry_is_ignored(cache_dir: Path, tmp_path: Path, damage: str) -> None:
    paths = pair(tmp_path)
    expected = lint(cache_dir, *paths)
    for name in entries(cache_dir):
        entry = cache_dir / name
        data = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(b"\x00garbage")
        elif damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "flipped":  # right length and magic, wrong digest
            entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        elif damage == "flipped-body":  # right length and magic, wrong payload
            middle = len(data) // 2
            entry.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:])
        elif damage == "foreign-mode":  # well-formed, but writable by others: anyone could have written it
            entry.write_bytes(forged(data))
            entry.chmod(0o666)
        else:
            planted = tmp_path / f"planted-{name}"
            planted.write_bytes(forged(data))
            entry.unlink()
            entry.symlink_to(planted)
    assert "MASTER" in expected
    assert lint(cache_dir, *paths) == expected


def forged(data: bytes) -> bytes:
    """The entry with a message changed (to one as long) and a matching hash (what a
    planted entry looks like)."""
    body = data[len(resultcache._MAGIC):-32].replace(b"MASTER", b"FORGED")
    return resultcache._MAGIC + body + hashlib.sha256(body).digest()


def test_a_forged_entry_would_be_believed(cache_dir: Path, tmp_path: Path) -> None:
    """The control for the test above: a well-formed entry of the user's own is used as is."""
    paths = pair(tmp_path)
    lint(cache_dir, *paths)
    for name in entries(cache_dir):
        (cache_dir / name).write_bytes(forged((cache_dir / name).read_bytes()))
    assert "FORGED" in lint(cache_dir, *paths)


def test_a_directory_others_can_write_is_not_used(cache_dir: Path, tmp_path: Path) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o777)
    paths = pair(tmp_path)
    assert lint(cache_dir, *paths) == lint(None, *paths)
    assert entries(cache_dir) == []


def test_no_cache_and_clean(cache_dir: Path, tmp_path: Path) -> None:
    paths = pair(tmp_path)
    lint(None, *paths)
    assert not cache_dir.exists()
    lint(cache_dir, *paths)
    assert os.stat(cache_dir).st_mode & 0o777 == 0o700
    assert len(entries(cache_dir)) == 4  # two root configs, their peer group, the candidate set
    (cache_dir / "notes.txt").write_text("not kalint's")
    result = CliRunner().invoke(main, ["clean", "--cache-dir", str(cache_dir)])
    assert result.exit_code == 0 and "removed 4 cache entries" in result.output
    assert entries(cache_dir) == ["notes.txt"]


def test_cache_dir_setting(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".kalint.toml").write_text('cache-dir = "lint-cache"\n')
    paths = pair(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--format", "json", *paths])
    assert result.exit_code in (0, 1), result.output
    assert len(entries(tmp_path / "lint-cache")) == 4


def test_settings_are_part_of_the_key(cache_dir: Path, tmp_path: Path) -> None:
    conf = tmp_path / "new.conf"
    conf.write_text("global_defs {\n    dbus_no_interface_name x\n}\n" + PEER.format(state="MASTER", priority=100))
    reports = []
    for version in ("2.2.7", "2.3.4", "2.2.7"):
        reports.append(lint(cache_dir, "--target-version", version, str(conf)))
        assert reports[-1] == lint(None, "--target-version", version, str(conf))
    assert reports[0] != reports[1]  # the keyword is new in 2.3.0: reported only for 2.2.7


def test_worker_processes_fill_and_read_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    """``--jobs 2``: results come back from forked workers (pickled) with their keys."""
    for k in range(4):
        (tmp_path / f"site{k}").mkdir()
        pair(tmp_path / f"site{k}")
    args = ["--jobs", "2", str(tmp_path)]
    expected = lint(None, *args)
    assert lint(cache_dir, *args) == expected
    (tmp_path / "site0" / "b.conf").write_text(PEER.format(state="BACKUP", priority=150))
    expected = lint(None, *args)
    assert lint(cache_dir, *args) == expected
    assert lint(cache_dir, *args) == expected  # every entry warm


def test_every_field_of_a_finding_survives_the_cache() -> None:
    """Packing is generic over the dataclasses: a field added later is kept, not dropped."""
    from kalint.diagnostic import Diagnostic, Edit, Fix, Related, Severity
    from kalint.syntax.span import Span

    span = Span("a.conf", 1, 2, 3, 4)
    diag = Diagnostic("KA1", "m\udcff", span, Severity.INFO, "n", (Related(span, "r"),), "h",
                      Fix("d", (Edit(span, "t"),), safe=False), "id")
    packed = resultcache._pack(diag)
    assert resultcache._unpack(marshal.loads(marshal.dumps(packed))) == diag
    with pytest.raises(resultcache.Unstorable):
        resultcache._pack(diag.with_(help=object()))


def test_an_overlaid_config_is_cached_by_its_text(cache_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A config given as a buffer (pre-commit's committed version) is cached under its
    text like a file: the next run with the same buffer reads it, a different buffer
    does not."""
    from kalint.engine import Linter, LintOptions

    paths = pair(tmp_path)
    overlay = {os.path.realpath(paths[0]): b"global_defs {\n    router_idx a\n}\n"}
    cache = resultcache.ResultCache.open(str(cache_dir), Linter().registry, "grammar")
    first = Linter(LintOptions(overlay=overlay, cache=cache)).lint_paths(paths)
    assert any("router_idx" in d.message for d in first.diagnostics)
    linted: list[str] = []
    lint_source = Linter.lint_source
    monkeypatch.setattr(Linter, "lint_source", lambda self, main, *rest: (
        linted.append(main.path), lint_source(self, main, *rest))[1])
    again = Linter(LintOptions(overlay=overlay, cache=cache)).lint_paths(paths)
    assert (again.diagnostics, linted) == (first.diagnostics, [])
    other = {os.path.realpath(paths[0]): b"global_defs {\n    router_idy a\n}\n"}
    changed = Linter(LintOptions(overlay=other, cache=cache)).lint_paths(paths)
    assert any("router_idy" in d.message for d in changed.diagnostics) and linted == [paths[0]]


def test_an_overlaid_include_bypasses_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    """Includes are compared with the files on disk: a config that includes a buffer is
    neither read from the cache nor stored."""
    from kalint.engine import Linter, LintOptions

    main_conf, included = tmp_path / "main.conf", tmp_path / "part.conf"
    main_conf.write_text("include part.conf\n" + PEER.format(state="MASTER", priority=150))
    included.write_text("global_defs {\n    router_id a\n}\n")
    cache = resultcache.ResultCache.open(str(cache_dir), Linter().registry, "grammar")
    clean = Linter(LintOptions(cache=cache)).lint_paths([str(main_conf)])
    stored = entries(cache_dir)
    assert stored and not any("router_idx" in d.message for d in clean.diagnostics)
    overlay = {os.path.realpath(included): b"global_defs {\n    router_idx a\n}\n"}
    for _ in range(2):
        result = Linter(LintOptions(overlay=overlay, cache=cache)).lint_paths([str(main_conf)])
        assert any("router_idx" in d.message for d in result.diagnostics)
        assert entries(cache_dir) == stored


def sites(root: Path, count: int) -> None:
    """``count`` unrelated peer pairs, each in its own folder with its own VIP and VRID."""
    for k in range(count):
        (root / f"site{k}").mkdir(exist_ok=True)
        for path in pair(root / f"site{k}", fixed=True):
            text = Path(path).read_text().replace("192.0.2.10", f"192.0.2.{20 + k}")
            Path(path).write_text(text.replace("virtual_router_id 51", f"virtual_router_id {60 + k}"))


def test_one_changed_config_relints_only_its_peer_group(cache_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The other groups' cluster findings come from the cache, grouped from the summaries
    the root entries keep: their models are not even built."""
    from kalint.engine import Linter

    sites(tmp_path, 3)
    lint(cache_dir, str(tmp_path))
    changed = tmp_path / "site1" / "b.conf"
    changed.write_text(changed.read_text().replace("virtual_router_id 61", "virtual_router_id 99"))
    expected = lint(None, str(tmp_path))
    assert "KA401" in expected  # the pair no longer agrees on its VRID
    groups: list[list[str]] = []
    built: list[str] = []
    lint_group, build_model = Linter.lint_group, Linter.build_model
    monkeypatch.setattr(Linter, "lint_group", lambda self, part, members, labels: (
        groups.append(labels), lint_group(self, part, members, labels))[1])
    monkeypatch.setattr(Linter, "build_model", lambda self, main, *rest: (
        built.append(main.path), build_model(self, main, *rest))[1])
    assert lint(cache_dir, str(tmp_path)) == expected
    assert groups == [["site1/a.conf", "site1/b.conf"]]
    assert built == [str(tmp_path / "site1" / "a.conf")]  # b.conf was linted, a.conf only modelled
    groups.clear()
    assert lint(cache_dir, str(tmp_path)) == expected
    assert groups == []


def test_standard_input_beside_cached_peers(cache_dir: Path, tmp_path: Path) -> None:
    """A group with standard input is linted every time; its cached peers are modelled."""
    a, b = pair(tmp_path)
    args = ["-", b]
    expected = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", *args],
                                  input=Path(a).read_text()).stdout
    assert "KA403" in expected
    for _ in range(2):
        run = CliRunner().invoke(main, ["check", "--format", "json", "--cache-dir", str(cache_dir), *args],
                                 input=Path(a).read_text())
        assert run.exit_code == 1, run.output
        assert run.stdout == expected


def test_pre_commit_with_a_warm_cache(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit twice on the same change: the second run reads every root from the cache
    (a cached config has no model: blame reads what the entry keeps) and says the same."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    sites(tmp_path, 3)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sites"]):
        subprocess.run([*git, *step], cwd=tmp_path, check=True, capture_output=True)
    changed = tmp_path / "site2" / "a.conf"
    changed.write_text(changed.read_text().replace("virtual_router_id 62", "virtual_router_id 98"))
    monkeypatch.chdir(tmp_path)
    args = ["--changed-files", "site2/a.conf"]
    expected = lint(None, *args)
    assert [d["code"] for d in json.loads(expected)["diagnostics"]] == ["KA401"]
    assert lint(cache_dir, *args) == expected
    # From then on both versions of the changed config and both versions of its group
    # are cached: the committed version is what the previous commit's run linted.
    from kalint.engine import Linter

    linted: list[str] = []
    lint_source, lint_group = Linter.lint_source, Linter.lint_group
    monkeypatch.setattr(Linter, "lint_source", lambda self, main, *rest: (
        linted.append(main.path), lint_source(self, main, *rest))[1])
    monkeypatch.setattr(Linter, "lint_group", lambda self, part, members, labels: (
        linted.append(str(labels)), lint_group(self, part, members, labels))[1])
    assert [lint(cache_dir, *args) for _ in range(2)] == [expected] * 2
    assert linted == []


def test_a_change_to_a_rules_helper_module_makes_every_entry_stale() -> None:
    """Rule helpers (``rules/_placement.py``...) are code the findings depend on as much as
    the rule modules: in a checkout they lie outside the ``kalint`` package's folder."""
    from kalint import registry
    from kalint.rules import _placement

    load = registry.load()
    before = resultcache.fingerprint(load, "grammar")
    stat = os.stat(_placement.__file__)
    try:
        os.utime(_placement.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert resultcache.fingerprint(load, "grammar") != before
    finally:
        os.utime(_placement.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def committed_sites(tmp_path: Path, count: int) -> list[list[str]]:
    """``sites`` in a git repository, committed; the git command, for more commits."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    sites(tmp_path, count)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sites"]):
        subprocess.run([*git, *step], cwd=tmp_path, check=True, capture_output=True)
    return [git]


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The config files kalint reads from now on (``kalint.text.source.load``)."""
    from kalint.text import source

    seen: list[str] = []
    load = source.load

    def counting(path: str, data: bytes | None = None) -> source.SourceFile:
        if data is None:
            seen.append(os.path.normpath(path))
        return load(path, data)

    monkeypatch.setattr(source, "load", counting)
    return seen


def test_pre_commit_leaves_the_configs_a_change_does_not_touch_unread(
        cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After one cached run, pre-commit reads the changed config and what its peer group
    needs, not the other sites: they are known unchanged by their identity, and say the same."""
    monkeypatch.setattr(resultcache, "RACY_NS", 0)  # files written just now may be indexed
    committed_sites(tmp_path, 4)
    monkeypatch.chdir(tmp_path)
    changed = tmp_path / "site2" / "a.conf"
    changed.write_text(changed.read_text().replace("virtual_router_id 62", "virtual_router_id 98"))
    args = ["--changed-files", "site2/a.conf"]
    expected = lint(None, *args)
    assert [d["code"] for d in json.loads(expected)["diagnostics"]] == ["KA401"]
    read = reads(monkeypatch)
    assert lint(cache_dir, *args) == expected
    assert len(read) == 8  # the first run reads every config
    assert any(name.startswith(resultcache.INDEX_PREFIX) for name in entries(cache_dir))
    for _ in range(2):
        read.clear()
        assert lint(cache_dir, *args) == expected
        assert set(read) <= {"site2/a.conf", "site2/b.conf"}  # the change, its peer's model for the group
    assert lint(cache_dir, "--jobs", "2", *args) == expected  # unread in forked workers, sent back pickled


def test_a_rewrite_that_keeps_size_and_time_is_read_again(
        cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same size, modification time set back: the change time still moves."""
    monkeypatch.setattr(resultcache, "RACY_NS", 0)
    committed_sites(tmp_path, 2)
    monkeypatch.chdir(tmp_path)
    args = ["--changed-files", "site0/a.conf"]
    lint(cache_dir, *args)
    target = tmp_path / "site1" / "b.conf"
    before = target.stat()
    text = target.read_text()
    target.write_text(text.replace("BACKUP", "MASTE\u0052").replace("priority 150", "priority 151"))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    read = reads(monkeypatch)
    lint(cache_dir, *args)
    assert "site1/b.conf" in read and "site1/a.conf" not in read


def test_a_config_changed_just_before_it_was_read_is_not_indexed(
        cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Within a timestamp tick a second change could keep the identity: such a file is read
    again by the next run (git's racily clean files)."""
    committed_sites(tmp_path, 2)
    monkeypatch.chdir(tmp_path)
    lint(cache_dir, "--changed-files", "site0/a.conf")  # every file was written less than RACY_NS ago
    read = reads(monkeypatch)
    lint(cache_dir, "--changed-files", "site0/a.conf")
    assert {"site1/a.conf", "site1/b.conf"} <= set(read)


def test_configs_that_include_are_read_every_time(
        cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resultcache, "RACY_NS", 0)
    committed_sites(tmp_path, 2)
    including = tmp_path / "site1" / "a.conf"
    (tmp_path / "site1" / "defs.inc").write_text("global_defs {\n    router_id a\n}\n")
    including.write_text("include defs.inc\n" + including.read_text())
    monkeypatch.chdir(tmp_path)
    lint(cache_dir, "--changed-files", "site0/a.conf")
    read = reads(monkeypatch)
    lint(cache_dir, "--changed-files", "site0/a.conf")
    assert "site1/a.conf" in read and "site1/b.conf" not in read


def test_a_damaged_index_is_ignored(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resultcache, "RACY_NS", 0)
    committed_sites(tmp_path, 2)
    monkeypatch.chdir(tmp_path)
    args = ["--changed-files", "site0/a.conf"]
    expected = lint(None, *args)
    lint(cache_dir, *args)
    (index,) = [name for name in entries(cache_dir) if name.startswith(resultcache.INDEX_PREFIX)]
    body = resultcache._framed(marshal.dumps((index, {"site1/a.conf": ("not", "an", "entry")})))
    (cache_dir / index).write_bytes(resultcache._MAGIC + body + hashlib.sha256(body).digest())
    read = reads(monkeypatch)
    assert lint(cache_dir, *args) == expected
    assert "site1/a.conf" in read


@pytest.mark.parametrize(("limit", "kept"), [(2, ["new", "old"]), (1, ["new"])])
def test_an_index_keeps_earlier_entries_up_to_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        limit: int, kept: list[str]) -> None:
    from kalint.syntax import cache as private

    folder = private.private_dir(str(tmp_path / "cache"))
    assert folder is not None
    cache = resultcache.ResultCache(folder, b"fingerprint")
    entry = ((1, 2, 3, 4, 5), ("a.conf", None, "settings"), "key", [])
    index = resultcache._Index("s-test", {"old": entry}, {"new": entry}, changed=True)
    cache._indexes[b"prefix"] = index
    monkeypatch.setattr(resultcache, "INDEX_LIMIT", limit)
    cache.save()
    assert sorted(cache._read_value("s-test")[1]) == kept


@pytest.mark.parametrize("text", ["", "abc", "é\udc80\U0001f600" * 7, "x" * 10 + "\ud800", "\x00\n" * 9])
def test_a_text_is_digested_piecewise_as_if_encoded_at_once(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Cache keys digest a config's text a piece at a time (a 100 MB config encoded at
    once was a second copy of it): the digest must be that of the whole encoding, lone
    surrogates and pieces cut anywhere included."""
    monkeypatch.setattr(resultcache, "_HASH_CHUNK", 3)
    piecewise = hashlib.sha256()
    resultcache._hash_text(piecewise.update, text)
    assert piecewise.hexdigest() == hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _group_cache(tmp_path: Path) -> resultcache.ResultCache:
    from kalint.syntax import cache as private

    folder = private.private_dir(str(tmp_path / "cache"))
    assert folder is not None
    return resultcache.ResultCache(folder, b"fingerprint")


def _findings(count: int) -> list:
    from kalint.diagnostic import Diagnostic, Severity
    from kalint.syntax.span import Span

    return [Diagnostic(Span("a.conf", n + 1, 1, n + 1, 5), "KA516", "virtual-server-address-not-held",
                       Severity.WARNING, f"finding {n}") for n in range(count)]


def test_a_peer_group_entry_is_written_a_chunk_at_a_time_and_read_back_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A flood of peer findings (80,000 on a 100 MB config) is packed and written a
    chunk at a time, never all at once, and reads back as it was."""
    cache = _group_cache(tmp_path)
    found = _findings(2 * resultcache._CHUNK + 7)
    packed_at_once: list[int] = []
    dumps = marshal.dumps

    def recorded(value: object) -> bytes:
        if isinstance(value, list):
            packed_at_once.append(len(value))
        return dumps(value)

    monkeypatch.setattr(resultcache.marshal, "dumps", recorded)
    assert cache._stored("p-test", lambda: found) == found
    assert packed_at_once == [resultcache._CHUNK, resultcache._CHUNK, 7]
    assert cache._stored("p-test", lambda: pytest.fail("read, not linted again")) == found


def test_a_record_with_no_plain_form_leaves_no_file(tmp_path: Path) -> None:
    """A value that cannot be stored, met after the first records were written, stores
    nothing: no entry, no temporary file."""
    cache = _group_cache(tmp_path)

    def records() -> object:
        yield "first"
        raise resultcache.Unstorable("no plain form")

    cache._write("p-none", records)
    assert os.listdir(cache.folder) == []
    assert cache._read("p-none") is None


@pytest.mark.parametrize("damage", ["a length past the end", "a length short of a record", "a bad record"])
def test_an_entry_whose_records_do_not_add_up_is_not_read(tmp_path: Path, damage: str) -> None:
    """Records are read by their lengths: one that runs past the digest, stops before
    its record ends or does not unmarshal makes the entry unreadable (its digest
    matching: written by hand)."""
    cache = _group_cache(tmp_path)
    cache._write("p-ok", lambda: iter(["first", ("second", 2)]))
    assert cache._read("p-ok") == ["first", ("second", 2)]
    record = marshal.dumps(("second", 2))
    if damage == "a length past the end":
        body = resultcache._framed(marshal.dumps("first")) + (len(record) + 1).to_bytes(8, "little") + record
    elif damage == "a length short of a record":
        body = resultcache._framed(marshal.dumps("first")) + (len(record) - 1).to_bytes(8, "little") + record
    else:
        body = resultcache._framed(b"\xff" + record)
    (Path(cache.folder) / "p-bad").write_bytes(resultcache._MAGIC + body + hashlib.sha256(body).digest())
    assert cache._read("p-bad") is None
