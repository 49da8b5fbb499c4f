"""The language server's collector policy (``kalint.lsp.heap``): what a job leaves is
frozen out of the collector's sight, and a full collection, at a pause or when overdue,
frees the garbage of the analyses it dropped."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from kalint.lsp import heap as heap_module
from kalint.lsp.heap import Heap


class Node:
    """An object in a reference cycle, as syntax nodes and their document are."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def heap():
    gc.collect()
    made = Heap()
    yield made
    gc.unfreeze()
    gc.enable()


def test_a_job_runs_with_the_collector_off_and_what_it_leaves_is_frozen(heap):
    seen = []
    kept = []
    with heap.job():
        seen.append(gc.isenabled())
        kept.extend(Node() for _ in range(1000))
    assert seen == [False] and gc.isenabled()
    assert gc.get_count()[0] < 1000  # nothing young left for the next young collection to scan
    tracked = {id(obj) for obj in gc.get_objects()}  # (the frozen ones are not listed)
    assert gc.is_tracked(kept[0]) and not any(id(node) in tracked for node in kept)
    assert heap.pending >= 1000


def test_a_failing_job_still_turns_the_collector_back_on(heap):
    with pytest.raises(RuntimeError), heap.job():
        raise RuntimeError("a rule bug")
    assert gc.isenabled()


def test_frozen_garbage_lives_until_a_full_collection(heap):
    with heap.job():
        garbage = weakref.ref(Node())
    gc.collect()
    assert garbage() is not None  # frozen: out of the collector's sight
    heap.collect()
    assert garbage() is None
    assert heap.pending == 0 and heap.live == gc.get_freeze_count()
    gc.disable()
    again = weakref.ref(Node())
    gc.freeze()  # frozen outside a job: nothing counted, so a collection asked for again does nothing
    gc.enable()
    heap.collect()
    assert again() is not None


def test_a_collection_is_due_after_a_quarter_and_overdue_after_all_of_the_live_objects(heap, monkeypatch):
    monkeypatch.setattr(heap_module, "MIN_GROWTH", 10)
    heap.live, heap.pending = 400, 100
    assert not heap.due() and not heap.overdue()
    heap.pending = 101
    assert heap.due() and not heap.overdue()
    heap.pending = 401
    assert heap.overdue()
    heap.live = 0  # a small heap: MIN_GROWTH decides
    heap.pending = 10
    assert not heap.due()


def test_the_server_collects_at_a_pause_and_at_once_when_overdue(tmp_path, monkeypatch, heap):
    """A due collection waits for COLLECT_DELAY_SECONDS without a lint (the next
    keystroke cancels it); an overdue one runs right after the publish."""
    pytest.importorskip("pygls", reason="the lsp extra is not installed")
    from kalint.lsp import server as server_module
    from kalint.lsp.analysis import OpenDocument

    monkeypatch.setattr(server_module, "COLLECT_DELAY_SECONDS", 0.05)
    collected = []
    monkeypatch.setattr(Heap, "collect", lambda self: collected.append(self))
    path = tmp_path / "k.conf"
    path.write_text("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n  priority 100\n}\n")
    server = server_module.create_server()
    server.heap = heap
    doc = OpenDocument(path.as_uri(), str(path), path.read_text())
    server.docs[doc.uri] = doc
    server.generation[doc.uri] = 1
    monkeypatch.setattr(server, "_publish", lambda *args: None)  # (no client to publish to)

    async def typing_then_pausing() -> None:
        monkeypatch.setattr(Heap, "due", lambda self: True)
        await server.lint(doc.uri)
        assert server.collect_timer is not None
        await server.lint(doc.uri)  # the next keystroke, before the delay: no collection yet
        assert collected == []
        await asyncio.sleep(0.3)
        assert collected == [heap] and server.collect_timer is None
        monkeypatch.setattr(Heap, "overdue", lambda self: True)
        await server.lint(doc.uri)
        assert server.collect_timer is None
        await asyncio.wrap_future(server.worker.submit(lambda: None))  # (the worker runs jobs in order)
        assert collected == [heap, heap]

    try:
        asyncio.run(typing_then_pausing())
    finally:
        server.worker.shutdown()
