#!/usr/bin/env python3
"""kalint benchmarks: one command, one table, every row measured side by side.

    .venv/bin/python bench/bench.py            # full run (about two minutes)
    .venv/bin/python bench/bench.py --quick    # fewer repetitions

Each row runs its commands interleaved (a, b, a, b, ...) in the same run, so a machine
that gets busier slows both sides alike, and reports the median. The reference is
``keepalived -t -f`` on the same input; the cold-start baseline is the same interpreter
importing kalint's parsing and CLI dependencies (``python -c "import lark, click"``).

Inputs come from ``genconf.py`` (``$KALINT_SHARED/bench/genconf.py`` or
``../shared/bench/genconf.py``, or ``--genconf``), written to a temporary directory.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import io
import os
import platform
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
#: Measured commands run with bytecode caching on, as after ``pip install`` (which
#: compiles every module, kalint's as well as lark's and click's) even when the
#: calling shell sets PYTHONDONTWRITEBYTECODE (an editable install compiles on first use),
#: and import kalint from the checkout this file is in, whichever checkout the
#: interpreter's editable install points at (``kalint_origin`` checks it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHECKOUT), os.environ.get("PYTHONPATH")]))
SMALL_CONF = HERE / "small.conf"
MIB = 1024 * 1024


@dataclass(slots=True)
class Run:
    seconds: float
    max_rss: int  # bytes
    cpu: float = 0.0  # user + system seconds, the process and the children it waited for


def run_once(argv: list[str], cwd: Path | None = None) -> Run:
    """Wall time, peak RSS and CPU time of one process (wait4 gives the child's own rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=ENV,
                            cwd=cwd)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4; keep Popen from waiting again
    return Run(elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


def run_piped(argv: list[str]) -> Run:
    """stdout is a pipe that is read to the end, as in ``kalint x.conf | less``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=ENV)
    assert proc.stdout is not None
    proc.stdout.read()
    proc.stdout.close()
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = 0
    return Run(elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


def run_tty(argv: list[str]) -> Run:
    """stdout is a pseudo-terminal (what a developer sees: colours, rich)."""
    master, slave = pty.openpty()
    drained = threading.Thread(target=_drain, args=(master,), daemon=True)
    drained.start()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=ENV)
    os.close(slave)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = 0
    drained.join(timeout=5)
    os.close(master)
    return Run(elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


def _drain(fd: int) -> None:
    with contextlib.suppress(OSError):
        while os.read(fd, 65536):
            pass


def tree_memory(argv: list[str], every: float = 0.005) -> int:
    """Peak memory of a process and its children together (bytes): the sum of their
    proportional set sizes (PSS: a page shared by n processes counts 1/n in each),
    sampled every ``every`` seconds from /proc. ``ru_maxrss`` gives one process's peak,
    and a large config's rules run in a forked child (``kalint.split``) whose private
    copies it never counts; 0 where /proc has no ``smaps_rollup``."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=ENV)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss(pid) for pid in (proc.pid, *_children(proc.pid))))
        time.sleep(every)
    return peak


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        return []


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_many(argvs: list[list[str]]) -> Run:
    """Several processes one after the other (a shell loop over files)."""
    start = time.perf_counter()
    runs = [run_once(argv) for argv in argvs]
    return Run(time.perf_counter() - start, max(r.max_rss for r in runs), sum(r.cpu for r in runs))


def interleaved(funcs: list, repeat: int, warmup: int = 1) -> list[list[Run]]:
    """Call each function in turn ``repeat`` times; the first ``warmup`` rounds are dropped."""
    results: list[list[Run]] = [[] for _ in funcs]
    for round_ in range(warmup + repeat):
        for i, func in enumerate(funcs):
            run = func()
            if round_ >= warmup:
                results[i].append(run)
    return results


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu for r in runs)


# -- inputs ----------------------------------------------------------------------------


def find_genconf(given: str | None) -> Path:
    candidates = [given] if given else []
    if os.environ.get("KALINT_SHARED"):
        candidates.append(os.path.join(os.environ["KALINT_SHARED"], "bench", "genconf.py"))
    candidates.append(str(HERE.parent.parent / "shared" / "bench" / "genconf.py"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return Path(candidate)
    sys.exit("bench: genconf.py not found; pass --genconf or set KALINT_SHARED")


def generator(genconf: Path):
    """genconf's main(), called in-process (1000 configs, no 1000 interpreter starts)."""
    spec = importlib.util.spec_from_file_location("genconf", genconf)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def generate(path: Path, *args: str) -> int:
        saved = sys.argv
        sys.argv = ["genconf.py", *args]
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                module.main()
        finally:
            sys.argv = saved
        text = out.getvalue()
        path.write_text(text)
        return text.count("\n")

    return generate


# -- environment -----------------------------------------------------------------------


def kalint_command() -> list[str]:
    script = shutil.which("kalint", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "kalint"]


def kalint_origin() -> str:
    """The kalint package the measured commands import: this checkout's, or exit."""
    out = subprocess.run([sys.executable, "-c", "import kalint, kalint.rules; print(kalint.__file__, kalint.rules.__file__)"],
                         capture_output=True, text=True, env=ENV, check=True).stdout.split()
    if not all(Path(path).resolve().is_relative_to(CHECKOUT) for path in out):
        sys.exit(f"bench: the measured kalint is {out}, not this checkout's ({CHECKOUT})")
    return str(CHECKOUT)


def machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.release()}"


def versions(keepalived: str) -> str:
    import lark

    try:
        out = subprocess.run([keepalived, "-v"], capture_output=True, text=True, timeout=10)
        ka = (out.stdout + out.stderr).split("\n", 1)[0].strip()
    except OSError:
        ka = "keepalived not found"
    from importlib.metadata import version

    return f"Python {platform.python_version()}, lark {lark.__version__}, click {version('click')}, {ka}"


# -- the table -------------------------------------------------------------------------


class Table:
    HEAD = ("benchmark", "kalint", "reference", "ratio", "CPU ratio", "target")

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, what: str, kalint: str, reference: str, ratio: str, cpu_ratio: str, target: str) -> None:
        row = (what, kalint, reference, ratio, cpu_ratio, target)
        self.rows.append(row)
        print("  " + " | ".join(row), file=sys.stderr, flush=True)

    def render(self) -> str:
        widths = [max(len(r[i]) for r in [self.HEAD, *self.rows]) for i in range(len(self.HEAD))]
        lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(self.HEAD, widths)) + " |"]
        lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        return "\n".join(lines)


def verdict(ratio: float, limit: float) -> str:
    return f"<= {limit:g}x " + ("met" if ratio <= limit else "NOT met")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def x(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


ROWS = ("cold", "throughput", "repo", "cache", "precommit", "memory")


def make_repo(generate, repo: Path) -> list[Path]:
    """1000 small, unrelated configs (``genconf.py --cluster K``, K = 0..999)."""
    if not repo.exists():
        repo.mkdir()
        for k in range(1000):
            generate(repo / f"cluster{k:03d}.conf", "--instances", "4", "--servers", "2", "--cluster", str(k))
    return sorted(repo.iterdir())


def make_pairs(generate, repo: Path) -> Path:
    """A git repository of 500 two-node peer groups (``aK.conf`` and ``bK.conf``: one
    ``genconf.py --cluster K``, the second node BACKUP at a lower priority), committed,
    then one config edited as a commit would: the changed file."""
    if not repo.exists():
        repo.mkdir()
        for k in range(500):
            generate(repo / f"a{k}.conf", "--instances", "4", "--servers", "2", "--cluster", str(k))
            text = (repo / f"a{k}.conf").read_text()
            (repo / f"b{k}.conf").write_text(text.replace("state MASTER", "state BACKUP").replace("priority 150", "priority 90"))
        git = ["git", "-c", "user.email=bench@example.org", "-c", "user.name=bench", "-c", "commit.gpgsign=false"]
        for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "configs"]):
            subprocess.run([*git, *step], cwd=repo, check=True, capture_output=True)
    changed = repo / "b250.conf"
    changed.write_text(changed.read_text().replace("priority 90", "priority 95"))
    return changed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (noisier)")
    ap.add_argument("--genconf", help="path to genconf.py")
    ap.add_argument("--keepalived", default="keepalived")
    ap.add_argument("--only", choices=ROWS, action="append", help="run only these rows (repeatable)")
    args = ap.parse_args()
    only = set(args.only or ROWS)
    kalint = [*kalint_command(), "--no-cache"]  # every row but the cache row measures linting
    python = sys.executable
    keepalived = shutil.which(args.keepalived) or shutil.which(args.keepalived, path="/usr/sbin:/sbin")
    if keepalived is None:
        sys.exit(f"bench: {args.keepalived} not found; the reference is `keepalived -t` (pass --keepalived PATH)")
    origin = kalint_origin()
    load_before = os.getloadavg()
    generate = generator(find_genconf(args.genconf))
    cold_n, big_n, repo_n = (7, 3, 1) if args.quick else (21, 5, 3)
    table = Table()
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="kalint-bench-") as tmp:
        work = Path(tmp)
        # Runs before measuring: the parser cache and bytecode exist as after the first use
        # (a terminal run too, so the text reporter's colour path is compiled).
        run_once([*kalint, str(SMALL_CONF)])
        run_tty([*kalint, str(SMALL_CONF)])

        if "cold" in only:
            small = str(SMALL_CONF)
            lint, imports, bare = interleaved(
                [
                    lambda: run_piped([*kalint, small]),
                    lambda: run_piped([python, "-c", "import lark, click"]),
                    lambda: run_piped([python, "-c", "pass"]),
                ],
                cold_n,
            )
            (tty,) = interleaved([lambda: run_tty([*kalint, small])], cold_n)
            t_lint, t_imp, t_bare = median(lint), median(imports), median(bare)
            c_lint, c_imp, c_bare = cpu(lint), cpu(imports), cpu(bare)
            lines = SMALL_CONF.read_text().count("\n")
            table.add(f"cold start, {lines}-line config, stdout piped", ms(t_lint),
                      f"{ms(t_imp)} (`import lark, click`)", x(t_lint, t_imp), x(c_lint, c_imp),
                      verdict(t_lint / t_imp, 1.2))
            table.add("cold start vs `python -c pass`", ms(t_lint), ms(t_bare), x(t_lint, t_bare),
                      x(c_lint, c_bare), f"reference (`import lark, click`: {t_imp / t_bare:.1f}x)")
            table.add("cold start, stdout a terminal", ms(median(tty)), f"{ms(t_imp)} (`import lark, click`)",
                      x(median(tty), t_imp), x(cpu(tty), c_imp), "no target")
            cached = [*kalint_command(), "--cache-dir", str(work / "cold-cache"), small]
            run_once(cached)  # the second and later runs of an unchanged config: a cache hit
            warm, imports = interleaved([lambda: run_piped(cached), lambda: run_piped([python, "-c", "import lark, click"])],
                                        cold_n)
            table.add("cold start, result cache warm", ms(median(warm)), f"{ms(median(imports))} (`import lark, click`)",
                      x(median(warm), median(imports)), x(cpu(warm), cpu(imports)), "no target")

        if "throughput" in only or "memory" in only:
            big, mid = work / "big.conf", work / "mid.conf"
            n_big = generate(big, "--instances", "2000", "--servers", "2000")
            n_mid = generate(mid, "--instances", "200", "--servers", "200")
            ka_big, ka_mid, kl_big, kl_mid = interleaved(
                [
                    lambda: run_once([keepalived, "-t", "-f", str(big)]),
                    lambda: run_once([keepalived, "-t", "-f", str(mid)]),
                    lambda: run_once([*kalint, str(big)]),
                    lambda: run_once([*kalint, str(mid)]),
                ],
                big_n,
            )
            t_kb, t_kab, t_km, t_kam = median(kl_big), median(ka_big), median(kl_mid), median(ka_mid)
            if "throughput" in only:
                table.add(f"throughput, {n_big:,} lines", s(t_kb), f"{s(t_kab)} (`keepalived -t -f`)",
                          x(t_kb, t_kab), x(cpu(kl_big), cpu(ka_big)), verdict(t_kb / t_kab, 5))
                table.add(f"throughput, {n_mid:,} lines", s(t_km), f"{s(t_kam)} (`keepalived -t -f`)",
                          x(t_km, t_kam), x(cpu(kl_mid), cpu(ka_mid)), "reference")
                table.add("lines per second, big file", f"{n_big / t_kb:,.0f}", f"{n_big / t_kab:,.0f}",
                          "", "", "reference")
                growth = t_kb / t_km
                table.add(f"growth {n_mid // 1000}k -> {n_big // 1000}k lines", f"{growth:.1f}x the time",
                          f"{t_kab / t_kam:.1f}x the time", "", "",
                          f"linear ({n_big / n_mid:.1f}x the lines) " + ("met" if growth <= 1.05 * n_big / n_mid else "NOT met"))
            if "memory" in only:
                rss = max(r.max_rss for r in kl_big)
                together = max(tree_memory([*kalint, str(big)]) for _ in range(3))
                peak = max(rss, together)
                table.add(f"peak RSS, {n_big:,} lines", f"{rss / MIB:.0f} MiB",
                          f"{max(r.max_rss for r in ka_big) / MIB:.0f} MiB (keepalived)", "", "",
                          "<= 150 MiB " + ("met" if peak <= 150 * MIB else "NOT met"))
                if together:
                    table.add(f"peak memory, {n_big:,} lines, all processes (PSS)", f"{together / MIB:.0f} MiB",
                              "", "", "", "reference (the rules' second process included)")

        if "repo" in only:
            repo = work / "repo"
            files = make_repo(generate, repo)
            ka_loop = [[keepalived, "-t", "-f", str(p)] for p in files]
            kl_repo, ka_repo = interleaved(
                [lambda: run_once([*kalint, str(repo)]), lambda: run_many(ka_loop)], repo_n, warmup=0,
            )
            t_kl, t_ka = median(kl_repo), median(ka_repo)
            table.add("repository, 1000 configs, one call", s(t_kl), f"{s(t_ka)} (1000 x `keepalived -t`)",
                      x(t_kl, t_ka), x(cpu(kl_repo), cpu(ka_repo)),
                      "< 0.5x " + ("met" if t_kl / t_ka < 0.5 else "NOT met"))
            notes.append(f"repository row: kalint --jobs auto on {os.cpu_count()} cores")

        if "cache" in only:
            repo = work / "repo"
            make_repo(generate, repo)
            cached = [*kalint_command(), "--cache-dir", str(work / "cache"), str(repo)]

            def first() -> Run:
                shutil.rmtree(work / "cache", ignore_errors=True)
                return run_once(cached)

            kl_first, kl_second = interleaved([first, lambda: run_once(cached)], repo_n, warmup=0)
            t_first, t_second = median(kl_first), median(kl_second)
            table.add("repository, 1000 configs, second run", s(t_second), f"{s(t_first)} (first run, cache empty)",
                      x(t_second, t_first), x(cpu(kl_second), cpu(kl_first)),
                      "<= 0.15x " + ("met" if t_second / t_first <= 0.15 else "NOT met"))
            notes.append("other rows run with --no-cache; the cache row empties its cache before each first run")

        if "precommit" in only:
            pairs = work / "pairs"
            changed = make_pairs(generate, pairs)
            precommit = [*kalint_command(), "--cache-dir", str(work / "pairs-cache"), "--changed-files", changed.name]
            run_once(precommit, cwd=pairs)  # the cache as a previous commit's hook run left it
            kl_hook, kl_alone = interleaved([
                lambda: run_once(precommit, cwd=pairs),
                lambda: run_once([*kalint, "a" + changed.name[1:], changed.name], cwd=pairs),
            ], repo_n * 3)
            t_hook, t_alone = median(kl_hook), median(kl_alone)
            table.add("pre-commit, 1000 configs in 500 peer groups, one changed, cache warm", s(t_hook),
                      f"{s(t_alone)} (that file's peer group alone)", x(t_hook, t_alone), x(cpu(kl_hook), cpu(kl_alone)),
                      "<= 2x " + ("met" if t_hook / t_alone <= 2 else "NOT met"))

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"kalint benchmarks, {stamp}")
    print(f"machine: {machine()}; load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"software: {versions(keepalived)}; kalint from {origin}")
    print(f"medians of {cold_n} (cold start), {big_n} (throughput) and {repo_n} (repository) interleaved runs;")
    print("ratio: wall time; CPU ratio: user+system time of the process and its children")
    for note in notes:
        print(note)
    print()
    print(table.render())


if __name__ == "__main__":
    main()
