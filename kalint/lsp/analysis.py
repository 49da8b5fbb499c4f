"""Run the CLI's pipeline for an editor: which paths to lint, with which buffers.

A document is linted the way ``kalint check FOLDER`` lints the workspace folder that
holds it (so its including root and its HA peers are linted with it), with every open
buffer substituted for its file on disk, and only the findings located in the document
are shown. Encoding and line-end findings (BOM, invalid UTF-8, CR-only, NUL) concern the
bytes on disk, which an editor never hands over: they come from a lint of the disk file,
made when the document is opened or saved, and are kept until the next one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from kalint import discovery
from kalint.diagnostic import Diagnostic
from kalint.engine import STDIN_NAME, STDIN_PATH, LintedConfig, Linter, LintOptions, RunResult
from kalint.incremental import IncrementalLinter, Memory
from kalint.registry import Registry
from kalint.registry import load as load_registry
from kalint.rules import ka0_reading as reading
from kalint.settings import SettingsError
from kalint.text import expand
from kalint.text.source import SourceError, SourceFile, decode, encode, read_bytes

#: Findings about the bytes on disk rather than the text the editor shows.
DISK_CODES = frozenset(r.code for r in (reading.ByteOrderMark, reading.NulByte, reading.CarriageReturnLineEnds,
                                         reading.InvalidUtf8))
#: A workspace folder with more configs than this, or more files than MAX_FOLDER_FILES, is
#: not linted as one peer set on every keystroke (someone opened their home directory):
#: each document is then linted alone.
MAX_PEER_CANDIDATES = 64
MAX_FOLDER_FILES = 2_000


def key(path: str) -> str:
    """How documents and spans are matched: the real path (stdin stays itself)."""
    return path if path == STDIN_NAME else os.path.realpath(path)


@dataclass(slots=True)
class OpenDocument:
    uri: str
    #: File system path, or None for an unsaved buffer with no file (untitled:).
    path: str | None
    text: str
    version: int | None = None
    #: Findings from the disk bytes (DISK_CODES), from the last open or save.
    disk: list[Diagnostic] = field(default_factory=list)
    #: The disk text those findings' positions refer to.
    disk_source: SourceFile | None = None
    #: The buffer differs from the file (edited, or restored unsaved): lint the buffer.
    #: A clean buffer is not substituted, so its file is linted byte for byte as the CLI
    #: does (a BOM or an invalid byte the editor shows differently stays what it is).
    dirty: bool = True

    def matches_disk(self) -> bool:
        """The buffer is what an editor shows for the file last read from disk."""
        if self.disk_source is None:
            return False
        shown = encode(self.disk_source.text).decode("utf-8", "replace").removeprefix("\ufeff")
        return shown == self.text

    @property
    def key(self) -> str:
        return key(self.path) if self.path else STDIN_NAME


@dataclass(slots=True)
class Analysis:
    """One lint run and the views the editor features need of it."""

    result: RunResult
    _keys: dict[str, str] = field(default_factory=dict)
    #: Per-document views built on demand (``kalint.lsp.symbols.Symbols``), kept while the
    #: analysis is the latest, so repeated requests on unchanged text cost nothing.
    views: dict[str, object] = field(default_factory=dict)

    def key_of(self, path: str) -> str:
        found = self._keys.get(path)
        if found is None:
            found = self._keys[path] = key(path)
        return found

    def diagnostics_in(self, doc_key: str) -> list[Diagnostic]:
        return [d for d in self.result.diagnostics if self.key_of(d.span.path) == doc_key]

    def source(self, path: str) -> SourceFile | None:
        src = self.result.sources.get(path)
        if src is None:
            src = next((s for p, s in self.result.sources.items() if self.key_of(p) == self.key_of(path)), None)
        return src

    def configs_with(self, doc_key: str) -> list[LintedConfig]:
        """The configs (one per root and config id) that read this document."""
        return [
            item for item in self.result.configs
            if any(self.key_of(src.path) == doc_key for src in item.config.expansion.sources)
        ]

    def covers(self, doc_key: str) -> bool:
        return any(self.key_of(path) == doc_key for path in self.result.sources)


@dataclass(slots=True)
class _Cached:
    text: str
    #: (path, text) of every other file the lint read: includes.
    includes: list[tuple[str, str]]
    configs: list[LintedConfig]


def _copies(configs: list[LintedConfig]) -> list[LintedConfig]:
    """New lists of findings (lint_paths appends to them), the same linted configs."""
    return [LintedConfig(c.path, c.config, list(c.diagnostics)) for c in configs]


class _CachingLinter(IncrementalLinter):
    """Reuses the lint of a root whose text and included files did not change.

    In a workspace folder of several configs, a keystroke then re-lints only the configs
    that read the edited buffer, and of those only the blocks the edit touched
    (``kalint.incremental``); the cluster rules still run on every peer group.
    """

    def __init__(self, options: LintOptions, registry: Registry, cache: dict[tuple, _Cached], memory: Memory,
                 discovered: dict[str, tuple[list[str], list[Diagnostic]]] | None = None) -> None:
        super().__init__(options, registry, memory)
        self.cache = cache
        #: The configs found in each folder searched, kept while no file changed (None:
        #: search on every lint).
        self.discovered = discovered

    def _configs_in(self, directory: str) -> tuple[list[str], list[Diagnostic]]:
        if self.discovered is None:
            return super()._configs_in(directory)
        found = self.discovered.get(directory)
        if found is None:
            found = self.discovered[directory] = super()._configs_in(directory)
        return list(found[0]), list(found[1])

    def lint_source(self, main: SourceFile, allowed_dirs: tuple[str, ...] | None) -> list[LintedConfig]:
        if main.path == STDIN_NAME:
            return super().lint_source(main, allowed_dirs)
        slot = (key(main.path), allowed_dirs)
        hit = self.cache.get(slot)
        if hit is not None and hit.text == main.text and all(self._current(p) == t for p, t in hit.includes):
            return _copies(hit.configs)
        configs = super().lint_source(main, allowed_dirs)
        includes = {src.path: src.text for c in configs for src in c.config.expansion.sources[1:]}
        self.cache[slot] = _Cached(main.text, list(includes.items()), _copies(configs))
        return configs

    def _current(self, path: str) -> str | None:
        data = expand.overlaid(self.options.overlay, path)
        if data is None:
            try:
                data = read_bytes(path)
            except SourceError:
                return None
        return decode(data)


class Session:
    """The linter and the workspace folders; one per server."""

    def __init__(self, options: LintOptions | None = None, registry: Registry | None = None) -> None:
        # In process (jobs=1): a lint the server stops must stop whole, and the roots a
        # keystroke did not touch come from the cache anyway.
        self.options = options or LintOptions(jobs=1)
        self.registry = registry or load_registry()
        self.folders: list[str] = []
        self._too_big: dict[str, bool] = {}
        self._cache: dict[tuple, _Cached] = {}
        self._memory = Memory()
        #: The client reports every file created, changed or deleted in the workspace
        #: (``forget_discovery`` then): a folder's configs are searched for once, not on
        #: every keystroke (a git run and a read of each candidate: 4 ms a lint).
        self.watching = False
        self._discovered: dict[str, tuple[list[str], list[Diagnostic]]] = {}

    def warm(self) -> None:
        """Load what every lint needs (parser tables, rules, models) once, up front."""
        try:
            Linter(self.options, self.registry).lint_paths([STDIN_PATH], stdin=b"global_defs {\n}\n")
        except SettingsError:
            pass  # a broken .kalint.toml: each document's lint shows it

    def set_folders(self, folders: Iterable[str]) -> None:
        self.folders = sorted({os.path.realpath(f) for f in folders}, key=len, reverse=True)
        self._too_big.clear()
        self._discovered = {}  # (a new table: a lint running meanwhile fills the old one)

    def forget_discovery(self) -> None:
        """Files were saved, created or deleted: count the folders' configs again, and
        lint every root afresh (an include glob may match a new file)."""
        self._too_big.clear()
        self._cache.clear()
        self._discovered = {}

    def folder_of(self, doc: OpenDocument) -> str | None:
        if doc.path is None:
            return None
        real = doc.key
        for folder in self.folders:  # longest first: the innermost folder wins
            if real == folder or real.startswith(folder.rstrip(os.sep) + os.sep):
                if self._folder_too_big(folder):
                    return None
                return folder
        return None

    def _folder_too_big(self, folder: str) -> bool:
        if folder not in self._too_big:
            self._too_big[folder] = _more_files_than(folder, MAX_FOLDER_FILES) or \
                len(discovery.find_configs(folder)) > MAX_PEER_CANDIDATES
        return self._too_big[folder]

    def lint(self, doc: OpenDocument, open_docs: Iterable[OpenDocument], *, from_disk: bool = False) -> Analysis:
        """Lint ``doc`` with its root and peers; ``from_disk`` reads ``doc`` itself from disk.

        A broken kalint configuration file stops a CLI run; here it becomes the document's
        read error, so the editor shows it and the server keeps going.
        """
        try:
            return self._lint(doc, open_docs, from_disk)
        except SettingsError as exc:
            return Analysis(RunResult(errors=[(doc.path or STDIN_PATH, str(exc))]))

    def _lint(self, doc: OpenDocument, open_docs: Iterable[OpenDocument], from_disk: bool) -> Analysis:
        overlay = {other.key: encode(other.text) for other in open_docs if other.path is not None and other.dirty}
        if from_disk:
            overlay.pop(doc.key, None)
        linter = _CachingLinter(replace(self.options, overlay=overlay), self.registry, self._cache, self._memory,
                                self._discovered if self.watching else None)
        if doc.path is None:
            return Analysis(linter.lint_paths([STDIN_PATH], stdin=encode(doc.text)))
        folder = self.folder_of(doc)
        if folder is not None:
            analysis = Analysis(linter.lint_paths([folder]))
            if analysis.covers(doc.key):
                return analysis
        if os.path.isdir(doc.path):  # lint_paths would search it: not what the editor shows
            return Analysis(RunResult(errors=[(doc.path, "is a directory")]))
        return Analysis(linter.lint_paths([doc.path]))

    def refresh_disk(self, doc: OpenDocument, open_docs: Iterable[OpenDocument]) -> Analysis | None:
        """Lint the file on disk and keep its encoding and line-end findings on ``doc``."""
        if doc.path is None or not os.path.isfile(doc.path):
            doc.disk, doc.disk_source = [], None
            return None
        analysis = self.lint(doc, open_docs, from_disk=True)
        doc.disk = [d for d in analysis.diagnostics_in(doc.key) if d.code in DISK_CODES]
        doc.disk_source = analysis.source(doc.path)
        return analysis


def _more_files_than(folder: str, limit: int) -> bool:
    """Stop walking as soon as the folder proves too big (the walk discovery makes)."""
    count = 0
    for _, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in discovery._SKIP_DIRS]  # the same folders it skips
        count += len(files)
        if count > limit:
            return True
    return False


def shown(analysis: Analysis, doc: OpenDocument) -> Iterator[tuple[Diagnostic, bool]]:
    """The findings to publish for ``doc``: (diagnostic, positioned in the disk text?)."""
    for diag in analysis.diagnostics_in(doc.key):
        if diag.code not in DISK_CODES or doc.path is None:
            yield diag, False
    for diag in doc.disk:
        yield diag, True

