"""``Document.index()``: one walk, every statement by keyword and by keyword path."""

from __future__ import annotations

from kalint.syntax.parser import parse
from kalint.text.expand import expand
from kalint.text.source import SourceFile

TEXT = """\
vrrp_script chk { script "/bin/true" }
vrrp_instance VI_1 {
    track_script {
        chk weight 10
    }
    { script stray }
}
{ top_stray }
vrrp_instance VI_2 {
    track_script {
        chk
    }
}
"""


def test_index_matches_a_walk() -> None:
    doc = parse(expand(SourceFile("k.conf", TEXT)))
    index = doc.index()
    assert index is doc.index()  # built once
    walked = list(doc.walk())
    for stmt in walked:
        assert stmt in index.keyword(stmt.keyword)
        assert stmt in index.path(".".join(stmt.path()))
    assert sum(map(len, index.by_keyword.values())) == len(walked)
    assert [s.line for s in index.path("vrrp_instance.track_script.chk")] == [4, 11]
    assert [s.line for s in index.keyword("script")] == [1, 6]
    assert index.path("vrrp_instance..script")[0].line == 6  # inside a stray `{`
    assert index.path(".top_stray")[0].line == 8
    assert index.keyword("nothing") == []


def test_deep_nesting_is_indexed_by_keyword_without_quadratic_paths() -> None:
    from kalint.syntax import parser
    from kalint.text import expand, source

    depth = parser.MAX_DEPTH  # deeper blocks are skipped (tests/test_parser.py)
    src = source.load("deep.conf", ("a {\n" * depth + "}\n" * depth).encode())
    index = parser.parse(expand.expand(src)).index()
    assert len(index.keyword("a")) == depth
    assert max(len(path.split(".")) for path in index.by_path) == index.MAX_PATH_DEPTH
