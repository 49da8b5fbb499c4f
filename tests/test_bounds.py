"""Issue 23: hostile input costs a bounded, linear amount of work, reads nothing outside
the tree, and every report stays complete. One test per reproducer (rows 2, 3, 5, 6, 7,
10, 11, 12, 17); runaway cases run with a small budget, so each takes well under a second."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from safety_support import lint_all_formats, run_cli, watchdog

from kalint import parallel
from kalint.diagnostic import Diagnostic, Severity
from kalint.engine import Linter, LintOptions
from kalint.report import github
from kalint.syntax.span import Span
from kalint.text import budget, expand

CONFIG = "global_defs {\n  router_id lb1\n}\n"
SMALL_FLOOR = 2_000


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "FLOOR", SMALL_FLOOR)


def _lint(*paths: Path, **options: object) -> list[Diagnostic]:
    with watchdog(10):
        return Linter(LintOptions(jobs=1, **options)).lint_paths([str(p) for p in paths]).diagnostics  # type: ignore[arg-type]


def _codes(diagnostics: list[Diagnostic]) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in diagnostics]


def _spy_work(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Work units of every expansion made from now on."""
    spent: list[int] = []
    real = expand.expand

    def counting(main: expand.SourceFile, options: expand.Options | None = None) -> expand.Expansion:
        result = real(main, options)
        spent.append(result.work)
        return result

    monkeypatch.setattr(expand, "expand", counting)
    return spent


# -- rows 2, 3, 12: one finding at the line that ran over, and bounded work ------------------


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("groups", [12, 24, 40])
def test_brace_alternatives_stop_at_the_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, groups: int) -> None:
    """Row 2: `include {a,b}{a,b}...` doubles per group (24 groups: 109 s, 1.5 GB)."""
    config = tmp_path / "keepalived.conf"
    config.write_text(CONFIG + "include " + "{a,b}" * groups + "\n")
    spent = _spy_work(monkeypatch)
    assert _codes(_lint(config)) == [("KA018", 4)]
    assert max(spent) <= budget.allowance(5) + 1  # 4 lines and the empty one after them


@pytest.mark.usefixtures("small_budget")
def test_files_including_each_other_by_glob(tmp_path: Path) -> None:
    """Row 3: 40 files that each `include *.conf` (no cycle ever closes a path early)."""
    for i in range(40):
        (tmp_path / f"f{i:02}.conf").write_text("include *.conf\n" + CONFIG)
    diagnostics = _lint(tmp_path / "f00.conf")
    assert _codes(diagnostics) == [("KA018", 1)]


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize(
    ("main", "files"),
    [
        pytest.param("~SEQ(i,1,10000) include frag.conf\n", {"frag.conf": CONFIG}, id="seq-include"),
        pytest.param("include f1.conf\n" * 50, {f"f{i}.conf": f"include f{i + 1}.conf\n" * 50 for i in range(1, 4)}
                     | {"f4.conf": CONFIG}, id="each-includes-the-next-50-times"),
    ],
)
def test_repeated_includes(tmp_path: Path, main: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "keepalived.conf").write_text(main)
    assert _codes(_lint(tmp_path / "keepalived.conf")) == [("KA018", 1)]


@pytest.mark.usefixtures("small_budget")
def test_self_referencing_parameter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 12: a `$NAME` whose value uses itself twice grows with every use (130 bytes: 20 s)."""
    config = tmp_path / "keepalived.conf"
    config.write_text("$A=x { $A $A\nglobal_defs {\n  router_id $A\n}\n$A\n$A\n$A\n$A\n")
    spent = _spy_work(monkeypatch)
    assert _codes(_lint(config)) == [("KA018", 3)]
    assert max(spent) <= budget.allowance(9) + 1


def test_a_real_large_config_is_far_from_the_budget() -> None:
    """genconf's 130k-line config spends one unit per line (here 20k lines, forced through
    the slow path): a budget of 64 per line leaves a wide margin."""
    block = "vrrp_instance VI_$I {\n  state BACKUP\n  interface eth0\n  virtual_router_id 1\n}\n"
    text = "$I=1\n" + block * 4000
    result = expand.expand(expand.SourceFile("big.conf", text))
    assert not result.exhausted
    assert result.work < 2 * text.count("\n")


# -- row 7: @id variants ----------------------------------------------------------------------


def _ids(n: int) -> str:
    return CONFIG + "".join(f"@id{i} vrrp_instance V{i} {{ interface eth0 }}\n" for i in range(n))


def test_many_config_ids_cost_linear_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 7: 2,000 `@id` lines were linted 2,000 times (ids² work, 35 s, 1.5 GB). The ids
    share one budget, so twice the ids cost about twice the work, and one KA018 names the
    first id not checked (here with 8 units a line instead of 16, to be quick)."""
    totals = []
    for n in (1000, 2000):
        config = tmp_path / f"ids{n}.conf"
        config.write_text(_ids(n))
        monkeypatch.setattr(budget, "VARIANT_FLOOR", SMALL_FLOOR)
        monkeypatch.setattr(budget, "VARIANT_PER_LINE", 8)
        spent = _spy_work(monkeypatch)
        diagnostics = _lint(config)
        limit = budget.variants_allowance(n + 4)
        monkeypatch.undo()
        (budget_finding,) = [d for d in diagnostics if d.code == "KA018"]
        assert f"names {n:,} config ids" in budget_finding.message
        assert (budget_finding.span.line, budget_finding.span.column) > (4, 0)
        totals.append(sum(spent))
        assert sum(spent) <= limit + max(spent)
    assert totals[1] / totals[0] < 2.5


def test_a_few_config_ids_are_all_checked(tmp_path: Path) -> None:
    config = tmp_path / "keepalived.conf"
    config.write_text(_ids(5))
    diagnostics = _lint(config)
    assert "KA018" not in [d.code for d in diagnostics]


# -- row 11: brace floods ----------------------------------------------------------------------


def test_two_hundred_kilobytes_of_open_braces(tmp_path: Path) -> None:
    """Row 11: 200 KB of `{` was 400k findings, 181 MB of text, 33 s, 1.6 GB."""
    config = tmp_path / "keepalived.conf"
    config.write_text("{" * 200_000)
    runs = lint_all_formats([str(config)], formats=("json",))
    assert len(runs["json"].stdout) < 1_000_000
    codes = [d["code"] for d in json.loads(runs["json"].stdout)["diagnostics"]]
    assert codes.count("KA018") == 1 and len(codes) < 1000


def test_findings_past_the_cap_are_summed_up(tmp_path: Path) -> None:
    config = tmp_path / "keepalived.conf"
    config.write_text("}\n" * 100_000)
    diagnostics = _lint(config)
    assert [d.code for d in diagnostics].count("KA001") == 1000
    (summary,) = [d for d in diagnostics if d.code == "KA019"]
    assert summary.message.startswith("and 99,000 more KA001 in this file")
    assert summary.severity is Severity.ERROR


# -- rows 5 and 6: nothing outside the tree ------------------------------------------------------


SECRET = "s3cr3t-0a9b"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout (the working directory) next to a folder outside it holding a secret."""
    outside = tmp_path / "etc"
    (outside / "ssh").mkdir(parents=True)
    (outside / "ssh" / "sshd_config").write_text(f"global_defs {{\n  router_id {SECRET}\n}}\n")
    (outside / "passwd").write_text(f"root:x:0:0:{SECRET}\n")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "l").symlink_to(outside)
    (checkout / "evil.conf").symlink_to(outside / "passwd")
    (checkout / "ok.conf").write_text(CONFIG)
    monkeypatch.chdir(checkout)
    return checkout


@pytest.mark.parametrize("args", [["evil.conf"], ["l/passwd"], ["--changed-files", "evil.conf"],
                                  ["--changed-files", "l/passwd"]])
def test_named_paths_get_the_walks_protection(repo: Path, args: list[str]) -> None:
    """Row 5: a file named on the command line (or as changed) that resolves outside the
    checkout is reported, not read; --allow-outside-includes reads it."""
    runs = lint_all_formats(args)
    for run in runs.values():
        assert SECRET not in run.stdout + run.stderr
    assert [(d["code"], d["path"]) for d in json.loads(runs["json"].stdout)["diagnostics"]] == [("KA008", args[-1])]
    assert SECRET in run_cli(["--allow-outside-includes", "--format", "json", *args]).stdout


@pytest.mark.parametrize("pattern", ["l*/ssh/*", "l/ssh/*", "*/ssh/sshd_config"])
def test_include_globs_do_not_walk_links_out_of_the_tree(repo: Path, pattern: str) -> None:
    """Row 6: `include l*/ssh/*` with `l -> /etc` listed /etc/ssh; a deep glob through a
    link to `/` walked the whole file system."""
    (repo / "keepalived.conf").write_text(f"include {pattern}\n" + CONFIG)
    runs = lint_all_formats(["keepalived.conf"])
    for run in runs.values():
        assert SECRET not in run.stdout + run.stderr and "sshd_config" not in run.stdout.replace(pattern, "")
    assert [d["code"] for d in json.loads(runs["json"].stdout)["diagnostics"]] == ["KA008"]


def test_a_glob_through_a_link_to_the_root_is_not_walked(repo: Path) -> None:
    (repo / "root").symlink_to("/")
    (repo / "keepalived.conf").write_text("include r*/*/*/*/*/*\n" + CONFIG)
    with watchdog(5):
        diagnostics = Linter(LintOptions(jobs=1)).lint_paths(["keepalived.conf"]).diagnostics
    assert [(d.code, d.span.line) for d in diagnostics] == [("KA008", 1)]
    assert "`root`" in diagnostics[0].message


# -- row 10: GitHub annotations ------------------------------------------------------------------


def test_github_overflow_lines_are_escaped_like_annotations() -> None:
    """Row 10: past ten annotations, findings were printed as raw lines: a file name with
    a newline started a `::error` workflow command of its own."""
    name = "x.conf\n::error file=pwned.conf::injected"
    findings = [Diagnostic("KA201", f"bad {n}\n::warning::x", Span(name, n, 1, n, 2), Severity.ERROR)
                for n in range(1, 15)]
    lines = github.render(findings, [(name, "cannot read\n::error::x")]).splitlines()
    assert len(lines) == 16  # one error, 14 findings, the summary: no line was split
    assert not any(line.startswith("::") and not line.startswith(("::error file=", "::warning file="))
                   for line in lines)
    assert all("\n" not in line and "::error file=pwned" not in line for line in lines)


# -- row 17: a worker killed -----------------------------------------------------------------------


def _die_in_worker(parent: int, victim: str, item: str) -> str:
    if os.getpid() != parent and item == victim:
        os.kill(os.getpid(), signal.SIGKILL)
    return item.upper()


def test_items_of_a_killed_worker_are_done_again_in_the_parent() -> None:
    items = [f"item{i}" for i in range(40)]
    parent = os.getpid()
    with watchdog(20):
        results = list(parallel.map_ordered(lambda item: _die_in_worker(parent, "item7", item), items, 2))
    assert results == [item.upper() for item in items]


def test_jobs_report_stays_complete_when_a_worker_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 17: `--jobs 2` and a worker killed was exit 2, BrokenProcessPool, empty stdout."""
    for i in range(6):
        (tmp_path / f"lb{i}.conf").write_text(CONFIG + "vrrp_instance VI_1 {\n  prority 100\n}\n")
    parent = os.getpid()
    real = Linter._lint_root

    def dying(self: Linter, path: str, *args: object) -> object:
        if os.getpid() != parent and path.endswith("lb3.conf"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Linter, "_lint_root", dying)
    run = run_cli(["--jobs", "2", "--format", "json", *sorted(str(p) for p in tmp_path.iterdir())])
    report = json.loads(run.stdout)
    assert run.code == 1 and report["errors"] == []
    assert sorted({Path(d["path"]).name for d in report["diagnostics"]}) == [f"lb{i}.conf" for i in range(6)]


# -- fuzzing: mutated configs with hostile expansion, under the time and work bounds ---------------

#: ``KALINT_BOUNDS_FUZZ_EXAMPLES=10000 pytest tests/test_bounds.py -k fuzz`` for the long run.
FUZZ_EXAMPLES = int(os.environ.get("KALINT_BOUNDS_FUZZ_EXAMPLES", "50"))
HOSTILE = [
    b"include " + b"{a,b}" * 18 + b".conf\n", b"include *.conf\n", b"include */*\n", b"include l*/*\n",
    b"~SEQ(i,1,10000) include frag.conf\n", b"~SEQ(i,1,10000) ~SEQ(j,1,10000) x $i $j\n",
    b"$A=x { $A $A\n", b"$A $A\n", b"$B=${B} {\n", b"${B}\n", b"@id1 ", b"@^id2 ", b"{" * 3000, b"}\n" * 1500,
    b"\n".join(b"@h%d vrrp_instance V%d { }" % (i, i) for i in range(300)) + b"\n",
]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where fuzzed configs live: fragments to include, each including the others by glob,
    and a link out of the tree."""
    folder = tmp_path_factory.mktemp("bounds-fuzz")
    for name in ("a", "b", "frag"):
        (folder / f"{name}.conf").write_text("include *.conf\n" + CONFIG)
    (folder / "l").symlink_to("/etc")
    return folder


def test_fuzzed_hostile_expansion_stays_within_bounds(fuzz_dir: Path) -> None:
    """Mutated real configs with hostile expansion inserted: no exception, no KA000, every
    expansion within its budget, each lint under 10 s (the watchdog)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_fuzz import mutated_configs

    from kalint.report import json_format

    real = expand.expand
    spent: list[tuple[int, int]] = []

    def counting(main: expand.SourceFile, options: expand.Options | None = None) -> expand.Expansion:
        result = real(main, options)
        distinct = {os.path.realpath(s.path): s.line_count for s in result.sources}
        spent.append((result.work, budget.allowance(sum(distinct.values()))))
        return result

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated_configs(), st.lists(st.tuples(st.sampled_from(HOSTILE), st.integers(0, 10**6)), max_size=3))
    def check(data: bytes, inserts: list[tuple[bytes, int]]) -> None:
        for fragment, at in inserts:
            at %= len(data) + 1
            data = data[:at] + fragment + data[at:]
        path = fuzz_dir / "fuzz.conf"
        path.write_bytes(data)
        spent.clear()
        with watchdog(10):
            result = Linter(LintOptions(jobs=1)).lint_paths([str(path)])
            json_format.render(result.diagnostics, result.errors)
        assert not [e for e in result.errors if "internal error" in e[1]]
        assert "KA000" not in {d.code for d in result.diagnostics}
        assert all(work <= limit + budget.FILE_COST for work, limit in spent), spent

    expand.expand = counting  # type: ignore[assignment]
    try:
        check()
    finally:
        expand.expand = real  # type: ignore[assignment]


@pytest.mark.usefixtures("small_budget")
def test_an_unclosed_brace_group_with_many_commas(tmp_path: Path) -> None:
    """Found by the fuzz test: `{a,a,a,...` without `}` backtracked once per comma at every
    `{a,b}` level of the alternatives (hours for one line)."""
    config = tmp_path / "keepalived.conf"
    config.write_text("include " + "{a,b}" * 16 + "{" + "a," * 400 + "\n" + CONFIG)
    assert [code for code, _ in _codes(_lint(config))] == ["KA018"]


@pytest.mark.usefixtures("small_budget")
def test_format_with_many_config_ids_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Row 7, `format --check`: the layout was verified under each of 2,000 ids (89 s)."""
    from kalint import formatter

    monkeypatch.setattr(budget, "VARIANT_FLOOR", SMALL_FLOOR)
    monkeypatch.setattr(budget, "VARIANT_PER_LINE", 8)
    with watchdog(10):
        outcome = formatter.format_source(expand.SourceFile("k.conf", _ids(2000)))
    assert outcome.text is None and "too many config ids" in outcome.problems[0].message
    few = formatter.format_source(expand.SourceFile("k.conf", _ids(3)))
    assert few.text is not None and few.problems == []
