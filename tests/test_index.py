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
    deepest = ".".join(["a"] * index.MAX_PATH_DEPTH)
    assert len(index.path(deepest)) == 1
    assert index.path(f"{deepest}.a") == []


NESTED = """\
a {
    a {
        a x
    }
    b { a }
}
a
x.y {
    z 1
}
x {
    y.z 2
}
x {
    y {
        z 3
    }
}
{ { a } }
"""


def _reference_paths(doc) -> dict[str, list]:
    """Path -> statements, from each statement's own path (``Statement.path``), in file order."""
    paths: dict[str, list] = {}
    for stmt in doc.walk():
        names = stmt.path()
        if len(names) <= 8:
            paths.setdefault(".".join(names), []).append(stmt)
    return paths


def test_the_parsers_index_equals_a_walk() -> None:
    """The parser collects the index while it reduces (a block after its own lines); a walk
    of the finished tree must find the same lists, in the same order."""
    from conftest import FIXTURES
    from kalint.syntax.tree import Index

    texts = [NESTED] + [p.read_text(encoding="utf-8", errors="surrogateescape") for p in sorted(FIXTURES.rglob("*.conf"))]
    for text in texts:
        doc = parse(expand(SourceFile("k.conf", text)))
        collected, walked = doc.index(), Index.of(doc.items)
        assert collected.by_keyword == walked.by_keyword
        for path, stmts in _reference_paths(doc).items():
            assert collected.path(path) == stmts, path
    doc = parse(expand(SourceFile("k.conf", NESTED)))
    assert [s.line for s in doc.index().keyword("a")] == [1, 2, 3, 5, 7, 19]
    assert [s.words[1].text for s in doc.index().path("x.y.z")] == ["1", "2", "3"]
