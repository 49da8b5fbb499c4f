"""KA203–KA208: names that point at other blocks (sync groups, trackers, server groups)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kalint.diagnostic import Diagnostic, Fix, Related, Severity
from kalint.model import Config, SyncGroup, Tracker, TrackRef, VrrpInstance
from kalint.records import dataclass
from kalint.rule import Rule
from kalint.rules._common import Suggestions, rename_fix, severity_if_complete, unread_includes
from kalint.runtime.loading import OWNER, base_priority, loaded_instances
from kalint.syntax.tree import Block, Word

#: Tracker kind -> (instance block naming it, root keywords that define it).
_KINDS = {
    "track_file": ("track_file", "track_file / vrrp_track_file"),
    "track_process": ("track_process", "vrrp_track_process"),
    "track_bfd": ("track_bfd", "bfd_instance"),
}


@dataclass(frozen=True, slots=True)
class DidYouMean:
    """What an undefined name's finding says and offers."""

    hint: str
    related: list[Related]
    help: str
    fix: Fix | None


def _did_you_mean(
    word: Word, defined: dict[str, Block], what: str, suggest: Suggestions, *, read_in_order: bool = False,
    name: str | None = None,
) -> DidYouMean:
    """The did-you-mean hint, related locations, help text and rename fix for an undefined name.

    ``suggest`` is built once per set of definitions, so many undefined names cost
    bounded work (as for KA201), not names x definitions. ``read_in_order``: keepalived
    resolves the reference while reading, so a definition after it is no fix.
    """
    name = word.text if name is None else name
    suggestion = suggest(name)
    hint = f"; did you mean `{suggestion}`?" if suggestion else ""
    targets = [suggestion] if suggestion else list(defined)[:5]
    related = [Related(defined[t].header_span, f"`{what} {t}` is defined here") for t in targets]
    help = f"rename it to `{suggestion}`" if suggestion else f"define a `{what}` with this name"
    usable = suggestion is not None and (not read_in_order or defined[suggestion].line < word.line)
    fix = rename_fix(word, suggestion) if usable and suggestion is not None else None
    return DidYouMean(hint, related, help, fix)


def _tracker_refs(config: Config) -> Iterator[tuple[str, VrrpInstance | SyncGroup | None, Word]]:
    """Every reference to a tracker definition: (kind, owner or None for a checker, word)."""
    for owner in config.track_owners():
        for kind in _KINDS:
            ref: TrackRef
            for ref in getattr(owner, kind):
                yield kind, owner, ref.word
    for kind, word in config.checker_tracker_refs:
        yield kind, None, word


class UndefinedSyncGroupMember(Rule):
    """A `vrrp_sync_group` lists a name that is no `vrrp_instance`.

    keepalived logs `Virtual router NAME specified in sync group G doesn't exist -
    ignoring` and builds the group without it, so the instance the author meant to
    fail over together with the others moves on its own.

    Bad:

        vrrp_sync_group G1 {
            group {
                VI_1
                VI_3
            }
        }

    Good:

        vrrp_sync_group G1 {
            group {
                VI_1
                VI_2
            }
        }
    """

    code = "KA203"
    name = "undefined-sync-group-member"
    severity = Severity.ERROR
    summary = "a sync group member that is no `vrrp_instance`"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        defined = {inst.name: inst.node for inst in config.vrrp_instances}
        suggest = Suggestions(defined)
        lowered, note = severity_if_complete(config)
        for group in config.sync_groups:
            for member in group.members:
                if member.text in defined:
                    continue
                found = _did_you_mean(member, defined, "vrrp_instance", suggest)
                yield self.diagnostic(
                    member.span,
                    f"sync group `{group.name}` lists `{member.text}`, which is no vrrp_instance: "
                    f"keepalived ignores the member, so it does not fail over with the group{note}{found.hint}",
                    severity=lowered,
                    related=found.related,
                    help=found.help,
                    fix=found.fix,
                )


class UndefinedTracker(Rule):
    """A `track_file`, `track_process` or `track_bfd` entry names nothing defined.

    Instances and sync groups refer to `track_file` (or `vrrp_track_file`),
    `vrrp_track_process` and `bfd_instance` blocks by name; `FILE_CHECK { track_file }`
    and `BFD_CHECK { name }` do the same for real servers. keepalived reports an unknown
    name and drops the entry, so the tracking the author relies on is not there.

    Bad:

        vrrp_track_process proc_nginx {
            process nginx
        }
        vrrp_instance VI_1 {
            track_process {
                proc_ngnix
            }
        }

    Good:

        vrrp_instance VI_1 {
            track_process {
                proc_nginx
            }
        }
    """

    code = "KA204"
    name = "undefined-tracker"
    severity = Severity.ERROR
    summary = "a `track_file`/`track_process`/`track_bfd` entry names no definition"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        defined = {kind: {t.name: t.node for t in config.trackers_of(kind)} for kind in _KINDS}
        suggest = {kind: Suggestions(names) for kind, names in defined.items()}
        lowered, note = severity_if_complete(config)
        for kind, owner, word in _tracker_refs(config):
            if word.text in defined[kind]:
                continue
            what = _KINDS[kind][1]
            found = _did_you_mean(word, defined[kind], what.split(" /")[0], suggest[kind], read_in_order=True)
            where = f"`{owner.name}`" if owner is not None else "this checker"
            yield self.diagnostic(
                word.span,
                f"`{word.text}` is not a defined {what}: keepalived ignores the entry, "
                f"so {where} does not track it{note}{found.hint}",
                severity=lowered,
                related=found.related,
                help=found.help,
                fix=found.fix,
            )


class UndefinedVirtualServerGroup(Rule):
    """`virtual_server group NAME` names no `virtual_server_group`.

    keepalived cannot build the service's addresses, so the virtual server does not
    exist in IPVS: no traffic is balanced for it.

    Bad:

        virtual_server_group web { 192.0.2.10 80 }
        virtual_server group wbe {
            protocol TCP
            real_server 10.0.0.1 80 { TCP_CHECK { } }
        }

    Good:

        virtual_server group web {
            protocol TCP
            real_server 10.0.0.1 80 { TCP_CHECK { } }
        }
    """

    code = "KA205"
    name = "undefined-virtual-server-group"
    severity = Severity.ERROR
    summary = "`virtual_server group NAME` names no `virtual_server_group`"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        defined = {b.texts[1]: b for b in config.virtual_server_groups if len(b.texts) > 1}
        suggest = Suggestions(defined)
        lowered, note = severity_if_complete(config)
        for vs in config.virtual_servers:
            name = vs.group
            if name is None or name in defined:
                continue
            found = _did_you_mean(vs.node.words[2], defined, "virtual_server_group", suggest, name=name)
            yield self.diagnostic(
                vs.node.words[2].span,
                f"`{name}` is not a defined virtual_server_group: this virtual_server has no "
                f"addresses, so keepalived balances nothing for it{note}{found.hint}",
                severity=lowered,
                related=found.related,
                help=found.help,
                fix=found.fix,
            )


class UnusedTracker(Rule):
    """A `track_file`, `vrrp_track_process` or `bfd_instance` that nothing refers to.

    An untracked file or process tracker is dead configuration, usually left behind
    by a typo in the instance's `track_*` entry. A `bfd_instance` is different: keepalived
    still runs the BFD session, which the neighbour may need, so that case is only
    reported as information.

    Bad:

        vrrp_track_process proc_nginx {
            process nginx
        }
        vrrp_instance VI_1 {
            interface eth0
        }

    Good:

        vrrp_instance VI_1 {
            interface eth0
            track_process {
                proc_nginx
            }
        }
    """

    code = "KA206"
    name = "unused-tracker"
    severity = Severity.WARNING
    summary = "a `track_file`/`vrrp_track_process`/`bfd_instance` that nothing refers to"

    def check(self, config: Config) -> Iterator[Diagnostic]:
        used = {(kind, word.text) for kind, _, word in _tracker_refs(config)}
        lowered, note = severity_if_complete(config)
        tracker: Tracker
        for tracker in config.trackers:
            if not tracker.name or (tracker.kind, tracker.name) in used:
                continue
            keyword = tracker.node.keyword
            if tracker.kind == "track_bfd":
                yield self.diagnostic(
                    tracker.node.header_span,
                    f"bfd_instance `{tracker.name}` is tracked by no vrrp_instance, sync group or "
                    f"BFD_CHECK; keepalived still runs the session (a neighbour may use it){note}",
                    severity=Severity.INFO,
                )
                continue
            users = "vrrp_instance, sync group or FILE_CHECK" if tracker.kind == "track_file" else "vrrp_instance or sync group"
            yield self.diagnostic(
                tracker.node.header_span,
                f"{keyword} `{tracker.name}` is not tracked by any {users}, so it has no effect{note}",
                severity=lowered,
                help=f"add `{tracker.name}` to a `{_KINDS[tracker.kind][0]}` block, or remove the definition",
            )


class SyncGroupMembership(Rule):
    """An instance in two sync groups, a one-member sync group, or owners mixed with others.

    keepalived keeps an instance in the first group that lists it and logs `Virtual
    router X cannot exist in more than one sync group; ignoring G2`. A group with one
    member gets `Sync group G has only 1 virtual router(s) - this probably isn't what
    you want`: it only adds the sync-group rules (weighted tracking on the member is
    dropped) without coupling anything. A group whose members are partly address owners
    (priority 255) cannot move as one: keepalived says `This won't work.`

    Bad:

        vrrp_sync_group G1 {
            group {
                VI_1
            }
        }

    Good:

        vrrp_sync_group G1 {
            group {
                VI_1
                VI_2
            }
        }
    """

    code = "KA207"
    name = "sync-group-membership"
    severity = Severity.WARNING
    summary = "an instance in two sync groups, a one-member group, or mixed address owners"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        defined = {inst.name: inst for inst in loaded_instances(config)}
        first: dict[str, tuple[SyncGroup, Word]] = {}
        names: set[str] = set()
        for group in config.sync_groups:
            if group.name in names:
                continue  # keepalived skips a second group of one name (KA208)
            names.add(group.name)
            kept = []
            for member in group.members:
                earlier = first.get(member.text)
                if earlier is None:
                    first[member.text] = (group, member)
                    kept.append(member)
                elif earlier[0] is not group:
                    yield self.diagnostic(
                        member.span,
                        f"`{member.text}` is already a member of sync group `{earlier[0].name}`; keepalived "
                        f"keeps it there and ignores it in `{group.name}`",
                        related=[Related(earlier[1].span, f"first listed in `{earlier[0].name}` here")],
                    )
            real = [m for m in kept if m.text in defined]
            owners = [m for m in real if base_priority(defined[m.text]) == OWNER]
            if owners and len(owners) < len(real):
                others = [m.text for m in real if m not in owners]
                yield self.diagnostic(
                    group.node.header_span,
                    f"sync group `{group.name}` mixes address owners ({', '.join(m.text for m in owners)}: "
                    f"priority 255) with other members ({', '.join(others)}): an owner is MASTER whenever it is up "
                    f"while the others are elected, so the group cannot move as one (keepalived: `This won't work.`)",
                    related=[Related(m.span, "priority 255 member") for m in owners],
                    help="give every member a priority below 255, or all of them 255",
                )
            if len(real) == 1 and (len(group.members) == 1 or not unread_includes(config)):
                yield self.diagnostic(
                    group.node.header_span,
                    f"sync group `{group.name}` has only one member (`{real[0].text}`): it couples nothing, "
                    f"and it still strips the member's weighted tracking",
                    related=[Related(real[0].span, "the only member")],
                )


class DuplicateName(Rule):
    """Two blocks of one kind with the same name.

    keepalived skips a second `vrrp_instance`, `vrrp_sync_group`, `track_group` or
    `bfd_instance` of the same name entirely (`vrrp instance NAME already defined`,
    `vrrp sync group NAME already defined`, `track_group NAME already defined`, `BFD
    instance NAME already configured - ignoring`). Two `vrrp_script` blocks of one name
    both load, but every `track_script` entry finds the first one, so the second is
    never run.

    Bad:

        vrrp_script chk { script "/usr/bin/pgrep nginx" }
        vrrp_script chk { script "/usr/bin/pgrep haproxy" }

    Good:

        vrrp_script chk_nginx { script "/usr/bin/pgrep nginx" }
        vrrp_script chk_haproxy { script "/usr/bin/pgrep haproxy" }
    """

    code = "KA208"
    name = "duplicate-name"
    severity = Severity.ERROR
    summary = "two `vrrp_instance`, `vrrp_script`, `vrrp_sync_group`, `track_group` or `bfd_instance` blocks with the same name"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        yield from self._duplicates(
            ((i.name, i.node) for i in config.vrrp_instances),
            "vrrp_instance",
            "keepalived skips this whole block (`vrrp instance {} already defined`)",
        )
        yield from self._duplicates(
            ((s.name, s.node) for s in config.vrrp_scripts),
            "vrrp_script",
            "every track_script entry finds the first definition, so this one never runs",
        )
        yield from self._duplicates(
            ((g.name, g.node) for g in config.sync_groups),
            "vrrp_sync_group",
            "keepalived skips this whole block (`vrrp sync group {} already defined`)",
        )
        for kind, said in (("track_group", "track_group {} already defined"),
                           ("bfd_instance", "BFD instance {} already configured - ignoring")):
            yield from self._duplicates(
                ((b.args[0].text, b) for b in config.document.index().path(kind)
                 if isinstance(b, Block) and b.args),
                kind,
                f"keepalived skips this whole block (`{said}`)",
            )

    def _duplicates(self, named: Iterable[tuple[str, Block]], what: str, effect: str) -> Iterator[Diagnostic]:
        seen: dict[str, Block] = {}
        for name, node in named:
            if name in seen:
                yield self.diagnostic(
                    node.header_span,
                    f"{what} `{name}` is defined twice: {effect.format(name)}",
                    related=[Related(seen[name].header_span, "first defined here")],
                )
            else:
                seen[name] = node
