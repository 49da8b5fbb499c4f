"""The CLI's result cache: a second run over unchanged configs reads findings, not files.

Like ruff's cache, an entry is keyed by everything a config's findings depend on: the
text of the root config, the settings that apply to it (hashed as resolved), the run's
options (config ids, ``--root``, include policy, target version, the directories includes
may come from, the working directory and the path as given), and a fingerprint of kalint
itself (its version, the source files of its modules, of the grammar and of every loaded
rule, plugins included, and the set of rule codes). The files a config includes are only
known after reading it, so an entry lists them with a hash of their text, where they
resolve to and whether they are executable, and a hit re-reads and compares each one. A
config whose includes use wildcards or were not all read is never stored: a file that
appears later would change its expansion without changing any text the key covers.

Cluster findings are stored per peer group, under the keys and names of its members.
Each root entry also holds what peer grouping reads of the config (its instances'
addresses, VRIDs and unicast peers: ``kalint.runtime.grouping.Summary``), so a run groups
cached configs without parsing them again, and rebuilds the models (without running
config rules) only of the groups with a changed member: with one file of a thousand
changed, the cluster rules run for its group alone.

Entries are stored raw (before selection, severity overrides and suppressions, which are
applied to cached and fresh findings alike), as ``marshal`` data of plain tuples behind a
hash of the data, in a private directory (``kalint.syntax.cache``'s rules: 0700, files
owned by the user and writable by nobody else, written atomically). An entry that is
foreign, corrupt, truncated or of another format is ignored and the config is linted.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from kalint import __version__
from kalint.diagnostic import Diagnostic, Severity
from kalint.engine import LintedConfig
from kalint.hashing import sha256
from kalint.records import dataclass, field
from kalint.syntax import cache as private
from kalint.syntax.span import Span
from kalint.text import source as sourcemod
from kalint.text.expand import overlaid
from kalint.text.source import SourceError, SourceFile

if TYPE_CHECKING:
    from kalint import model
    from kalint.engine import Linter
    from kalint.registry import Registry
    from kalint.runtime.grouping import Summary
    from kalint.runtime.partition import Partition

#: Bumped whenever what an entry holds changes shape.
FORMAT = 4
_MAGIC = b"kalint-results\0"
_DIGEST = 32
#: Each record's length in bytes, before it (``_framed``).
_LENGTH = 8
#: Findings per record of a peer group's entry (``ResultCache._stored``).
_CHUNK = 1000
#: Entry file names: results of one root config, cluster findings of one peer group, the
#: index of files read unchanged (``ResultCache.unread``).
ROOT_PREFIX, PEERS_PREFIX, INDEX_PREFIX = "r-", "p-", "s-"
#: Only these (and the atomic writes' temporary files) are removed by ``kalint clean``.
OWN_PREFIXES = (ROOT_PREFIX, PEERS_PREFIX, INDEX_PREFIX, ".r-", ".p-", ".s-")
#: A file read less than 2 s after it last changed is not indexed (``ResultCache.remember``):
#: more than any file system's timestamp tick but FAT's.
RACY_NS = 2_000_000_000
#: Entries an index keeps with those of earlier runs, at most (about 700 bytes each);
#: past it only this run's are kept.
INDEX_LIMIT = 50_000


def default_location() -> str | None:
    """``$XDG_CACHE_HOME/kalint/results`` (or under ``~/.cache``)."""
    base = private.default_base()
    return None if base is None else os.path.join(base, "results")


def fingerprint(registry: Registry, grammar: str) -> bytes:
    """kalint as it is installed now: a change to any of its files, rules or plugins,
    or to the grammar, makes every entry stale (a version number alone would not, in a
    checkout)."""
    h = sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    h.update(grammar.encode("utf-8"))
    files: set[str] = set()
    # kalint's own package, and the built-in rules with their helpers (``rules/`` at the
    # top of a checkout, outside the package's folder: `_placement.py` is no rule's module).
    from kalint import rules as builtin_rules

    folders = {os.path.dirname(os.path.abspath(__file__)), *map(os.path.abspath, builtin_rules.__path__)}
    for package in sorted(folders):
        for folder, _, names in os.walk(package):
            files.update(os.path.join(folder, n) for n in names if n.endswith(".py"))
    for code, rule in sorted(registry.rules.items()):
        h.update(f"{code}\0{rule.__module__}\0{rule.__qualname__}\0".encode())
        module_file = getattr(sys.modules.get(rule.__module__), "__file__", None)
        if module_file:
            files.add(os.path.abspath(module_file))
    for path in sorted(files):
        try:
            st = os.stat(path)
        except OSError:
            continue
        h.update(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\0".encode())
    return h.digest()


class CachedConfig(LintedConfig):
    """A root config's results as cached: its model is built only when cluster rules need
    it, and, found through the index of unchanged files (``ResultCache.unread``), its text
    is read only when asked for (``sources`` None: the main config alone, not read yet)."""

    __slots__ = ("_config", "_sources", "_config_id", "allowed", "key", "_summary", "_include_reads", "_found",
                 "_packed", "root_key", "_fetch")

    def __init__(self, path: str, diagnostics: list[Diagnostic] | None, sources: list[SourceFile] | None,
                 config_id: str | None, allowed: tuple[str, ...] | None, key: str,
                 config: model.Config | None = None, summary: Summary | None = None,
                 include_reads: list[tuple[Span, tuple[str, ...]]] | None = None, packed: list | None = None,
                 root_key: str = "", fetch: Callable[[], list] | None = None) -> None:
        #: The key of the stored root entry ("" when the results were not stored).
        self.root_key = root_key
        #: Gives the packed findings when neither they nor the findings were given.
        self._fetch = fetch
        self.path = path
        self._found = diagnostics
        self._reads = None
        self._packed = packed  # the findings as stored, unpacked when asked for
        self.peer, self.rendered, self.omitted = True, None, {}  # what `lint` caches
        self._sources = sources
        self._config = config
        self._config_id = config_id
        self.allowed = allowed
        self.key = key
        self._summary = summary
        self._include_reads = include_reads

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Unpacked on first use: pre-commit reads the findings of a few configs of many."""
        if self._found is None:
            if self._packed is None and self._fetch is not None:
                self._packed = self._fetch()
            self._found = [_unpack(d) for d in self._packed or ()]
            self._packed = self._fetch = None
        return self._found

    @diagnostics.setter
    def diagnostics(self, value: list[Diagnostic]) -> None:
        self._found, self._packed, self._fetch = value, None, None

    @property
    def config(self) -> model.Config:
        if self._config is None:
            raise LookupError("model not built")  # ResultCache.peers builds it first
        return self._config

    @config.setter
    def config(self, value: model.Config) -> None:
        self._config = value

    @property
    def config_id(self) -> str | None:
        return self._config_id

    @property
    def built(self) -> bool:
        return self._config is not None

    @property
    def sources(self) -> list[SourceFile]:
        if self._sources is None:
            self._sources = [_read_later(self.path)]
        return self._sources

    @property
    def source_paths(self) -> list[str]:
        return [self.path] if self._sources is None else [src.path for src in self._sources]

    @property
    def sources_read(self) -> bool:
        return self._sources is not None

    @property
    def reads_fixed(self) -> bool:
        return super().reads_fixed if self.built else True  # only such configs are stored

    @property
    def include_reads(self) -> list[tuple[Span, tuple[str, ...]]]:
        if self._include_reads is None:
            self._include_reads = super().include_reads
        return self._include_reads

    def summary(self) -> Summary:
        if self._summary is None:
            self._summary = super().summary()
        return self._summary

    def __getstate__(self) -> tuple:  # forked workers send results back pickled
        return (self.path, self.diagnostics, self._sources, self.config_id, self.allowed, self.key, self._config,
                self._summary, self._include_reads, None, self.root_key)

    def __setstate__(self, state: tuple) -> None:
        self.__init__(*state)  # type: ignore[misc]


@dataclass(slots=True)
class _Index:
    """One index file (``ResultCache.unread``): path → (identity, context, root key)."""

    name: str
    stored: dict[str, tuple]
    seen: dict[str, tuple] = field(default_factory=dict)
    changed: bool = False


def _read_later(path: str) -> SourceFile:
    """The text of an unread cached config, when something asks for it: the file was
    unchanged a moment ago; if it cannot be read now, an empty text (its findings were
    made from the text the cache holds)."""
    try:
        return sourcemod.load(path)
    except (OSError, SourceError):
        return SourceFile(path, "")


class ResultCache:
    """Look up and store one run's results in ``folder`` (a private directory)."""

    def __init__(self, folder: str, fingerprint: bytes) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self._loaded: dict[str, tuple[SourceFile, tuple] | None] = {}
        #: id of a settings object -> (it, written out as keys cover it, that text's digest)
        self._settings: dict[int, tuple[object, str, str]] = {}
        self._run_prefixes: dict[int, tuple[object, str, bytes]] = {}
        self._indexes: dict[bytes, _Index] = {}

    @classmethod
    def open(cls, location: str | None, registry: Registry, grammar: str) -> ResultCache | None:
        """The cache in ``location`` (default: the user's cache directory); None when that
        is not a private directory of the user (then nothing is cached)."""
        where = location or default_location()
        folder = private.private_dir(where) if where else None
        return None if folder is None else cls(folder, fingerprint(registry, grammar))

    # -- one root config --------------------------------------------------------------------

    def lint(self, linter: Linter, main: SourceFile, allowed: tuple[str, ...] | None) -> list[LintedConfig]:
        """``linter.lint_source(main, allowed)``, from the cache when nothing it depends on changed.

        With an overlay (the committed versions pre-commit lints), the main config may be
        one of its buffers (the key holds its text), but a config that includes one is
        neither looked up nor stored: includes are compared with the files on disk. The
        committed version of a changed config is then the version the previous commit's
        run linted, usually found here."""
        overlay = linter.options.overlay
        key = self._root_key(linter, main, allowed)
        hit = self._lookup(key, main, allowed, overlay)
        if hit is not None:
            return list(hit)
        configs = linter.lint_source(main, allowed)
        if any(not c.peer or c.rendered is not None or c.omitted for c in configs):
            return configs  # templates, renderings, capped findings: not cached
        if overlay and any(overlaid(overlay, src.path) is not None for c in configs for src in c.sources[1:]):
            return configs
        entries = [self._entry(key, c) for c in configs]
        stored = all(c.reads_fixed for c in configs)
        items = [
            CachedConfig(c.path, c.diagnostics, c.sources, config_id, allowed, item_key, c.config,
                         root_key=key if stored else "")
            for c, (config_id, includes, item_key) in zip(configs, entries)
        ]
        if stored:
            self._write(ROOT_PREFIX + key, lambda: [(key, [
                (config_id, [_pack(d) for d in item.diagnostics], includes, item_key, _pack_summary(item.summary()),
                 [(_pack(span), read) for span, read in item.include_reads])
                for item, (config_id, includes, item_key) in zip(items, entries)
            ])])
        return list(items)

    def _root_key(self, linter: Linter, main: SourceFile, allowed: tuple[str, ...] | None) -> str:
        h = sha256(self._run_prefix(linter), more=len(main.text))
        h.update(repr((main.path, allowed, self._settings_text(linter, main.path))).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        _hash_text(h.update, main.text)
        return h.hexdigest()

    def _run_prefix(self, linter: Linter) -> bytes:
        """What every key of the run starts with: kalint's fingerprint, the working
        directory and the options (written out once per options object and directory:
        pre-commit computes a key for every config of a repository)."""
        options, cwd = linter.options, os.getcwd()
        known = self._run_prefixes.get(id(options))
        if known is None or known[0] is not options or known[1] != cwd:
            context = (cwd, options.config_ids, options.root, options.allow_outside_includes,
                       options.target_version, options.template, options.vars)
            prefix = self.fingerprint + repr(context).encode("utf-8", "surrogatepass")
            known = self._run_prefixes[id(options)] = (options, cwd, prefix)
        return known[2]

    def _settings_text(self, linter: Linter, path: str) -> str:
        """The settings that apply to ``path``, as the key covers them."""
        return self._settings_known(linter, path)[1]

    def _settings_known(self, linter: Linter, path: str) -> tuple[object, str, str]:
        """The settings that apply to ``path``, written out and digested once per settings
        object (the configs of a folder share one)."""
        settings = linter.settings.for_path(path)
        known = self._settings.get(id(settings))
        if known is None or known[0] is not settings:
            text = repr(settings)
            digest = sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            known = self._settings[id(settings)] = (settings, text, digest)
        return known

    def _entry(self, key: str, item: LintedConfig) -> tuple:
        """(config id, include signatures, item key) of one linted config."""
        includes = [_signature(src.path, src.text) for src in item.sources[1:]]
        config_id = item.config.config_id
        return config_id, includes, _item_key(key, config_id, includes)

    def _lookup(self, key: str, main: SourceFile, allowed: tuple[str, ...] | None,
                overlay: Mapping[str, bytes] | None) -> list[CachedConfig] | None:
        data = self._read_value(ROOT_PREFIX + key)
        if data is None:
            return None
        try:
            stored_key, entries = data
            if stored_key != key:
                return None
            items = []
            for config_id, diagnostics, includes, item_key, summary, include_reads in entries:
                sources = self._includes(includes, overlay)
                if sources is None:
                    return None
                items.append(CachedConfig(main.path, None, [main, *sources],
                                          config_id, allowed, item_key, summary=_unpack_summary(summary),
                                          include_reads=_unpack_reads(include_reads),
                                          packed=diagnostics, root_key=key))
            return items
        except Exception:  # a malformed entry is no entry
            return None

    # -- files known unchanged ----------------------------------------------------------------

    def unread(self, linter: Linter, path: str, allowed: tuple[str, ...] | None) -> list[CachedConfig] | None:
        """The cached results of root config ``path`` without reading it, or None.

        The index of the run's options and directory (``_index``) maps a path to the
        file's identity when it was read (``kalint.text.source.identity``), the key's other
        inputs (the directories includes may come from, the settings), its root key and
        what grouping reads of each config (config id, item key, summary, include lines).
        When the file's identity and those inputs are the same, its text is the one the
        key was computed from: nothing of it is read, not even its entry, until something
        asks for its text or its findings. Only configs that include nothing are indexed
        (an include would have to be read to be compared). pre-commit uses this for the
        configs of a repository that the change does not touch (``Linter.lint_changed``).
        """
        index = self._index(linter)
        known = index.stored.get(path)
        if known is None:
            return None
        try:
            found = sourcemod.identity(os.stat(path))
        except OSError:
            return None
        try:
            file_identity, context, key, configs = known
            if tuple(file_identity) != found or tuple(context) != self._context(linter, path, allowed):
                return None
            items = [
                CachedConfig(path, None, None, config_id, allowed, item_key, summary=_unpack_summary(summary),
                             include_reads=_unpack_reads(include_reads),
                             root_key=key, fetch=partial(self._stored_findings, key, position))
                for position, (config_id, item_key, summary, include_reads) in enumerate(configs)
            ]
        except Exception:  # a malformed index entry is no entry
            return None
        index.seen[path] = known
        return items

    def _stored_findings(self, key: str, position: int) -> list:
        """The packed findings of the ``position``-th config of root entry ``key``."""
        data = self._read_value(ROOT_PREFIX + key)
        if data is None or data[0] != key:
            raise LookupError(f"result cache entry {key} is gone")
        return cast(list, data[1][position][1])

    def remember(self, linter: Linter, path: str, allowed: tuple[str, ...] | None,
                 configs: list[LintedConfig]) -> None:
        """Index root config ``path`` (``unread``) when its results were stored, it
        includes nothing and its text was read from the file more than ``RACY_NS`` after
        the file last changed: within the same timestamp tick a second change would leave
        the identity as it was (git's "racily clean" files)."""
        if not configs or not all(isinstance(c, CachedConfig) and c.root_key and c.sources_read for c in configs):
            return
        cached = cast(list[CachedConfig], configs)
        main = cached[0].sources[0]
        if main.identity is None or main.path != path or any(len(c.source_paths) != 1 for c in cached):
            return
        if time.time_ns() - max(main.identity[3], main.identity[4]) < RACY_NS:
            return
        context = self._context(linter, path, allowed)
        index = self._index(linter)
        known = index.stored.get(path)
        if known is not None and tuple(known[0]) == main.identity and tuple(known[1]) == context \
                and known[2] == cached[0].root_key:
            index.seen[path] = known
            return
        try:
            described = [(c.config_id, c.key, _pack_summary(c.summary()),
                          [(_pack(span), read) for span, read in c.include_reads]) for c in cached]
        except Unstorable:
            return
        index.seen[path] = (main.identity, context, cached[0].root_key, described)
        index.changed = True

    def save(self) -> None:
        """Write the indexes that changed in this run: their entries seen in it, and those
        of earlier runs up to ``INDEX_LIMIT`` entries in all."""
        for index in self._indexes.values():
            if not index.changed:
                continue
            merged = {**index.stored, **index.seen} if len(index.stored) + len(index.seen) <= INDEX_LIMIT \
                else dict(index.seen)
            self._write(index.name, lambda: [(index.name, merged)])  # noqa: B023 (called at once)
            index.stored, index.seen, index.changed = merged, {}, False

    def _index(self, linter: Linter) -> _Index:
        prefix = self._run_prefix(linter)
        index = self._indexes.get(prefix)
        if index is None:
            name = INDEX_PREFIX + sha256(prefix).hexdigest()
            data = self._read_value(name)
            stored = data[1] if isinstance(data, tuple) and len(data) == 2 and data[0] == name \
                and isinstance(data[1], dict) else {}
            index = self._indexes[prefix] = _Index(name, stored)
        return index

    def _context(self, linter: Linter, path: str, allowed: tuple[str, ...] | None) -> tuple:
        """What a root key holds besides the run's prefix and the text: the path, the
        directories includes may come from, and a digest of the settings."""
        return path, allowed, self._settings_known(linter, path)[2]

    def _includes(self, signatures: Iterable[tuple], overlay: Mapping[str, bytes] | None) -> list[SourceFile] | None:
        """The included files again, when each still has the stored text, target and mode
        on disk and no buffer of ``overlay`` stands for it."""
        sources = []
        for signature in signatures:
            path = signature[0]
            if overlaid(overlay, path) is not None:
                return None
            if path not in self._loaded:
                try:
                    src = sourcemod.load(path)
                    self._loaded[path] = (src, _signature(path, src.text))
                except (OSError, SourceError):
                    self._loaded[path] = None
            loaded = self._loaded[path]
            if loaded is None or loaded[1] != tuple(signature):
                return None
            sources.append(loaded[0])
        return sources

    # -- peers ------------------------------------------------------------------------------

    def partition(self, part: Partition[LintedConfig], findings: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
        """Every cluster finding of ``part`` from one entry when none of its members
        changed (a repository linted again reads one entry, not one per peer group);
        else ``findings()`` (which reads the unchanged groups' entries), stored."""
        if not all(isinstance(m, CachedConfig) for m in part.members):
            return findings()
        h = sha256(self.fingerprint)
        h.update(repr(("partition", part.how, part.name)).encode("utf-8", "surrogatepass"))
        for member in part.members:
            h.update(cast(CachedConfig, member).key.encode() + b"\0")
        return self._stored(PEERS_PREFIX + h.hexdigest(), findings)

    def group(self, linter: Linter, part: Partition[LintedConfig], members: list[LintedConfig],
              labels: list[str]) -> list[Diagnostic]:
        """``linter.lint_group`` on one peer group, cached under how its partition groups
        and its members' keys and names; the models of cached members are built only on a
        miss. A group with an uncached member (standard input) is linted every time."""
        if not all(isinstance(m, CachedConfig) for m in members):
            for member in members:
                self._build(linter, member)
            return linter.lint_group(part, members, labels)
        h = sha256(self.fingerprint)
        whole = part.tag if part.how != "automatic" else None  # an automatic group is tagged by its own members
        h.update(repr((part.how, part.name, whole, labels)).encode("utf-8", "surrogatepass"))
        for member in members:
            h.update(cast(CachedConfig, member).key.encode() + b"\0")

        def lint() -> list[Diagnostic]:
            for member in members:
                self._build(linter, member)
            return linter.lint_group(part, members, labels)

        return self._stored(PEERS_PREFIX + h.hexdigest(), lint)

    def _stored(self, name: str, findings: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
        """The findings stored as ``name``; else ``findings()``, stored there (their name,
        then the packed findings ``_CHUNK`` at a time)."""
        records = self._read(name)
        if records:
            try:
                if records[0] == name:
                    return [_unpack(d) for chunk in records[1:] for d in chunk]
            except Exception:  # a malformed entry is no entry
                pass
        found = findings()

        def chunks() -> Iterator[Any]:
            yield name
            for start in range(0, len(found), _CHUNK):
                yield [_pack(d) for d in found[start:start + _CHUNK]]

        self._write(name, chunks)
        return found

    @staticmethod
    def _build(linter: Linter, member: LintedConfig) -> None:
        if isinstance(member, CachedConfig) and not member.built:
            member.config = linter.build_model(member.sources[0], member.allowed, member.config_id)

    # -- files ------------------------------------------------------------------------------

    def _read(self, name: str) -> list[Any] | None:
        """The records of entry ``name`` (``_write``), or None: missing, foreign or damaged."""
        blob = private.read_in(self.folder, name)
        end = len(blob) - _DIGEST if blob is not None else 0
        if blob is None or end < len(_MAGIC) or not blob.startswith(_MAGIC):
            return None
        if sha256(memoryview(blob)[len(_MAGIC):end]).digest() != blob[end:]:  # a view, not a copy
            return None
        view = memoryview(blob)
        records = []
        at = len(_MAGIC)
        try:
            while at < end:
                size = int.from_bytes(view[at:at + _LENGTH], "little")
                at += _LENGTH
                if at + size > end:
                    return None
                # marshal.loads on the bytes: marshal.load on a stream reads through Python
                # calls (the pre-commit run's 660 KB index: 78 ms against 9 ms)
                records.append(marshal.loads(view[at:at + size]))
                at += size
        except (ValueError, EOFError, TypeError):
            return None
        return records if at == end else None

    def _read_value(self, name: str) -> Any:
        """The value of an entry written as one record, or None."""
        records = self._read(name)
        return records[0] if records is not None and len(records) == 1 else None

    def _write(self, name: str, records: Callable[[], Iterable[Any]]) -> None:
        """Store the values ``records()`` gives, each written as soon as it is made, so that a
        large entry (a peer group's 80,000 findings) is never all in memory in its plain form;
        nothing is stored if one holds a value with no plain form. The file is ``_MAGIC``, the
        records one after another, each after its length (``_framed``), and the SHA-256 of
        all that follows ``_MAGIC`` at the end."""

        def parts() -> Iterator[bytes]:
            yield _MAGIC
            digest = None
            for record in records():
                body = _framed(marshal.dumps(record))
                if digest is None:
                    digest = sha256(body)
                else:
                    digest.update(body)
                yield body
            yield (digest or sha256()).digest()

        try:
            private.write_in(self.folder, name, parts())
        except (Unstorable, ValueError):
            return


def _framed(body: bytes) -> bytes:
    """One record as an entry stores it: its length, then its marshal bytes."""
    return len(body).to_bytes(_LENGTH, "little") + body


def clean(location: str | None) -> tuple[str | None, int]:
    """Remove the entries kalint wrote in ``location`` (default: the user's cache), then the
    directory when that leaves it empty: (the directory, entries removed). Only a
    directory the user owns is touched, and only files named as kalint names them."""
    where = location or default_location()
    if where is None or not os.path.isdir(where) or os.path.islink(where):
        return where, 0
    getuid = getattr(os, "getuid", None)
    if getuid is None or os.lstat(where).st_uid != getuid():
        return where, 0
    removed = 0
    for name in os.listdir(where):
        path = os.path.join(where, name)
        if name.startswith(OWN_PREFIXES) and stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)
            removed += 1
    if not os.listdir(where):
        os.rmdir(where)
    return where, removed


def _signature(path: str, text: str) -> tuple:
    """An included file as its content and what keepalived would make of it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    h = sha256()
    _hash_text(h.update, text)
    return path, os.path.realpath(path), h.hexdigest(), bool(mode & 0o111), stat.S_ISREG(mode)


#: Characters of a text encoded at a time to digest it.
_HASH_CHUNK = 1 << 20


def _hash_text(update: Callable[[bytes], object], text: str) -> None:
    """Feed ``text`` to a digest's ``update`` as UTF-8 (lone surrogates kept), a million characters at a
    time: encoded at once, a 100 MB config was a second copy of itself next to its tree
    (the entry is written after the lint). The bytes are the same either way: a code
    point's encoding never depends on its neighbours."""
    for start in range(0, len(text), _HASH_CHUNK):
        update(text[start:start + _HASH_CHUNK].encode("utf-8", "surrogatepass"))


def _item_key(key: str, config_id: str | None, includes: list[tuple]) -> str:
    return sha256(repr((key, config_id, includes)).encode("utf-8", "surrogatepass")).hexdigest()


# -- diagnostics as plain data ------------------------------------------------------------
#
# Generic over the frozen dataclasses of kalint.diagnostic and Span, so a field added to
# a Diagnostic (or its Fix, or anything it holds) is stored too, never silently dropped;
# a value of any other type makes the entry unstorable (the config is simply not cached).


def _types() -> dict[str, type]:
    from kalint import diagnostic

    found: dict[str, type] = {"Span": Span}
    for name, value in vars(diagnostic).items():
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == diagnostic.__name__:
            found[name] = value
    return found


_TYPES = _types()
_PLAIN = (str, int, float, bool, type(None))


class Unstorable(Exception):
    """A value the cache has no plain form for."""


def _pack(value: Any) -> Any:
    """Dataclasses as [name, field values], severities as [level], tuples as tuples."""
    if isinstance(value, Severity):
        return [int(value)]
    if type(value) in _PLAIN:
        return value
    if isinstance(value, tuple):
        return tuple(_pack(v) for v in value)
    name = type(value).__name__
    if _TYPES.get(name) is type(value):
        return [name, [_pack(getattr(value, f.name)) for f in dataclasses.fields(cast(Any, value))]]
    raise Unstorable(name)


def _unpack(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) == 1:
            return Severity(value[0])
        name, values = value
        return _TYPES[name](*(_unpack(v) for v in values))
    if isinstance(value, tuple):
        return tuple(_unpack(v) for v in value)
    return value


def _pack_summary(summary: Summary) -> tuple:
    """A grouping summary as plain tuples (marshal takes no named tuple)."""
    return tuple(tuple(link) for link in summary.links), summary.signature


def _unpack_reads(value: list) -> list[tuple[Span, tuple[str, ...]]]:
    """A stored config's include lines: where each is, and what it read."""
    return [(_unpack(span), tuple(read)) for span, read in value]


def _unpack_summary(value: tuple) -> Summary:
    from kalint.runtime.grouping import Link, Summary

    links, signature = value
    return Summary(tuple(Link(*link) for link in links), signature)
