"""include, @id, $NAME and ~SEQ, expanded line by line in keepalived's order."""

from __future__ import annotations

import os
from pathlib import Path

from kalint.engine import Linter, LintOptions
from kalint.syntax import parser
from kalint.text import expand, source


def lint(path: Path, **options: object):
    return Linter(LintOptions(**options)).lint_paths([str(path)])  # type: ignore[arg-type]


def tree_words(path: Path, **options: object) -> list[list[str]]:
    expansion = expand.expand(source.load(str(path)), expand.Options(**options))  # type: ignore[arg-type]
    doc = parser.parse(expansion)
    return [[w.text for w in s.words] for s in doc.walk()]


#: What these tests are about; other rules' findings on the same configs do not matter here.
INCLUDE_CODES = {"KA004", "KA005", "KA006", "KA007", "KA008", "KA015", "KA201", "KA202"}


def codes_at(result) -> list[tuple[str, str, int]]:
    return [(d.code, os.path.basename(d.span.path), d.span.line) for d in result.diagnostics if d.code in INCLUDE_CODES]


def test_glob_reads_matches_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "b.conf").write_text("b 1\n")
    (tmp_path / "conf.d" / "a.conf").write_text("a 1\n")
    main = tmp_path / "keepalived.conf"
    main.write_text("first 1\ninclude conf.d/*.conf\nlast 1\n")
    assert tree_words(main) == [["first", "1"], ["a", "1"], ["b", "1"], ["last", "1"]]


def test_relative_includes_resolve_against_the_including_file(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "one.conf").write_text("one 1\ninclude deeper/two.conf\n")
    (tmp_path / "sub" / "deeper" / "two.conf").write_text("two 2\n")
    main = tmp_path / "keepalived.conf"
    main.write_text("include sub/one.conf\n")
    assert tree_words(main) == [["one", "1"], ["two", "2"]]


def test_include_continues_the_including_block(tmp_path: Path) -> None:
    (tmp_path / "body.inc").write_text("priority 100\n}\nafter 1\n")
    main = tmp_path / "keepalived.conf"
    main.write_text("vrrp_instance VI_1 {\ninclude body.inc\n")
    result = lint(main)
    assert [d.code for d in result.diagnostics if d.code.startswith("KA0")] == []
    assert tree_words(main) == [["vrrp_instance", "VI_1"], ["priority", "100"], ["after", "1"]]


def test_include_after_a_brace_is_an_include(tmp_path: Path) -> None:
    (tmp_path / "x.inc").write_text("inner 1\n")
    main = tmp_path / "keepalived.conf"
    main.write_text("a {\n} include x.inc\n")
    assert tree_words(main) == [["a"], ["inner", "1"]]


def test_brace_alternatives(tmp_path: Path) -> None:
    (tmp_path / "a.inc").write_text("a 1\n")
    main = tmp_path / "keepalived.conf"
    main.write_text("include {a,b}.inc\n")
    assert tree_words(main) == [["a", "1"]]
    assert [code for code, _, _ in codes_at(lint(main))] == ["KA004"]


def test_missing_include_is_a_warning_but_includem_is_an_error(tmp_path: Path) -> None:
    main = tmp_path / "keepalived.conf"
    main.write_text("global_defs {\n router_id x\n}\ninclude nothere.conf\nincludem nothere.conf\n")
    result = lint(main)
    found = [(d.code, d.span.line, str(d.severity)) for d in result.diagnostics]
    assert found == [("KA004", 4, "warning"), ("KA004", 5, "error")]


def test_include_check_makes_later_misses_fatal(tmp_path: Path) -> None:
    main = tmp_path / "keepalived.conf"
    main.write_text("global_defs {\n include_check\n}\ninclude nothere.conf\n")
    assert [(d.code, str(d.severity)) for d in lint(main).diagnostics] == [("KA004", "error")]


def test_cycle_is_reported_once_at_the_include_line(tmp_path: Path) -> None:
    (tmp_path / "a.conf").write_text("a 1\ninclude b.conf\n")
    (tmp_path / "b.conf").write_text("b 1\ninclude a.conf\n")
    result = lint(tmp_path / "a.conf")
    assert codes_at(result) == [("KA005", "b.conf", 2)]
    cycle = next(d for d in result.diagnostics if d.code == "KA005")
    assert "a.conf -> b.conf -> a.conf" in cycle.message


def test_self_include(tmp_path: Path) -> None:
    main = tmp_path / "k.conf"
    main.write_text("x 1\ninclude k.conf\n")
    assert codes_at(lint(main)) == [("KA005", "k.conf", 2)]


def test_depth_limit(tmp_path: Path) -> None:
    count = expand.MAX_INCLUDE_DEPTH + 5
    for i in range(count):
        (tmp_path / f"f{i}.conf").write_text(f"level {i}\ninclude f{i + 1}.conf\n")
    (tmp_path / f"f{count}.conf").write_text("bottom 1\n")
    result = lint(tmp_path / "f0.conf")
    assert [code for code, _, _ in codes_at(result)] == ["KA006"]


def test_diagnostics_in_included_files_point_at_them(tmp_path: Path) -> None:
    (tmp_path / "scripts.inc").write_text("vrrp_script chk {\n script /bin/true\n}\n")
    main = tmp_path / "keepalived.conf"
    main.write_text("include scripts.inc\n")
    assert codes_at(lint(main)) == [("KA202", "scripts.inc", 1)]


def test_unread_include_lowers_reference_findings_to_info(tmp_path: Path) -> None:
    main = tmp_path / "keepalived.conf"
    main.write_text(
        "include /etc/keepalived/scripts.conf\n"
        "vrrp_instance VI_1 {\n track_script {\n  chk\n }\n}\n"
    )
    result = lint(main)
    by_code = {d.code: d for d in result.diagnostics}
    assert str(by_code["KA201"].severity) == "info"
    assert "may be defined in" in by_code["KA201"].message


def test_root_maps_absolute_includes(tmp_path: Path) -> None:
    conf_d = tmp_path / "etc" / "keepalived" / "conf.d"
    conf_d.mkdir(parents=True)
    (conf_d / "scripts.conf").write_text("vrrp_script chk {\n script /bin/true\n}\n")
    main = tmp_path / "etc" / "keepalived" / "keepalived.conf"
    main.write_text("include /etc/keepalived/conf.d/*.conf\nvrrp_instance VI_1 {\n track_script {\n  chk\n }\n}\n")
    result = lint(main, root=str(tmp_path))
    assert codes_at(result) == []


def test_fragments_of_a_directory_are_not_roots(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "vi.conf").write_text("vrrp_instance VI_1 {\n track_script {\n  chk\n }\n}\n")
    (tmp_path / "keepalived.conf").write_text(
        "vrrp_script chk {\n script /bin/true\n}\ninclude conf.d/*.conf\n"
    )
    result = Linter().lint_paths([str(tmp_path)])
    assert [c.path for c in result.configs] == [str(tmp_path / "keepalived.conf")]
    assert codes_at(result) == []


def test_parameters_and_conditionals(tmp_path: Path) -> None:
    main = tmp_path / "k.conf"
    main.write_text(
        "$PRIO=150\n"
        "@lb1 priority $PRIO\n"
        "@^lb1 priority 100\n"
        "$MULTI=a 1 \\\n"
        "  b 2\n"
        "$MULTI\n"
        "name ${PRIO}x\n"
    )
    assert tree_words(main, config_id="lb1") == [["priority", "150"], ["a", "1"], ["b", "2"], ["name", "150x"]]
    assert tree_words(main, config_id=None) == [["priority", "100"], ["a", "1"], ["b", "2"], ["name", "150x"]]


def test_file_naming_ids_is_linted_once_per_id(tmp_path: Path) -> None:
    main = tmp_path / "k.conf"
    main.write_text(
        "vrrp_script chk_a {\n script /bin/true\n}\n"
        "vrrp_instance VI_1 {\n track_script {\n@lb1  chk_a\n@lb2  chk_b\n }\n}\n"
    )
    result = lint(main)
    found = sorted((d.code, d.config_id) for d in result.diagnostics if d.code in INCLUDE_CODES)
    assert found == [("KA201", "lb2"), ("KA202", "lb2")]
    only = lint(main, config_ids=("lb1",))
    assert codes_at(only) == []


def test_seq_generator(tmp_path: Path) -> None:
    main = tmp_path / "k.conf"
    main.write_text("~SEQ(i, 2) item $i\n~LST(n, x, y) name $n\n")
    assert tree_words(main) == [["item", "1"], ["item", "2"], ["name", "x"], ["name", "y"]]


def test_definition_lines_as_the_vrrp_process_reads_them(tmp_path: Path) -> None:
    # A comment-only line ends a multi-line definition (the VRRP process reads an empty
    # line there), unless the line ends with `\`; `$X = 1` (blank before `=`) is no
    # definition. Each checked against keepalived 2.2.7.
    main = tmp_path / "k.conf"
    main.write_text("$A=one 1 \\\n# note\ntwo 2\n$B=three 3 \\\n# note \\\nfour 4\n$A\n$B\n$C = 5\n")
    assert tree_words(main) == [["two", "2"], ["one", "1"], ["three", "3"], ["four", "4"], ["$C", "=", "5"]]


def test_pieces_of_an_expanded_name_map_into_the_line_that_uses_it(tmp_path: Path) -> None:
    # `$B` expands to more text than its two characters, with braces keepalived splits
    # into lines of their own: each piece's offset in the expanded text is no offset in
    # the file, and added to the use's position it ran into the lines below.
    main = tmp_path / "k.conf"
    main.write_text("$B=x_${N}_y { state BACKUP }\n\n$B\n# a comment\nglobal_defs {\n}\n")
    expansion = expand.expand(source.load(str(main)))
    lines = expansion.text.split("\n")
    used = [at for at, text in enumerate(lines, 1) if "state" in text or text in ("{", "}") or "x_" in text]
    assert len(used) >= 4
    for at in used[:-2]:  # (the last two: global_defs's own braces)
        assert expansion.span(at, 0, at, len(lines[at - 1])).line == 3


def test_a_span_across_lines_of_one_expanded_name_never_ends_before_it_starts(tmp_path: Path) -> None:
    main = tmp_path / "k.conf"
    main.write_text("$B= \\\nx.1 { \\\n  state BACKUP \\\n}\n\n$B\n")
    expansion = expand.expand(source.load(str(main)))
    last = expansion.text.count("\n") + 1
    for start in range(1, last + 1):
        for end in range(start, last + 1):
            span = expansion.span(start, 5, end, 0)
            assert (span.end_line, span.end_column) >= (span.line, span.column), (start, end, span)


def test_messages_name_lines_of_the_files_not_of_the_expanded_text(tmp_path: Path) -> None:
    # Included lines come before the main file's later lines in the expanded text, so
    # its line numbers are neither file's.
    (tmp_path / "scripts.conf").write_text("! scripts\nvrrp_script chk {\n  script /bin/true\n}\n")
    main = tmp_path / "k.conf"
    main.write_text(
        "include scripts.conf\n"
        "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n  priority 100\n"
        "  track_script {\n    chk_later\n  }\n}\n"
        "vrrp_script chk_later {\n  script /bin/true\n}\n"
        "bogus_block {\n  a 1\n  b 2\n}\n"
    )
    by_code = {d.code: d for d in lint(main).diagnostics}
    assert "defined only at line 10," in by_code["KA213"].message
    cascade = by_code["KA101"]
    assert cascade.span.line == 13 and "up to line 16 " in cascade.message, cascade.message
    (tmp_path / "late.conf").write_text("! late\nvrrp_script chk_later {\n  script /bin/true\n}\n")
    main.write_text(main.read_text().replace("vrrp_script chk_later {\n  script /bin/true\n}\n", "include late.conf\n"))
    later = next(d for d in lint(main).diagnostics if d.code == "KA213")
    assert f"defined only at line 2 of {tmp_path / 'late.conf'}," in later.message, later.message


def test_a_word_of_an_expanded_name_stays_on_the_line_that_uses_it(tmp_path: Path) -> None:
    main = tmp_path / "k.conf"
    main.write_text("$X=zzz_unknown_keyword_long_name 1\n$X\nglobal_defs {\n  router_id a\n}\n")
    unknown = next(d for d in lint(main).diagnostics if d.code == "KA101")
    assert (unknown.span.line, unknown.span.end_line) == (2, 2), unknown.span
