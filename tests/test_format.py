"""The formatter engine: canonical layout, kept lines, refusals (kalint.formatter)."""

from __future__ import annotations

import pytest

from kalint.diagnostic import Severity
from kalint.formatter import Outcome, Style, format_source
from kalint.rules.ka9_kalint import FormatNote
from kalint.text.source import SourceFile, decode, line_break_of


def fmt(text: str, style: Style | None = None) -> Outcome:
    return format_source(SourceFile("t.conf", text, line_break_of(text)), style)


def formatted(text: str, style: Style | None = None) -> str:
    outcome = fmt(text, style)
    assert outcome.problems == [], outcome.problems
    assert outcome.text is not None
    again = fmt(outcome.text, style)
    assert again.text == outcome.text, "not idempotent"
    return outcome.text


def codes(outcome: Outcome) -> list[str]:
    return [d.code for d in outcome.problems]


def test_canonical_layout() -> None:
    text = (
        "\n\nglobal_defs {\n   router_id   LVS_1   \n}\nvrrp_instance VI_1\n{\n  state MASTER\n\n\n\n"
        "  virtual_ipaddress { 10.0.0.1/24   dev eth0 }\n  priority 100 }\nvrrp_script chk { script \"/bin/x  a\" }"
    )
    assert formatted(text) == (
        "global_defs {\n    router_id LVS_1\n}\n\n"
        "vrrp_instance VI_1 {\n    state MASTER\n\n"
        "    virtual_ipaddress {\n        10.0.0.1/24 dev eth0\n    }\n    priority 100\n}\n\n"
        "vrrp_script chk {\n    script \"/bin/x  a\"\n}\n"
    )


def test_blank_lines_after_open_and_before_close_are_dropped() -> None:
    text = "a {\n\n    b\n\n}\n\n\n\nc\n"
    assert formatted(text) == "a {\n    b\n}\n\nc\n"


def test_brace_moves_up_before_the_trailing_comment() -> None:
    assert formatted("vrrp_instance VI_1 # main\n\n{\n}\n") == "vrrp_instance VI_1 { # main\n}\n"
    assert formatted("vrrp_instance VI_1\n{ # main\n}\n") == "vrrp_instance VI_1 { # main\n}\n"


def test_brace_does_not_move_past_a_comment_line_or_onto_a_second_comment() -> None:
    assert formatted("a\n# about a\n{\n}\n") == "a\n# about a\n{\n}\n"
    assert formatted("a # one\n{ # two\n}\n") == "a # one\n{ # two\n}\n"


def test_comments_stay_in_place() -> None:
    text = "a {\n# own line\n  b   1 #trailing\n    ! kalint: ignore KA201\n  c \"x # y\" ! z\n}\n"
    assert formatted(text) == (
        "a {\n    # own line\n    b 1 #trailing\n    ! kalint: ignore KA201\n    c \"x # y\" ! z\n}\n"
    )


def test_comment_of_a_split_line_stays_on_its_first_piece() -> None:
    assert formatted("a { b } # c\n") == "a { # c\n    b\n}\n"


def test_indent_width_and_tabs() -> None:
    assert formatted("a {\nb {\nc\n}\n}\n", Style(indent_width=2)) == "a {\n  b {\n    c\n  }\n}\n"
    assert formatted("a {\nb\n}\n", Style(use_tabs=True)) == "a {\n\tb\n}\n"


def test_crlf_is_kept() -> None:
    assert formatted("a {\r\n  b  \r\n}\r\n") == "a {\r\n    b\r\n}\r\n"
    assert formatted("a {\r\nb\n}") == "a {\r\n    b\r\n}\r\n"


def test_final_newline_and_empty_file() -> None:
    assert formatted("a\n\n\n") == "a\n"
    assert formatted("# only\n") == "# only\n"


@pytest.mark.parametrize(
    "line",
    [
        "@node1   priority  100",
        "@^node1 state   BACKUP",
        "~SEQ(i, 1, 3)   track_interface   eth$i",
        "include   /etc/keepalived/*.conf",
        "state $STATE   x",
        "$NAME=a   { b }  \"c\"",
        "@lb1 virtual_ipaddress {   10.0.0.1 }",
        "include   {vrrp,lvs}/*.conf",
        "~SEQ(i,1,3) track_interface {  eth$i }",
        "a { } include x.conf",
        "notify \\\"a   b",
    ],
)
def test_lines_read_before_braces_are_kept_byte_for_byte(line: str) -> None:
    assert formatted(f"x {{\n   {line}  \n}}\n") == f"x {{\n    {line}\n}}\n"


def test_definition_continuations_are_untouched() -> None:
    text = "$BLOCK=a   1 \\\n  \t \n\t# inside\n   b  2 \\\n     c\nx {\n}\n"
    out = formatted(text)
    assert out == "$BLOCK=a   1 \\\n  \t \n\t# inside\n   b  2 \\\n     c\n\nx {\n}\n".replace("\n\nx", "\nx")


def test_empty_line_that_ends_a_definition_is_kept() -> None:
    text = "x {\n  $V=1 \\\n\n}\n"
    assert formatted(text) == "x {\n    $V=1 \\\n\n}\n"


def test_backslash_before_trailing_blank_is_kept() -> None:
    # `foo \ ` gives the words foo and \ ; without the blank keepalived reads foo\ .
    assert formatted("x {\n  foo \\ \n}\n") == "x {\n    foo \\ \n}\n"


@pytest.mark.parametrize(
    "text",
    [
        "@node1 vrrp_instance X {\n  state MASTER\n@node1 }\n",
        "x {\n  a { include x.conf\n}\n}\n",
        "y {\nx {\n  a } include x.conf\n}\n",
        "$N=1\nvrrp_instance VI_${N} {\n}\n",
        "$OPEN=vrrp_instance X {\n$OPEN\n}\n",
        "$OPEN=vrrp_instance X \\\n  {\n$OPEN\n}\n",
        "a \\q {\n}\n",
    ],
)
def test_braces_hidden_in_kept_lines_leave_the_file_untouched(text: str) -> None:
    outcome = fmt(text)
    assert outcome.text is None and not outcome.refused
    assert codes(outcome) == [FormatNote.code] and outcome.problems[0].severity == Severity.INFO


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\ufeffglobal_defs {\n}\n", "KA010"),
        ("global_defs {\r}\r", "KA013"),
        ("global_defs {\n router_id a\x00b\n}\n", "KA012"),
        ("a " + "x" * 1030 + "\n", "KA011"),
        ("a " + "é" * 600 + "\n", "KA011"),
        ("a {\n", "KA001"),
        ("a\n}\n", "KA001"),
        ("{\n}\n", "KA002"),
        ('a "b\n', "KA003"),
    ],
)
def test_refusals(text: str, code: str) -> None:
    outcome = fmt(text)
    assert outcome.text is None and outcome.refused
    assert code in codes(outcome)


def test_formatting_must_not_create_a_long_line() -> None:
    deep = "a {\n" * 1 + "b " + "x" * 1019 + "\n" + "}\n"
    outcome = fmt(deep)
    assert outcome.text is None and outcome.refused
    assert codes(outcome) == ["KA011"]


def test_undecodable_bytes_survive() -> None:
    text = decode(b"a {\n  b \xff\xfe  # \xb0\n}\n")
    assert formatted(text) == decode(b"a {\n    b \xff\xfe # \xb0\n}\n")


def test_quoted_strings_and_mid_word_quotes_are_verbatim() -> None:
    assert formatted('a  "x   y"   MAS"TE  R"  \'p  q\'\n') == 'a "x   y" MAS"TE  R" \'p q\'\n'


def test_escaped_comment_characters_are_ordinary_words() -> None:
    text = "vrrp_instance VI_1 {\n  notify   /bin/x\\#1   \\!y\n}\n"
    assert formatted(text) == "vrrp_instance VI_1 {\n    notify /bin/x\\#1 \\!y\n}\n"


@pytest.mark.parametrize("text", [
    "vrrp_instance   VI_\\#1 { state  \\!x }\n",
    "a {\n    track_script { chk\\#x }\n}\n",
    "a {\n    b {\n        c }\\!d\n}\n",
])
def test_escapes_beside_braces_leave_the_file_untouched(text: str) -> None:
    """Issue 23 row 13: keepalived's children re-read the unescaped `#`/`!` as a comment
    (see test_escape_beside_a_brace_is_read_twice), so no brace on such a line moves."""
    outcome = fmt(text)
    assert outcome.text is None and not outcome.refused
    assert codes(outcome) == [FormatNote.code]


@pytest.mark.parametrize("text", ["\n\ufeffa {\n}\n", "  \ufeffa {\n}\n"])
def test_blanks_before_a_byte_order_mark_stay(text: str) -> None:
    """Found by the layout mutations: dropping them made the file start with a BOM."""
    outcome = fmt(text)
    assert outcome.text is None and not outcome.refused and codes(outcome) == [FormatNote.code]


def test_a_brace_does_not_move_onto_a_line_with_an_escape() -> None:
    assert formatted("a x\\#y\n{\n  b\n}\n") == "a x\\#y\n{\n    b\n}\n"


def test_escape_beside_a_brace_is_read_twice(keepalived: str, tmp_path) -> None:
    """What row 13 rests on, checked with the real keepalived: `{ chk\\#x }` loses its `}`."""
    import subprocess

    conf = tmp_path / "keepalived.conf"
    body = "vrrp_script chk {\n    script /bin/true\n}\nvrrp_instance VI_1 {\n    interface eth0\n" \
           "    virtual_router_id 51\n    priority 100\n    track_script {chk\\#x}\n}\n"
    conf.write_text(body)
    result = subprocess.run([keepalived, "-t", "-f", str(conf)], capture_output=True, text=True, timeout=60)
    assert "1 missing '}'" in result.stderr
    conf.write_text(body.replace("{chk\\#x}", "{\n        chk\\#x\n    }"))
    result = subprocess.run([keepalived, "-t", "-f", str(conf)], capture_output=True, text=True, timeout=60)
    assert "missing '}'" not in result.stderr


@pytest.mark.parametrize("text", [
    "global_defs {\n    router_id lb1\r   \n}\n",
    "global_defs {\n  router_id a\rb  \n}\n",
    "# note\r\t\n",
    "$D=a \\\n   b \\\r   \n\n",
])
def test_a_lone_cr_inside_a_line_stays_stable(text: str) -> None:
    """Issue 23 row 14: trimming blanks must not leave a CR at a line's end, where keepalived
    (and the next run) drop it; such a line is kept as it is, indentation aside."""
    once = formatted(text)
    assert formatted(once) == once
    assert [line.strip(" \t") for line in once.split("\n") if "\r" in line] == [
        line.strip(" \t") for line in text.split("\n") if "\r" in line]


@pytest.mark.parametrize("text", ["$X=1\n$X{\n}\n", "$X=1\na {\n$X}\n"])
def test_a_brace_never_turns_a_name_into_a_parameter_use(text: str) -> None:
    # `$X{` is the keyword `$X`; cut at the brace, `$X` alone would be replaced by 1.
    outcome = fmt(text)
    assert outcome.text is None and not outcome.refused


def test_definition_at_the_end_of_the_file_gets_one_final_newline() -> None:
    assert formatted("$V=1 \\\n  2\n\n\n") == "$V=1 \\\n  2\n"
    assert formatted("$V=1 \\\n\n") == "$V=1 \\\n"


def test_format_text_is_what_the_language_server_calls() -> None:
    from kalint.formatter import FormatRefused, format_text

    assert format_text("a {\n b\n}") == "a {\n    b\n}\n"
    assert format_text("$N=1\nvrrp_instance VI_${N} {\n}\n") == "$N=1\nvrrp_instance VI_${N} {\n}\n"
    with pytest.raises(FormatRefused, match="KA001 line 1"):
        format_text("a {\n")
