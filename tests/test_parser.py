"""The grammar and the expander read a file the way keepalived's lib/parser.c does."""

from __future__ import annotations

from kalint.diagnostic import Collector
from kalint.syntax import parser
from kalint.syntax.tree import Block, Document, Statement
from kalint.text import expand, source


def parse_text(text: str | bytes, path: str = "t.conf", **options: object) -> tuple[Document, list]:
    data = text.encode() if isinstance(text, str) else text
    src = source.load(path, data)
    expansion = expand.expand(src, expand.Options(**options))  # type: ignore[arg-type]
    doc = parser.parse(expansion)
    return doc, expansion.problems.items


def words(doc: Document) -> list[list[str]]:
    return [[w.text for w in s.words] for s in doc.walk()]


def codes(problems: list) -> list[str]:
    return [p.code for p in problems]


def test_comments_start_anywhere_outside_quotes() -> None:
    doc, problems = parse_text("state foo#bar\nstate foo!bar\nrouter_id \"a#b!c\" d # tail\n")
    assert words(doc) == [["state", "foo"], ["state", "foo"], ["router_id", "a#b!c", "d"]]
    assert problems == []


def test_escaped_comment_characters_are_literal() -> None:
    doc, _ = parse_text("notification_email_from a\\#b\\!c\n")
    assert words(doc) == [["notification_email_from", "a#b!c"]]


def test_quote_inside_word_ends_the_word() -> None:
    doc, _ = parse_text('state MAS"TER"\nname \'a b\'\nx ""\n')
    assert words(doc) == [["state", "MAS", "TER"], ["name", "'a", "b'"], ["x", ""]]


def test_braces_same_line_next_line_and_several_on_a_line() -> None:
    text = "a {\n b 1\n}\nc\n{\n d\n}\ne { f { g } }\nh { }\n"
    doc, problems = parse_text(text)
    assert problems == []
    kinds = [(type(s).__name__, s.keyword) for s in doc.walk()]
    assert kinds == [
        ("Block", "a"), ("Statement", "b"), ("Block", "c"), ("Statement", "d"),
        ("Block", "e"), ("Block", "f"), ("Statement", "g"), ("Block", "h"),
    ]
    assert isinstance(doc.items[-1], Block) and doc.items[-1].children == ()


def test_list_block_entries_on_the_brace_line_are_one_entry() -> None:
    doc, _ = parse_text("virtual_ipaddress { 10.0.0.1/24 10.0.0.2/24 }\n")
    block = doc.items[0]
    assert isinstance(block, Block)
    assert [[w.text for w in c.words] for c in block.children] == [["10.0.0.1/24", "10.0.0.2/24"]]


def test_tabs_and_crlf() -> None:
    doc, problems = parse_text("global_defs {\r\n\trouter_id\tlb1\r\n}\r\n")
    assert problems == []
    assert words(doc) == [["global_defs"], ["router_id", "lb1"]]


def test_spans_are_one_based_code_points_end_exclusive() -> None:
    doc, _ = parse_text("! é\nglobal_defs {\n    router_id  réseau\n}\n")
    stmt = next(s for s in doc.walk() if s.keyword == "router_id")
    arg = stmt.words[1].span
    assert (arg.line, arg.column, arg.end_line, arg.end_column) == (3, 16, 3, 22)
    block = doc.items[0].span
    assert (block.line, block.column, block.end_line, block.end_column) == (2, 1, 4, 2)


def test_undecodable_bytes_are_one_column_each() -> None:
    doc, problems = parse_text(b"router_id \xc4\xe3 x\n")
    stmt = doc.items[0]
    assert stmt.words[1].text == "\udcc4\udce3"
    assert (stmt.words[2].span.column, stmt.words[2].span.end_column) == (14, 15)
    assert codes(problems) == ["KA014"]


def test_unmatched_quote_drops_rest_of_line() -> None:
    doc, problems = parse_text('script "/bin/true { x\nnext 1\n')
    assert words(doc) == [["script"], ["next", "1"]]
    assert codes(problems) == ["KA003"]
    assert (problems[0].span.line, problems[0].span.column) == (1, 8)


def test_extra_close_and_unclosed_block_are_recovered() -> None:
    doc, problems = parse_text("a {\n}\n}\nb 1\nc {\n d\n")
    assert codes(problems) == ["KA001", "KA001"]
    assert [p.span.line for p in problems] == [3, 5]
    assert words(doc) == [["a"], ["b", "1"], ["c"], ["d"]]
    assert isinstance(doc.items[-1], Block) and doc.items[-1].close_brace is None


def test_an_extra_close_brace_is_invisible_to_the_block_structure() -> None:
    """Statements reach lark in rows; a `}` lark never sees (an extra one) must not end a
    row, so the statement before it still heads the block of the `{` after it."""
    doc, problems = parse_text("x 1\ny 2\n}\n{ z }\nw\n")
    assert codes(problems) == ["KA001"]
    assert words(doc) == [["x", "1"], ["y", "2"], ["z"], ["w"]]
    assert [type(s).__name__ for s in doc.items] == ["Statement", "Block", "Statement"]
    assert doc.items[1].children[0].keyword == "z"


def test_stray_open_brace() -> None:
    doc, problems = parse_text("a {\n { b }\n}\n")
    assert codes(problems) == ["KA002"]
    assert problems[0].span.line == 2


def test_byte_order_mark_is_part_of_the_first_keyword() -> None:
    doc, problems = parse_text(b"\xef\xbb\xbfglobal_defs {\n router_id x\n}\n")
    assert doc.items[0].keyword == "\ufeffglobal_defs"
    assert codes(problems) == ["KA010"]


def test_line_over_1023_bytes_is_read_in_pieces() -> None:
    # fgets() returns 1023 bytes at a time: keepalived 2.2.7 reports `Unknown keyword
    # 'ace_typo'` for exactly this line (checked with keepalived -t; syntax.md's
    # "face_typo" is off by one).
    line = "state " + "A" * 1010 + " interface_typo x"
    doc, problems = parse_text(line + "\n")
    assert words(doc)[1] == ["ace_typo", "x"]
    assert codes(problems) == ["KA011"]
    assert (problems[0].span.line, problems[0].span.column) == (1, 1024)


def test_nul_byte_ends_the_line() -> None:
    doc, problems = parse_text(b"priority 100\x000\nstate BACKUP\n")
    assert words(doc) == [["priority", "100"], ["state", "BACKUP"]]
    assert codes(problems) == ["KA012"]


def test_cr_only_file_is_one_line_for_keepalived() -> None:
    doc, problems = parse_text(b"global_defs {\r router_id x\r notification_email_from y\r}\r")
    assert "KA013" in codes(problems)
    inner = [w for w in words(doc) if w[0] == "router_id"]
    assert inner == [["router_id", "x", "notification_email_from", "y"]]
    stmt = next(s for s in doc.walk() if s.keyword == "router_id")
    assert stmt.span.line == 2  # reported where the author sees it


def test_trailing_backslash_is_not_a_continuation() -> None:
    doc, _ = parse_text("state foo \\\nnext 1\n")
    assert words(doc) == [["state", "foo", "\\"], ["next", "1"]]


def test_deep_nesting_has_no_recursion_limit() -> None:
    depth = parser.MAX_DEPTH
    doc, problems = parse_text("a {\n" * depth + "}\n" * depth)
    assert problems == []
    assert sum(1 for _ in doc.walk()) == depth
    assert all(isinstance(s, Statement) for s in doc.walk())


def test_blocks_deeper_than_the_limit_are_skipped_once() -> None:
    """5,000 nested blocks: the first MAX_DEPTH are parsed, one KA018 at the next `{`, and
    the skipped blocks' own `}` are not reported as extra (issue 23, row 11)."""
    depth = 5000
    doc, problems = parse_text("a {\n" * depth + "b 1\n" + "}\n" * depth + "}\n")
    assert [(p.code, p.span.line) for p in problems] == [("KA018", parser.MAX_DEPTH + 1), ("KA001", 2 * depth + 2)]
    # the keyword before the skipped `{` stays, as a statement of the deepest block parsed
    assert sum(1 for _ in doc.walk()) == parser.MAX_DEPTH + 1


def test_empty_input() -> None:
    doc, problems = parse_text("")
    assert doc.items == [] and problems == []


def test_parse_error_positions_use_source_lines_after_include(tmp_path) -> None:
    (tmp_path / "inc.conf").write_text("x 1\n}\n")
    main = tmp_path / "main.conf"
    main.write_text("a 1\ninclude inc.conf\nb 2\n")
    src = source.load(str(main))
    expansion = expand.expand(src)
    problems = Collector()
    parser.parse(expansion, problems)
    assert [(p.code, p.span.path.endswith("inc.conf"), p.span.line) for p in problems.items] == [("KA001", True, 2)]


def test_only_ascii_blanks_separate_words() -> None:
    # keepalived splits words on " \t\f\n\r\v" only: a no-break space or \x1c is a word character.
    doc, problems = parse_text("global_defs {\n\u00a0 router_id x\u00a0y\n\x1c z\n}\n")
    assert problems == []
    assert words(doc) == [["global_defs"], ["\u00a0", "router_id", "x\u00a0y"], ["\x1c", "z"]]


def test_a_block_header_without_words_has_a_forward_span() -> None:
    """An unmatched quote leaves the header of the next line's `{` without words: its
    span is the quote's character, not a span ending at the `{` a line later (found by
    the fuzz test: KA001 ran from column 15 back to column 3)."""
    doc, problems = parse_text('global_defs { " \n {')
    header = doc.items[0].children[0]
    assert isinstance(header, Block) and not header.words
    assert (header.header_span.line, header.header_span.column, header.header_span.end_column) == (1, 15, 16)
    for problem in problems:
        span = problem.span
        assert (span.line, span.column) <= (span.end_line, span.end_column), problem
