"""Random layouts of the same pieces: formatting keeps the tree and is idempotent."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kalint.formatter import format_source
from kalint.source import SourceFile, line_break_of

from test_format_properties import shape

PIECES = st.sampled_from([
    "vrrp_instance VI_1", "state MASTER", "priority  100", "{", "}", "{", "}", "\n", "\n", "\n", " ", "\t",
    "# note {", "! kalint: ignore KA201", '"a b { c"', "MAS\"TE R\"", "x\\#y", "\\", "\r\n", "@n1 ", "\n$X=1\n",
    "$X", "${X}", "include x.conf", "~SEQ(i,1,2) ", "'p q'", "\\ ", "$D=a \\\n  \n b {\\\n}\n",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_random_layouts(pieces: list[str]) -> None:
    text = "".join(pieces)
    outcome = format_source(SourceFile("f.conf", text, line_break_of(text)))
    if outcome.text is None:
        return
    assert shape(outcome.text, "f.conf", text) == shape(text, "f.conf")
    again = format_source(SourceFile("f.conf", outcome.text, line_break_of(outcome.text)))
    assert again.text == outcome.text
