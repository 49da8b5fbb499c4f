"""``FastTextDocument`` edits a document's text as pygls's own ``TextDocument`` does."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from lsprotocol import types as lsp  # noqa: E402
from pygls.workspace.text_document import TextDocument  # noqa: E402

from kalint.lsp.textdoc import FastTextDocument, adopt  # noqa: E402

#: Line ends of every kind splitlines knows, characters of two UTF-16 units, tabs.
pieces = st.sampled_from(["a", "bc", " ", "\t", "\n", "\r\n", "\r", "é", "𝄞", "\x0c", "\u2028", "{", "}"])
texts = st.lists(pieces, max_size=30).map("".join)
positions = st.tuples(st.integers(0, 8), st.integers(0, 6))


@settings(max_examples=400)
@given(texts, st.lists(st.tuples(positions, positions, texts), min_size=1, max_size=4),
       st.sampled_from([lsp.PositionEncodingKind.Utf16, lsp.PositionEncodingKind.Utf8,
                        lsp.PositionEncodingKind.Utf32]))
def test_edits_give_the_text_pygls_gives(text, edits, encoding):
    from pygls.workspace.position_codec import PositionCodec

    codec = PositionCodec(encoding=encoding)
    ours = FastTextDocument("file:///k.conf", text, position_codec=codec)
    theirs = TextDocument("file:///k.conf", text, position_codec=codec)
    for start, end, typed in edits:
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(*start), lsp.Position(*end)), text=typed)
        ours.apply_change(change)
        theirs.apply_change(change)
        assert ours.source == theirs.source


def test_an_opened_document_is_adopted():
    document = TextDocument("file:///k.conf", "x\n")
    adopt(document)
    assert type(document) is FastTextDocument and document.source == "x\n"
