"""KA328: an instance setting keepalived clears after reading, because another is missing or present."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config, VrrpInstance
from kalint.rule import Rule
from kalint.runtime.loading import OWNER, base_priority, loaded_instances, wants_master
from kalint.syntax.tree import Statement

_FALSE_WORDS = ("false", "off", "no")


def _given(inst: VrrpInstance, *keywords: str) -> Statement | None:
    return next((s for s in inst.node.children if s.keyword in keywords), None)


def _nopreempt(inst: VrrpInstance) -> bool:
    """`nopreempt` still set when keepalived gets to timer_expired_backup: the last of
    `nopreempt`/`preempt`, and cleared for priority 255 or `state MASTER` (vrrp.c, 2.3.4)."""
    flag = False
    for stmt in inst.node.children:
        if stmt.keyword in ("nopreempt", "preempt"):
            flag = stmt.keyword == "nopreempt"
    return flag and base_priority(inst) != OWNER and not wants_master(inst)


def _cleared(inst: VrrpInstance) -> Iterator[tuple[Statement, str, str]]:
    """(statement, what keepalived says, what to do) for each setting it clears (vrrp.c
    vrrp_complete_instance(), 2.2.7 and 2.3.4)."""
    vmac = _given(inst, "use_vmac")
    promote = _given(inst, "promote_secondaries")
    if promote is not None and (vmac is not None or _given(inst, "use_ipvlan") is not None):
        yield (promote, "`promote_secondaries is automatically set for vmacs - ignoring`: a VMAC or ipvlan "
                        "interface always promotes secondary addresses", "leave `promote_secondaries` out")
    xmit = _given(inst, "vmac_xmit_base")
    if xmit is not None and vmac is None:
        yield (xmit, "`vmac_xmit_base is only valid with a vmac`: without `use_vmac` keepalived clears it",
               "add `use_vmac`, or leave `vmac_xmit_base` out")
    expired = _given(inst, "timer_expired_backup", "thread_timer_expired")
    if expired is not None and not _nopreempt(inst):
        yield (expired, "`expired_timer_backup requires nopreempt - resetting`: keepalived clears it",
               "add `nopreempt`, or leave this line out")
    ignore = _given(inst, "owner_ignore_adverts")
    priority = base_priority(inst)
    if ignore is not None and ignore.args[:1] and ignore.args[0].text in _FALSE_WORDS:
        ignore = None
    if ignore is not None and priority != OWNER:
        yield (ignore, f"`ignoring owner_ignore_adverts since priority is not {OWNER}`: this instance has "
                       f"priority {priority}, so it is no address owner", "leave it out, or use priority 255")


class SettingCleared(Rule):
    """An instance setting keepalived clears after reading the instance.

    When keepalived completes an instance (vrrp.c) it drops settings that cannot work
    with the rest of it, and says so once: `promote_secondaries` with `use_vmac` or
    `use_ipvlan` (a VMAC always promotes), `vmac_xmit_base` without `use_vmac`,
    `timer_expired_backup` without `nopreempt` (or with one keepalived clears itself), `owner_ignore_adverts` on an instance
    whose priority is not 255. The line then does nothing.

    Bad:

        vrrp_instance VI_1 {
            vmac_xmit_base
        }

    Good:

        vrrp_instance VI_1 {
            use_vmac
            vmac_xmit_base
        }
    """

    code = "KA328"
    name = "setting-cleared"
    severity = Severity.WARNING
    summary = "an instance setting keepalived clears (promote_secondaries with a VMAC, vmac_xmit_base without one, ...)"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            for stmt, said, todo in _cleared(inst):
                yield self.diagnostic(stmt.words[0].span, f"`{inst.name}`: {said}", help=todo)
