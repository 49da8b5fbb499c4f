"""kalint spans to LSP positions: UTF-16 units, CRLF, CR-only files, BOM, undecodable bytes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalint.lsp.positions import UTF8, UTF16, UTF32, LineIndex, span_offsets, units
from kalint.syntax.span import Span
from kalint.text.source import load


@pytest.mark.parametrize("encoding, expected", [(UTF16, 4), (UTF8, 7), (UTF32, 3)])
def test_units_per_encoding(encoding, expected):
    assert units("é💥x", encoding) == expected


def test_round_trip_on_non_ascii_line():
    index = LineIndex("ascii\n  é💥 word\n", UTF16)
    offset = "ascii\n".__len__() + len("  é💥 ")
    assert index.position(offset) == (1, 6)
    assert index.offset(1, 6) == offset
    assert index.offset(1, 99) == len("ascii\n  é💥 word")  # clamped to the line


def test_undecodable_byte_is_one_unit_like_the_editors_replacement_character():
    src = load("x.conf", b"state \xff MASTER\n")
    start, _ = span_offsets(src, Span("x.conf", 1, 9, 1, 15))
    assert LineIndex(src.text).position(start) == (0, 8)
    assert LineIndex("state \ufffd MASTER\n").position(8) == (0, 8)


def test_crlf_and_cr_only_lines_follow_the_editor():
    assert LineIndex("a\r\nbb\r\nc").position(len("a\r\nbb\r\n")) == (2, 0)
    src = load("mac.conf", b"one\rtwo three\r")
    assert src.line_break == "\r"
    start, end = span_offsets(src, Span("mac.conf", 2, 5, 2, 10))  # kalint's line 2 is after the CR
    assert LineIndex(src.text).position(start) == (1, 4)
    assert LineIndex(src.text).position(end) == (1, 9)


def test_cursor_in_a_file_with_a_bom():
    from kalint.lsp.positions import cursor

    src = load("bom.conf", b"\xef\xbb\xbfvrrp_script chk {\n}\n")
    index = LineIndex(src.text.removeprefix("\ufeff"))
    assert cursor(src, index, 0, 12) == (1, 14)  # kalint counts the BOM as column 1


@pytest.mark.parametrize("text", ["a\nbé😀cd\nlast", "a\r\nbé😀cd\r\nlast", "a\rbé😀cd\rlast"])
@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_text_before_a_cursor_is_what_the_line_index_gives(text, encoding):
    from kalint.lsp.positions import text_before

    index = LineIndex(text, encoding)
    for line in range(4):
        for character in range(9):
            expected = index.line(line)[: index.offset(line, character) - index.starts[line]] \
                if line < len(index.starts) else ""
            assert text_before(text, line, character, encoding) == expected, (line, character)


# -- findings kept in their LSP form from one publish to the next ----------------------

_WIDE = (
    "vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n"
    "    virtual_ipaddress {\n        192.0.2.1/24 dev é0 label é0:1 foo\n    }\n"
    "    notify_master \"/bin/é é\" x y\n}\n"
)


def _converted(tmp_path, texts, encoding=UTF16):
    """Each text linted in turn as one open document: what a Converter kept across them
    publishes, and what a fresh one gives for the same analysis."""
    from pygls.protocol import default_converter

    from kalint.lsp import convert
    from kalint.lsp.analysis import OpenDocument, Session

    conf = tmp_path / "keepalived.conf"
    conf.write_text(texts[0], encoding="utf-8")
    session = Session()
    session.set_folders([str(tmp_path)])
    unstructure = default_converter().unstructure
    kept = convert.Converter(unstructure)
    out = []
    for version, text in enumerate(texts):
        doc = OpenDocument(conf.as_uri(), str(conf), text, version)
        analysis = session.lint(doc, [doc])
        positions = convert.Positions(analysis, lambda path: conf.as_uri(), encoding)
        reused = kept.document(analysis, doc, positions, lambda code: None)
        fresh = convert.Converter(unstructure).document(analysis, doc, positions, lambda code: None)
        out.append((reused, fresh))
    return out


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_a_kept_finding_moves_with_the_width_of_the_text_before_it(tmp_path, encoding):
    """The same finding (same line and code-point column) after `é` became `𝄞` shows
    further right in UTF-16 and UTF-8 (two and four code units, not one and two): it is
    converted again, not taken from the last publish."""
    (before, _), (after, fresh) = _converted(tmp_path, [_WIDE, _WIDE.replace("é", "𝄞")], encoding)
    assert [s.json for s in after] == [s.json for s in fresh]
    old = next(s for s in before if s.finding.code == "KA326")
    new = next(s for s in after if s.finding.code == "KA326")
    assert new.finding == old.finding
    shift = {UTF16: 2, UTF8: 4, UTF32: 0}[encoding]  # two é (2 bytes) became 𝄞 (4 bytes)
    assert json.loads(new.json)["range"]["start"]["character"] == json.loads(old.json)["range"]["start"]["character"] + shift
    assert (new is old) == (shift == 0)


@pytest.mark.parametrize("wide", [True, False], ids=["wide", "ascii"])
def test_kept_findings_equal_fresh_ones_after_random_edits(tmp_path, wide):
    """Random edits (words, wide characters, lone CRs, new and removed lines) to a
    config with findings everywhere: what a Converter kept across them publishes is what
    a fresh one gives each time, and most findings of an edit elsewhere are reused. In
    the ASCII config most edits keep the text plain, where a finding object the engine
    gives again skips its key (``Converter``); a lone CR or an `é` ends that."""
    import random

    rng = random.Random(7)
    base = _WIDE if wide else _WIDE.replace("é", "e")
    lines = "".join(base.replace("VI_1", f"VI_{k}") for k in range(3)).split("\n")
    texts = []
    for _ in range(40):
        at = rng.randrange(len(lines))
        choice = rng.random()
        if choice < 0.3:
            lines.insert(at, rng.choice(["", "    priority 200", "router_idd x", "    é" if wide else "    e"]))
        elif choice < 0.5 and len(lines) > 5:
            del lines[at]
        else:
            column = rng.randrange(len(lines[at]) + 1)
            typed = ["x", "é", "𝄞", " ", "  foo"] if wide else ["x", " ", "  foo", "x", "\r"]
            lines[at] = lines[at][:column] + rng.choice(typed) + lines[at][column:]
        texts.append("\n".join(lines))
    assert wide or any("\r" in text for text in texts)
    steps = _converted(tmp_path, texts)
    from lsprotocol import types as lsp
    from pygls.protocol import default_converter

    for reused, fresh in steps:
        assert [s.json for s in reused] == [s.json for s in fresh]
        # what pygls would have written for the same diagnostics in one message
        message = default_converter().unstructure(lsp.PublishDiagnosticsParams("file:///x", [s.diagnostic for s in reused]))
        assert message["diagnostics"] == [json.loads(s.json) for s in reused]
    kept = sum(any(s is t for t in before) for (before, _), (after, _) in zip(steps, steps[1:]) for s in after)
    assert kept > sum(len(after) for after, _ in steps[1:]) / 2


def test_a_finding_object_given_again_is_placed_again_where_the_text_stopped_being_plain(tmp_path, monkeypatch):
    """In an ASCII config a finding the engine gives again (an instance the edit did not
    touch) is published without being placed again; once a lone CR in an earlier line
    moves the editor's lines (not keepalived's), it is placed again, a line further down."""
    from pygls.protocol import default_converter

    from kalint.lsp import convert
    from kalint.lsp.analysis import OpenDocument, Session

    placed: list[Span] = []
    place = convert.Positions.place
    monkeypatch.setattr(convert.Positions, "place",
                        lambda self, span, src=None: placed.append(span) or place(self, span, src))
    plain = "".join(_WIDE.replace("é", "e").replace("VI_1", f"VI_{k}") for k in range(3))
    typed = plain.replace("priority 100", "priority 100 x", 1)
    with_cr = plain.replace("state MASTER", "state\rMASTER", 1)
    conf = tmp_path / "keepalived.conf"
    conf.write_text(plain)
    session = Session()
    session.set_folders([str(tmp_path)])
    unstructure = default_converter().unstructure
    kept = convert.Converter(unstructure)
    published: list[dict] = []
    placed_again: list[int | None] = []
    findings: list = []
    for version, text in enumerate([plain, typed, with_cr]):
        doc = OpenDocument(conf.as_uri(), str(conf), text, version)
        analysis = session.lint(doc, [doc])
        positions = convert.Positions(analysis, lambda path: conf.as_uri())
        placed.clear()
        shown = kept.document(analysis, doc, positions, lambda code: None)
        again = [d for d in analysis.diagnostics_in(doc.key) if any(d is old for old in findings)]
        placed_again.append(sum(any(span is d.span for d in again) for span in placed) if findings else None)
        findings = analysis.diagnostics_in(doc.key)
        fresh = convert.Converter(unstructure).document(analysis, doc, positions, lambda code: None)
        assert [s.json for s in shown] == [s.json for s in fresh]
        published.append({s.finding.sort_key(): json.loads(s.json)["range"]["start"]["line"] for s in shown})
    assert placed_again[1] == 0 and placed_again[2] > 0
    moved = [key for key in published[2] if key in published[1] and key[1] > 10]
    assert moved and all(published[2][key] == published[1][key] + 1 for key in moved)


@pytest.mark.parametrize("data", [b"", b"a", b"a\n", b"a\n\nb", b"\n\n", b"x\r\ny\n", b"\xef\xbb\xbfa\nb\n", b"a\rb"])
def test_line_index_shared_with_the_source_is_the_editors(data):
    """A text without CR or BOM reuses the source's own line starts: the same lines the
    index would find by itself (the others build their own)."""
    from kalint.lsp import convert

    src = load("x.conf", data)
    shared = convert.Positions(None, str).index(src)  # type: ignore[arg-type]
    assert list(shared.starts) == LineIndex(src.text.removeprefix("\ufeff")).starts
    assert (shared.starts is src.line_starts()) == (b"\r" not in data and not data.startswith(b"\xef\xbb\xbf"))


@settings(deadline=None)
@given(st.lists(st.text(alphabet="ab {}", max_size=6), min_size=1, max_size=6),
       st.lists(st.integers(-1, 9), min_size=4, max_size=4))
def test_places_in_plain_text_are_the_general_paths(lines, numbers):
    """An ASCII text with LF breaks takes a shortcut from a span to its LSP place; any
    span, in or out of its lines, lands where the offset-based path puts it."""
    from kalint.lsp import convert

    src = load("x.conf", "\n".join(lines).encode())
    span = Span("x.conf", *numbers)
    fast = convert._plain_place(src.line_starts(), len(src.text), span)
    index = LineIndex(src.text)
    first, last = span_offsets(src, span)
    assert fast is None or fast == (*index.position(first), *index.position(last))
    assert convert.Positions(None, str).place(span, src) == (*index.position(first), *index.position(last))  # type: ignore[arg-type]


def test_the_converter_s_key_tells_findings_apart_by_every_field():
    """``convert._fields`` stands for a finding in the converter's key: two findings that
    differ in any one field (a field added later included) have different keys."""
    import dataclasses

    from kalint.diagnostic import Diagnostic, Edit, Fix, PeerTag, Related, Severity
    from kalint.lsp import convert

    span = Span("a.conf", 1, 1, 1, 5)
    base = Diagnostic("KA101", "m", span)
    other = {
        "code": "KA102", "message": "n", "span": Span("a.conf", 1, 2, 1, 5), "severity": Severity.INFO,
        "name": "x", "related": (Related(span, "here"),), "help": "h",
        "fix": Fix("f", (Edit(span, "y"),)), "config_id": "c", "peer_group": PeerTag("automatic", None, ("a.conf",)),
    }
    assert {f.name for f in dataclasses.fields(Diagnostic)} == set(other)
    for name, value in other.items():
        assert convert._fields(dataclasses.replace(base, **{name: value})) != convert._fields(base), name
    moved = base.with_(related=(Related(Span("a.conf", 2, 1, 2, 5), "here"),))
    assert convert._fields(moved) != convert._fields(base.with_(related=(Related(span, "here"),)))
