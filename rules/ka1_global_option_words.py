"""KA144: words of global_defs options keepalived rejects or drops (umask,
vrrp_rx_bufs_policy, vrrp_garp_extra_if)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.rules._common import keyword_names
from kalint.rules._lvs import unsigned
from kalint.syntax.tree import Statement, Word

_Problem = tuple[Word, str]
_UMASK_BITS = ("IRUSR", "IWUSR", "IXUSR", "IRGRP", "IWGRP", "IXGRP", "IROTH", "IWOTH", "IXOTH")
_UINT_MAX = 2**32 - 1


def umask_problems(stmt: Statement) -> Iterator[_Problem]:
    """umask_handler(): a numeric mask takes one word; symbolic bits are joined by `|`."""
    args = stmt.args
    if not args:
        return
    if args[0].text[:1].isdigit():
        if len(args) > 1:
            yield args[1], "`Extra parameter(s) to umask option`: keepalived ignores the umask"
        return  # the number itself: KA104/KA324
    need_or = False
    for word in args:
        text = word.text
        while text:
            if need_or:
                if not text.startswith("|"):
                    yield word, f"`Invalid umask syntax {word.text}`: bits are joined by `|`; keepalived ignores the umask"
                    return
                need_or, text = False, text[1:]
                continue
            if text[:5] not in _UMASK_BITS:
                yield word, (f"`Unknown umask bit {text}`: the bits are {', '.join(_UMASK_BITS)}; keepalived "
                             f"ignores the umask")
                return
            need_or, text = True, text[5:]
    if not need_or:
        yield args[-1], "`umask missing bit value`: a `|` with no bit after it; keepalived ignores the umask"


def rx_bufs_problems(stmts: list[Statement]) -> Iterator[_Problem]:
    """vrrp_rx_bufs_policy_handler(): MTU, ADVERT or a size; the flags add up over lines.
    Its size test reads the first word whatever the position of the word it checks."""
    mtu = advert = size = False
    for stmt in stmts:
        args = stmt.args
        for word in args:
            if word.text.upper() == "MTU":
                mtu = True
            elif word.text.upper() == "ADVERT":
                advert = True
            elif unsigned(args[0].text, 0, _UINT_MAX) is None:
                yield word, f"`Invalid vrrp_rx_bufs_policy {word.text}`: the words are MTU, ADVERT or a size in bytes"
            else:
                size = True
        if args and size and (mtu or advert):
            yield args[0], "`Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy`: keepalived uses the size"
            mtu = advert = False
        elif args and mtu and advert:
            yield args[0], "`Cannot set both vrrp_rx_bufs_policy MTU and ADVERT, ignoring ADVERT`"
            advert = False


def garp_extra_if_problems(stmt: Statement, low: int) -> Iterator[_Problem]:
    """vrrp_vmac_garp_extra_if_handler() / vrrp_garp_extra_if_handler(): `all` and a delay
    of ``low``..86400 seconds (1 globally, 0 in an instance)."""
    delay = False
    for word in stmt.args:
        if word.text == "all":
            continue
        if unsigned(word.text, low, 86400) is None:
            yield word, f"`{stmt.keyword} '{word.text}' invalid - ignoring`: the delay is {low} to 86400 seconds"
            return
        delay = True
    if stmt.args and not delay:
        yield stmt.words[0], f"`{stmt.keyword} specified without time - ignoring`: give the delay in seconds"


class GlobalOptionWords(Rule):
    """A word of `umask`, `vrrp_rx_bufs_policy` or `vrrp_garp_extra_if` keepalived rejects.

    - `umask` takes a number, or bits such as `IWGRP|IWOTH` (words may be split around
      `|`): an unknown bit, two bits without `|`, a trailing `|` or words after a number make
      keepalived ignore the umask.
    - `vrrp_rx_bufs_policy` takes `MTU`, `ADVERT` or a size: a size with a policy drops the
      policy, `MTU` with `ADVERT` drops `ADVERT`, and any other word is invalid (keepalived
      tests the first word for a size, so `MTU 4096` reports the 4096).
    - `vrrp_garp_extra_if` (and an instance's `garp_extra_if`) takes a delay of 1..86400 s
      (0..86400 in an instance) and `all`: an invalid word or no delay ignores the line.

    Bad:

        global_defs {
            umask IWGRP IWOTH
        }

    Good:

        global_defs {
            umask IWGRP|IWOTH
        }
    """

    code = "KA144"
    name = "global-option-word"
    severity = Severity.WARNING
    summary = "an umask / vrrp_rx_bufs_policy / (vrrp_)garp_extra_if word keepalived rejects"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        index = config.document.index()
        found: list[_Problem] = []
        for stmt in index.path("global_defs.umask"):
            found.extend(umask_problems(stmt))
        found.extend(rx_bufs_problems(index.path("global_defs.vrrp_rx_bufs_policy")))
        for path, low in (("global_defs.vrrp_garp_extra_if", 1), ("vrrp_instance.garp_extra_if", 0)):
            parent = path.rpartition(".")[0]
            for name in sorted(keyword_names(path)):
                for stmt in index.path(f"{parent}.{name}"):
                    found.extend(garp_extra_if_problems(stmt, low))
        for word, message in found:
            yield self.diagnostic(word.span, message, help="see `global_defs` in keepalived.conf(5)")
