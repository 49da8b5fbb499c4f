"""Incremental analysis for the language server: an edit re-reads only what it touched.

keepalived's top-level blocks are independent units of text once the file needs no
expansion (no ``include``, ``$NAME``, ``@id``, ``~SEQ``/``~LST`` line: the expansion's
fast path, where the parsed text is the file itself). Between two analyses of such a
file, only the top-level blocks whose lines changed are parsed again; the others are
the previous analysis's nodes, shared, never changed (hover may still read the previous
analysis). A rule that declares ``block_local`` (``kalint.rule.Rule``) finds in each
top-level block what it would find in a config of that block alone, so its findings are
kept per block (its text and first line) and the rule runs only on a config of the
blocks not seen before. A rule that declares ``instance_local`` finds in each instance
block what it finds in a config of that block and the other top-level blocks (the
context), so while the context is the same text at the same lines, it runs only on the
context and the instance blocks not seen before; every other rule runs on the whole
config. With peers, the
failover simulation of each component is reused while its inputs are the same objects
(``Simulations``). The result equals a full lint of the same text
(``tests/test_incremental.py`` edits corpus files at random places and compares).

Where that reasoning stops holding, more is done again: the whole file is parsed when
it needs expansion or has a syntax problem anywhere (an unbalanced brace, a stray
``{``, an unmatched quote: the blocks are no longer independent); an edit that adds or
removes lines parses every block after it again and runs the block-local rules on them
again (a finding's message may name a line); a block-local rule runs on the whole
config where a finding does not fall inside one block or the rule says the blocks of
this config are not independent for it (``blocks_independent``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import fields
from itertools import chain
from typing import Generic, TypeVar, cast

from kalint import model
from kalint import rule as rule_api
from kalint.diagnostic import Collector, Diagnostic, PeerTag
from kalint.engine import LintedConfig, Linter, LintOptions, Progress, RunResult, run_rule
from kalint.records import dataclass
from kalint.registry import Registry
from kalint.rule import Rule
from kalint.runtime import failover, loading
from kalint.runtime.failover import Simulation
from kalint.runtime.grouping import PeerGroup, Router
from kalint.syntax import parser
from kalint.syntax.span import Span
from kalint.syntax.tree import Block, Document, Statement
from kalint.text.expand import Expansion
from kalint.text.lines import common_ends

V = TypeVar("V")
H = TypeVar("H")

#: Reused nodes keep the document they were parsed into (and its text) alive; past this
#: many such documents behind one analysis, the blocks of all but the largest are parsed
#: again with the edit.
MAX_OWNERS = 16


@dataclass(slots=True)
class Unit:
    """Top-level items that share lines, and the lines they cover (1-based, inclusive)."""

    start: int
    end: int
    items: list[Statement]


def units_of(items: Sequence[Statement]) -> list[Unit]:
    """The document's top-level items grouped into units no line of which another shares."""
    out: list[Unit] = []
    for item in items:
        if out and item.line <= out[-1].end:
            out[-1].end = max(out[-1].end, item.end_line)
            out[-1].items.append(item)
        else:
            out.append(Unit(item.line, item.end_line, [item]))
    return out


@dataclass(frozen=True, slots=True)
class Known:
    """What is known of one unit: the rules whose findings there are known, and those
    findings (only the rules that found something)."""

    codes: frozenset[str]
    found: dict[str, list[Diagnostic]]

    def adding(self, codes: frozenset[str], found: dict[str, list[Diagnostic]]) -> Known:
        """Also knowing ``codes`` here, which found ``found`` (only the codes with findings)."""
        return Known(self.codes | codes, {**self.found, **found} if found else self.found)


NOTHING_KNOWN = Known(frozenset(), {})

#: Per unit (its first line, its text): what is known of its findings. The line is part
#: of the key: a finding's message may name a line of its block.
Findings = dict[tuple[int, str], Known]


def _is_instance(item: Statement) -> bool:
    return isinstance(item, Block) and item.keyword == "vrrp_instance"


def instances_independent(config: model.Config, units: Sequence[Unit]) -> bool:
    """Whether ``instance_local`` rules (``kalint.rule``) may run on a config of the
    context and some of the instances: no unit mixes an instance with another block, and
    keepalived ties no instance to another here (no sync group, every name once, a VRRP
    process that starts; a config of fewer instances then keeps all three true)."""
    if config.sync_groups:
        return False
    if any(len({_is_instance(item) for item in unit.items}) > 1 for unit in units):
        return False
    if len(loading.loaded_instances(config)) != len(config.vrrp_instances):
        return False
    return not loading.vrrp_process_exits(config)


@dataclass(slots=True)
class Analysed:
    """What the last analysis of one config left for the next one."""

    lines: list[str]
    document: Document
    #: The document's units and their keys (their first line and text).
    units: list[Unit]
    keys: list[tuple[int, str]]
    target_version: str | None
    #: A unit without a rule's entry: that rule's findings there are not known alone.
    findings: Findings
    #: The keys of the units that are not instances, when the instances were independent.
    context: tuple[tuple[int, str], ...] | None
    #: The findings of each instance-local rule per unit, found with that context.
    instance_findings: Findings


class Memory:
    """The last analysis of each config (path, config id) a session linted, the model
    objects of its blocks, and the failover simulations of the last peer groups."""

    def __init__(self) -> None:
        self.configs: dict[tuple[str, str | None], Analysed] = {}
        #: The model objects of each config's blocks (``kalint.model.build``).
        self.models: dict[tuple[str, str | None], model.Built] = {}
        self.contexts = ContextTokens()
        self.loads = Loads(self.contexts)
        self.simulations = Simulations(self.contexts)
        self.router_findings = RouterFindings()
        self.findings = KeptFindings()

    def forget(self, slot: tuple[str, str | None]) -> None:
        """A config analysed whole: nothing of its last analysis is reused."""
        self.configs.pop(slot, None)
        self.models.pop(slot, None)


class Kept(Generic[V]):
    """Values one lint computed, found by key in the next. Each lint keeps only what it
    used (``start`` before it, ``finish`` after): the table stays the size of one analysis."""

    def __init__(self) -> None:
        self.known: dict[Hashable, V] = {}
        self.used: dict[Hashable, V] = {}

    def start(self) -> None:
        self.used = {}
        self.new_lint()

    def finish(self) -> None:
        self.known, self.used = self.used, {}
        self.new_lint()

    def new_lint(self) -> None:
        """Forget what is kept for one lint only (a subclass's tables by object identity)."""

    def get(self, key: Hashable) -> V | None:
        found = self.used.get(key)
        return found if found is not None else self.known.get(key)

    def keep(self, key: Hashable, value: V) -> V:
        self.used[key] = value
        return value


class ContextTokens(Kept[object]):
    """A token per config's ``loading.load_context``: the same object from one lint to
    the next while the context is the same, so that the keys of ``Loads`` and
    ``Simulations`` hold an object hashed by identity, not a tuple of every definition
    block hashed again a few times per instance on every keystroke. The context is
    hashed once per config and lint, here."""

    def __init__(self) -> None:
        super().__init__()
        #: This lint's configs (by identity): their token.
        self._of_config: dict[int, object] = {}

    def new_lint(self) -> None:
        self._of_config = {}

    def of(self, config: model.Config) -> object:
        found = self._of_config.get(id(config))
        if found is None:
            context = loading.load_context(config)
            found = self._of_config[id(config)] = self.keep(context, self.get(context) or object())
        return found


class KeptFindings(Kept[tuple[tuple[object, ...], Diagnostic]]):
    """The findings whole-config rules made with ``Rule.kept``, by rule, the identities
    of the objects each was made from and its detail. Each entry holds those objects, so
    an identity it is found by never outlives them."""

    def finding(self, code: str, sources: tuple[object, ...], detail: Hashable,
                make: Callable[[], Diagnostic]) -> Diagnostic:
        key = (code, tuple(map(id, sources)), detail)
        found = self.get(key)
        if found is None or any(kept is not source for kept, source in zip(found[0], sources)):
            found = (sources, make())
        self.keep(key, found)
        return found[1]


class Loads(Kept[tuple[model.VrrpInstance, tuple]]):
    """Instances as ``loading.load_instance`` loads them, reused while what it reads is the
    same objects: the instance (``model.build`` gives the same object for the same block),
    the node label and the config's ``loading.load_context`` (its ``ContextTokens`` token).

    A reused load is a new ``Peer`` made of the first one's values and bound to this
    lint's config (grouping renames a peer's node, ``load`` sets its siblings and whether
    its process exits), and shares the first one's ``derived`` values (its grouping link);
    what is kept holds no config, so it keeps no old analysis alive. Kept from one lint
    to the next: the loads that lint used."""

    #: ``Peer``'s fields in the order its ``__init__`` takes them: a reused load is made
    #: with positional arguments (a dict of keywords per instance cost more than the rest).
    _FIELDS = tuple(item.name for item in fields(loading.Peer))
    #: What ``load`` sets afterwards, and the config, are not kept: the defaults instead.
    _UNDECIDED = {"config": None, "process_exits": False, "siblings": ()}
    _CONFIG = _FIELDS.index("config")

    def __init__(self, contexts: ContextTokens) -> None:
        super().__init__()
        self.contexts = contexts

    def instance(self, node: str, config: model.Config, inst: model.VrrpInstance,
                 defs: loading.Definitions) -> loading.Peer:
        key = (id(inst), node, self.contexts.of(config))
        found = self.get(key)
        if found is not None and found[0] is inst:
            args = list(found[1])
            args[self._CONFIG] = config
            peer = loading.Peer(*args)
        else:
            peer = loading.load_instance(node, config, inst, defs)
            undecided = self._UNDECIDED
            found = (inst, tuple(undecided[name] if name in undecided else getattr(peer, name) for name in self._FIELDS))
        self.keep(key, found)
        return peer


class Simulations(Kept[tuple[list[Simulation], object]]):
    """Failover simulations of components (routers tied by sync groups), reused while
    what they read is the same objects: each peer's instance block and every other
    top-level block of its config ``load`` reads (definitions, ``global_defs``, sync
    groups: ``loading.LOAD_INPUTS``), which an analysis shares with the previous one
    where the edit did not touch them (so a typo that turns another instance's header
    into an unknown keyword recomputes that instance's component alone), plus what
    depends on the whole config (whether its VRRP process exits, its address owners,
    the node label, the target version, the sync-group siblings). The keys hold those
    objects, so an identity never outlives them."""

    def __init__(self, contexts: ContextTokens) -> None:
        # key -> the component's simulations, and a token that stays the component's
        # while its key does (``router_keys``: a tuple that is cheap to hash).
        super().__init__()
        self.contexts = contexts
        #: This lint's routers (by identity): their component's token and place in it.
        self.router_keys: dict[int, tuple[object, int]] = {}

    def new_lint(self) -> None:
        self.router_keys = {}

    def component(self, routers: list[Router]) -> list[Simulation]:
        key = self._key(routers)
        known = self.get(key)
        if known is None:
            found, token = failover.simulate_component(routers), object()
        else:  # the same inputs: the scenarios hold, bound to this lint's routers
            found = [Simulation(router, sim.healthy, sim.scenarios, sim.start_order)
                     for router, sim in zip(routers, known[0])]
            token = known[1]
        self.keep(key, (found, token))
        for index, router in enumerate(routers):
            self.router_keys[id(router)] = (token, index)
        return found

    def _key(self, routers: list[Router]) -> tuple:
        key: list[object] = [len(routers)]
        context_of = self.contexts.of
        for router in routers:
            key.append(len(router.peers))
            for peer in router.peers:
                siblings = peer.siblings
                key += (peer.node, peer.instance.node, peer.process_exits,
                        tuple([s.name for s in siblings]) if siblings else (),
                        peer.config.target_version, context_of(peer.config))
        return tuple(key)


class RouterFindings(Kept[dict[tuple[object, int], list[Diagnostic]]]):
    """The findings of ``router_local`` cluster rules (``kalint.rule``), router by router,
    kept per rule and peer-group tag while the router's failover component has the same
    inputs: the token ``Simulations`` gives it, and the router's place in it. A router's
    findings are those of a group holding it alone, with its simulation from the whole
    group's."""

    def of(self, code: str, group: PeerGroup, tag: PeerTag, simulations: list[Simulation],
           keys: list[tuple[object, int]], check: Callable[[PeerGroup], list[Diagnostic]]) -> list[Diagnostic]:
        """Rule ``code``'s findings on ``group`` (tagged ``tag``), router by router;
        ``check`` gives them for a group of one router."""
        before = self.known.get((code, tag), {})
        now = self.used.setdefault((code, tag), {})
        # (an empty list, no findings, is as good as any: one key has one answer; ``now``
        # is empty but for a group of the same tag linted twice in one lint)
        found = [now.get(key) or before.get(key) for key in keys] if now else list(map(before.get, keys))
        for at in [at for at, answer in enumerate(found) if answer is None]:
            found[at] = check(PeerGroup(group.configs, group.nodes, [group.routers[at]], normalised=group.normalised,
                                        simulations=[simulations[at]]))
        known = cast(list[list[Diagnostic]], found)
        now.update(zip(keys, known))
        return list(chain.from_iterable(known))


@contextmanager
def _hooked(hook: ContextVar[H | None], value: H, *tables: Kept) -> Iterator[None]:
    """One lint with ``hook`` set to ``value``, the ``tables`` keeping what it uses (and
    only that, when it ends without an error)."""
    for table in tables:
        table.start()
    token = hook.set(value)
    try:
        yield
    finally:
        hook.reset(token)
    for table in tables:
        table.finish()


@dataclass(slots=True)
class _Plan:
    """Between ``_document`` and ``_config_findings`` of one config."""

    slot: tuple[str, str | None]
    expansion: Expansion
    lines: list[str]
    document: Document
    previous: Analysed | None


class IncrementalLinter(Linter):
    """A Linter that reuses, per config, the blocks and findings of its last analysis."""

    def __init__(self, options: LintOptions, registry: Registry, memory: Memory) -> None:
        super().__init__(options, registry)
        self.memory = memory
        self._plan: _Plan | None = None
        self._config_id: str | None = None
        #: The last group ``_router_keys`` answered for, and its answer.
        self._keyed: tuple[PeerGroup, tuple[list[Simulation], list[tuple[object, int]]] | None] | None = None

    def lint_paths(self, paths: Iterable[str], stdin: bytes | None = None, progress: Progress | None = None) -> RunResult:
        loads, findings = self.memory.loads, self.memory.findings
        with _hooked(loading.instance_loader, loads.instance, self.memory.contexts, loads), \
                _hooked(rule_api.finding_memo, findings.finding, findings):
            return super().lint_paths(paths, stdin, progress)

    def _lint_expansion(self, expansion: Expansion, config_id: str | None) -> LintedConfig:
        self._config_id = config_id
        try:
            return super()._lint_expansion(expansion, config_id)
        finally:
            self._plan = None

    def _lint_clusters(self, linted: list[tuple[LintedConfig, int]], focus: set[str] | None = None) -> list[Diagnostic]:
        cache = self.memory.simulations
        try:
            with _hooked(failover.simulator, cache.component, cache, self.memory.router_findings):
                return super()._lint_clusters(linted, focus)
        finally:
            self._keyed = None  # (its keys are this lint's)

    def _cluster_findings(self, rule: Rule, group: PeerGroup, tag: PeerTag) -> list[Diagnostic]:
        keyed = self._router_keys(group) if rule.router_local and group.routers else None
        if keyed is None:
            return super()._cluster_findings(rule, group, tag)
        return self.memory.router_findings.of(rule.code, group, tag, *keyed,
                                              lambda alone: super(IncrementalLinter, self)._cluster_findings(rule, alone, tag))

    def _router_keys(self, group: PeerGroup) -> tuple[list[Simulation], list[tuple[object, int]]] | None:
        """The simulations of ``group``'s routers and their ``RouterFindings`` keys, found
        once per group for all its router-local rules; None when the group was too large
        to simulate."""
        last = self._keyed
        if last is not None and last[0] is group:
            return last[1]
        simulations = failover.simulations(group)
        keys = [self.memory.simulations.router_keys.get(id(router)) for router in group.routers]
        keyed = None
        if len(simulations) == len(group.routers) and None not in keys:
            keyed = simulations, cast(list[tuple[object, int]], keys)
        self._keyed = (group, keyed)
        return keyed

    def _document(self, expansion: Expansion) -> Document:
        self._plan = None
        slot = (expansion.main.path, self._config_id)
        if expansion.origins is not None or expansion.exhausted:
            self.memory.forget(slot)
            return super()._document(expansion)
        lines = expansion.text.split("\n")
        previous = self.memory.configs.get(slot)
        document = _reparse(previous, expansion, lines) if previous is not None else None
        if document is None:
            previous = None
            before = (len(expansion.problems.items), sum(expansion.problems.omitted.values()))
            document = parser.parse(expansion)
            if before != (len(expansion.problems.items), sum(expansion.problems.omitted.values())):
                self.memory.forget(slot)  # a syntax problem: blocks are not independent
                return document
        self._plan = _Plan(slot, expansion, lines, document, previous)
        return document

    def _build(self, document: Document, config_id: str | None) -> model.Config:
        plan = self._plan
        if plan is None or plan.document is not document:
            return super()._build(document, config_id)
        return model.build(document, config_id, self.memory.models.setdefault(plan.slot, {}))

    def _config_findings(self, config: model.Config) -> list[Diagnostic]:
        plan = self._plan
        if plan is None or plan.document is not config.document:
            return super()._config_findings(config)
        units = units_of(config.document.items)
        keys = _unit_keys(units, plan.lines, plan.previous)
        shared = frozenset(at for at, unit in enumerate(units) if not _is_instance(unit.items[0]))
        context = tuple(keys[at] for at in sorted(shared)) if instances_independent(config, units) else None
        previous = plan.previous
        if previous is None or previous.target_version != config.target_version:
            previous = None
        local: Findings = {key: previous.findings.get(key, NOTHING_KNOWN) if previous else NOTHING_KNOWN for key in keys}
        known = previous.instance_findings if previous is not None and context is not None \
            and previous.context == context else {}
        per_instance: Findings = {key: known.get(key, NOTHING_KNOWN) for key in keys}
        complete = self._complete(config, units, keys, local, [r for r in self.config_rules if r.block_local],
                                  frozenset())
        if context is not None:
            complete |= self._complete(config, units, keys, per_instance,
                                       [r for r in self.config_rules if r.instance_local], shared)
        out: list[Diagnostic] = []
        for rule in self.config_rules:
            if rule.code not in complete:
                run_rule(rule, config, out)
        for key in keys:  # (the engine sorts the findings)
            for table in (local, per_instance):
                for code, found in table[key].found.items():
                    if code in complete:
                        out.extend(found)
        self.memory.configs[plan.slot] = Analysed(plan.lines, config.document, units, keys, config.target_version,
                                                  local, context, per_instance)
        return out

    def _complete(self, config: model.Config, units: list[Unit], keys: list[tuple[int, str]], table: Findings,
                  rules: list[Rule], around: frozenset[int]) -> set[str]:
        """Fill ``table`` (what is known per unit) for ``rules`` where it lacks them, and
        give the codes whose findings it now knows in every unit. Rules that need the
        same units run on one config of them: a block-local rule needs those units alone,
        an instance-local one needs them with the units ``around`` (the context), and every
        unit when the context's own findings are not known."""
        codes = frozenset(rule.code for rule in rules)
        lacking = [at for at, key in enumerate(keys) if not table[key].codes >= codes]
        todo: dict[tuple[int, ...], list[Rule]] = {}
        for rule in rules:
            missing = tuple(at for at in lacking if rule.code not in table[keys[at]].codes)
            if around and not around.isdisjoint(missing):
                missing = tuple(range(len(units)))
            todo.setdefault(missing, []).append(rule)
        for missing, group in todo.items():
            covered, known, found = self._unit_findings(config, group, units, missing, around)
            for at in covered:
                table[keys[at]] = table[keys[at]].adding(known, found.get(at, {}))
        unknown: set[str] = set()
        for at in lacking:
            unknown |= codes - table[keys[at]].codes
        return set(codes - unknown)

    def _unit_findings(self, config: model.Config, rules: list[Rule], units: list[Unit], run: tuple[int, ...],
                       around: frozenset[int]) -> tuple[Sequence[int], frozenset[str], dict[int, dict[str, list[Diagnostic]]]]:
        """The findings of ``rules`` in the units of ``run`` (by index), found on a config of
        those units and the units ``around`` them, or on the whole config when they are
        most of it: the units now known (those of ``run``, or all), the rules known there
        (not a rule whose findings cannot be split per unit here: it then runs on the
        whole config, and on these units again next time) and, per unit, the findings of
        each rule that found something."""
        if not run:
            return (), frozenset(), {}
        scope_at: Sequence[int] = sorted(set(run) | around)
        scope = config
        if 2 * len(scope_at) > len(units):  # most of the config (lines added above): check it whole
            scope_at = run = tuple(range(len(units)))
        else:
            sub = Document(config.document.expansion)
            sub.items = [item for at in scope_at for item in units[at].items]
            assert self._plan is not None
            scope = model.build(sub, config.config_id, dict(self.memory.models.get(self._plan.slot, {})))
            scope.target_version = config.target_version
        wanted = set(run)
        shown = [units[at] for at in scope_at]
        open_to = [at in around for at in scope_at]
        known: set[str] = set()
        per_unit: dict[int, dict[str, list[Diagnostic]]] = {}
        for rule in rules:
            found: list[Diagnostic] = []
            run_rule(rule, scope, found)
            parts = _attribute(found, shown, config.path, open_to) if rule.blocks_independent(scope) else None
            if parts is None:
                continue
            known.add(rule.code)
            for index, part in parts.items():
                if scope_at[index] in wanted:
                    per_unit.setdefault(scope_at[index], {})[rule.code] = part
        return run, frozenset(known), per_unit


def _unit_keys(units: list[Unit], lines: list[str], previous: Analysed | None) -> list[tuple[int, str]]:
    """Each unit's key: its first line and its text. A unit the edit left as it was (its
    items the last analysis's, at the same line: ``_reparse`` keeps only those) has the
    last analysis's key, not a new copy of its lines."""
    kept: dict[int, tuple[int, str]] = {}
    if previous is not None:
        kept = {id(unit.items[0]): key for unit, key in zip(previous.units, previous.keys)}
    keys = []
    for unit in units:
        key = kept.get(id(unit.items[0]))
        if key is None or key[0] != unit.start:
            key = (unit.start, "\n".join(lines[unit.start - 1 : unit.end]))
        keys.append(key)
    return keys


def _attribute(found: list[Diagnostic], units: list[Unit], path: str, open_to: list[bool]) -> dict[int, list[Diagnostic]] | None:
    """``found`` split per unit (by index in ``units``; only the units with findings), or
    None when a finding is not inside one: every span of it inside the unit of its first
    span, or inside a unit every finding may point into (``open_to``: the context of
    instance-local rules)."""
    out: dict[int, list[Diagnostic]] = {}
    if not found:
        return out
    starts = [u.start for u in units]

    def unit_of(span: Span) -> int | None:
        at = bisect_right(starts, span.line) - 1
        return at if at >= 0 and _inside(span, path, units[at]) else None

    for diag in found:
        home = unit_of(diag.span)
        if home is None:
            return None
        for span in diag.spans():
            at = unit_of(span)
            if at is None or (at != home and not open_to[at]):
                return None
        out.setdefault(home, []).append(diag)
    return out


def _inside(span: Span, path: str, unit: Unit) -> bool:
    return span.path == path and unit.start <= span.line and span.end_line <= unit.end


def _reparse(previous: Analysed, expansion: Expansion, lines: list[str]) -> Document | None:
    """The document of ``expansion``, parsing again only the units the edit touched
    (and those after it when lines were added or removed); None: parse it whole."""
    old = previous.lines
    same, tail = common_ends(old, lines)
    delta = len(lines) - len(old)
    # The old lines the edit replaced (1-based, inclusive); an insertion touches the two
    # lines around it.
    low, high = same + 1, len(old) - tail
    if high < low:
        low, high = same, same + 1
    units = previous.units
    first = next((at for at, u in enumerate(units) if u.end >= low), len(units))
    stop = first
    while stop < len(units) and units[stop].start <= high:
        stop += 1
    start_line = max(1, min(low, units[first].start) if first < len(units) else low)
    if delta:  # the units after the edit move: parse them again
        stop, end_line = len(units), len(lines)
    else:
        end_line = max(high, units[stop - 1].end) if stop > first else high
    kept = units[:first] + units[stop:]
    regions = [(start_line, min(end_line, len(lines)))]
    owners = Counter(id(item.doc) for unit in kept for item in unit.items)
    if len(owners) >= MAX_OWNERS:  # parse the units of all but the largest owner again too
        base = owners.most_common(1)[0][0]
        regions += [(u.start, u.end) for u in kept if id(u.items[0].doc) != base]
        kept = [u for u in kept if id(u.items[0].doc) == base]
    chunk = _parse_regions(expansion, lines, sorted(regions))
    if chunk is None:
        return None
    items = [item for unit in kept for item in unit.items] + chunk.items
    items.sort(key=lambda item: item.line)  # stable: items of one unit keep their order
    document = Document(expansion)
    document.items = items
    if len(regions) == 1:  # the old items on the replaced lines (to the end, when lines moved) give way
        old_end = len(old) if delta else end_line
        removed = [item for unit in units[first:stop] for item in unit.items]
        document.use_index(previous.document.index().spliced(start_line, old_end, removed, chunk.index()))
    return document


def _parse_regions(expansion: Expansion, lines: list[str], regions: list[tuple[int, int]]) -> Document | None:
    """The items of the given line ranges (1-based, inclusive, sorted, disjoint), parsed
    in one pass with the lines between them blanked, as a document; None when that is not what a full parse
    would make of them: a syntax problem, or an item running from one range into another
    (a `{` that would open a block of a statement in an earlier range)."""
    first, last = regions[0][0], max(hi for _, hi in regions)
    shown = [""] * (last - first + 1)
    for lo, hi in regions:
        shown[lo - first : hi - first + 1] = lines[lo - 1 : hi]
    problems = Collector()
    try:
        chunk = parser.parse(expansion, problems, "\n".join(shown), first)
    except Exception:  # whatever a part cannot be parsed alone, the whole can be
        return None
    if problems.items or problems.omitted:
        return None
    starts = [lo for lo, _ in regions]
    for item in chunk.items:
        at = bisect_right(starts, item.line) - 1
        if at < 0 or item.end_line > regions[at][1]:
            return None
    return chunk
