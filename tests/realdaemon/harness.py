"""Run real keepalived daemons in throw-away network namespaces and observe them.

kalint's ``simulate`` predicts who holds a virtual router's VIPs when checks fail, nodes die
or interfaces go down. Only the real daemon can say whether that is right, so this module:

* builds an isolated L2 segment per run: a "switch" namespace holding a Linux bridge and one
  namespace per node, wired by veth pairs (node end ``eth0``). Nothing is added to the root
  namespace; addresses come only from the documentation ranges (RFC 5737);
* writes the peer configs and the check scripts they name (the only programs a config may
  name, so a config can never make the harness run anything else);
* starts keepalived per node (own pid files, own process group, console log to a file),
  drives an :class:`Action` and samples the VIP holders every 0.1 s;
* reads kalint's prediction (``simulate --format json``, contract version 2 with a fallback
  to version 1) keyed by (failures, down, interface_down), never by label.

Every namespace and daemon is registered with :data:`REAPER` before it exists, so a
failure, an exception or interpreter exit still removes it (try/finally, ``atexit`` and the
pytest fixture finaliser all call the same code).
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Token the configs use for the node's check-script directory (filled in per node).
CHECKDIR = "@CHECKDIR@"
#: Node addresses, by position of the config in file order (RFC 5737 TEST-NET-1).
NODE_ADDRESSES = ("192.0.2.1", "192.0.2.2", "192.0.2.3")
#: VIPs are only ever taken from these ranges (TEST-NET-2/3 and the top of TEST-NET-1).
VIP_PATTERN = re.compile(r"\b(198\.51\.100\.\d{1,3}|203\.0\.113\.\d{1,3}|192\.0\.2\.1\d\d)\b")
POLL = 0.1
#: kinds of tracked object the harness can make fail for real.
DRIVABLE_KINDS = ("script", "interface")

Snapshot = dict[str, frozenset[str]]  # router → nodes holding (any of) its VIPs


class HarnessError(RuntimeError):
    """The harness could not set up or drive a run (not a kalint disagreement)."""


# --------------------------------------------------------------------------- environment


def keepalived_path() -> str | None:
    """The keepalived binary, also where ``/usr/sbin`` is not on a non-root PATH."""
    return shutil.which("keepalived") or next(
        (p for p in ("/usr/sbin/keepalived", "/sbin/keepalived") if os.access(p, os.X_OK)), None)


def environment_problem() -> str | None:
    """Why real daemons cannot run here (a skip reason), or None when they can."""
    if os.geteuid() != 0:
        return "needs root for network namespaces"
    if keepalived_path() is None:
        return "keepalived is not installed"
    if shutil.which("ip") is None:
        return "iproute2 (`ip`) is not installed"
    probe = f"kt{os.getpid()}_probe"[:15]
    steps = ((["ip", "netns", "add", probe], "`ip netns add`"),
             (["ip", "netns", "exec", probe, "true"], "`ip netns exec`"),
             (["ip", "-n", probe, "link", "add", "p0", "type", "veth", "peer", "name", "p1"], "creating a veth pair"),
             (["ip", "-n", probe, "link", "add", "br0", "type", "bridge"], "creating a bridge"))
    REAPER.add_namespace(probe)
    try:
        for cmd, what in steps:
            done = _run(cmd, check=False)
            if done.returncode != 0:
                return f"{what} failed: {done.stderr.strip() or done.returncode}"
    finally:
        REAPER.remove_namespace(probe)
    return None


def _run(cmd: Sequence[str], check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run a short command, capturing its output; ``check`` raises HarnessError on failure."""
    done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise HarnessError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


# --------------------------------------------------------------------------- cleanup


class Reaper:
    """Everything the harness created that must not outlive it: process groups, namespaces.

    Entries are registered before the object is created and removed after it is gone, so
    any interruption in between still leaves something to clean up by name or PID.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._groups: set[int] = set()
        self._namespaces: set[str] = set()

    def add_group(self, pgid: int) -> None:
        with self._lock:
            self._groups.add(pgid)

    def kill_group(self, pgid: int, sig: int = signal.SIGKILL) -> None:
        """Signal a process group we started; forget it once nothing in it is left."""
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        if sig == signal.SIGKILL:
            self._wait_group_gone(pgid)
            with self._lock:
                self._groups.discard(pgid)

    @staticmethod
    def _wait_group_gone(pgid: int, timeout: float = 5.0) -> None:
        """Until no process of the group is left; the leader is our child, so reap it (a
        zombie still counts as a group member)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.waitpid(pgid, os.WNOHANG)
            except ChildProcessError:
                pass
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)

    def add_namespace(self, name: str) -> None:
        with self._lock:
            self._namespaces.add(name)

    def remove_namespace(self, name: str) -> None:
        """Delete a namespace we created (its veth ends and bridge go with it)."""
        _run(["ip", "netns", "del", name], check=False)
        with self._lock:
            self._namespaces.discard(name)

    def reap(self) -> None:
        """Kill every registered daemon group, then delete every registered namespace."""
        with self._lock:
            groups, names = sorted(self._groups), sorted(self._namespaces)
        for pgid in groups:
            self.kill_group(pgid)
        for name in names:
            self.remove_namespace(name)

    def leftovers(self) -> tuple[list[int], list[str]]:
        """What is still registered (should be nothing between runs)."""
        with self._lock:
            return sorted(self._groups), sorted(self._namespaces)


REAPER = Reaper()
atexit.register(REAPER.reap)
#: Set when a parallel run is interrupted: running cases stop waiting and clean up.
ABORT = threading.Event()


def _check_abort() -> None:
    if ABORT.is_set():
        raise HarnessError("aborted")
_SEQUENCE = itertools.count()


def _namespace_prefix() -> str:
    """``kt<pid>_<n>``: unique per cluster and per run, short enough for a letter suffix."""
    return f"kt{os.getpid()}_{next(_SEQUENCE)}"


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True, order=True)
class Failure:
    """One tracked object failing on one node: a check script or a tracked interface."""

    node: str
    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name} fails on {self.node}"


@dataclass(frozen=True)
class ScenarioKey:
    """How a kalint scenario is identified: what fails, who dies, whose interface drops."""

    failures: frozenset[Failure] = frozenset()
    down: str | None = None
    interface_down: str | None = None

    def __str__(self) -> str:
        parts = [str(f) for f in sorted(self.failures)]
        parts += [f"{self.down} down"] if self.down else []
        parts += [f"{self.interface_down}'s interface down"] if self.interface_down else []
        return ", ".join(parts) or "healthy"


@dataclass(frozen=True)
class Action:
    """What the harness does to the running cluster after it has settled.

    ``restart``/``restarts``: stop (SIGTERM) and start that node again ``restarts`` times;
    this is no kalint scenario (the VIP must simply never move).
    """

    failures: tuple[Failure, ...] = ()
    down: str | None = None
    interface_down: str | None = None
    restart: str | None = None
    restarts: int = 5

    @property
    def key(self) -> ScenarioKey | None:
        """The kalint scenario that predicts this action (None for a restart loop)."""
        if self.restart:
            return None
        return ScenarioKey(frozenset(self.failures), self.down, self.interface_down)

    def __str__(self) -> str:
        if self.restart:
            return f"restart {self.restart} {self.restarts}x"
        return str(self.key)


def fail(node: str, check: str = "chk") -> Action:
    """The check script ``check`` starts failing on ``node``."""
    return Action(failures=(Failure(node, "script", check),))


def link_down(node: str, interface: str = "eth1") -> Action:
    """A tracked (non-VRRP) interface of ``node`` goes down."""
    return Action(failures=(Failure(node, "interface", interface),))


def node_down(node: str) -> Action:
    """``node`` dies silently: every keepalived process of it gets SIGKILL."""
    return Action(down=node)


def own_interface_down(node: str) -> Action:
    """The VRRP interface (``eth0``) of ``node`` goes down."""
    return Action(interface_down=node)


def restart(node: str, times: int = 5) -> Action:
    """Stop and start keepalived on ``node`` ``times`` times."""
    return Action(restart=node, restarts=times)


# --------------------------------------------------------------------------- workspace


class Workspace:
    """A root-owned 0700 directory with the configs and the generated check scripts.

    Configs name their scripts as ``@CHECKDIR@/<check>.sh``; each node gets its own
    directory, and a script fails exactly while ``<dir>/<node>/<check>.fail`` exists.
    """

    def __init__(self, configs: Mapping[str, str]) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kalint-realdaemon-"))
        os.chmod(self.root, 0o700)
        self.labels = tuple(configs)
        self.paths: dict[str, Path] = {}
        self.texts: dict[str, str] = {}
        for label, template in configs.items():
            self._write_node(label, template)

    def _write_node(self, label: str, template: str) -> None:
        checks = self.check_dir(label)
        checks.mkdir(mode=0o700, parents=True)
        text = template.replace(CHECKDIR, str(checks))
        _refuse_foreign_programs(label, text, checks)
        for name in sorted(set(re.findall(re.escape(str(checks)) + r"/(\w+)\.sh", text))):
            self._write_script(checks / f"{name}.sh", checks / f"{name}.fail")
        self.paths[label] = self.root / label
        self.paths[label].write_text(text)
        self.texts[label] = text

    @staticmethod
    def _write_script(script: Path, flag: Path) -> None:
        script.write_text(f"#!/bin/sh\n# kalint real-daemon check: fails while the flag exists\n"
                          f"[ -e '{flag}' ] && exit 1\nexit 0\n")
        os.chmod(script, 0o700)

    def check_dir(self, label: str) -> Path:
        return self.root / "checks" / Path(label).stem

    def flag(self, label: str, check: str) -> Path:
        return self.check_dir(label) / f"{check}.fail"

    def clear_flags(self) -> None:
        for flag in (self.root / "checks").glob("*/*.fail"):
            flag.unlink()

    def run_dir(self, tag: str) -> Path:
        path = self.root / "run" / tag
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PROGRAM_LINE = re.compile(r"^\s*(script|notify\w*)\s+\"?([^\"\s]+)", re.MULTILINE)


def _refuse_foreign_programs(label: str, text: str, checks: Path) -> None:
    """A config may only name the scripts generated here: the harness runs as root."""
    for keyword, program in _PROGRAM_LINE.findall(text):
        if keyword != "script" or not program.startswith(f"{checks}/"):
            raise HarnessError(f"{label}: `{keyword} {program}` is not a generated check script")


def max_advert(texts: Iterable[str]) -> float:
    """The largest ``advert_int`` in the configs (keepalived's default is 1 s)."""
    found = [float(v) for text in texts for v in re.findall(r"\badvert_int\s+([\d.]+)", text)]
    return max(found, default=1.0)


@dataclass(frozen=True)
class Timing:
    """How long to wait, derived from the slowest advert interval of the configs.

    A backup's down timer is 3 adverts plus a skew below one advert (VRRPv3) or one second
    (VRRPv2); "stable" is that plus a second, so a pending takeover cannot be mistaken for
    a settled state.
    """

    advert: float

    @property
    def down_timer(self) -> float:
        return 3 * self.advert + max(self.advert, 1.0)

    @property
    def stable(self) -> float:
        return self.down_timer + 1.0


# --------------------------------------------------------------------------- logs


_STATE = re.compile(r"\(([^)\s]+)\) Entering (\w+) STATE")
_CHANGED = re.compile(r"\(([^)\s]+)\) Changing effective priority from \d+ to (\d+)")
_DUMP_INSTANCE = re.compile(r"^.*:\s+VRRP Instance = (\S+)\s*$")
_DUMP_PRIORITY = re.compile(r"^.*:\s+Priority = (\d+)\s*$")


_GROUP_SYNC = re.compile(r"VRRP_Group\(([^)\s]+)\) Syncing instances to (\w+) state")
_GROUP_BLOCK = re.compile(r"vrrp_sync_group\s+(\S+)\s*\{\s*group\s*\{([^}]*)\}")


def sync_groups(config: str) -> dict[str, tuple[str, ...]]:
    """Sync group → member instances, from a config text."""
    return {name: tuple(members.split()) for name, members in _GROUP_BLOCK.findall(config)}


def parse_states(log: str, groups: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """Each instance's last logged state (MASTER, BACKUP, FAULT) since the daemon's last
    start. A group sync line counts for every member: keepalived does not always log the
    members it drags along."""
    states: dict[str, str] = {}
    for line in log[max(log.rfind("Starting Keepalived"), 0):].splitlines():
        if m := _STATE.search(line):
            states[m.group(1)] = m.group(2)
        elif (m := _GROUP_SYNC.search(line)) and groups:
            states.update(dict.fromkeys(groups.get(m.group(1), ()), m.group(2).upper()))
    return states


def parse_priorities(log: str) -> dict[str, int]:
    """Each instance's effective priority: the last change, else the base priority that
    ``--dump-conf`` printed (the dump is per start, so the last one counts)."""
    found: dict[str, int] = {}
    current: str | None = None
    for line in log.splitlines():
        if m := _DUMP_INSTANCE.match(line):
            current = m.group(1)
        elif current and (m := _DUMP_PRIORITY.match(line)):
            found[current], current = int(m.group(1)), None
        elif m := _CHANGED.search(line):
            found[m.group(1)] = int(m.group(2))
    return found


_INTERESTING = re.compile(r"Entering|priority|VRRP_Script|VRRP_Group|track|Track|WARNING|[Ee]rror|mismatch|"
                          r"not found|ignor|Stopped|Starting Keepalived|Receive advertisement timeout|"
                          r"lower priority|higher priority")


#: ``--dump-conf`` output: indented after the timestamp.
_DUMP_LINE = re.compile(r"^\w{3} \w{3} [ \d]\d [\d:]{8} \d{4}:\s{2}")


def log_excerpt(log: str, limit: int = 60) -> str:
    """The lines of a console log that explain state changes (no ARP spam)."""
    lines = [line for line in log.splitlines() if _INTERESTING.search(line) and not _DUMP_LINE.search(line)]
    return "\n".join(lines[-limit:])


# --------------------------------------------------------------------------- cluster


@dataclass
class Node:
    """One node: its namespace, address, config, log and running daemon."""

    label: str
    namespace: str
    address: str
    config: Path
    log: Path
    pidfiles: tuple[Path, Path]
    instances: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]
    process: subprocess.Popen[bytes] | None = None
    down: bool = False
    #: ``Startup complete`` lines in the log before the latest start.
    starts: int = 0


class Cluster:
    """The namespaces and daemons of one run of a workspace's configs.

    Use as a context manager: entering builds the network, leaving kills every daemon it
    started (by process group) and deletes every namespace it created (by name).
    """

    def __init__(self, workspace: Workspace, keepalived: str, extra_interfaces: Sequence[str] = (),
                 tag: str = "0") -> None:
        self.workspace = workspace
        self.keepalived = keepalived
        self.extra_interfaces = tuple(extra_interfaces)
        self.timing = Timing(max_advert(workspace.texts.values()))
        prefix = _namespace_prefix()
        self.switch = f"{prefix}s"
        run_dir = workspace.run_dir(tag)
        self.nodes: dict[str, Node] = {}
        for i, label in enumerate(workspace.labels):
            stem = Path(label).stem
            self.nodes[label] = Node(
                label, f"{prefix}{'abcdefgh'[i]}", NODE_ADDRESSES[i], workspace.paths[label],
                run_dir / f"{stem}.log", (run_dir / f"{stem}.pid", run_dir / f"{stem}.vrrp.pid"),
                tuple(re.findall(r"^\s*vrrp_instance\s+(\S+)", workspace.texts[label], re.MULTILINE)),
                sync_groups(workspace.texts[label]))

    # ---- network

    def __enter__(self) -> Cluster:
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _namespace(self, name: str) -> None:
        REAPER.add_namespace(name)
        _run(["ip", "netns", "add", name])

    def _build(self) -> None:
        sw = self.switch
        self._namespace(sw)
        _run(["ip", "-n", sw, "link", "add", "br0", "type", "bridge", "forward_delay", "0", "stp_state", "0",
              "mcast_snooping", "0"])
        _run(["ip", "-n", sw, "link", "set", "br0", "up"])
        for i, node in enumerate(self.nodes.values()):
            self._namespace(node.namespace)
            port = f"p{i}"
            _run(["ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", node.namespace])
            _run(["ip", "-n", sw, "link", "set", port, "master", "br0", "up"])
            ns = ["ip", "-n", node.namespace]
            _run([*ns, "link", "set", "lo", "up"])
            _run([*ns, "addr", "add", f"{node.address}/24", "dev", "eth0"])
            _run([*ns, "link", "set", "eth0", "up"])
            for extra in self.extra_interfaces:
                self._extra_interface(node, extra)

    @staticmethod
    def _extra_interface(node: Node, name: str) -> None:
        """A second, always-running interface for ``track_interface`` (a veth pair kept
        inside the node namespace: unlike ``dummy`` it needs no kernel module)."""
        ns = ["ip", "-n", node.namespace]
        _run([*ns, "link", "add", name, "type", "veth", "peer", "name", f"{name}p"])
        _run([*ns, "link", "set", f"{name}p", "up"])
        _run([*ns, "link", "set", name, "up"])

    def close(self) -> None:
        for node in self.nodes.values():
            self.kill(node.label)
        for node in self.nodes.values():
            REAPER.remove_namespace(node.namespace)
        REAPER.remove_namespace(self.switch)
        self.workspace.clear_flags()

    # ---- daemons

    def config_test(self, label: str) -> subprocess.CompletedProcess[str]:
        """``keepalived -t`` inside the node's namespace (where its interfaces exist)."""
        node = self.nodes[label]
        return _run(["ip", "netns", "exec", node.namespace, self.keepalived, "-t", "-f", str(node.config)],
                    check=False)

    def start(self, label: str) -> None:
        """Start keepalived (VRRP only) in the node's namespace, in its own process group."""
        node = self.nodes[label]
        for pidfile in node.pidfiles:
            pidfile.unlink(missing_ok=True)
        cmd = ["ip", "netns", "exec", node.namespace, self.keepalived, "--dont-fork", "--log-console",
               "--log-detail", "--dump-conf", "--no-syslog", "--vrrp", f"--use-file={node.config}",
               f"--pid={node.pidfiles[0]}", f"--vrrp_pid={node.pidfiles[1]}"]
        node.starts = self.log(label).count("Startup complete")
        with open(node.log, "ab") as log:
            node.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        REAPER.add_group(node.process.pid)
        node.down = False

    def kill(self, label: str) -> None:
        """Silent death: SIGKILL the node's whole process group (no priority-0 advert)."""
        node = self.nodes[label]
        node.down = True  # from this moment on its addresses no longer count
        if node.process is not None:
            REAPER.kill_group(node.process.pid)
            node.process.wait(timeout=10)
            node.process = None

    def stop(self, label: str, timeout: float = 10.0) -> None:
        """Clean stop (SIGTERM, as a service restart does); SIGKILL if it hangs."""
        node = self.nodes[label]
        if node.process is None:
            return
        REAPER.kill_group(node.process.pid, signal.SIGTERM)
        try:
            node.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill(label)

    def set_link(self, label: str, interface: str, up: bool) -> None:
        _run(["ip", "-n", self.nodes[label].namespace, "link", "set", interface, "up" if up else "down"])

    def apply(self, failure: Failure) -> None:
        """Make one tracked object fail for real."""
        if failure.kind == "script":
            self.workspace.flag(failure.node, failure.name).touch()
        elif failure.kind == "interface":
            self.set_link(failure.node, failure.name, up=False)
        else:
            raise HarnessError(f"cannot drive a {failure.kind} failure")

    # ---- observation

    def log(self, label: str) -> str:
        path = self.nodes[label].log
        return path.read_text(errors="replace") if path.exists() else ""

    def addresses(self, label: str) -> set[str]:
        """IPv4 addresses on the node's interfaces that are up."""
        out = _run(["ip", "-n", self.nodes[label].namespace, "-o", "-4", "addr", "show", "up"], check=False).stdout
        return set(re.findall(r"\binet (\S+)/", out))

    def snapshot(self, routers: Mapping[str, Sequence[str]]) -> Snapshot:
        """Who holds each router's VIPs right now (a dead node holds nothing)."""
        held = {label: self.addresses(label) for label, node in self.nodes.items() if not node.down}
        return {router: frozenset(label for label, addrs in held.items() if addrs & set(vips))
                for router, vips in routers.items()}

    def states(self, label: str) -> dict[str, str]:
        return parse_states(self.log(label), self.nodes[label].groups)

    def priorities(self, routers: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, int | None]]:
        """Observed effective priority per router and node (None: down or FAULT; a node
        whose log shows no priority is left out). ``routers``: router → node → instance."""
        out: dict[str, dict[str, int | None]] = {}
        for router, instances in routers.items():
            out[router] = {}
            for label, instance in instances.items():
                node, log = self.nodes[label], self.log(label)
                # An instance that starts in FAULT logs no transition at all: no state = FAULT.
                if node.down or self.states(label).get(instance, "FAULT") == "FAULT":
                    out[router][label] = None
                elif (priority := parse_priorities(log).get(instance)) is not None:
                    out[router][label] = priority
        return out

    def wait_master(self, label: str, timeout: float) -> bool:
        """Until every instance of the node is MASTER (or one is FAULT: it never will be;
        an instance that starts in FAULT logs nothing, so that case waits for the timeout)."""
        node = self.nodes[label]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _check_abort()
            states = self.states(label)
            if "FAULT" in states.values() or all(states.get(i) == "MASTER" for i in node.instances):
                return True
            time.sleep(POLL)
        return False

    def wait_started(self, label: str, timeout: float = 10.0) -> None:
        """Until the node's VRRP child has logged ``Startup complete`` for its last start."""
        node = self.nodes[label]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.log(label).count("Startup complete") <= node.starts:
            time.sleep(POLL)


# --------------------------------------------------------------------------- watching


@dataclass
class Timeline:
    """Holder snapshots from t0 on; only changes are kept, each with its time after t0."""

    changes: list[tuple[float, Snapshot]]
    #: False when the holders were still changing when the watch had to end.
    settled: bool = True

    @property
    def initial(self) -> Snapshot:
        return self.changes[0][1]

    @property
    def final(self) -> Snapshot:
        return self.changes[-1][1]

    def settle_time(self, router: str) -> float | None:
        """When the router's final holder set appeared (None: it never changed)."""
        history = self.history(router)
        return history[-1][0] if len(history) > 1 else None

    def history(self, router: str) -> list[tuple[float, frozenset[str]]]:
        """The router's own holder changes (the snapshots also change for other routers)."""
        out: list[tuple[float, frozenset[str]]] = []
        for t, snap in self.changes:
            if not out or out[-1][1] != snap[router]:
                out.append((t, snap[router]))
        return out

    def describe(self, router: str) -> str:
        return " → ".join(f"{_names(h)}@{t:.1f}s" for t, h in self.history(router))


def _names(nodes: Iterable[str] | None) -> str:
    if nodes is None:
        return "unstable"
    nodes = sorted(nodes)
    return "+".join(nodes) if nodes else "nobody"


class Watcher:
    """Samples the holders every 0.1 s in a background thread, so the main thread can act
    (kill, restart) while every change gets a time relative to the watch's start (t0)."""

    def __init__(self, cluster: Cluster, routers: Mapping[str, Sequence[str]]) -> None:
        self.cluster, self.routers = cluster, routers
        self.t0 = time.monotonic()
        self.changes: list[tuple[float, Snapshot]] = [(0.0, cluster.snapshot(routers))]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._error: BaseException | None = None

    def __enter__(self) -> Watcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            tick = self.t0
            while not self._stop.is_set():
                tick += POLL
                self._stop.wait(max(0.0, tick - time.monotonic()))
                snap = self.cluster.snapshot(self.routers)
                if snap != self.changes[-1][1]:
                    self.changes.append((time.monotonic() - self.t0, snap))
        except BaseException as error:  # surfaced by wait_settled
            self._error = error

    def wait_settled(self, minimum: float, stable: float, maximum: float,
                     held: frozenset[str] = frozenset()) -> Timeline:
        """Until ``minimum`` has passed and nothing changed for ``stable`` s, at most ``maximum``.

        ``held``: routers in a timer race kalint says someone wins; a quiet spell with
        nobody holding one of them is the race still running (two sync groups that claim
        the VIPs at once both step down and race again a down interval later), not a
        steady state."""
        while True:
            _check_abort()
            if self._error is not None:
                raise HarnessError(f"sampling failed: {self._error!r}")
            now = time.monotonic() - self.t0
            quiet = now - self.changes[-1][0]
            if now >= minimum and quiet >= stable and all(self.changes[-1][1][r] for r in held):
                return Timeline(list(self.changes), True)
            if now >= maximum:
                return Timeline(list(self.changes), False)
            time.sleep(POLL)


# --------------------------------------------------------------------------- kalint


@dataclass
class RouterPrediction:
    """kalint's prediction for one virtual router."""

    router: str
    vips: tuple[str, ...]
    instances: dict[str, str]  # node → instance name
    start_order: dict[str, frozenset[str] | None]
    scenarios: dict[ScenarioKey, dict]
    healthy: dict
    raw: dict

    def scenario(self, key: ScenarioKey) -> dict | None:
        return self.scenarios.get(key)


def _failure(raw: dict) -> Failure:
    """A failure of either contract version: v2 has kind/name, v1 only ``check``
    (the script name, or ``<kind> <name>`` for other tracked objects)."""
    if raw.get("kind") and raw.get("name"):
        return Failure(raw["node"], raw["kind"], raw["name"])
    check = raw["check"]
    kind, _, name = check.partition(" ")
    return Failure(raw["node"], kind, name) if name else Failure(raw["node"], "script", check)


def scenario_key(raw: dict) -> ScenarioKey:
    return ScenarioKey(frozenset(_failure(f) for f in raw.get("failures") or ()), raw.get("down"),
                       raw.get("interface_down"))


def _holder_set(value: Sequence[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def parse_prediction(document: dict) -> list[RouterPrediction]:
    """kalint simulate JSON (version 1 or 2) → one RouterPrediction per router."""
    out = []
    for router in document["routers"]:
        scenarios = {scenario_key(s): s for s in router["scenarios"]}
        healthy = next(s for s in router["scenarios"] if not scenario_key(s).failures and
                       not s.get("down") and not s.get("interface_down"))
        out.append(RouterPrediction(
            router["router"], tuple(router["vips"]), {n["node"]: n["instance"] for n in router["nodes"]},
            {node: _holder_set(h) for node, h in (router.get("start_order") or {}).items()},
            scenarios, healthy, router))
    return out


class KalintFailed(HarnessError):
    """kalint crashed or printed something that is not its JSON contract."""


def kalint(*args: str) -> dict:
    """Run ``python -m kalint ARGS`` and parse its JSON output. It runs from the checkout, or
    from ``$KALINT_REAL_DAEMON_KALINT_DIR`` (e.g. an exported older revision to compare)."""
    cwd = os.environ.get("KALINT_REAL_DAEMON_KALINT_DIR") or REPO
    done = subprocess.run([sys.executable, "-m", "kalint", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, stdin=subprocess.DEVNULL)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise KalintFailed(f"kalint {' '.join(args)} exited {done.returncode}: "
                           f"{(done.stderr or done.stdout).strip()[-2000:]}") from None


def predict(paths: Iterable[Path]) -> tuple[int, list[RouterPrediction]]:
    """kalint simulate's contract version and per-router predictions."""
    document = kalint("simulate", "--format", "json", *map(str, paths))
    try:
        return document.get("version", 1), parse_prediction(document)
    except (KeyError, TypeError, StopIteration) as error:
        raise KalintFailed(f"simulate JSON does not follow the contract: {error!r}") from None


# --------------------------------------------------------------------------- one case


@dataclass(frozen=True)
class Case:
    """Configs to run for real and what to do to them.

    ``configs`` maps file name (kalint's node label, e.g. ``lb-a.conf``) to config text
    using ``@CHECKDIR@`` for the check scripts; ``start_orders`` () means file order only.
    """

    name: str
    configs: Mapping[str, str]
    action: Action | None = None
    start_orders: tuple[tuple[str, ...], ...] = ()
    extra_interfaces: tuple[str, ...] = ()
    kalint_check: bool = False
    #: Seconds to keep watching after every cold start (the holders must not move).
    hold: float = 0.0

    @property
    def orders(self) -> tuple[tuple[str, ...], ...]:
        return self.start_orders or (tuple(self.configs),)


@dataclass
class Run:
    """What the real daemons did in one start order."""

    order: tuple[str, ...]
    boot: Timeline
    priorities: dict[str, dict[str, int | None]]
    hold: Timeline | None = None
    action: Timeline | None = None
    action_priorities: dict[str, dict[str, int | None]] | None = None
    logs: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    """Everything known about one case: kalint's output and the real runs."""

    case: Case
    texts: dict[str, str] = field(default_factory=dict)
    version: int | None = None
    prediction: list[RouterPrediction] = field(default_factory=list)
    check: dict | None = None
    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def describe(self) -> str:
        """Configs, observations and logs: enough to reproduce and understand a failure."""
        parts = [f"case {self.case.name}: action {self.case.action or 'none'}, kalint JSON v{self.version}"]
        for label, text in self.texts.items():
            parts.append(f"--- {label}\n{text.rstrip()}")
        for run in self.runs:
            parts.append(f"--- start order {' → '.join(run.order)}")
            for router in run.boot.final:
                parts.append(f"  {router}: boot {run.boot.describe(router)}, priorities {run.priorities.get(router)}"
                             + (f"; idle {run.hold.describe(router)}" if run.hold else "")
                             + (f"; action {run.action.describe(router)}, priorities "
                                f"{(run.action_priorities or {}).get(router)}" if run.action else ""))
            for label, log in run.logs.items():
                parts.append(f"  log {label}:\n" + "\n".join("    " + line for line in log_excerpt(log).splitlines()))
        return "\n".join(parts)


def router_vips(outcome: Outcome) -> dict[str, tuple[str, ...]]:
    """Router → VIPs to watch: kalint's routers, or every VIP when kalint gave nothing."""
    if outcome.prediction:
        return {r.router: r.vips for r in outcome.prediction}
    return {"all VIPs": tuple(sorted({v for t in outcome.texts.values() for v in VIP_PATTERN.findall(t)}
                                     - set(NODE_ADDRESSES)))}


def router_instances(outcome: Outcome) -> dict[str, dict[str, str]]:
    return {r.router: r.instances for r in outcome.prediction}


def run_case(case: Case, keepalived: str) -> Outcome:
    """Predict with kalint, then run the daemons in every start order (the action in the
    first one) and record what happened. Harness errors are recorded, not raised."""
    started = time.monotonic()
    outcome = Outcome(case)
    with Workspace(case.configs) as workspace:
        outcome.texts = dict(workspace.texts)
        try:
            outcome.version, outcome.prediction = predict(workspace.paths.values())
            if case.kalint_check:
                outcome.check = kalint("check", "--format", "json", *map(str, workspace.paths.values()))
        except KalintFailed as error:
            outcome.errors.append(f"kalint: {error}")
        try:
            for i, order in enumerate(case.orders):
                outcome.runs.append(_run_order(outcome, workspace, keepalived, order, str(i), i == 0))
        except HarnessError as error:
            outcome.errors.append(f"harness: {error}")
    outcome.elapsed = time.monotonic() - started
    return outcome


def _run_order(outcome: Outcome, workspace: Workspace, keepalived: str, order: tuple[str, ...], tag: str,
               with_action: bool) -> Run:
    case, routers = outcome.case, router_vips(outcome)
    with Cluster(workspace, keepalived, case.extra_interfaces, tag) as cluster:
        run = Run(order, boot(cluster, order, routers), cluster.priorities(router_instances(outcome)))
        if case.hold:
            with Watcher(cluster, routers) as watcher:
                run.hold = watcher.wait_settled(case.hold, 0.0, case.hold)
        if with_action and case.action is not None:
            run.action = perform(cluster, case.action, routers, _predicted_worst(outcome, case.action),
                                 _racing(outcome, case.action))
            run.action_priorities = cluster.priorities(router_instances(outcome))
        run.logs = {label: cluster.log(label) for label in cluster.nodes}
        return run


def _predicted_worst(outcome: Outcome, action: Action) -> float | None:
    worst = [(r.scenario(action.key) or {}).get("takeover") for r in outcome.prediction] if action.key else []
    return max((t["worst"] for t in worst if t and t.get("worst") is not None), default=None)


def _racing(outcome: Outcome, action: Action) -> frozenset[str]:
    """Routers whose holder after ``action`` kalint leaves to a timer race that someone wins
    (candidates, none of them nobody)."""
    found = set()
    for r in outcome.prediction:
        scenario = r.scenario(action.key) if action.key else None
        races = [o for o in (scenario or {}).get("outcomes") or () if o.get("candidates")]
        if races and all(c for o in races for c in o["candidates"]):
            found.add(r.router)
    return frozenset(found)


def boot(cluster: Cluster, order: Sequence[str], routers: Mapping[str, Sequence[str]]) -> Timeline:
    """Start the first node, wait until it is MASTER, start the others, wait until stable."""
    timing = cluster.timing
    first, *rest = order
    cluster.start(first)
    cluster.wait_master(first, timing.down_timer + 5)
    for label in rest:
        cluster.start(label)
        cluster.wait_started(label)
    with Watcher(cluster, routers) as watcher:
        return watcher.wait_settled(timing.stable, timing.stable, timing.stable * 4 + 10)


def perform(cluster: Cluster, action: Action, routers: Mapping[str, Sequence[str]],
            predicted_worst: float | None, racing: frozenset[str] = frozenset()) -> Timeline:
    """Do the action at t0 and watch until the holders are stable.

    Watched for at least twice the down timer (so "nothing moves" means something) and at
    least kalint's worst-case takeover plus a second; ``racing`` routers must have a holder
    to count as stable, given up to four more down timers (each collision costs one)."""
    timing = cluster.timing
    minimum = max(2 * timing.down_timer, (predicted_worst or 0) + 1.0)
    maximum = minimum + 2 * timing.stable + 5 + (4 * timing.down_timer if racing else 0)
    with Watcher(cluster, routers) as watcher:
        _act(cluster, action)
        return watcher.wait_settled(minimum, timing.stable, maximum, racing)


def _act(cluster: Cluster, action: Action) -> None:
    for failure in action.failures:
        cluster.apply(failure)
    if action.down:
        cluster.kill(action.down)
    if action.interface_down:
        cluster.set_link(action.interface_down, "eth0", up=False)
    for _ in range(action.restarts if action.restart else 0):
        _restart(cluster, action.restart)


def _restart(cluster: Cluster, label: str) -> None:
    """Stop and start one node, then leave it a down timer to do anything it would do."""
    cluster.stop(label)
    cluster.start(label)
    cluster.wait_started(label)
    if ABORT.wait(cluster.timing.down_timer):
        _check_abort()


def run_parallel(cases: Sequence[Case], keepalived: str, workers: int = 6,
                 on_done: Callable[[Outcome], None] | None = None) -> dict[str, Outcome]:
    """Run cases concurrently (each has its own namespaces), keyed by case name."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    results: dict[str, Outcome] = {}
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(run_case, case, keepalived) for case in cases]
        for future in as_completed(futures):
            outcome = future.result()
            results[outcome.case.name] = outcome
            if on_done:
                on_done(outcome)
    except BaseException:
        ABORT.set()  # Ctrl-C or a crash: running cases give up, queued ones never start
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        ABORT.clear()
    return results


def namespaces_left() -> list[str]:
    """Namespaces of this process still present (should be none after a run)."""
    listed = _run(["ip", "netns", "list"], check=False).stdout.split()
    return [n for n in listed if n.startswith(f"kt{os.getpid()}_")]
