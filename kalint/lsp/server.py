"""The pygls server: documents, debounced lints off the event loop, and the requests.

Lints run one at a time in a worker thread so the event loop keeps answering; a change
schedules a lint after a pause of quiet (``kalint.lsp.pacing``: as long as the
document's lints take) and stops the document's lint that is running or queued
(``kalint.lsp.worker``: stale lints are stopped, not waited for), and a request on a
document with pending changes lints it first, so every answer refers to the text the
editor shows. The stdio loop is kalint's own (``kalint.lsp.transport``):
every request is answered, even one that cannot be read. Needs pygls 2.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls import uris
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import default_converter

from kalint import __version__
from kalint.diagnostic import Diagnostic
from kalint.engine import STDIN_NAME
from kalint.lsp import convert, features, formatting, ruledocs, textdoc
from kalint.lsp.analysis import Analysis, OpenDocument, Session
from kalint.lsp.convert import Positions
from kalint.lsp.heap import Heap
from kalint.lsp.linemap import LineMap
from kalint.lsp.pacing import Pacing
from kalint.lsp.positions import UTF16, LineIndex, cursor, text_before
from kalint.lsp.symbols import Symbols
from kalint.lsp.transport import serve_stdio
from kalint.lsp.worker import Stale, Worker
from kalint.text.source import SourceFile

#: Quiet after a publish before the document is indexed for hover and navigation. An
#: index built at once held the interpreter when the next keystroke came in (the event
#: loop waited for the lock), adding 4-6 ms to each edit of a 10k-line file.
WARM_DELAY_SECONDS = 0.2
#: Quiet after a publish before a full collection that is due runs (``kalint.lsp.heap``):
#: a pause in typing, not the gap between two keys.
COLLECT_DELAY_SECONDS = 1.0
log = logging.getLogger("kalint.lsp")
T = TypeVar("T")


class RequestFailed(JsonRpcException):
    """LSP's RequestFailed: the request was valid but cannot be carried out."""

    CODE = -32803


class KalintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("kalint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.session = Session()
        self.docs: dict[str, OpenDocument] = {}
        self.generation: dict[str, int] = {}
        self.analyses: dict[str, tuple[int, Analysis]] = {}
        self.published: dict[str, list[tuple[Diagnostic, lsp.Diagnostic]]] = {}
        #: uri -> the LSP forms of its findings, kept from one publish to the next.
        self.converters: dict[str, convert.Converter] = {}
        #: LSP objects as JSON data, as pygls writes them (its default converter).
        self.unstructure: Callable[[Any], Any] = default_converter().unstructure
        #: uri -> (the scheduled lint, whether it reads the file on disk too)
        self.pending: dict[str, tuple[asyncio.Future, bool]] = {}
        #: uri -> the lints submitted to the worker: token -> (its job, reads the disk too)
        self.running: dict[str, dict[object, tuple[concurrent.futures.Future, bool]]] = {}
        self.worker = Worker()
        #: The indexing job queued or running after the last lint, or its timer.
        self.warming: tuple[object, concurrent.futures.Future] | None = None
        self.warm_timer: asyncio.TimerHandle | None = None
        #: The collector's policy, when this process is the server (``serve``); without
        #: one, jobs leave the collector as they found it.
        self.heap: Heap | None = None
        self.collect_timer: asyncio.TimerHandle | None = None
        self.rule_url: Callable[[str], str | None] = lambda code: None
        #: The client can report file changes (``watch_files``).
        self.can_watch = False
        self.pacing = Pacing()

    # -- plumbing shared by pygls 1 and 2 -----------------------------------------------------

    @property
    def encoding(self) -> str:
        value = getattr(self.workspace, "position_encoding", None) or UTF16
        return str(getattr(value, "value", value))

    def publish(self, uri: str, diagnostics: list[lsp.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, version))

    def publish_json(self, uri: str, diagnostics: list[str], version: int | None) -> None:
        """``publish`` with the diagnostics serialised already (``convert.Converter`` keeps
        each finding's JSON text): the message pygls would write for them, byte for byte,
        without converting or serialising them again (at 10k lines, serialising 441
        findings took 2-5 ms of every publish)."""
        version_part = "" if version is None else f', "version": {json.dumps(version)}'
        self.send_json_text(f'{{"jsonrpc": "2.0", "method": {json.dumps(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)}, '
                            f'"params": {{"uri": {json.dumps(uri)}, "diagnostics": [{", ".join(diagnostics)}]'
                            f'{version_part}}}}}')

    def send_json_text(self, body: str) -> None:
        """Write one JSON-RPC message given as JSON text, framed as pygls frames its own."""
        protocol = self.protocol
        if protocol.writer is None:  # (as pygls: nothing to write to before the transport)
            log.error("no transport to send a message on")
            return
        data = body.encode(protocol.CHARSET)
        header = f"Content-Length: {len(data)}\r\nContent-Type: {protocol.CONTENT_TYPE}; charset={protocol.CHARSET}\r\n\r\n"
        written = protocol.writer.write(header.encode(protocol.CHARSET) + data)
        if inspect.isawaitable(written):
            asyncio.ensure_future(written)

    def converter(self, uri: str) -> convert.Converter:
        found = self.converters.get(uri)
        if found is None:
            found = self.converters[uri] = convert.Converter(self.unstructure)
        return found

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Log) -> None:
        log.info(message)
        try:
            self.window_log_message(lsp.LogMessageParams(kind, message))
        except Exception:  # logging must never take the server down
            pass

    def text_of(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    def sync_folders(self) -> None:
        folders = [uris.to_fs_path(f.uri) for f in self.workspace.folders.values()]
        if not folders and self.workspace.root_path:
            folders = [self.workspace.root_path]
        self.session.set_folders(f for f in folders if f)

    def positions(self, analysis: Analysis, doc: OpenDocument) -> Positions:
        """The positions of ``analysis`` as ``doc``'s editor counts them, built once per
        analysis (a request during a burst reuses the line indexes publishing built)."""
        slot = f"positions {self.encoding} {doc.uri}"
        found = analysis.views.get(slot)
        if not isinstance(found, Positions):
            found = analysis.views[slot] = Positions(analysis, self.to_uri_for(doc), self.encoding)
        return found

    def to_uri_for(self, doc: OpenDocument) -> Callable[[str], str]:
        def to_uri(path: str) -> str:
            if path == STDIN_NAME:
                return doc.uri
            return uris.from_fs_path(os.path.abspath(path)) or path
        return to_uri

    async def watch_files(self) -> None:
        """Ask the client to report every file created, changed or deleted in the
        workspace; once it agrees, the session searches each folder for configs once
        instead of on every lint (``Session.watching``)."""
        if not self.can_watch:
            return
        watcher = lsp.FileSystemWatcher(glob_pattern="**/*")
        registration = lsp.Registration(id="kalint-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                        register_options=lsp.DidChangeWatchedFilesRegistrationOptions([watcher]))
        try:
            await self.client_register_capability_async(lsp.RegistrationParams([registration]))
        except Exception as exc:  # the client refused: search on every lint, as without it
            self.log(f"kalint: no file watching ({exc}): the workspace is searched on every lint")
            return
        self.session.watching = True

    # -- linting ------------------------------------------------------------------------------

    def schedule(self, uri: str, *, delay: float, from_disk: bool = False) -> None:
        """Lint after ``delay`` seconds of quiet; a pending or running lint of ``uri`` is
        stopped, but a read of the file on disk it was to make (open, save) is carried
        over, never lost."""
        from_disk = self.stop(uri) or from_disk
        self.pending[uri] = (asyncio.ensure_future(self._later(uri, delay, from_disk)), from_disk)

    def stop(self, uri: str) -> bool:
        """Cancel the pending lint of ``uri`` and stop the ones running or queued (stale
        now: the text changed); whether any was to read the disk too."""
        from_disk = self.cancel_pending(uri)
        for token, (job, disk) in self.running.pop(uri, {}).items():
            if not job.cancel():  # already running: stop it where it is
                self.worker.interrupt(token)
            from_disk = from_disk or disk
        return from_disk

    def cancel_pending(self, uri: str) -> bool:
        """Cancel the scheduled lint of ``uri``; whether it was to read the disk too."""
        task, from_disk = self.pending.pop(uri, (None, False))
        if task is not None:
            task.cancel()
        return from_disk

    async def _later(self, uri: str, delay: float, from_disk: bool) -> None:
        if delay:
            await asyncio.sleep(delay)
        self.pending.pop(uri, None)
        await self.lint(uri, from_disk=from_disk)

    async def lint(self, uri: str, *, from_disk: bool = False) -> None:
        doc = self.docs.get(uri)
        if doc is None:
            return
        generations = dict(self.generation)
        snapshot = [replace(d) for d in self.docs.values()]
        self._stop_idle_work()
        token = object()
        job = self.worker.submit(self._in_heap(partial(self._lint_job, doc, snapshot, from_disk)), token)
        self.running.setdefault(uri, {})[token] = (job, from_disk)
        try:
            analysis, clean, seconds = await asyncio.wrap_future(job)
        except (Stale, asyncio.CancelledError) as exc:
            if isinstance(exc, asyncio.CancelledError) and not job.cancelled():
                raise  # the awaiting task was cancelled, not the lint
            self.log(f"kalint: stopped linting {uri}: edited meanwhile")
            return
        except Exception as exc:  # a kalint bug must not take the editor's server down
            log.exception("lint failed")
            self.log(f"kalint: linting {uri} failed: {type(exc).__name__}: {exc}", lsp.MessageType.Error)
            return
        finally:
            self.running.get(uri, {}).pop(token, None)
        self.pacing.record(uri, seconds)
        if from_disk and self.generation.get(uri) == generations.get(uri):
            doc.dirty = not clean  # (the loop, not the worker, owns this flag)
        for other_uri, other in list(self.docs.items()):
            if other_uri != uri and not analysis.covers(other.key):
                continue
            if self.generation.get(other_uri) != generations.get(other_uri):
                continue  # edited meanwhile: its own pending lint will answer
            self.analyses[other_uri] = (generations[other_uri], analysis)
            self._publish(other, analysis)
        # Index the document for hover and navigation while the user reads the findings
        # (not if a lint comes first: a request builds what it needs itself).
        self._stop_idle_work()
        loop = asyncio.get_running_loop()
        self.warm_timer = loop.call_later(WARM_DELAY_SECONDS, self._warm, Symbols.of(analysis, doc.key))
        if self.heap is not None and self.heap.overdue():
            self.worker.submit(self.heap.collect)  # ahead of the next lint: the heap must stay bounded
        elif self.heap is not None and self.heap.due():
            self.collect_timer = loop.call_later(COLLECT_DELAY_SECONDS, self._collect)

    def _in_heap(self, job: Callable[[], T]) -> Callable[[], T]:
        """``job`` as the worker runs it: under the collector's policy (``kalint.lsp.heap``)."""
        heap = self.heap
        if heap is None:
            return job

        def run() -> T:
            with heap.job():
                return job()
        return run

    def _warm(self, symbols: Symbols) -> None:
        self.warm_timer = None
        token = object()
        self.warming = (token, self.worker.submit(self._in_heap(symbols.warm), token))

    def _collect(self) -> None:
        self.collect_timer = None
        if self.heap is not None:
            self.worker.submit(self.heap.collect)

    def _stop_idle_work(self) -> None:
        """Cancel the idle work after a publish (indexing, a due collection): a lint comes first."""
        for timer in (self.warm_timer, self.collect_timer):
            if timer is not None:
                timer.cancel()
        self.warm_timer = self.collect_timer = None
        if self.warming is not None:
            token, job = self.warming
            self.warming = None
            if not job.cancel():
                self.worker.interrupt(token)

    def _lint_job(
        self, doc: OpenDocument, snapshot: list[OpenDocument], from_disk: bool
    ) -> tuple[Analysis, bool, float]:
        """The analysis, whether the buffer turned out to be the file on disk, and the
        seconds the lint took (what the pause before the next one follows)."""
        start = time.perf_counter()
        if from_disk:
            disk = self.session.refresh_disk(doc, snapshot)
            if disk is not None and doc.matches_disk():
                return disk, True, time.perf_counter() - start  # the buffer is the file: one lint serves both
        return self.session.lint(doc, snapshot), False, time.perf_counter() - start

    def _publish(self, doc: OpenDocument, analysis: Analysis) -> None:
        positions = self.positions(analysis, doc)
        shown = self.converter(doc.uri).document(analysis, doc, positions, self.rule_url)
        self.published[doc.uri] = [(item.finding, item.diagnostic) for item in shown]
        texts = [item.json for item in shown] + [json.dumps(self.unstructure(e)) for e in convert.errors(analysis, doc)]
        self.publish_json(doc.uri, texts, doc.version)

    async def fresh(self, uri: str) -> tuple[OpenDocument, Analysis] | None:
        """The document and an analysis of exactly its current text (None: not open)."""
        doc = self.docs.get(uri)
        if doc is None:
            return None
        for _ in range(3):
            done = self.analyses.get(uri)
            if done is not None and done[0] == self.generation.get(uri):
                return doc, done[1]
            await self.lint(uri, from_disk=self.cancel_pending(uri))
        done = self.analyses.get(uri)
        return (doc, done[1]) if done else None

    async def last(self, uri: str) -> tuple[OpenDocument, Analysis, LineMap | None] | None:
        """The document and its last analysis, without waiting for a lint in progress;
        with the map from the current text to the analysed one when they differ. Waits
        only for the first analysis of a document."""
        doc = self.docs.get(uri)
        done = self.analyses.get(uri)
        if doc is None or done is None:
            found = await self.fresh(uri)
            return (found[0], found[1], None) if found else None
        generation, analysis = done
        if generation == self.generation.get(uri):
            return doc, analysis, None
        if uri not in self.pending and not self.running.get(uri):
            self.schedule(uri, delay=0)  # (a lint that failed: try again)
        src = analysis.source(doc.path or STDIN_NAME)
        old = src.text.removeprefix("\ufeff") if src is not None else ""
        return doc, analysis, LineMap.between(old, doc.text)

    async def at_cursor(self, uri: str, position: lsp.Position, *, wait: bool = False) -> Cursor | None:
        """What the request at ``position`` needs. ``wait``: of the current text exactly
        (edits: rename, references), else of the last analysis (hover, completion,
        definition), the position mapped into the text it read."""
        if wait:
            found = await self.fresh(uri)
            if found is None:
                return None
            doc, analysis, moved = found[0], found[1], None
        else:
            last = await self.last(uri)
            if last is None:
                return None
            doc, analysis, moved = last
        line, character = moved.to_old(position.line, position.character) if moved else (position.line, position.character)
        src = analysis.source(doc.path or STDIN_NAME)
        if src is None:  # the analysis did not read it: the editor's text, indexed for this request only
            src = SourceFile(doc.path or STDIN_NAME, doc.text)
            positions = Positions(analysis, self.to_uri_for(doc), self.encoding)
        else:
            positions = self.positions(analysis, doc)
        kline, kcolumn = cursor(src, positions.index(src), line, character)
        return Cursor(doc, analysis, Symbols.of(analysis, doc.key), positions, kline, kcolumn, moved)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A request's document, the analysis it is answered from, and the cursor in it."""

    doc: OpenDocument
    analysis: Analysis
    symbols: Symbols
    positions: Positions
    #: 1-based line and code-point column in the analysed text.
    line: int
    column: int
    #: How the analysed text's lines moved in the editor's (None: it is the editor's).
    moved: LineMap | None

    def locations(self, found: list[lsp.Location]) -> list[lsp.Location]:
        """Locations of the analysed text, in the editor's (those in edited lines dropped)."""
        if self.moved is None:
            return found
        uri, out = self.doc.uri, []
        for loc in found:
            if loc.uri != uri:
                out.append(loc)
                continue
            start, end = self.moved.to_new(loc.range.start.line), self.moved.to_new(loc.range.end.line)
            if start is not None and end is not None:
                out.append(lsp.Location(uri, lsp.Range(lsp.Position(start, loc.range.start.character),
                                                       lsp.Position(end, loc.range.end.character))))
        return out


def _path_of(uri: str) -> str | None:
    return uris.to_fs_path(uri) if uri.startswith("file:") else None


def create_server() -> KalintServer:  # noqa: C901 (one nested handler per LSP method)
    server = KalintServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        server.rule_url = ruledocs.resolver(server.session.registry, options.get("rulesUrl"))
        if isinstance(options.get("debounce"), (int, float)):
            server.pacing = Pacing(fixed=max(0.0, float(options["debounce"]) / 1000))
        workspace = params.capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        server.can_watch = bool(watched is not None and watched.dynamic_registration)

    @server.feature(lsp.INITIALIZED)
    async def initialized(params: lsp.InitializedParams) -> None:
        await server.watch_files()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
        server.session.forget_discovery()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        textdoc.adopt(server.workspace.get_text_document(item.uri))
        server.sync_folders()
        server.docs[item.uri] = OpenDocument(item.uri, _path_of(item.uri), item.text, item.version)
        server.generation[item.uri] = server.generation.get(item.uri, 0) + 1
        server.schedule(item.uri, delay=0, from_disk=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = server.docs.get(uri)
        if doc is None:
            return
        doc.text = server.text_of(uri)
        doc.version = params.text_document.version
        doc.dirty = True
        server.generation[uri] += 1
        server.schedule(uri, delay=server.pacing.delay(uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in server.docs:
            server.session.forget_discovery()
            server.schedule(uri, delay=0, from_disk=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.stop(uri)
        server.pacing.forget(uri)
        for table in (server.docs, server.generation, server.analyses, server.published, server.converters):
            table.pop(uri, None)
        server.publish(uri, [], None)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_folders(params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        server.sync_folders()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> lsp.Hover | None:
        at = await server.at_cursor(params.text_document.uri, params.position)
        return features.hover(at.symbols, at.line, at.column) if at else None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" "]))
    async def completion(params: lsp.CompletionParams) -> lsp.CompletionList | None:
        at = await server.at_cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        before = text_before(at.doc.text, params.position.line, params.position.character, server.encoding)
        items = features.completion(at.symbols, before, at.line, at.column)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        at = await server.at_cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        return at.locations(features.definition(at.symbols, at.positions, at.line, at.column)) or None

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def references(params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        at = await server.at_cursor(params.text_document.uri, params.position, wait=True)
        if at is None:
            return None
        return features.references(at.symbols, at.positions, at.line, at.column,
                                   params.context.include_declaration) or None

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    async def rename(params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        at = await server.at_cursor(params.text_document.uri, params.position, wait=True)
        if at is None:
            return None
        try:
            return features.rename(at.symbols, at.positions, at.line, at.column, params.new_name,
                                   server.to_uri_for(at.doc))
        except features.RequestError as exc:
            raise RequestFailed(str(exc)) from None

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        found = await server.fresh(uri)
        if found is None:
            return None
        doc, analysis = found
        positions = server.positions(analysis, doc)
        index = LineIndex(doc.text, server.encoding)
        return features.code_actions(server.published.get(uri, []), params.range, uri, index.line,
                                     positions, server.to_uri_for(doc)) or None

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def format_document(params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        doc = server.docs.get(params.text_document.uri)
        if doc is None:
            return None
        try:
            return formatting.edits(doc.text, server.encoding)
        except formatting.CannotFormat as exc:
            raise RequestFailed(str(exc)) from None

    return server


def serve() -> None:
    """Serve on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="kalint lsp: %(message)s")
    server = create_server()
    server.session.warm()
    # What is loaded now lives as long as the server: out of the collector's sight, and
    # so is what each job leaves until a collection is due (the collector stays on for
    # the rest; see kalint.cli.lsp).
    server.heap = Heap()
    # A request waits for the lint thread to hand over the GIL: after 1 ms, not 5 (the
    # interval only matters while both threads want to run).
    sys.setswitchinterval(0.001)
    try:
        serve_stdio(server)
    finally:
        server.worker.shutdown()
