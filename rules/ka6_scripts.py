"""KA601–KA605: scripts keepalived runs (checks and notifications) and script security."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.model import Analysis, Config
from kalint.records import dataclass
from kalint.rule import Rule
from kalint.rules._command import command_words
from kalint.rules._common import plural, severity_if_complete
from kalint.runtime.loading import script_seconds
from kalint.syntax.span import Span
from kalint.syntax.tree import Statement

#: Keywords whose value is a command keepalived executes (anywhere in the config).
_SCRIPT_KEYWORDS = frozenset({
    "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify_deleted",
    "notify_master_rx_lower_pri", "notify_up", "notify_down", "quorum_up", "quorum_down",
    "misc_path", "notify_fifo_script", "vrrp_notify_fifo_script", "lvs_notify_fifo_script",
    "startup_script", "shutdown_script",
})
#: Blocks whose `script` line is a command (`script` means other things elsewhere).
_SCRIPT_BLOCKS = frozenset({"vrrp_script"})
#: Blocks that accept a per-script `user` line.
_USER_BLOCKS = frozenset({"vrrp_script", "MISC_CHECK"})


@dataclass(slots=True, frozen=True)
class Script:
    """A command line keepalived runs, where it is, and whether it names its own user."""

    stmt: Statement
    #: The program and its arguments as keepalived splits them (kalint.rules._command).
    words: tuple[str, ...]
    has_user: bool

    @property
    def command(self) -> str:
        return self.words[0]

    @property
    def label(self) -> str:
        owner = self.stmt.parent
        where = f"{owner.keyword} {owner.texts[1]}" if owner is not None and len(owner.texts) > 1 else (
            owner.keyword if owner is not None else "top level"
        )
        return f"{self.stmt.keyword} of {where}"


def command_statements(config: Config) -> list[Statement]:
    """Every statement whose value keepalived runs as a command, in file order."""
    index = config.document.index()  # shared by the rules that call this
    candidates = [stmt for keyword in ("script", *_SCRIPT_KEYWORDS) for stmt in index.keyword(keyword)]
    candidates.sort(key=lambda stmt: (stmt.line, stmt.column))
    return [stmt for stmt in candidates
            if (stmt.keyword != "script" or (stmt.parent is not None and stmt.parent.keyword in _SCRIPT_BLOCKS))
            and len(stmt.texts) > 1 and stmt.texts[1].strip()]


@Analysis
def scripts(config: Config) -> list[Script]:
    """Every command keepalived would execute, in file order (file-open tests excluded),
    worked out once per config for the rules that read them."""
    found = []
    for stmt in command_statements(config):
        parent = stmt.parent
        words = command_words(config, stmt)
        if not words or words[0].startswith("<"):
            continue  # unparsable, or `</dev/tcp/...`: an open() test, not a script (notify.c: SC_SYSTEM)
        # `notify_* "cmd args" user [group]`; vrrp_script and MISC_CHECK take a `user` line.
        has_user = (len(stmt.texts) > 2 and stmt.words[1].quoted) or (
            parent is not None and parent.keyword in _USER_BLOCKS and parent.first("user") is not None
        )
        found.append(Script(stmt, words, has_user))
    return found


def _global_span(config: Config, keyword: str, fallback: Statement) -> Span:
    stmt = config.global_defs.get(keyword)
    if stmt is not None:
        return stmt.span
    if config.global_defs.node is not None:
        return config.global_defs.node.header_span
    return fallback.span


def _listing(items: list[Script]) -> str:
    """The distinct programs of ``items``, in file order, the first three by name."""
    programs = list(dict.fromkeys(s.command for s in items))
    shown = ", ".join(f"`{program}`" for program in programs[:3])
    return shown + (f" and {len(programs) - 3} more" if len(programs) > 3 else "")


def _runs_as(found: list[Script], user: str | None) -> str:
    """Who keepalived runs ``found`` as (lib/notify.c: a script's own user, else
    `script_user`, else `keepalived_script` when the host has it, else keepalived's own)."""
    default = f"as `{user}`" if user else "as `keepalived_script` if the host has that user, otherwise as root"
    own = sum(s.has_user for s in found)
    if own == len(found):
        return "as the `user` it names" if own == 1 else "as the `user` each names"
    return default + (f" ({own} name their own user)" if own else "")


class ScriptSecurityDisabled(Rule):
    """Scripts are configured but `global_defs` has no `enable_script_security`.

    keepalived reports `SECURITY VIOLATION - scripts are being executed but
    script_security not enabled` (when the scripts exist, `keepalived -t` exits with
    code 6), and runs scripts without checking who else may write them. Without
    `script_user`, a script with no `user` of its own runs as `keepalived_script` when the
    host has that user, and as root otherwise.

    Bad:

        global_defs {
        }
        vrrp_script chk_nginx {
            script "/usr/local/bin/check_nginx"
        }

    Good:

        global_defs {
            enable_script_security
            script_user keepalived_script
        }
    """

    code = "KA601"
    analyses = (scripts,)
    name = "script-security-disabled"
    severity = Severity.WARNING
    summary = "scripts are configured without `enable_script_security`"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        if config.global_defs.has("enable_script_security"):
            return
        found = scripts(config)
        if not found:
            return
        user = config.global_defs.text("script_user")
        missing = "`enable_script_security`" + ("" if user else " and no `script_user`")
        lowered, note = severity_if_complete(config)
        them = "it" if len(found) == 1 else "them"
        yield self.diagnostic(
            _global_span(config, "script_user", found[0].stmt),
            f"no {missing}, but {plural(len(found), 'command')} configured ({_listing(found)}): keepalived reports "
            f"`SECURITY VIOLATION` and runs {them} {_runs_as(found, user)}, "
            f"without checking that no other user can replace {them}{note}",
            severity=lowered,
            related=[Related(s.stmt.span, s.label) for s in found[:5]],
            help="add `enable_script_security` and `script_user USER` to global_defs",
        )


class ScriptUserMissing(Rule):
    """`enable_script_security` without `script_user`, for scripts with no `user` of their own.

    With script security on, the default script user becomes `keepalived_script`. If that
    user does not exist on the host, keepalived removes every such vrrp_script (`Unable to
    set default user for vrrp script X - removing`), and the instances tracking it
    silently lose their check. kalint cannot see the host's users, so it asks for an
    explicit one.

    Bad:

        global_defs {
            enable_script_security
        }

    Good:

        global_defs {
            enable_script_security
            script_user keepalived_script
        }
    """

    code = "KA602"
    analyses = (scripts,)
    name = "script-user-missing"
    severity = Severity.WARNING
    summary = "`enable_script_security` without `script_user` or a per-script `user`"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        if not config.global_defs.has("enable_script_security") or config.global_defs.has("script_user"):
            return
        without = [s for s in scripts(config) if not s.has_user]
        if not without:
            return
        lowered, note = severity_if_complete(config)
        yield self.diagnostic(
            _global_span(config, "enable_script_security", without[0].stmt),
            f"`enable_script_security` without `script_user`: {plural(len(without), 'script')} ({_listing(without)}) "
            f"run as `keepalived_script`; unless that user exists, keepalived removes them at start-up "
            f"(`Unable to set default user ... - removing`) and their checks silently stop{note}",
            severity=lowered,
            related=[Related(s.stmt.span, s.label) for s in without[:5]],
            help="add `script_user USER` to global_defs (or a `user` line to each script)",
        )


class RelativeScriptPath(Rule):
    """A script path with a `/` that does not start with `/`.

    keepalived resolves such a path against its working directory, which is `/` once
    it runs as a daemon, not the config file's directory: `scripts/check.sh` means
    `/scripts/check.sh`. A script that is not found is disabled at start-up. (A bare
    command name such as `pidof` is searched in PATH and is fine.)

    Bad:

        vrrp_script chk {
            script "scripts/check_nginx.sh"
        }

    Good:

        vrrp_script chk {
            script "/etc/keepalived/scripts/check_nginx.sh"
        }
    """

    code = "KA603"
    analyses = (scripts,)
    name = "relative-script-path"
    severity = Severity.WARNING
    summary = "a script path relative to keepalived's working directory"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for script in scripts(config):
            command = script.command
            if "/" not in command or command.startswith(("/", "<")):
                continue
            yield self.diagnostic(
                script.stmt.words[1].span,
                f"`{command}` ({script.label}) is relative: keepalived resolves it from its working directory "
                f"(`/` as a daemon), i.e. `/{command.removeprefix('./')}`, not from the config's directory",
                help="write the absolute path",
            )


class ScriptTimeoutExceedsInterval(Rule):
    """A `vrrp_script` whose `timeout` is longer than its `interval`.

    keepalived starts a run every `interval` seconds whether or not the previous run
    has finished (it only logs `Track script X is already running, expect idle -
    skipping run` and runs it anyway), and kills a run only after `timeout`. A hung check
    then piles up timeout/interval copies, and a failure is seen only after `timeout`
    per run.

    Bad:

        vrrp_script chk {
            script "/usr/local/bin/check"
            interval 2
            timeout 10
        }

    Good:

        vrrp_script chk {
            script "/usr/local/bin/check"
            interval 5
            timeout 4
        }
    """

    code = "KA604"
    name = "script-timeout-exceeds-interval"
    severity = Severity.WARNING
    summary = "a vrrp_script `timeout` longer than its `interval`"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for script in config.vrrp_scripts:
            if script.timeout is None:
                continue
            interval = script_seconds(config, script.interval, "vrrp_script.interval") or 1  # 0: "setting to 1"
            timeout = script_seconds(config, script.timeout, "vrrp_script.timeout") or 0
            if timeout <= interval:
                continue
            stated = "" if script.interval is not None else " (the default)"
            yield self.diagnostic(
                script.timeout.node.span,
                f"vrrp_script `{script.name}`: timeout {timeout:g} s > interval {interval:g} s{stated}: a new run "
                f"starts every {interval:g} s while a hung one is killed only after {timeout:g} s, so up to "
                f"{int(-(-timeout // interval))} copies run at once",
                related=[Related(script.interval.node.span, "interval here")] if script.interval else [],
                help="keep timeout at or below interval",
            )


class VrrpScriptWithoutScript(Rule):
    """A `vrrp_script` block with no `script` line.

    keepalived removes such a block when it loads it (`No script set for vrrp_script NAME
    - removing`), and every `track_script` entry naming it is then dropped as `not found`:
    the check the instance relies on is not there at all.

    Bad:

        vrrp_script chk_nginx {
            interval 2
            weight -20
        }

    Good:

        vrrp_script chk_nginx {
            script "/usr/bin/pgrep -x nginx"
            interval 2
            weight -20
        }
    """

    code = "KA605"
    name = "vrrp-script-without-script"
    severity = Severity.ERROR
    summary = "a `vrrp_script` with no `script` line, which keepalived removes"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        scriptless = [script for script in config.vrrp_scripts if script.script is None or not script.script.value]
        if not scriptless:
            return  # (nearly every config: its track_script entries need not be read)
        lowered, note = severity_if_complete(config)
        refs = list(config.all_track_script_refs())
        tracked_by = {ref.name: owner.name for owner, ref in refs}
        for script in scriptless:
            user = tracked_by.get(script.name)
            consequence = f", so `{user}` does not track it" if user else ""
            yield self.diagnostic(
                script.node.span,  # keepalived names the block's closing line
                f"vrrp_script `{script.name}` has no `script` to run: keepalived removes it at start-up "
                f"and ignores the track_script entries naming it{consequence}{note}",
                severity=lowered,
                related=[Related(ref.node.span, f"`{owner.name}` tracks it here (`track script "
                                                f"{script.name} not found`)")
                         for owner, ref in refs if ref.name == script.name],
                help="add `script \"/path/to/check\"` to the block",
            )
