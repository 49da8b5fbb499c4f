"""The pipeline: source → expand → parse → model → rules → diagnostics.

``lint_paths`` is what the CLI and the language server call. It never prints;
problems that stop a file from being linted at all come back as ``errors``.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from kalint import discovery, limit, model, parallel, split, suppress
from kalint.diagnostic import Collector, Diagnostic, PeerTag, Severity
from kalint.records import dataclass, field
from kalint.registry import Registry
from kalint.registry import load as load_registry
from kalint.report import printable
from kalint.rules import ka0_reading as reading
from kalint.runtime import loading
from kalint.settings import Resolver, SettingsError
from kalint.syntax import parser
from kalint.syntax.span import Span
from kalint.syntax.tree import Document
from kalint.templates import detect
from kalint.text import budget as budgetmod
from kalint.text import expand as expandmod
from kalint.text import source as sourcemod
from kalint.text.source import SourceError, SourceFile

if TYPE_CHECKING:
    from kalint.resultcache import ResultCache
    from kalint.rule import Rule
    from kalint.runtime.grouping import PeerGroup, Summary
    from kalint.runtime.partition import Partition
    from kalint.templates.render import Rendered

STDIN_PATH = "-"
STDIN_NAME = "<stdin>"


@dataclass(slots=True)
class LintOptions:
    """What the caller decides for a run (the CLI flags that reach the engine)."""

    #: ``--config-id``: lint as these hosts; None lints once per id the file names.
    config_ids: tuple[str, ...] | None = None
    root: str | None = None
    allow_outside_includes: bool = False
    #: ``--target-version``: the keepalived release the configs run on (None: newest known).
    target_version: str | None = None
    #: Unsaved editor buffers: the text to lint instead of the file on disk, keyed by
    #: ``os.path.realpath``. Used by the language server; the CLI never sets it.
    overlay: Mapping[str, bytes] | None = None
    #: Configuration files and select/ignore/severity flags (None: discover, no flags).
    settings: Resolver | None = None
    #: ``--template``: the template engine of every file (None: the setting, then detection).
    template: str | None = None
    #: ``--vars``: render Jinja2 templates once per value (``a.yml,b.yml``: merged, later wins).
    vars: tuple[str, ...] = ()
    #: ``--jobs``: processes for many root configs (0: auto, one per core; 1: in-process),
    #: and for a large config's rules (``kalint.split``) unless 1.
    jobs: int = 0
    #: ``--no-peers``: every config is linted as nobody's peer.
    no_peers: bool = False
    #: The CLI's result cache (kalint.resultcache); None lints everything.
    cache: ResultCache | None = None


@dataclass(slots=True)
class LintedConfig:
    """One root config as linted under one config id."""

    path: str
    config: model.Config
    diagnostics: list[Diagnostic]
    #: False for a template linted raw: one text for every host, a peer of none.
    peer: bool = True
    #: A template's rendering (render mode): maps the cluster rules' findings back.
    rendered: Rendered | None = None
    #: Findings the reading stages counted but did not build (kalint.limit).
    omitted: dict[tuple[str, str], int] = field(default_factory=dict)
    _reads: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def sources(self) -> list[SourceFile]:
        """The files it was read from, the main config first."""
        return self.config.expansion.sources

    @property
    def source_paths(self) -> list[str]:
        """The paths of ``sources``."""
        return [src.path for src in self.sources]

    @property
    def sources_read(self) -> bool:
        """Whether ``sources`` are in memory (a cached config's may not have been read)."""
        return True

    @property
    def config_id(self) -> str | None:
        return self.config.config_id

    @property
    def include_reads(self) -> list[tuple[Span, tuple[str, ...]]]:
        """Each include line and the files it read (pre-commit's blame needs them)."""
        return [(record.span, tuple(record.read)) for record in self.config.expansion.includes]

    @property
    def reads(self) -> frozenset[str]:
        """Every file it reads, itself included, as realpaths (resolved once)."""
        if self._reads is None:
            self.resolve_reads({})
        assert self._reads is not None
        return self._reads

    def resolve_reads(self, known: Mapping[str, str]) -> None:
        """Compute ``reads``, taking the realpaths of ``known`` (path → realpath, as a
        directory search resolved them) instead of resolving those paths again: an
        ``os.path.realpath`` is an ``lstat`` per folder, and pre-commit asks for every
        config of a repository."""
        if self._reads is None:
            self._reads = frozenset(known.get(path) or os.path.realpath(path) for path in self.source_paths)

    def reads_any(self, paths: set[str]) -> bool:
        """It reads one of ``paths`` (realpaths)."""
        return not self.reads.isdisjoint(paths)

    @property
    def reads_fixed(self) -> bool:
        """Every include line names one file and read it: nothing else could be read."""
        return expandmod.names_fixed_files(self.config.expansion)

    def summary(self) -> Summary:
        """What peer grouping reads of this config (``kalint.runtime.grouping.memberships``)."""
        from kalint.runtime import grouping

        return grouping.summary(self.config)


@dataclass(slots=True)
class RunResult:
    """Everything a run found, and the files it read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    configs: list[LintedConfig] = field(default_factory=list)
    #: Every file read, includes too (the text reporter needs their lines).
    sources: dict[str, SourceFile] = field(default_factory=dict)


#: (path, directories includes may be read from, peer candidate set)
Root = tuple[str, tuple[str, ...], int]
#: Called with (roots linted so far, roots in all) as a run goes on.
Progress = Callable[[int, int], None]


class Linter:
    def __init__(self, options: LintOptions | None = None, registry: Registry | None = None) -> None:
        self.options = options or LintOptions()
        self.registry = registry or load_registry()
        self.config_rules = [r() for r in self.registry.sorted() if r.scope == "config"]
        #: after each config rule, the analyses no later rule reads (``Rule.analyses``)
        self._done_after = last_readers(self.config_rules)
        self.cluster_rules = [r() for r in self.registry.sorted() if r.scope == "cluster"]
        self.rule_names = self.registry.names()
        self.settings = self.options.settings or Resolver(rule_names=self.rule_names)

    # -- one config -------------------------------------------------------------------

    def lint_source(self, main: SourceFile, allowed_dirs: tuple[str, ...] | None) -> list[LintedConfig]:
        """Lint one root config, once per config id it depends on; a template once per
        combination of its branches (``kalint.templates``)."""
        engine = detect.detect(main.path, main.text, self.options.template or self.settings.template(main.path))
        if engine is None:
            return self._lint_text(main, allowed_dirs)
        if engine == "jinja2" and self.options.vars:
            return self._lint_renders(main, allowed_dirs)
        from kalint.templates import lint as templates  # only for templates: not on a plain config's start-up

        prepared = templates.prepare(main, engine)
        first: list[LintedConfig] = []

        def lint_text(variant: SourceFile) -> tuple[list[Diagnostic], list[Document]]:
            linted = self._lint_text(variant, allowed_dirs)
            first.extend(linted if not first else [])
            return [d for item in linted for d in item.diagnostics], [item.config.document for item in linted]

        merged = templates.lint(main, prepared, lint_text)
        for item in first:
            item.diagnostics = []
            item.peer = False
        first[0].diagnostics = merged
        return first

    def _lint_renders(self, main: SourceFile, allowed_dirs: tuple[str, ...] | None) -> list[LintedConfig]:
        """Render mode: one rendering per ``--vars`` value, linted as the config of one host,
        every finding at the template line that printed it."""
        from kalint.templates import render, unknowns

        linted: list[LintedConfig] = []
        for host, variables, problems in render.hosts(self.options.vars):
            rendered = render.render(main, host, variables, f"{main.path}#{host}")
            configs = self._lint_text(rendered.source, allowed_dirs)
            unknown = unknowns.find([item.config.document for item in configs])  # undefined variables
            for item in configs:
                item.rendered = rendered
                item.diagnostics = [rendered.map(d).with_(config_id=host) for d in item.diagnostics
                                    if not unknown.hides(d, rendered.source)]
            configs[0].diagnostics.extend(d.with_(config_id=host) for d in rendered.problems)
            configs[0].diagnostics.extend(render.vars_problem(main, p) for p in problems)
            linted.extend(configs)
        return linted

    def _lint_text(self, main: SourceFile, allowed_dirs: tuple[str, ...] | None) -> list[LintedConfig]:
        ids: list[str]
        spent = 0
        if self.options.config_ids is not None:
            ids = list(self.options.config_ids)
        else:
            first = expandmod.expand(main, self._expand_options(None, allowed_dirs))
            if not first.config_ids or first.exhausted:
                return [self._lint_expansion(first, None)]
            ids = sorted(first.config_ids)
            spent = first.work
        linted: list[LintedConfig] = []
        for done, config_id in enumerate(ids):
            expansion = expandmod.expand(main, self._expand_options(config_id, allowed_dirs))
            linted.append(self._lint_expansion(expansion, config_id))
            spent += expansion.work + len(linted[-1].diagnostics)  # findings cost their own work
            if done + 1 < len(ids) and spent > budgetmod.variants_allowance(_distinct_lines(expansion.sources)):
                linted[-1].diagnostics.append(_variants_over_budget(main, ids, done + 1))
                break
        return linted

    def _expand_options(self, config_id: str | None, allowed_dirs: tuple[str, ...] | None) -> expandmod.Options:
        return expandmod.Options(
            config_id=config_id,
            root=self.options.root,
            allowed_dirs=None if self.options.allow_outside_includes else allowed_dirs,
            overlay=self.options.overlay,
        )

    def build_model(self, main: SourceFile, allowed_dirs: tuple[str, ...] | None, config_id: str | None) -> model.Config:
        """The model ``lint_source`` builds for one config id, without running rules."""
        return self._model(expandmod.expand(main, self._expand_options(config_id, allowed_dirs)), config_id)

    def _model(self, expansion: expandmod.Expansion, config_id: str | None) -> model.Config:
        config = self._build(self._document(expansion), config_id)
        config.target_version = self.options.target_version or self.settings.for_path(expansion.main.path).target_version
        return config

    def _build(self, document: Document, config_id: str | None) -> model.Config:
        """The model of ``document`` (``kalint.incremental`` reuses the objects of the blocks an edit did not touch)."""
        return model.build(document, config_id)

    def _document(self, expansion: expandmod.Expansion) -> Document:
        """The syntax tree of ``expansion`` (``kalint.incremental`` re-parses only what an edit touched)."""
        return parser.parse(expansion)

    def _config_findings(self, config: model.Config) -> list[Diagnostic]:
        """Every config rule's findings on ``config``, in rule order (``kalint.incremental``
        reuses the findings of rules that look at one top-level block at a time). A large
        config's rules run on two processes unless ``--jobs 1`` (``kalint.split``)."""
        if self.options.jobs != 1 and split.worth_splitting(config):
            # the runtime model: many rules and peer grouping read it (the parent computes it while the child starts)
            in_two = split.findings(self.config_rules, config, run_rule, prepare=loading.load)
            if in_two is not None:
                return in_two
        found: list[Diagnostic] = []
        for rule, done in zip(self.config_rules, self._done_after):
            run_rule(rule, config, found)
            if done:
                config.forget(done)
        return found

    def _lint_expansion(self, expansion: expandmod.Expansion, config_id: str | None) -> LintedConfig:
        config = self._model(expansion, config_id)
        document = config.document
        diagnostics = list(expansion.problems.items)
        if not document.items and not expansion.exhausted and not any(r.incomplete for r in expansion.includes):
            diagnostics.append(reading.EmptyConfig.finding(
                Span(expansion.main.path, 1, 1, 1, 1),
                "the configuration has no statement: keepalived starts with nothing to do",
            ))
        diagnostics.extend(self._config_findings(config))
        config.keep_analyses(loading.ANALYSES)  # what peer grouping reads stays; the rules' own go
        if config_id is not None:
            diagnostics = [d.with_(config_id=config_id) for d in diagnostics]
        return LintedConfig(expansion.main.path, config, diagnostics, omitted=_omitted(expansion.problems))

    # -- many paths ---------------------------------------------------------------------

    def lint_paths(self, paths: Iterable[str], stdin: bytes | None = None, progress: Progress | None = None) -> RunResult:
        result = RunResult()
        roots: list[Root] = []
        linked_out: list[Diagnostic] = []  # configs a directory walk found behind symlinks out of it
        for path in paths:
            if path == STDIN_PATH:
                roots.append((STDIN_PATH, (os.path.realpath(os.getcwd()),), 0))
            elif os.path.isdir(path):
                found, outside = self._configs_in(path)
                if not found and not outside:
                    result.errors.append((path, "no keepalived configuration found in this directory"))
                candidate_set = len(roots) + 1
                roots.extend((f, (os.path.realpath(path),), candidate_set) for f in found)
                linked_out.extend(outside)
            elif self._leaves_tree(path, _explicit_tree(path)):
                linked_out.append(_outside_link(path))
            else:
                roots.append((path, (os.path.realpath(os.path.dirname(path) or "."),), 0))
        with _gc_paused():
            self._lint_roots(roots, result, stdin, progress, linked_out)
        return result

    def lint_changed(self, changed: Iterable[str], search_dir: str = ".", progress: Progress | None = None) -> RunResult:
        """pre-commit: lint what the changed files belong to, report what they take part in.

        Every config under ``search_dir`` and every changed file is a root of one peer
        candidate set; a changed file some root includes is linted as part of that root
        (never as a main config of its own), and peers are linted together so cluster
        rules see the whole set. ``kalint.blame`` keeps the findings a changed file takes
        part in that the committed version does not have, placed in the changed files.
        """
        from kalint import blame

        changed = list(changed)
        wanted = {os.path.realpath(p) for p in changed if not self.settings.excluded(p)}
        result = RunResult()
        if not wanted:
            return result
        base: tuple[str, ...] = (os.path.realpath(search_dir),)
        found_real, linked_out = self._real_configs_in(search_dir)
        found = [os.path.normpath(f) for f, _ in found_real]
        known = {real for _, real in found_real}
        extra = sorted(p for p in changed if os.path.realpath(p) in wanted and os.path.realpath(p) not in known)
        linked_out += [_outside_link(p) for p in extra if self._leaves_tree(p, base[0])]
        extra = [p for p in extra if not self._leaves_tree(p, base[0])]
        roots: list[Root] = [(path, base, 1) for path in found + extra]
        real_paths = {path: real for path, (_, real) in zip(found, found_real)}
        with _gc_paused():
            outcomes = self._lint_roots(roots, result, None, progress, linked_out, focus=wanted, real_paths=real_paths)
            linted = blame.roots(result.configs, wanted)
            result.diagnostics = blame.blamed(
                result.diagnostics, result.sources, linted, wanted, os.getcwd(),
                lambda paths: self._committed_findings(changed, wanted, roots, linked_out, outcomes, paths, real_paths),
            )
        result.errors = [e for e in result.errors if os.path.realpath(e[0]) in wanted]
        if self.options.cache is not None:
            self.options.cache.save()
        return result

    def _committed_findings(
        self, changed: list[str], wanted: set[str], roots: list[Root], linked_out: list[Diagnostic],
        outcomes: dict[str, list[LintedConfig]], paths: set[str], real_paths: Mapping[str, str],
    ) -> set[str]:
        """Fingerprints of the findings with the changed files as HEAD has them; none
        when that cannot be known (not a git work tree) or nothing differs from HEAD
        (``pre-commit run --all-files``, CI on a commit): then every finding counts.
        Roots that read no changed file (and no wildcard include that might) are the same
        in both versions: their results (``outcomes``) are used again, not linted again.
        Only findings in ``paths`` (realpaths) are fingerprinted: blame asks for no other."""
        from kalint import gitview
        from kalint.fingerprint import fingerprints

        overlay = dict(self.options.overlay or {})
        differs = False
        for path in changed:
            real = os.path.realpath(path)
            if real not in wanted:
                continue
            data = gitview.committed(path)
            if data is None:
                return set()
            current = expandmod.overlaid(self.options.overlay, path)
            try:
                differs = differs or data != (current if current is not None else sourcemod.read_bytes(path))
            except (OSError, SourceError):
                differs = True
            overlay[real] = data
        if not differs:
            return set()
        before = Linter(replace(self.options, overlay=overlay, settings=self.settings), self.registry)
        result = RunResult()
        same = {path: items for path, items in outcomes.items()
                if all(item.reads_fixed and not item.reads_any(wanted) for item in items)}
        before._lint_roots(roots, result, None, None, linked_out, reuse=same, focus=wanted, real_paths=real_paths)
        located = [d for d in result.diagnostics if os.path.realpath(d.span.path) in paths]
        return set(fingerprints(located, result.sources, os.getcwd()))

    def files(self, paths: Iterable[str]) -> list[str]:
        """``--show-files``: what ``lint_paths`` would read as root configs (each directory
        searched, ``exclude`` and .gitignore applied; a file named is always linted)."""
        found: list[str] = []
        for path in paths:
            found.extend(self._configs_in(path)[0] if os.path.isdir(path) else [path])
        return found

    def _find_configs(self, directory: str) -> list[str]:
        return [f for f in discovery.find_configs(directory) if not self.settings.excluded(f)]

    def _configs_in(self, directory: str) -> tuple[list[str], list[Diagnostic]]:
        """Configs under ``directory``, and a KA008 (nothing read) for each found behind a
        symlink out of it: a pull request must not make CI print a file of the runner."""
        found, outside = self._real_configs_in(directory)
        return [path for path, _ in found], outside

    def _real_configs_in(self, directory: str) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
        """``_configs_in`` with each config's realpath."""
        real_directory = os.path.realpath(directory)
        found = [(f, discovery.real_path(f, directory, real_directory)) for f in self._find_configs(directory)]
        if self.options.allow_outside_includes:
            return found, []
        inside = (real_directory,)
        kept: list[tuple[str, str]] = []
        outside: list[Diagnostic] = []
        for f, real in found:
            if expandmod.is_inside(real, inside):
                kept.append((f, real))
            else:
                outside.append(_outside_link(f))
        return kept, outside

    def _leaves_tree(self, path: str, tree: str) -> bool:
        """A file named on the command line that resolves outside ``tree``: a symlink a
        pull request commits must not make CI print a file of the runner."""
        return not self.options.allow_outside_includes and not expandmod.is_inside(os.path.realpath(path), (tree,))

    def _lint_roots(
        self, roots: list[Root], result: RunResult, stdin: bytes | None, progress: Progress | None,
        extra: list[Diagnostic] | None = None, reuse: Mapping[str, list[LintedConfig]] | None = None,
        focus: set[str] | None = None, real_paths: Mapping[str, str] | None = None,
    ) -> dict[str, list[LintedConfig]]:
        """Lint ``roots`` into ``result``; each root's linted configs by its path. The
        results of roots in ``reuse`` are taken as they are. With ``focus`` (realpaths:
        pre-commit's changed files), only the findings of configs that read one of them
        and of peer groups with such a config are collected: no other can be blamed on
        the change; ``real_paths`` are the realpaths already known of some roots."""
        if self.options.root:
            root_dir = os.path.realpath(self.options.root)
            roots = [(p, dirs + (root_dir,), c) for p, dirs, c in roots]

        linted: list[tuple[LintedConfig, int]] = []
        reads_stdin = any(path == STDIN_PATH for path, _, _ in roots)
        jobs = 1 if reads_stdin else parallel.worker_count(self.options.jobs, len(roots))
        reuse = reuse or {}
        todo = [root for root in roots if root[0] not in reuse]
        # pre-commit: a config the change leaves alone (known by its realpath) may stay unread
        leaves_alone = {path for path, real in (real_paths or {}).items() if focus is not None and real not in focus}
        fresh = iter(parallel.map_ordered(
            lambda root: self._lint_root(root[0], root[1], stdin, root[0] in leaves_alone), todo, jobs))
        by_path: dict[str, list[LintedConfig]] = {}
        cache = self.options.cache
        for done, (path, allowed, candidate_set) in enumerate(roots, start=1):
            outcome = reuse[path] if path in reuse else next(fresh)
            if isinstance(outcome, str):
                result.errors.append((path, outcome))
            else:
                by_path[path] = outcome
                linted.extend((c, candidate_set) for c in outcome)
                if focus is not None and real_paths:
                    for c in outcome:
                        c.resolve_reads(real_paths)
                if cache is not None and focus is not None and path not in reuse:
                    cache.remember(self, path, allowed, outcome)  # the index serves pre-commit alone
            if progress is not None:
                progress(done, len(roots))
        kept = _drop_included_roots([item for item, _ in linted])
        kept_ids = {id(item) for item in kept}  # identity: `in kept` compared dataclasses pairwise
        linted = [(item, s) for item, s in linted if id(item) in kept_ids]
        result.configs = kept
        diagnostics = [d for item in kept if focus is None or item.reads_any(focus) for d in item.diagnostics]
        diagnostics.extend(extra or [])
        diagnostics.extend(_rendered_back(self._lint_clusters(linted, focus), kept))
        _add_sources(result, kept, None if focus is None else (focus, diagnostics))
        omitted: dict[tuple[str, str], int] = {}
        for item in kept:  # the same findings under several config ids are counted once
            for key, count in item.omitted.items():
                omitted[key] = max(count, omitted.get(key, 0))
        result.diagnostics = limit.cap(self._select(self._finalize(diagnostics), result.sources), omitted)
        return by_path

    def _select(self, diagnostics: list[Diagnostic], sources: dict[str, SourceFile]) -> list[Diagnostic]:
        """The one place findings are filtered: select, ignore, per-file-ignores, severity
        overrides, then inline suppressions (rules never filter their own findings)."""
        apply = self.settings.apply
        selected = [d for d in map(apply, diagnostics) if d is not None]
        kept, unused = suppress.apply(selected, sources.values(), self.settings.enabled, self.rule_names)
        if not unused:
            return kept
        kept.extend(d for d in map(apply, self._finalize(unused)) if d is not None)
        return sorted(kept, key=Diagnostic.sort_key)

    def _lint_root(
        self, path: str, allowed: tuple[str, ...], stdin: bytes | None, unread: bool = False,
    ) -> list[LintedConfig] | str:
        """One root config, linted under each of its config ids; or why it cannot be read.
        ``unread``: a config the result cache knows unchanged is not read (``ResultCache.unread``)."""
        try:
            cache = self.options.cache
            known = None
            if unread and cache is not None and path != STDIN_PATH and expandmod.overlaid(self.options.overlay, path) is None:
                known = cache.unread(self, path, allowed)
            if known is not None:
                configs: list[LintedConfig] = list(known)
            else:
                main = self._load(path, stdin)
                configs = self.lint_source(main, allowed) if cache is None or path == STDIN_PATH \
                    else cache.lint(self, main, allowed)
        except SourceError as exc:
            return str(exc).removeprefix(f"{path}: ")
        except RecursionError:
            return "nesting too deep to analyse"
        except SettingsError:
            raise  # the user's configuration file, not this config: the run stops with its message
        except Exception as exc:  # a kalint bug must not stop the other files
            return f"internal error ({type(exc).__name__}: {exc}); please report it"
        executable = _executable_problem(path)
        if executable is not None:
            configs[0].diagnostics.append(executable)
        return configs

    def _lint_clusters(self, linted: list[tuple[LintedConfig, int]], focus: set[str] | None = None) -> list[Diagnostic]:
        """Cluster rules on each group of HA peers among the configs linted together.

        Peer candidates are the files given together on the command line, or found under
        one directory argument; the ``[peers]`` setting and ``--no-peers`` narrow them
        (``kalint.runtime.partition``), ``kalint.runtime.grouping`` decides the rest.
        Each finding carries the group it came from.
        """
        if not self.cluster_rules:
            return []
        from kalint.runtime import partition

        settings_for = None if self.options.no_peers else self.settings.for_path
        cache = self.options.cache
        diagnostics: list[Diagnostic] = []
        for part in partition.split([(item, s) for item, s in linted if item.peer], settings_for):
            if cache is not None and focus is None:
                diagnostics.extend(cache.partition(part, partial(self._lint_partition, part, None)))
            else:
                diagnostics.extend(self._lint_partition(part, focus))
        return diagnostics

    def _lint_partition(self, part: Partition[LintedConfig], focus: set[str] | None) -> list[Diagnostic]:
        """Cluster rules on each peer group of one partition; with the result cache, a
        group whose members are all unchanged is read from it (``ResultCache.group``)."""
        from kalint.runtime import grouping

        try:
            wanted = None if focus is None else {i for i, m in enumerate(part.members) if m.reads_any(focus)}
            plan = part.plan(lambda: [member.summary() for member in part.members], wanted)
            labels = grouping.node_labels(part.members)
        except Exception as exc:  # peer grouping must not take single-config findings down
            return [_internal_error("peer grouping", exc, part.members[0].sources[0])]
        cache = self.options.cache
        diagnostics: list[Diagnostic] = []
        for indexes in plan:
            members = [part.members[i] for i in indexes]
            if focus is not None and not any(member.reads_any(focus) for member in members):
                continue
            names = [labels[i] for i in indexes]
            found = cache.group(self, part, members, names) if cache is not None else self.lint_group(part, members, names)
            diagnostics.extend(found)
        return diagnostics

    def lint_group(self, part: Partition[LintedConfig], members: list[LintedConfig], labels: list[str]) -> list[Diagnostic]:
        """Cluster rules on one peer group of ``part`` (``members``, named ``labels``)."""
        from kalint.runtime import grouping, partition

        try:
            group = grouping.build([member.config for member in members], labels)
        except Exception as exc:  # peer grouping must not take single-config findings down
            return [_internal_error("peer grouping", exc, members[0].sources[0])]
        group_tag = partition.tag_of(part, group)
        diagnostics: list[Diagnostic] = []
        for rule in self.cluster_rules:
            try:
                diagnostics.extend(self._cluster_findings(rule, group, group_tag))
            except Exception as exc:  # one broken rule must not hide the others
                diagnostics.append(_internal_error(rule.code, exc, group.configs[0].expansion.main))
        return diagnostics

    def _cluster_findings(self, rule: Rule, group: PeerGroup, tag: PeerTag) -> list[Diagnostic]:
        """One cluster rule's findings on ``group``, each carrying ``tag`` (``kalint.incremental``
        keeps those of a ``router_local`` rule per virtual router)."""
        return [d.with_(peer_group=tag) for d in rule.check_cluster(group)]

    def _load(self, path: str, stdin: bytes | None) -> SourceFile:
        if path == STDIN_PATH:
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            return sourcemod.load(STDIN_NAME, data)
        return sourcemod.load(path, expandmod.overlaid(self.options.overlay, path))

    def _finalize(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Fill names and default severities; merge copies found under several ids."""
        merged: dict[tuple, Diagnostic] = {}
        for diag in diagnostics:
            rule = self.registry.get(diag.code)
            if rule is not None:
                if not diag.name or diag.severity is None:  # (a rule's own findings have both)
                    diag = diag.with_(name=diag.name or rule.name, severity=diag.severity or rule.severity)
            elif diag.severity is None:
                diag = diag.with_(severity=Severity.ERROR)
            key = (diag.code, diag.span, diag.message, diag.severity)
            seen = merged.get(key)
            if seen is None:
                merged[key] = diag
            elif diag.config_id and seen.config_id and diag.config_id not in seen.config_id.split(","):
                merged[key] = seen.with_(config_id=f"{seen.config_id},{diag.config_id}")
        return sorted(merged.values(), key=Diagnostic.sort_key)


def _rendered_back(diagnostics: list[Diagnostic], linted: list[LintedConfig]) -> list[Diagnostic]:
    """Cluster findings on rendered templates, at the template lines (render mode)."""
    renders = {item.rendered.source.path: item.rendered for item in linted if item.rendered is not None}
    if not renders:
        return diagnostics
    from kalint.templates import render

    return [render.map_back(d, renders) for d in diagnostics]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while configs are linted.

    Parsing and modelling a 130k-line config creates over half a million objects that
    all stay alive until the run ends; the collector, triggered by allocation counts,
    would rescan them again and again (more than half of the parse and model time in
    the profile, see docs/performance.md). Nothing built here becomes garbage earlier.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _executable_problem(path: str) -> Diagnostic | None:
    if path == STDIN_PATH:
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) and mode & 0o111:
        return reading.ExecutableConfig.finding(
            Span(path, 1, 1, 1, 1),
            "the configuration file is executable: keepalived refuses to start with it "
            "(exit 6), although `keepalived -t` accepts it",
            help=f"chmod a-x {path}",
        )
    return None


def _explicit_tree(path: str) -> str:
    """The tree a file named on the command line belongs to: the working directory when
    the path lies in it (a repository checkout, whatever links its folders hold), else
    the file's own folder."""
    cwd = os.getcwd()
    if expandmod.is_inside(os.path.abspath(path), (cwd,)):
        return os.path.realpath(cwd)
    return os.path.realpath(os.path.dirname(os.path.abspath(path)))


def _outside_link(path: str) -> Diagnostic:
    """A config found in a linted directory, or named, that resolves to a file outside it."""
    return reading.IncludeOutsideTree.finding(
        Span(path, 1, 1, 1, 1),
        f"`{printable(path)}` resolves through a symbolic link to a file outside the linted tree "
        "and was not read (use --allow-outside-includes to read it)",
    )


def _omitted(problems: Collector) -> dict[tuple[str, str], int]:
    """(code, file) -> findings the collector only counted, in the file of its last kept one."""
    last = {d.code: d.span.path for d in problems.items}
    return {(code, last[code]): count for code, count in problems.omitted.items() if code in last}


def _distinct_lines(sources: list[SourceFile]) -> int:
    """Lines of the distinct files an expansion read (the input's own size)."""
    return sum(src.text.count(src.line_break) + 1 for src in {os.path.realpath(s.path): s for s in sources}.values())


def _variants_over_budget(main: SourceFile, ids: list[str], done: int) -> Diagnostic:
    """KA018 at the first line naming the first config id not linted."""
    first = re.search(rf"(?m)^[ \t]*(@\^?{re.escape(ids[done])})[ \t]", main.text)
    line, column = main.position(first.start(1)) if first else (1, 1)
    width = len(first.group(1)) if first else 1
    shown = ", ".join(ids[: min(done, 3)]) + (", ..." if done > 3 else "")
    return reading.ExpansionBudget.finding(
        Span(main.path, line, column, line, column + width),
        f"this config names {len(ids):,} config ids and checking it as each of them goes past kalint's work "
        f"budget: it was checked as {done:,} of them ({shown}), "
        f"not as `{ids[done]}` and the {len(ids) - done - 1:,} ids after it (use --config-id to choose)",
    )


def _add_sources(result: RunResult, kept: list[LintedConfig],
                 focus: tuple[set[str], list[Diagnostic]] | None) -> None:
    """The files of the linted configs, for suppressions, snippets and fixes. With a
    pre-commit ``focus`` (the changed files, the findings), a cached config left unread
    adds its file only when it reads a changed file or a finding points into it: the
    others' findings are never reported, so their texts are not needed."""
    shown: set[str] = set()
    if focus is not None:
        shown = {path for d in focus[1] for path in (d.span.path, *(r.span.path for r in d.related))}
    for item in kept:
        if focus is not None and not item.sources_read and not item.reads_any(focus[0]) \
                and shown.isdisjoint(item.source_paths):
            continue
        for src in item.sources:
            source = src.template or src
            result.sources.setdefault(source.path, source)


def _drop_included_roots(linted: list[LintedConfig]) -> list[LintedConfig]:
    """A file another root includes is a fragment of that root, never a root itself."""
    included: set[str] = set()
    for item in linted:
        for path in item.source_paths[1:]:
            included.add(os.path.realpath(path))
    if not included:
        return linted
    return [item for item in linted if item.path == STDIN_NAME or os.path.realpath(item.path) not in included]


def last_readers(rules: Sequence[Rule]) -> list[tuple[Callable[[model.Config], Any], ...]]:
    """For each rule, the analyses it is the last of ``rules`` to read (``Rule.analyses``):
    in one process the rules run in this order, so after it nothing asks for them again.
    (Split over two processes, the rules of each run in no such order: there nothing is
    forgotten before the end, and the config is at most 8 MB.)"""
    last: dict[Callable[[model.Config], Any], int] = {}
    for at, rule in enumerate(rules):
        for analysis in rule.analyses:
            last[analysis.compute] = at
    done: list[list[Callable[[model.Config], Any]]] = [[] for _ in rules]
    for compute, at in last.items():
        done[at].append(compute)
    return [tuple(computes) for computes in done]


def run_rule(rule: Rule, config: model.Config, into: list[Diagnostic]) -> None:
    """``rule``'s findings on ``config``, appended to ``into`` as it yields them (a rule
    that crashes keeps what it found before, plus an internal-error finding)."""
    try:
        into.extend(rule.check(config))
    except Exception as exc:  # one broken rule must not hide the others
        into.append(_internal_error(rule.code, exc, config.expansion.main))


def _internal_error(code: str, exc: Exception, main: SourceFile) -> Diagnostic:
    return reading.InternalError.finding(
        Span(main.path, 1, 1, 1, 1),
        f"rule {code} crashed ({type(exc).__name__}: {exc}); this is a kalint bug, please report it",
        severity=Severity.ERROR,
    )
