"""KA338: a command line that ends in a backslash with nothing to escape."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._command import missing_escape
from kalint.rules.ka6_scripts import command_statements

_CRASH = " (a backslash ending the line makes keepalived 2.2.7 crash, `-t` included)"


class CommandTrailingBackslash(Rule):
    """A command (`script`, `notify*`, `misc_path`, ...) ending in a lone backslash.

    keepalived splits a command with its own quote and escape rules (lib/parser.c), once
    for the line and once more for the command word. A backslash at the end of either
    escapes nothing: keepalived logs `Missing escape char at end` and has no command.
    On a `vrrp_script` `script` line ending so, keepalived 2.2.7 crashes (SIGSEGV): `-t`
    itself, and the daemon's VRRP process, restarted in a loop. A quoted command whose
    own text ends so is dropped (`No script set for vrrp_script ... - removing`).

    Bad:

        vrrp_script chk {
            script /usr/local/bin/check x\\
        }

    Good:

        vrrp_script chk {
            script "/usr/local/bin/check x"
        }
    """

    code = "KA338"
    name = "command-trailing-backslash"
    severity = Severity.ERROR
    summary = "a command ending in a backslash that escapes nothing (`Missing escape char at end`)"

    block_local = True  # each command statement's own line

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for stmt in command_statements(config):
            if missing_escape(config, stmt):
                crash = _CRASH if stmt.keyword == "script" and not stmt.words[1].quoted else ""
                yield self.diagnostic(
                    stmt.words[-1].span,
                    f"`{stmt.keyword}` ends in a backslash that escapes nothing: keepalived cannot split the command "
                    f"(`Missing escape char at end`) and has none to run{crash}",
                    help="remove the backslash, or write `\\\\` for a literal one",
                )
