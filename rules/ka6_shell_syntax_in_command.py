"""KA606: a command keepalived runs without a shell uses shell syntax."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Edit, Fix, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import written_as
from kalint.rules.ka6_scripts import Script, scripts

#: Words a shell would read as syntax, and what they would have meant.
_OPERATORS = {
    "|": "a pipe", "|&": "a pipe", "||": "an or-list", "&&": "an and-list", ";": "a command separator",
    "&": "a background job",
    "<": "a redirection", ">": "a redirection", ">>": "a redirection", "&>": "a redirection",
}
_REDIRECTION = re.compile(r"^(?:[0-9]?>>?|&>|[0-9]>&[0-9])")
_VARIABLE = re.compile(r"^\$\{?[A-Za-z_]")
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"})


def _shell_syntax(word: str) -> str | None:
    """What ``word`` would mean to a shell, or None when it is an ordinary argument."""
    if word in _OPERATORS:
        return _OPERATORS[word]
    if _REDIRECTION.match(word):
        return "a redirection"
    if "$(" in word or "`" in word:
        return "command substitution"
    if _VARIABLE.match(word):
        return "a variable"
    return None


class ShellSyntaxInCommand(Rule):
    """A command keepalived runs without a shell uses shell syntax.

    keepalived splits `script`, `notify*`, `misc_path` and checker commands into words
    itself and calls `execve()` (lib/notify.c): there is no shell. A pipe, a
    redirection, `&&`, `||`, `;`, `$(...)`, backticks or `$VAR` reach the program as
    literal arguments, so `pgrep nginx | wc -l` runs pgrep with the arguments `nginx`,
    `|`, `wc` and `-l`, and a check meant to fail may succeed. A command that starts
    with `$(which nc)` names no program at all: keepalived disables it (`keepalived -t`:
    `Disabling track script chk since not found/accessible`) and the check is gone.
    (Checked with keepalived 2.2.7: `script "/bin/echo hi > FILE"` succeeds and creates
    no file.)

    Bad:

        vrrp_script chk_web {
            script "/usr/bin/curl -f http://localhost/ || exit 1"
        }

    Good:

        vrrp_script chk_web {
            script "/bin/sh -c '/usr/bin/curl -f http://localhost/ || exit 1'"
        }
    """

    code = "KA606"
    analyses = (scripts,)
    name = "shell-syntax-in-command"
    severity = Severity.WARNING
    summary = "a command keepalived runs without a shell uses shell syntax"

    block_local = True  # each command statement's own words

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for script in scripts(config):
            words = script.words
            program = words[0]
            if os.path.basename(program) in _SHELLS and "-c" in words[1:]:
                continue  # the shell is explicit: it reads the syntax
            if any(blank in program for blank in " \t"):
                yield self.diagnostic(
                    script.stmt.words[1].span,
                    f"`{script.stmt.keyword}`: the quotes make `{program}` one word, so keepalived looks for a "
                    f"program of that name (blanks included), finds none and disables the command",
                    help="quote the command once: `script \"/path/to/program arg\"`",
                )
                continue
            what = _shell_syntax(program)
            if what is not None:
                yield self.diagnostic(
                    script.stmt.words[1].span,
                    f"`{script.stmt.keyword}` starts with {what} (`{program}`): keepalived runs commands without "
                    f"a shell and looks for a program named `{program}`, finds none and disables the command",
                    help=self._help(script),
                    fix=self._through_shell(script),
                )
                continue
            first = next((i for i, word in enumerate(words[1:], 1) if _shell_syntax(word)), None)
            if first is not None:
                rest = words[first:]
                shown = " ".join(rest[:4]) + (" …" if len(rest) > 4 else "")
                yield self.diagnostic(
                    script.stmt.words[1].span,
                    f"`{script.stmt.keyword}` runs `{program}` without a shell (keepalived calls execve): "
                    f"`{words[first]}` is not {_shell_syntax(words[first])} but an argument, so `{program}` "
                    f"also receives `{shown}`",
                    help=self._help(script),
                    fix=self._through_shell(script),
                )

    @staticmethod
    def _through_shell(script: Script) -> Fix | None:
        """`"cmd | x"` → `"/bin/sh -c 'cmd | x'"`, where the command needs no further quoting
        (unsafe: keepalived then runs a shell)."""
        word = script.stmt.words[1]
        command = word.text
        if any(c in command for c in "'\"\\") or not word.quoted or not written_as(word, f'"{command}"'):
            return None
        return Fix("run the command through /bin/sh -c", (Edit(word.span, f'"/bin/sh -c \'{command}\'"'),),
                   safe=False)

    @staticmethod
    def _help(script: Script) -> str:
        command = script.stmt.texts[1].replace("'", "'\\''")
        return f"""run it through a shell: `{script.stmt.keyword} "/bin/sh -c '{command}'"`, or put it in a script file"""
