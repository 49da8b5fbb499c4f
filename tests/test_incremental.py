"""Incremental analysis (kalint.incremental) gives what a full lint of the same text gives.

Random edits at random places of corpus configs (``../shared/corpus/real``, skipped when
absent) and of generated ones; after every edit the language server's linter, which
re-parses only the blocks the edit touched and keeps the findings of block-local rules,
must report exactly the diagnostics (same order, spans, messages, fixes) of a fresh
full lint. ``KALINT_INCREMENTAL_FILES=all`` runs every corpus file instead of a sample,
``KALINT_INCREMENTAL_PEER_SEEDS=N`` N peer folders instead of 4.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kalint import model
from kalint.diagnostic import Diagnostic, Related, Severity
from kalint.engine import Linter, LintOptions, RunResult
from kalint.incremental import IncrementalLinter, Memory, units_of
from kalint.registry import Registry
from kalint.registry import load as load_registry
from kalint.rule import Rule
from kalint.syntax.span import Span
from kalint.syntax.tree import Index
from tests.lsp_client import generate

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "real"
GENCONF = SHARED / "bench" / "genconf.py"
SAMPLE = 24
EDITS = 14

#: What an edit types inside a line (no brace, no quote: the blocks stay balanced).
WORDS = ["x", "stray_word ", " 1", "0", "-", "#", "! note", ".", "weight -300", "MASTER", "eth1"]
#: Whole lines typed at the start of a line.
LINES = [
    "priority 300\n", "    state MASTER\n", "virtual_router_id 7\n", "advert_int 0.5\n", "\n", "  nopreempt\n",
    "vrrp_instance VI_NEW {\n  interface eth0\n  virtual_router_id 9\n  priority 100\n}\n",
    "vrrp_script chk_new {\n  script \"/bin/true\"\n}\n", "track_script {\n chk_0\n}\n",
    "virtual_ipaddress {\n 192.0.2.1/24\n}\n", "unicast_peer {\n}\n", "global_defs {\n router_id X\n}\n",
    "real_server 192.0.2.9 80 {\n}\n", "priority 255\n", "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n",
    "    track_interface {\n eth0\n}\n", "vrrp_strict\n", "    authentication\n", "track_script\n",
    "virtual_ipaddress 192.0.2.7\n", "vrrp_script\n", "stray_block {\n x\n}\n", "priority 5 {\n}\n", "vrrp_instance VI_1 {\n}\n",
]
#: What breaks the structure or needs expansion (a full pass, until an undo).
BREAKING = ["}", "{", "}\n", "{\n", '"', "@", "$X", "include x\n"]

REGISTRY = load_registry()


def _edit(text: str, rng: random.Random) -> str:
    """One random edit: type a word or a line, delete a stretch of a line, duplicate or
    drop a line, or (rarely) type a brace or a quote."""
    if not text:
        return rng.choice(LINES)
    lines = text.split("\n")
    line = rng.randrange(len(lines))
    kind = rng.random()
    current = lines[line]
    if kind < 0.4:
        at = rng.randrange(len(current) + 1)
        lines[line] = current[:at] + rng.choice(WORDS) + current[at:]
    elif kind < 0.6:
        lines[line] = rng.choice(LINES) + current
    elif kind < 0.8:
        at = rng.randrange(len(current) + 1)
        gone = current[at:at + rng.randint(1, 12)]
        if not any(c in gone for c in '{}"'):
            lines[line] = current[:at] + current[at + len(gone):]
    elif kind < 0.9:
        if rng.random() < 0.5:
            lines.insert(line, current)
        else:
            del lines[line]
    else:
        at = rng.randrange(len(current) + 1)
        lines[line] = current[:at] + rng.choice(BREAKING) + current[at:]
    return "\n".join(lines)


def _check(path: Path, text: str, seed: int, edits: int = EDITS, lint: Path | None = None) -> int:
    """Edit ``text`` ``edits`` times; compare incremental and full after each; how many
    analyses reused something. ``lint``: lint this folder (``path`` and its peers)."""
    rng = random.Random(seed)
    memory = Memory()
    real = os.path.realpath(path)
    reused = 0
    undo = text
    for step in range(edits + 1):
        options = LintOptions(jobs=1, target_version="2.2.7", overlay={real: text.encode()})
        incremental = IncrementalLinter(options, REGISTRY, memory)
        before = memory.configs.get((str(path), None))
        got = incremental.lint_paths([str(lint or path)])
        full = Linter(options, REGISTRY).lint_paths([str(lint or path)])
        assert got.errors == full.errors and not (lint and full.errors)
        assert got.diagnostics == full.diagnostics, f"{path.name}, seed {seed}, after edit {step}"
        after = memory.configs.get((str(path), None))
        if after is not None:  # a spliced index is the one a walk of the items builds
            assert after.document.index().by_keyword == Index.of(after.document.items).by_keyword
        if before is not None and after is not None and after.document.items and \
                any(a is b for a, b in zip(after.document.items, before.document.items)):
            reused += 1
        if step and rng.random() < 0.15:
            text, undo = undo, text  # an editor's undo: back to the text before the last edit
        else:
            text, undo = _edit(text, rng), text
    return reused


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted(CORPUS.glob("*.conf"))
    if os.environ.get("KALINT_INCREMENTAL_FILES") == "all":
        return files
    return random.Random(25).sample(files, min(SAMPLE, len(files)))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus in ../shared")
@pytest.mark.parametrize("source", _corpus_files(), ids=lambda p: p.name)
def test_corpus_edits_match_a_full_lint(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    text = source.read_text(errors="replace")
    path.write_text(text)
    _check(path, text, seed=len(text))


@pytest.mark.parametrize("seed", range(6))
def test_generated_edits_match_a_full_lint(seed: int, tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    text = generate(200 + 150 * seed)
    path.write_text(text)
    assert _check(path, text, seed) > 0  # the edits were not all full passes


@pytest.mark.skipif(not GENCONF.is_file(), reason="no genconf.py in ../shared/bench")
@pytest.mark.parametrize("seed", range(3))
def test_genconf_edits_match_a_full_lint(seed: int, tmp_path: Path) -> None:
    text = subprocess.run([sys.executable, str(GENCONF), "--instances", "20", "--servers", "15", "--seed", str(seed)],
                          capture_output=True, text=True, check=True).stdout
    path = tmp_path / "keepalived.conf"
    path.write_text(text)
    _check(path, text, seed)


@pytest.mark.parametrize("seed", range(int(os.environ.get("KALINT_INCREMENTAL_PEER_SEEDS", "4"))))
def test_edits_of_one_peer_match_a_full_lint_of_the_folder(seed: int, tmp_path: Path) -> None:
    """Two nodes of one cluster (generated, and genconf's with sync groups): the failover
    simulations of the components an edit did not touch are reused."""
    if seed % 2 and GENCONF.is_file():
        text = subprocess.run([sys.executable, str(GENCONF), "--instances", "12", "--servers", "2", "--seed", str(seed)],
                              capture_output=True, text=True, check=True).stdout
    else:
        text = generate(150 + 100 * seed)
    path = tmp_path / "lb-a.conf"
    path.write_text(text)
    peer = text.replace("priority 1", "priority 9").replace("state MASTER", "state BACKUP")
    (tmp_path / "lb-b.conf").write_text(peer.replace("router_id BENCH", "router_id PEER"))
    _check(path, text, seed, edits=10, lint=tmp_path)


def test_units_group_items_that_share_a_line(tmp_path: Path) -> None:
    from kalint.syntax import parser
    from kalint.text import expand
    from kalint.text.source import SourceFile

    text = "global_defs {\n}\nvrrp_script a { script x } vrrp_script b {\n}\n\nvrrp_instance I {\n}\n"
    units = units_of(parser.parse(expand.expand(SourceFile("x.conf", text))).items)
    assert [(u.start, u.end, len(u.items)) for u in units] == [(1, 2, 1), (3, 4, 2), (6, 7, 1)]


def test_an_edit_inside_one_block_parses_and_checks_only_that_block(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf"
    text = generate(400)
    lines = text.split("\n")
    line = next(at for at, written in enumerate(lines) if written.startswith("vrrp_instance VI_3 "))
    edited = "\n".join(lines[:line + 2] + ["    typo_keyword 1" + lines[line + 2]] + lines[line + 3:])
    memory = Memory()
    states = []
    for version in (text, edited):
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
        IncrementalLinter(options, REGISTRY, memory).lint_paths([str(path)])
        states.append(memory.configs[(str(path), None)])
    before, after = states
    changed = [at for at, (a, b) in enumerate(zip(before.document.items, after.document.items)) if a is not b]
    assert len(after.document.items) == len(before.document.items)
    assert [after.document.items[at].words[1].text for at in changed] == ["VI_3"]
    # The block-local rules' findings of every other block are the ones found before.
    kept = [key for key in after.findings if key in before.findings]
    assert len(kept) == len(after.findings) - 1
    assert all(after.findings[key] is before.findings[key] and "KA101" in after.findings[key].codes for key in kept)
    new = next(key for key in after.findings if key not in before.findings)
    assert [d.message.split(":")[0] for d in after.findings[new].found["KA101"]] == \
        ["unknown keyword `typo_keyword` in `vrrp_instance`"]


@pytest.mark.parametrize("typed", ["    typo_keyword 1", "    priority 7\n    nopreempt\n", ""])
def test_an_edit_splices_the_index_instead_of_walking_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  typed: str) -> None:
    """The statements by keyword of an edited document: the last ones, with the edited
    block's (and, when lines moved, every later block's) replaced by those parsed again."""
    path = tmp_path / "keepalived.conf"
    text = generate(1500)
    lines = text.split("\n")
    line = next(at for at, written in enumerate(lines) if written.startswith("vrrp_instance VI_3 ")) + 2
    edited = "\n".join(lines[:line] + [typed + lines[line]] + lines[line + 1:]) if typed else \
        "\n".join(lines[:line] + lines[line + 1:])
    memory = Memory()
    walks = []
    walk = Index.of
    for version in (text, edited):
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
        IncrementalLinter(options, REGISTRY, memory).lint_paths([str(path)])
        monkeypatch.setattr(Index, "of", classmethod(lambda cls, items: walks.append(len(items)) or walk(items)))
    document = memory.configs[(str(path), None)].document
    # (a part of a few blocks checked alone, a block with the others it reads, is walked)
    assert len(document.items) > 100 and all(count < len(document.items) // 4 for count in walks)
    monkeypatch.setattr(Index, "of", walk)
    assert document.index().by_keyword == Index.of(document.items).by_keyword


def _calls_after_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str,
                       labels: Callable[[tuple], list[str]], *edits: str) -> list[tuple[list[list[str]], RunResult]]:
    """Two peers (a generated config and a copy); for each edited text of the first, when
    it follows the original in one language server session: what ``owner.name`` was
    called on (``labels`` of its arguments) and the lint's result."""
    text = generate(300)
    path = tmp_path / "lb-a.conf"
    path.write_text(text)
    (tmp_path / "lb-b.conf").write_text(text.replace("router_id BENCH", "router_id PEER"))
    calls: list[list[str]] = []
    real = getattr(owner, name)

    def recording(*args: object) -> object:
        calls.append(labels(args))
        return real(*args)

    monkeypatch.setattr(owner, name, recording)
    runs = []
    for edit in edits:
        memory = Memory()
        for version in (text, edit):
            calls.clear()
            options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
            result = IncrementalLinter(options, REGISTRY, memory).lint_paths([str(tmp_path)])
        runs.append((list(calls), result))
    return runs


def _simulated_after_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *edits: str) -> list[list[list[str]]]:
    """The components simulated again after each edit (by their routers' labels)."""
    from kalint.runtime import failover

    runs = _calls_after_edits(tmp_path, monkeypatch, failover, "simulate_component",
                              lambda args: [r.label for r in args[0]], *edits)
    return [calls for calls, _ in runs]


def test_an_edit_of_one_instance_simulates_only_its_component(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = generate(300)
    edited = text.replace("    priority 103\n", "    priority 104\n", 1)
    assert _simulated_after_edits(tmp_path, monkeypatch, edited) == [[["VI_3 (VRID 4)"]]]


def test_a_block_load_never_reads_recomputes_no_other_component(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo that turns one instance's header into a keyword keepalived skips, or a new
    block of such a keyword, changes no other instance: only the typo'd router's
    component is simulated again (the config's whole context used to be part of every
    key, and such an edit re-simulated all of a 10k-line config's routers: 1.25 s)."""
    text = generate(300)
    typo = text.replace("vrrp_instance VI_3 ", "stray_word vrrp_instance VI_3 ", 1)
    runs = _simulated_after_edits(tmp_path, monkeypatch, typo, text + "\nstray_block {\n    anything 1\n}\n")
    assert all(labels == ["VI_3 (VRID 4)"] for labels in runs[0])  # (alone on lb-b: not simulated)
    assert runs[1] == []


def test_only_config_rules_declare_block_local() -> None:
    declared = [rule for rule in REGISTRY.sorted() if rule.block_local]
    assert declared and all(rule.scope == "config" for rule in declared)
    instances = [rule for rule in REGISTRY.sorted() if rule.instance_local]
    assert instances and all(rule.scope == "config" and not rule.block_local for rule in instances)
    routers = [rule for rule in REGISTRY.sorted() if rule.router_local]
    assert routers and all(rule.scope == "cluster" for rule in routers)


def test_an_edit_of_one_instance_checks_only_its_router(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A router-local cluster rule runs again only on the router an edit touched; the
    others' findings (here KA409: both peers at equal priorities on every router) are
    the last lint's."""
    from kalint.rules.ka4_peers import EqualPriority

    text = generate(300)
    edited = text.replace("    priority 103\n", "    priority 104\n", 1)
    [(calls, result)] = _calls_after_edits(tmp_path, monkeypatch, EqualPriority, "check_cluster",
                                           lambda args: [r.label for r in args[1].routers], edited)
    assert calls == [["VI_3 (VRID 4)"]]
    full = Linter(LintOptions(jobs=1, overlay={os.path.realpath(tmp_path / "lb-a.conf"): edited.encode()}),
                  REGISTRY).lint_paths([str(tmp_path)])
    assert [d for d in result.diagnostics if d.code == "KA409"] == [d for d in full.diagnostics if d.code == "KA409"]
    assert not any("VI_3" in d.message for d in result.diagnostics if d.code == "KA409")  # its peers no longer tie


def test_edits_of_many_blocks_keep_few_old_documents_alive(tmp_path: Path) -> None:
    """Reused nodes keep the document they were parsed into alive: past MAX_OWNERS such
    documents, the blocks of all but the largest are parsed again with the next edit."""
    from kalint.incremental import MAX_OWNERS

    path = tmp_path / "keepalived.conf"
    lines = generate(1200).split("\n")
    memory = Memory()
    headers = [at for at, written in enumerate(lines) if written.startswith("vrrp_instance ")]
    for step, at in enumerate(headers[: MAX_OWNERS + 6]):
        lines[at + 1] = lines[at + 1] + " "  # a blank typed at the end of `state BACKUP`
        text = "\n".join(lines)
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): text.encode()})
        got = IncrementalLinter(options, REGISTRY, memory).lint_paths([str(path)])
        assert got.diagnostics == Linter(options, REGISTRY).lint_paths([str(path)]).diagnostics
        items = memory.configs[(str(path), None)].document.items
        assert len({id(item.doc) for item in items}) <= MAX_OWNERS, step


def test_a_part_that_would_join_another_part_is_not_parsed_apart() -> None:
    from kalint.incremental import _parse_regions
    from kalint.text import expand
    from kalint.text.source import SourceFile

    lines = ["global_defs", "vrrp_script s {", "{", "}"]
    expansion = expand.expand(SourceFile("x.conf", "\n".join(lines)))
    assert _parse_regions(expansion, lines, [(1, 1), (3, 4)]) is None
    part = _parse_regions(expansion, lines, [(1, 1)])
    assert part is not None and [item.keyword for item in part.items] == ["global_defs"]


def test_an_edit_inside_one_block_builds_only_its_model_object(tmp_path: Path) -> None:
    """The model objects of the blocks an edit did not touch are the last analysis's;
    the edited instance's is built again from its new block."""
    path = tmp_path / "keepalived.conf"
    text = generate(400)
    edited = text.replace("    priority 103\n", "    priority 104\n", 1)
    memory = Memory()
    models = []
    for version in (text, edited):
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
        linted = IncrementalLinter(options, REGISTRY, memory).lint_paths([str(path)])
        models.append(linted.configs[0].config)
    before, after = models
    fresh = [inst.name for inst, old in zip(after.vrrp_instances, before.vrrp_instances) if inst is not old]
    assert fresh == ["VI_3"] and after.instance("VI_3").priority.value == 104
    assert all(new is old for new, old in zip(after.vrrp_scripts, before.vrrp_scripts))
    assert len(memory.models[(str(path), None)]) == len(after.vrrp_instances) + len(after.vrrp_scripts) + len(
        after.sync_groups) + len(after.virtual_servers) + len(after.trackers)


def test_an_edit_of_one_instance_loads_only_that_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runtime model of the instances an edit did not touch is reused (as new peers
    of the new config); an edit of a definition every instance reads reloads them all."""
    from kalint.runtime import loading

    path = tmp_path / "keepalived.conf"
    text = generate(400)
    loaded: list[str] = []
    real = loading.load_instance

    def counting(node: str, config, inst, defs):  # noqa: ANN001
        loaded.append(inst.name)
        return real(node, config, inst, defs)

    monkeypatch.setattr(loading, "load_instance", counting)
    memory = Memory()
    edits = [text, text.replace("    priority 103\n", "    priority 104\n", 1), text.replace("router_id BENCH", "router_id BENCX")]
    runs = []
    for version in edits:
        loaded.clear()
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
        config = IncrementalLinter(options, REGISTRY, memory).lint_paths([str(path)]).configs[0].config
        runs.append(sorted(loaded))
        assert all(peer.config is config for peer in loading.load(config))
    everything = sorted(inst.name for inst in loading.loaded_instances(config))
    assert runs == [everything, ["VI_3"], everything]


class _TrackedScripts(Rule):
    """A test rule declared instance-local: each instance's first tracked script, found
    in the context (a related span there); it records the instances of each check."""

    code = "KT901"
    name = "tracked-script"
    severity = Severity.INFO
    summary = "an instance's first tracked script"
    instance_local = True
    seen: list[list[str]] = []

    def check(self, config: model.Config) -> Iterator[Diagnostic]:
        self.seen.append([inst.name for inst in config.vrrp_instances])
        scripts = {script.name: script for script in config.vrrp_scripts}
        for inst in config.vrrp_instances:
            ref = inst.track_script[0] if inst.track_script else None
            script = scripts.get(ref.name) if ref is not None else None
            if script is not None and ref is not None:
                yield self.diagnostic(ref.word.span, f"{inst.name} tracks {script.name} (line {script.node.line})",
                                      related=[Related(script.node.header_span, "defined here")])


def _instances_checked(tmp_path: Path, text: str, *edits: str) -> list[list[list[str]]]:
    """The instances the test rule saw in each lint of ``text`` then each edit, in one
    session; every lint's findings are a full lint's."""
    registry = Registry()
    registry.add(_TrackedScripts, "test")
    path = tmp_path / "keepalived.conf"
    path.write_text(text)
    memory = Memory()
    runs = []
    for version in (text, *edits):
        _TrackedScripts.seen = []
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
        got = IncrementalLinter(options, registry, memory).lint_paths([str(path)])
        runs.append(_TrackedScripts.seen)
        _TrackedScripts.seen = []
        full = Linter(options, registry).lint_paths([str(path)])
        assert got.diagnostics == full.diagnostics and any(d.code == "KT901" for d in got.diagnostics)
    return runs


def test_an_instance_local_rule_checks_the_edited_instance_with_the_context(tmp_path: Path) -> None:
    text = generate(300)
    edited = text.replace("    priority 103\n", "    priority 104\n", 1)  # VI_3's block
    rescripted = edited.replace("    interval 2\n", "    interval 3\n", 1)  # then a script: the context
    runs = _instances_checked(tmp_path, text, edited, rescripted)
    every = runs[0][0]
    assert len(every) > 10 and runs[0] == [every]
    assert runs[1] == [["VI_3"]]
    assert runs[2] == [every]


def test_instances_keepalived_ties_together_are_checked_whole(tmp_path: Path) -> None:
    """A sync group (or a name used twice) ties instances: the rule runs on all of them."""
    text = generate(300) + "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n}\n"
    edited = text.replace("    priority 103\n", "    priority 104\n", 1)
    runs = _instances_checked(tmp_path, text, edited)
    assert runs[1] == runs[0] and len(runs[1][0]) > 10


def _duplicates(first_priority: int) -> str:
    blocks = []
    for name, vrid, vip in (("VI_A", 51, "192.0.2.10"), ("VI_B", 51, "192.0.2.10"), ("VI_C", 52, "192.0.2.20"),
                            ("VI_D", 52, "192.0.2.20")):
        priority = first_priority if name == "VI_A" else 100
        blocks.append(f"vrrp_instance {name} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {vrid}\n"
                      f"    priority {priority}\n    advert_int 1\n    virtual_ipaddress {{\n        {vip}/24\n    }}\n}}\n")
    return "".join(blocks)


def test_findings_made_from_unchanged_objects_are_the_last_lints(tmp_path: Path) -> None:
    """``Rule.kept``: after an edit of VI_A, the KA209/KA210 findings of the VI_C/VI_D
    pair are the objects the last lint made; those of VI_A/VI_B are made again (VI_A is
    a new model object), and all of them equal a full lint's."""
    path = tmp_path / "keepalived.conf"
    memory = Memory()
    runs = []
    for version in (_duplicates(100), _duplicates(101)):
        options = LintOptions(jobs=1, overlay={os.path.realpath(path): version.encode()})
        found = IncrementalLinter(options, REGISTRY, memory).lint_paths([str(path)]).diagnostics
        full = Linter(options, REGISTRY).lint_paths([str(path)]).diagnostics
        assert found == full
        runs.append({(d.code, d.span.line): d for d in found if d.code in ("KA209", "KA210")})
    before, after = runs
    assert sorted(before) == sorted(after) == [("KA209", 14), ("KA209", 34), ("KA210", 18), ("KA210", 38)]
    kept = sorted(key for key in after if after[key] is before[key])
    assert kept == [("KA209", 34), ("KA210", 38)]


def test_a_lint_without_the_language_server_makes_every_finding() -> None:
    """Outside the language server ``Rule.kept`` keeps nothing: each call makes its finding."""
    from kalint.rule import finding_memo

    rule = REGISTRY.rules["KA209"]()
    span = Span("keepalived.conf", 1, 1, 1, 2)
    found = [rule.kept((rule,), "detail", lambda: rule.diagnostic(span, "m")) for _ in range(2)]
    assert finding_memo.get() is None
    assert found[0] == found[1] and found[0] is not found[1]
