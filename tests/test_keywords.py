"""The keyword schema, the KA1xx rules beyond their fixtures, and agreement with keepalived."""

from __future__ import annotations

import sys
from types import ModuleType

from click.testing import CliRunner

from conftest import REPO, require_shared
from kalint.cli import main
from kalint.diagnostic import Severity
from kalint.engine import Linter, LintOptions
from kalint.model import keywords_data, schema


def lint_text(tmp_path, text: str, **options) -> list:
    path = tmp_path / "keepalived.conf"
    path.write_bytes(text.encode("utf-8"))
    return Linter(LintOptions(**options)).lint_paths([str(path)]).diagnostics


def _gen_schema() -> ModuleType:
    """tools/gen_schema.py, which is a script, not part of the package."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import gen_schema
    finally:
        sys.path.pop(0)
    return gen_schema


def test_keywords_data_agrees_with_the_hand_table() -> None:
    """keywords_data.py is what tools/gen_schema.py makes of its hand table.

    The tool needs keepalived's git history, so CI cannot rerun it; this catches an edit
    of one file without the other. Paths, releases and aliases come from the source and
    are checked where the tool runs (``--check``).
    """
    gen_schema = _gen_schema()
    current = [row._asdict() for row in keywords_data.KEYWORDS]
    checked = tuple(name for name, *_ in gen_schema.FIELDS if name not in gen_schema.FROM_SOURCE)
    assert gen_schema.differences(gen_schema.hand_rows(), current, checked) == []
    assert keywords_data.VERSIONS == tuple(tag.lstrip("v") for tag in gen_schema.TAGS)
    in_227 = [s for s in schema.SPECS.values() if not schema.newer_than(s, "2.2.7")]
    assert len(in_227) == 501 and len(schema.SPECS) == 521


def test_keywords_data_is_what_the_tool_writes() -> None:
    """Rendering the current rows again gives the file byte for byte (no hand edits)."""
    gen_schema = _gen_schema()
    rows = [row._asdict() for row in keywords_data.KEYWORDS]
    text = (REPO / "kalint" / "model" / "keywords_data.py").read_text(encoding="utf-8")
    assert gen_schema.render(rows, keywords_data.VERSIONS) == text


def test_schema_api() -> None:
    priority = schema.keyword("vrrp_instance.priority")
    assert priority is not None and (priority.min, priority.max) == (1, 255)
    assert schema.keyword(["vrrp_script", "weight"]).min == -253
    assert schema.keyword("track_file.weight").min == -254
    assert schema.keyword("virtual_server.real_server.weight").max == 2147483647
    assert "auth_type" in schema.block_keywords("vrrp_instance.authentication")
    assert schema.keyword("vrrp_instance.virtual_ipaddress").kind == "list"
    assert schema.keyword("vrrp_track_process.weight").duplicate == "unset0"
    assert schema.keyword("vrrp_instance.notify_master").duplicate == "first"
    assert schema.keyword("track_process") is None  # only vrrp_track_process at the root
    assert {s.parent for s in schema.locations("auth_type")} == {"vrrp_instance.authentication"}
    assert schema.keyword("bfd_instance.hoplimit").alias_of == "bfd_instance.ttl"
    assert schema.keyword("vrrp_track_file").alias_of == "track_file"
    assert priority.name == "priority" and priority.parent == "vrrp_instance"


def test_target_version_flags_newer_keywords(tmp_path) -> None:
    text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    no_virtual_ipaddress\n}\n"
    old = lint_text(tmp_path, text, target_version="2.2.7")
    assert [(d.code, d.span.line) for d in old if d.code == "KA107"] == [("KA107", 4)]
    assert not [d for d in lint_text(tmp_path, text) if d.code == "KA107"]
    assert not [d for d in lint_text(tmp_path, text, target_version="2.2.8") if d.code == "KA107"]


def test_repeated_identical_line_gets_a_safe_fix(tmp_path) -> None:
    text = "vrrp_instance VI_1 {\n    priority 100\n    priority 100\n    priority 90\n}\n"
    found = [d for d in lint_text(tmp_path, text) if d.code == "KA105"]
    assert [d.span.line for d in found] == [3, 4]
    fixed = found[0].fix
    assert fixed is not None and fixed.safe
    (edit,) = fixed.edits
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column, edit.text) == (3, 1, 4, 1, "")
    assert found[1].fix is None
    assert "uses this one (`90`)" in found[1].message


def test_state_master_wins_whatever_the_order(tmp_path) -> None:
    text = "vrrp_instance VI_1 {\n    state MASTER\n    state BACKUP\n}\n"
    (found,) = [d for d in lint_text(tmp_path, text) if d.code == "KA105"]
    assert "`MASTER` from line 2" in found.message


def test_unknown_block_is_one_cascade_covering_every_displaced_line(tmp_path) -> None:
    text = ("vrrp_instance VI_1 {\n    track_scirpt {\n        chk\n    }\n    priority 100\n}\n"
            "vrrp_instance VI_2 {\n    priority 90\n}\n")
    found = [d for d in lint_text(tmp_path, text) if d.code.startswith("KA10")]
    assert [(d.code, d.span.line, d.span.end_line) for d in found] == [("KA101", 2, 6)]
    assert "did you mean `track_script`" in (found[0].help or "")


def test_byte_order_mark_is_one_cascade(tmp_path) -> None:
    text = "\ufeffglobal_defs {\n    router_id a\n    script_user root\n}\nvrrp_instance VI_1 {\n    priority 1\n}\n"
    found = [d for d in lint_text(tmp_path, text) if d.code in ("KA101", "KA010")]
    assert sorted((d.code, d.span.line) for d in found) == [("KA010", 1), ("KA101", 1)]
    (cascade,) = [d for d in found if d.code == "KA101"]
    assert cascade.span.end_line == 4


def test_list_blocks_and_include_are_not_keywords(tmp_path) -> None:
    (tmp_path / "part.conf").write_text("    priority 100\n")
    text = ("vrrp_instance VI_1 {\n    include part.conf\n    unicast_peer {\n        192.0.2.2\n    }\n"
            "    virtual_ipaddress { 192.0.2.10/24 }\n}\n")
    assert not [d for d in lint_text(tmp_path, text) if d.code.startswith("KA10")]


def test_rule_command_shows_documentation() -> None:
    result = CliRunner().invoke(main, ["rule", "KA101"])
    assert result.exit_code == 0
    assert "unknown-keyword" in result.output and "Bad:" in result.output and "Good:" in result.output
    listing = CliRunner().invoke(main, ["rules"])
    assert all(f"KA10{n}" in listing.output for n in range(1, 8))


def test_corpus_agreement_with_keepalived() -> None:
    """Coverage of keepalived's `Unknown keyword` lines and no false errors (see tools/)."""
    shared = require_shared("corpus", "oracle_full.jsonl").parents[1]
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import corpus_agreement
    finally:
        sys.path.pop(0)
    report = corpus_agreement.measure(str(shared))
    # `\#` in a section a child process parses is a comment there (keepalived's conf copy
    # drops the escape): KA110 reports it, spanning the block whose `{` it cuts off.
    assert not report.uncovered, report.uncovered
    assert not report.false_errors, report.false_errors
    assert report.unknown_total > 500 and report.accepted_files > 200
    assert not report.crashes, report.crashes


def test_stored_oracle_matches_live_keepalived_on_the_samples(keepalived: str) -> None:
    """The stored oracle is what this keepalived says (checked live on the 25 samples)."""
    shared = require_shared("corpus", "samples").parents[1]
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import corpus_agreement
    finally:
        sys.path.pop(0)
    stored = dict(corpus_agreement.oracle(str(shared), live=False))
    for name in sorted(stored):
        if name.startswith("samples/"):
            live = corpus_agreement.run_keepalived(str(shared / "corpus" / name))
            unknown = [line for line in live.splitlines() if "Unknown keyword" in line]
            assert unknown == [line for line in stored[name].splitlines() if "Unknown keyword" in line], name


# Core fixes found by the corpus agreement (each was a disagreement with keepalived -t).

def test_comment_line_does_not_end_a_multiline_definition(tmp_path) -> None:
    text = ("$VS= \\\nvrrp_instance VI_1 { \\\n# a comment \\\n    interface eth0 \\\n"
            "    virtual_router_id 5 \\\n}\n\n$VS\n")
    assert not [d for d in lint_text(tmp_path, text) if d.severity == Severity.ERROR]


def test_random_builtin_expands_to_a_value_keepalived_may_pick(tmp_path) -> None:
    text = "virtual_server 192.0.2.1 80 {\n    delay_loop ${_RANDOM 1 10}\n}\n"
    assert not [d for d in lint_text(tmp_path, text) if d.code == "KA104"]


def test_no_break_space_is_a_word_character(tmp_path) -> None:
    text = "vrrp_instance VI_1 {\n\u00a0 priority 100\n}\n"
    (found,) = [d for d in lint_text(tmp_path, text) if d.code == "KA101"]
    assert found.span.line == 2 and "U+00A0" in found.message


def test_weight_kept_after_a_default_first_value(tmp_path) -> None:
    text = "track_file tf {\n    file /run/tf\n    weight 1\n    weight -20\n    weight 10\n}\n"
    found = [d for d in lint_text(tmp_path, text) if d.code == "KA105"]
    assert [d.span.line for d in found] == [4, 5]
    assert "uses this one (`-20`)" in found[0].message and "`-20` from line 4" in found[1].message


def test_value_kinds_follow_the_target_release(tmp_path) -> None:
    """keepalived read vrrp_script interval/timeout with read_unsigned_strvec() before 2.3.2
    (2.2.7 `-t`: "invalid number '.2'", "interval '.2' must be between 1 and 4294") and
    took no value for vrrp_strict before 2.3.0 (`vrrp_strict false` turns it on)."""
    text = ("global_defs {\n    vrrp_strict false\n}\n"
            "vrrp_script chk {\n    script /bin/true\n    interval .2\n    timeout 2\n}\n")
    old = [(d.code, d.span.line) for d in lint_text(tmp_path, text, target_version="2.2.7") if d.code in ("KA103", "KA104")]
    assert old == [("KA103", 2), ("KA104", 6)]
    for newer in ("2.3.2", None):
        assert not [d for d in lint_text(tmp_path, text, target_version=newer) if d.code in ("KA103", "KA104")]
    assert not [d for d in lint_text(tmp_path, text.replace(".2", "2"), target_version="2.2.7") if d.code == "KA104"]


def test_for_version_applies_the_oldest_matching_change() -> None:
    spec = schema.keyword("vrrp_script.interval")
    assert spec is not None and spec.older
    assert (schema.for_version(spec, "2.3.1").type, schema.for_version(spec, "2.3.2").type) == ("int", "decimal")
    assert schema.for_version(spec, None) is spec
    assert schema.changed_after(spec, "2.2.7") == "2.3.2" and schema.changed_after(spec, "2.3.4") is None
    strict = schema.for_version(schema.SPECS["global_defs.vrrp_strict"], "2.2.8")
    assert (strict.type, strict.nargs_max, strict.enum) == ("none", 0, ())


def test_gen_schema_compares_value_kinds_per_release() -> None:
    """--check reports a release whose handler reads a value unlike HAND says for it."""
    gen = _gen_schema()
    rows = [r for r in gen.hand_rows() if r["path"] in ("vrrp_script.interval", "global_defs.vrrp_strict")]
    agree = {"2.2.7": {"vrrp_script.interval": gen.Reading("int", 0, 4294)},
             "2.3.4": {"vrrp_script.interval": gen.Reading("decimal", 0, 4294),
                       "global_defs.vrrp_strict": gen.Reading("bool")}}
    assert gen.value_problems(rows, agree) == []
    differ = {"2.2.7": {"vrrp_script.interval": gen.Reading("decimal", 0, 4294), "global_defs.vrrp_strict": gen.Reading("bool")},
              "2.3.4": {"vrrp_script.interval": gen.Reading("decimal", 1, 4294)}}
    assert sorted(p.split("'")[0] for p in gen.value_problems(rows, differ)) == [
        "global_defs.vrrp_strict: 2.2.7", "global_defs.vrrp_strict: 2.3.4", "vrrp_script.interval: 2.2.7",
        "vrrp_script.interval: 2.3.4"]


def test_lenient_readers_use_the_leading_number() -> None:
    """read_*_func with ignore_error, outside -t: the in-range leading part is used
    (checked with keepalived 2.2.7 -d: rise 3O -> 3, weight -2O -> -2, preempt_delay 5s -> 5e-06)."""
    from kalint.model.numbers import lenient_value
    spec = schema.SPECS
    assert lenient_value(spec["vrrp_script.rise"], "3O") == 3
    assert lenient_value(spec["vrrp_script.rise"], "x") is None  # 0 is below rise's minimum
    assert lenient_value(spec["vrrp_script.weight"], "-2O") == -2
    assert lenient_value(spec["vrrp_script.weight"], "high") == 0
    assert lenient_value(spec["vrrp_instance.preempt_delay"], "5s") == 5e-06
    assert lenient_value(spec["vrrp_instance.preempt_delay"], "1.5s") == 1.5e-05
    assert lenient_value(spec["vrrp_instance.preempt_delay"], "-5s") is None
    assert lenient_value(spec["vrrp_instance.priority"], "1OO") is None  # read with ignore_error false


def test_script_timing_follows_the_target_release(tmp_path) -> None:
    """Before 2.3.2 a running keepalived takes `interval 0.5` as 0 -> 1 s ("setting to 1",
    checked with 2.2.7 -d for `.2`), so a 1 s timeout does not exceed it; since 2.3.2 it does."""
    text = 'vrrp_script chk {\n    script "/bin/true"\n    interval 0.5\n    timeout 1\n}\n'
    assert not [d for d in lint_text(tmp_path, text, target_version="2.2.7") if d.code == "KA604"]
    assert [d.span.line for d in lint_text(tmp_path, text, target_version="2.3.2") if d.code == "KA604"] == [4]
