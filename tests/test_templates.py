"""Templates in raw mode (kalint.templates): each engine's markup, branches, placeholders,
positions at the template's own lines, and the real templates of ../shared/corpus."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_dir
from kalint.diagnostic import Diagnostic
from kalint.engine import Linter, LintOptions
from kalint.settings import Resolver
from kalint.templates import detect

INSTANCE_TAIL = """\
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.0.2.10
    }
}
"""


def lint(tmp_path: Path, name: str, text: str, template: str | None = None) -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(text)
    linter = Linter(LintOptions(settings=Resolver(isolated=True), template=template, jobs=1))
    result = linter.lint_paths([str(path)])
    assert result.errors == []
    return result.diagnostics


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in diagnostics if d.code != "KA303"]


# -- a placeholder is unknown, the literal parts are still checked ----------------------


@pytest.mark.parametrize(("name", "value"), [
    ("a.conf.j2", "{{ prio }}"),
    ("a.conf.erb", "<%= @prio %>"),
    ("a.tmpl", "{{ .Prio }}"),
    ("a.tpl", "${prio}"),
])
def test_placeholder_value_is_unknown_but_a_typo_beside_it_is_found(tmp_path: Path, name: str, value: str) -> None:
    text = f"vrrp_instance VI_1 {{\n    state BACKUP\n    priority {value}\n    advert_intx {value}\n{INSTANCE_TAIL}"
    if name == "a.tpl":
        text = "%{if x}\n%{endif}\n" + text.replace("vrrp_instance VI_1", "\nvrrp_instance VI_1", 0)
    line = text.splitlines().index(f"    advert_intx {value}") + 1
    assert found(lint(tmp_path, name, text)) == [("KA101", line, 5)]


def test_plain_config_with_the_same_text_is_not_a_template(tmp_path: Path) -> None:
    text = f"vrrp_instance VI_1 {{\n    state BACKUP\n    priority {{{{ prio }}}}\n{INSTANCE_TAIL}"
    assert ("KA002", 3, 15) in found(lint(tmp_path, "a.conf", text, template="none"))
    assert found(lint(tmp_path, "a.conf", text)) == []  # detected by content


def test_placeholder_keyword_and_name_hide_what_depends_on_them(tmp_path: Path) -> None:
    text = (
        "vrrp_script {{ item.name }} {\n    script \"/bin/true\"\n}\n"
        "vrrp_instance {{ name }} {\n    {{ extra_options }}\n    state BACKUP\n"
        "    track_script {\n        chk_missing\n    }\n" + INSTANCE_TAIL
    )
    codes = {c for c, _, _ in found(lint(tmp_path, "a.conf.j2", text))}
    assert not codes & {"KA101", "KA201", "KA202", "KA208"}


def test_undefined_script_is_found_when_every_name_is_literal(tmp_path: Path) -> None:
    text = (
        "vrrp_script chk_haproxy {\n    script \"/bin/true\"\n}\n"
        "vrrp_instance VI_1 {\n    state {{ state }}\n    track_script {\n        chk_haproxi\n    }\n" + INSTANCE_TAIL
    )
    assert ("KA201", 7, 9) in found(lint(tmp_path, "a.conf.j2", text))


# -- branches ---------------------------------------------------------------------------


def test_finding_in_a_branch_names_its_condition(tmp_path: Path) -> None:
    text = (
        "vrrp_instance VI_1 {\n{% if keepalived_legacy %}\n    lvs_sync_daemon_interface eth0\n{% else %}\n"
        "    advert_intx 1\n{% endif %}\n    state BACKUP\n" + INSTANCE_TAIL
    )
    by_code = {d.code: d for d in lint(tmp_path, "a.conf.j2", text)}
    assert by_code["KA106"].span.line == 3
    assert by_code["KA106"].message.endswith("(when `if keepalived_legacy` is true)")
    assert by_code["KA101"].span.line == 5
    assert by_code["KA101"].message.endswith("(when `if keepalived_legacy` is false)")


def test_keyword_missing_only_when_an_optional_branch_is_left_out_is_not_reported(tmp_path: Path) -> None:
    text = "vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 5\n    priority 100\n" \
           "{% if vip %}\n    virtual_ipaddress {\n        192.0.2.1\n    }\n{% endif %}\n}\n"
    assert "KA315" not in {c for c, _, _ in found(lint(tmp_path, "a.conf.j2", text))}


def test_markup_inside_a_word_keeps_it_one_word(tmp_path: Path) -> None:
    text = "vrrp_instance VI_{% if master %}1{% else %}2{% endif %} {\n    state BACKUP\n" + INSTANCE_TAIL
    assert found(lint(tmp_path, "a.conf.j2", text)) == []


def test_many_branches_are_bounded(tmp_path: Path) -> None:
    options = "".join(f"{{% if o{i} %}}\n    garp_master_delay {i}\n{{% endif %}}\n" for i in range(40))
    text = "vrrp_instance VI_1 {\n    state BACKUP\n" + options + INSTANCE_TAIL
    start = time.perf_counter()
    diagnostics = lint(tmp_path, "a.conf.j2", text)
    assert time.perf_counter() - start < 1.0
    # every branch linted: each repeated keyword after the first is seen
    assert {d.span.line for d in diagnostics if d.code == "KA105"} == {3 + 3 * i + 1 for i in range(1, 40)}


# -- each engine's markup ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [
    ("jinja.conf.j2", "#jinja2: trim_blocks: False\n{# a comment { #}\nvrrp_instance VI_1 {\n"
     "{%- if x -%}\n    state {{ s }}\n{%- endif %}\n{% raw %}\n{% endraw %}\n"
     "{% macro m(x) %}\n}}} {{ x }}\n{% endmacro %}\n{% set y = 1 %}\n" + INSTANCE_TAIL),
    ("chef.conf.erb", "<%# a comment { %>\nvrrp_instance VI_1 {\n<% if @x -%>\n    state <%= @s %>\n<% elsif @y %>\n"
     "    state BACKUP\n<% else -%>\n    state MASTER\n<% end -%>\n<% @ips.each do |ip| %>\n    # <%= ip %>\n<% end %>\n"
     + INSTANCE_TAIL),
    ("go.tmpl", "{{/* a comment { */}}\nvrrp_instance VI_1 {\n{{- if .X }}\n    state {{ .S }}\n{{- else if .Y }}\n"
     "    state BACKUP\n{{ else }}\n    state MASTER\n{{ end }}\n{{ range $i, $v := .L }}\n{{ end }}\n{{ $x := 1 }}\n"
     + INSTANCE_TAIL),
    ("twostage.tmpl", "{{`{{ if .X }}\nvrrp_instance VI_1 {\n    state {{ .S }}\n" + INSTANCE_TAIL + "{{ end }}`}}\n"),
    ("mustache.conf", "{{#instances}}\nvrrp_instance {{name}} {\n{{^state}}\n    state BACKUP\n{{/state}}\n"
     + INSTANCE_TAIL + "{{/instances}}\n"),
    ("terraform.tmpl", "vrrp_instance VI_1 {\n    state ${state}\n%{if x}\n    nopreempt\n%{ else }\n    preempt_delay 5\n"
     "%{endif}\n" + INSTANCE_TAIL),
    ("sed.tmpl", "vrrp_instance _name_ {\n    state _state_\n    priority _priority_\n    interface eth0\n"
     "    virtual_router_id _vrid_\n    virtual_ipaddress {\n        192.0.2.1\n    }\n}\n"),
])
def test_each_engine_markup_is_silent(tmp_path: Path, name: str, text: str) -> None:
    assert found(lint(tmp_path, name, text)) == []


@pytest.mark.parametrize(("name", "text", "engine"), [
    ("a.conf.j2", "{% if x %}{% endif %}", "jinja2"),
    ("a.conf", "{% if x %}{% endif %}", "jinja2"),
    ("a.conf.erb", "<% if x %><% end %>", "erb"),
    ("a.tmpl", "{{ .X }}", "go"),
    ("a.tmpl", "${x}\n%{if y}%{endif}", "dollar"),
    ("a.conf", "{{#x}}{{/x}}", "mustache"),
    ("a.conf", "vrrp_instance VI_1 { state ${X} }", None),
    ("a.conf", "vrrp_instance VI_1 {# not a comment to keepalived", None),
    ("a.conf.j2", "vrrp_instance VI_1 { }", None),
    ("a.conf", "# {{ ansible_managed }}\nvrrp_instance VI_1 {\n    #vrrp_mcast_group4 224.0.0.{{VRID}}\n}", None),
    ("a.conf.j2", "{# comment #}\nvrrp_instance VI_1 { }", "jinja2"),
    ("a.conf", "global_defs {\n    router_id {{ name }}\n}\n", "jinja2"),
    # a run of braces is a brace problem of a plain config (a typo, or hostile input)
    ("a.conf", "vrrp_instance VI_1 {{\n}\n", None),
    ("a.conf", "{" * 5000, None),
    ("a.conf", "{%" * 5000 + "\n", None),
    ("a.conf", "{{" * 5000 + "\n}}", None),
])
def test_detection(name: str, text: str, engine: str | None) -> None:
    assert detect.detect(name, text) == engine


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="{}%#\nx", max_size=30))
def test_markup_is_found_as_the_regular_expressions_found_it(text: str) -> None:
    """The linear searches of template markup agree with the regular expressions they
    replaced, which took minutes on a long line of braces."""
    import re

    assert detect._expression_on_a_line(text) == bool(re.search(r"\{\{[^\n]*?\}\}", text))
    tag = re.search(r"\{%.*?%\}|\{#.*?#\}", text, re.DOTALL)
    assert (detect._closed_after("{%", "%}", text) or detect._closed_after("{#", "#}", text)) == bool(tag)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="{}%#<\nx", max_size=30))
def test_the_quick_check_for_markup_finds_each_engine_s_marks(text: str) -> None:
    """One regular expression and a search for `%` find what searching for each mark
    found: ``{{``, ``{%``, ``{#``, ``<%`` or ``%{``."""
    assert detect._has_marks(text) == any(mark in text for mark in ("{{", "{%", "{#", "<%", "%{"))


def test_per_file_template_setting(tmp_path: Path) -> None:
    (tmp_path / ".kalint.toml").write_text('template = "none"\n[per-file-template]\n"*.in" = "jinja2"\n')
    resolver = Resolver()
    assert resolver.template(str(tmp_path / "keepalived.conf.in")) == "jinja2"
    assert resolver.template(str(tmp_path / "keepalived.conf")) == "none"


def test_yaml_wrapper_lints_only_the_block_scalar(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  keepalived.conf: |\n    vrrp_instance {{ .Values.name }} {\n" \
           "      state BACKUP\n      advert_intx 1\n" + "".join("    " + line + "\n" for line in INSTANCE_TAIL.splitlines())
    assert found(lint(tmp_path, "configmap.yaml", text)) == [("KA101", 7, 7)]


def test_the_text_reporter_shows_the_template_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.conf.j2"
    path.write_text("vrrp_instance VI_1 {\n    advert_intx {{ x }}\n    state BACKUP\n" + INSTANCE_TAIL)
    result = Linter(LintOptions(settings=Resolver(isolated=True), jobs=1)).lint_paths([str(path)])
    assert result.sources[str(path)].line_text(2) == "    advert_intx {{ x }}"
    assert all(d.fix is None for d in result.diagnostics)


# -- the real templates -----------------------------------------------------------------


def corpus_templates() -> list[Path]:
    base = shared_dir()
    folder = base / "corpus" / "templates" if base else None
    if folder is None or not (folder / "MANIFEST.tsv").is_file():
        return []
    rows = (folder / "MANIFEST.tsv").read_text().splitlines()[1:]
    return [folder / row.split("\t")[0] for row in rows]


#: Codes that only template markup produced before kalint read templates.
MARKUP_CODES = {"KA001", "KA002", "KA003", "KA015", "KA021"}


@pytest.mark.parametrize("path", corpus_templates() or [None], ids=lambda p: p.name if p else "absent")
def test_corpus_template_has_no_markup_finding_and_is_fast(path: Path | None) -> None:
    if path is None:
        pytest.skip("../shared/corpus/templates is absent")
    linter = Linter(LintOptions(settings=Resolver(isolated=True), jobs=1))
    start = time.perf_counter()
    result = linter.lint_paths([str(path)])
    assert time.perf_counter() - start < 1.0
    assert result.errors == []
    assert [d for d in result.diagnostics if d.code in MARKUP_CODES or "\ue000" in d.message] == []


#: Defects in the literal parts of corpus templates, each checked by hand against the
#: template (and, for T74, against keepalived -t on its rendering).
LITERAL_DEFECTS = [
    ("T29-", "KA201", 22),  # track_script names chk_k8s, the vrrp_script is chk_haproxy
    ("T74-", "KA102", 30),  # vrrp_sync_group {{name}} without its `{`
    ("T44-", "KA104", 13),  # `interval interval {{ ... }}`
    ("T44-", "KA302", 19),  # state EQUAL
    ("T20-", "KA101", 108),  # `advert_int:` with a colon, in a branch
    ("T65-", "KA105", 49),  # notify given twice when .notify is set
]


@pytest.mark.parametrize(("prefix", "code", "line"), LITERAL_DEFECTS)
def test_corpus_literal_defects_are_found(prefix: str, code: str, line: int) -> None:
    paths = [p for p in corpus_templates() if p.name.startswith(prefix)]
    if not paths:
        pytest.skip("../shared/corpus/templates is absent")
    result = Linter(LintOptions(settings=Resolver(isolated=True), jobs=1)).lint_paths([str(paths[0])])
    assert (code, line) in {(d.code, d.span.line) for d in result.diagnostics}


def test_directory_walk_finds_role_templates(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "defaults").mkdir()
    (tmp_path / "defaults" / "main.yml").write_text("priority: 100\n")
    (tmp_path / "templates" / "vrrp_instance.conf.erb").write_text("vrrp_instance <%= @name %> {\n    advert_intx 1\n}\n")
    (tmp_path / "templates" / "notes.j2").write_text("Hello {{ name }}\n")
    result = Linter(LintOptions(settings=Resolver(isolated=True), jobs=1)).lint_paths([str(tmp_path)])
    assert {(Path(d.span.path).name, d.code) for d in result.diagnostics if d.code == "KA101"} == {
        ("vrrp_instance.conf.erb", "KA101")}


def test_format_leaves_templates_as_they_are(tmp_path: Path) -> None:
    from kalint.formatter import format_source
    from kalint.text import source

    path = tmp_path / "keepalived.conf.j2"
    path.write_text("vrrp_instance {{ name }} {\n{% if x %}\n  state MASTER\n{% endif %}\n}\n")
    outcome = format_source(source.load(str(path)))
    assert outcome.text is None and [d.code for d in outcome.problems] == ["KA950"]


def test_finding_that_needs_two_branches_names_both(tmp_path: Path) -> None:
    """Beyond MAX_COMBINATIONS the finding is confirmed on the text with just the branches
    it relates to; its message names each condition."""
    padding = "".join(f"{{% if o{i} %}}\n    garp_master_refresh {i}\n{{% endif %}}\n" for i in range(3))
    text = (
        "vrrp_instance VI_1 {\n    state BACKUP\n"
        "{% if notify_a %}\n    notify /usr/local/bin/a\n{% endif %}\n" + padding
        + "{% if notify_b %}\n    notify /usr/local/bin/b\n{% endif %}\n" + INSTANCE_TAIL
    )
    repeated = [d for d in lint(tmp_path, "a.conf.j2", text) if d.code == "KA105" and d.span.line == 16]
    assert len(repeated) == 1
    assert repeated[0].message.endswith("(when `if notify_b` is true and `if notify_a` is true)")


@pytest.mark.parametrize(("name", "text", "line"), [
    ("a.mustache", "vrrp_instance {{name}} {\n{{#legacy}}\n    advert_intx {{advert}}\n{{/legacy}}\n    state BACKUP\n"
     + INSTANCE_TAIL, 3),
    ("a.tmpl", "vrrp_instance _name_ {\n    state _state_\n    advert_intx _advert_\n" + INSTANCE_TAIL, 3),
    ("a.tmpl", "{{`vrrp_instance {{ .Name }} {\n    state BACKUP\n    advert_intx 1\n" + INSTANCE_TAIL + "`}}", 3),
    ("configmap.yaml", "data:\n  keepalived.conf: |\n    vrrp_instance {{ .Values.name }} {\n      advert_intx 1\n"
     "      state BACKUP\n    }\n", 4),
])
def test_literal_typo_found_in_every_engine(tmp_path: Path, name: str, text: str, line: int) -> None:
    assert ("KA101", line) in {(c, ln) for c, ln, _ in found(lint(tmp_path, name, text))}


def test_a_value_a_rule_quotes_is_unknown_when_it_is_a_placeholder(tmp_path: Path) -> None:
    """Rules that judge an address or number quote it in their message; when it is a
    placeholder (a VIP in strict mode, a group's fwmark, a virtual server's address) the
    finding is not known, while a literal mistake next to it still is."""
    text = """global_defs {
    vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        {{ vip }}
    }
}
virtual_server_group g {
    fwmark {{ mark }}
}
virtual_server {{ vs_ip }} 80 {
    protocol TCP
    lb_algo rr
    lb_kind NAT
    real_server 192.0.2.2 80 {
        TCP_CHECK {
        }
    }
}
virtual_server 192.0.2.300 80 {
    protocol TCP
}
"""
    codes = {(code, line) for code, line, _ in found(lint(tmp_path, "keepalived.conf.j2", text))}
    assert not {c for c in codes if c[0] in ("KA315", "KA511", "KA512")} - {("KA511", 24)}, codes
    assert ("KA511", 24) in codes  # the literal address is still judged
