"""Render mode (``--vars``): Jinja2 templates rendered with variables files, findings at
template lines, template errors as findings, renders of several hosts linted as peers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import shared_dir
from kalint.diagnostic import Diagnostic
from kalint.engine import Linter, LintOptions
from kalint.settings import Resolver
from kalint.text import source

pytest.importorskip("jinja2")
pytest.importorskip("yaml")

from kalint.templates import render  # noqa: E402  (needs jinja2)

TEMPLATE = """\
#jinja2: lstrip_blocks: True
global_defs {
    router_id {{ router_id }}
}
{% for inst in instances %}
vrrp_instance {{ inst.name }} {
    state {{ inst.state | default('BACKUP') }}
    interface {{ interface }}
    virtual_router_id {{ inst.vrid }}
    priority {{ inst.priority }}
    advert_int {{ advert }}
    {% if inst.track is defined %}
    track_script {
        {{ inst.track }}
    }
    {% endif %}
    virtual_ipaddress {
        {{ inst.vip }}
    }
}
{% endfor %}
"""

HOST_A = """\
router_id: lb1
interface: eth0
advert: 1
instances:
  - {name: VI_1, vrid: 51, priority: 300, vip: 192.0.2.10, track: chk_missing}
"""


def lint(tmp_path: Path, template: str, *hosts: str) -> list[Diagnostic]:
    path = tmp_path / "keepalived.conf.j2"
    path.write_text(template)
    specs = []
    for number, text in enumerate(hosts):
        vars_path = tmp_path / f"host{number}.yml"
        vars_path.write_text(text)
        specs.append(str(vars_path))
    linter = Linter(LintOptions(settings=Resolver(isolated=True), vars=tuple(specs), jobs=1))
    result = linter.lint_paths([str(path)])
    assert result.errors == []
    return result.diagnostics


def test_findings_of_the_rendering_are_at_template_lines(tmp_path: Path) -> None:
    found = {(d.code, d.span.line) for d in lint(tmp_path, TEMPLATE, HOST_A)}
    assert ("KA104", 10) in found  # priority 300, printed by line 10
    assert ("KA201", 14) in found  # chk_missing, printed by line 14


def test_undefined_variable_is_reported_once_and_linted_as_unknown(tmp_path: Path) -> None:
    diagnostics = lint(tmp_path, TEMPLATE, HOST_A.replace("advert: 1\n", ""))
    undefined = [d for d in diagnostics if d.code == "KA022"]
    assert [(d.span.line, "`advert`" in d.message) for d in undefined] == [(11, True)]
    assert not [d for d in diagnostics if d.span.line == 11 and d.code != "KA022"]


@pytest.mark.parametrize(("template", "code", "line"), [
    (TEMPLATE.replace("{{ inst.vip }}", "{{ inst.vip | no_such_filter }}"), "KA023", 18),
    (TEMPLATE.replace("{% endif %}", ""), "KA021", 21),
    (TEMPLATE.replace("{{ inst.priority }}", "{{ inst.priority + 'x' }}"), "KA023", 10),
])
def test_template_errors_are_findings(tmp_path: Path, template: str, code: str, line: int) -> None:
    assert (code, line) in {(d.code, d.span.line) for d in lint(tmp_path, template, HOST_A)}


def test_well_formed_template_and_complete_variables_are_silent(tmp_path: Path) -> None:
    host = HOST_A.replace("priority: 300", "priority: 100").replace(", track: chk_missing", "")
    assert [d for d in lint(tmp_path, TEMPLATE, host) if d.code in ("KA021", "KA022", "KA023")] == []


def test_sandbox_refuses_unsafe_attributes_and_files_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("s3cret")
    text = "global_defs {\n    router_id {{ router_id.__class__.__mro__ }}\n}\n{% include '../secret.txt' %}\n"
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "keepalived.conf.j2"
    path.write_text(text)
    rendered = render.render(source.load(str(path)), "host", {"router_id": "lb1"}, f"{path}#host")
    assert "class" not in rendered.source.text and "s3cret" not in rendered.source.text
    assert [d.code for d in rendered.problems] == ["KA023"]


def test_two_hosts_are_linted_as_peers(tmp_path: Path) -> None:
    host_b = HOST_A.replace("router_id: lb1", "router_id: lb2").replace("priority: 300", "priority: 100") \
        .replace(", track: chk_missing", "")
    host_a = host_b.replace("router_id: lb2", "router_id: lb1").replace("vrid: 51", "vrid: 52")
    diagnostics = lint(tmp_path, TEMPLATE, host_a, host_b)
    cluster = [d for d in diagnostics if d.code.startswith("KA4")]
    assert cluster and all(d.span.path.endswith("keepalived.conf.j2") for d in cluster)
    assert all(r.span.path.endswith("keepalived.conf.j2") for d in cluster for r in d.related)


def test_ansible_playbook_vars_and_later_files_win(tmp_path: Path) -> None:
    first = tmp_path / "a.yml"
    first.write_text("x: 1\ny: 1\n")
    second = tmp_path / "b.yml"
    second.write_text("- hosts: all\n  vars:\n    y: 2\n  roles:\n    - role: r\n      z: 3\n")
    variables, problems = render.load_vars(f"{first},{second}")
    assert (variables, problems) == ({"x": 1, "y": 2, "z": 3}, [])


# -- the mapping on every rendered corpus template -----------------------------------------


def corpus_renders() -> list[tuple[Path, str]]:
    base = shared_dir()
    folder = base / "corpus" / "templates" if base else None
    if folder is None or not (folder / "MANIFEST.tsv").is_file():
        return []
    rows = [row.split("\t") for row in (folder / "MANIFEST.tsv").read_text().splitlines()[1:]]
    return [(folder / r[0], ",".join(str(folder / v) for v in r[5].split(",")))
            for r in rows if r[4] == "jinja2" and r[5] != "-"]


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@pytest.mark.parametrize(("path", "spec"), corpus_renders() or [(None, "")],
                         ids=lambda v: v.name if isinstance(v, Path) else "")
def test_corpus_render_maps_each_line_to_the_template_line_that_printed_it(path: Path | None, spec: str) -> None:
    """Each rendered line's keyword is written on the template line it is mapped to, or
    that line prints it with markup; and every finding sits on a template line."""
    if path is None:
        pytest.skip("../shared/corpus/templates is absent")
    template = source.load(str(path))
    variables, _ = render.load_vars(spec)
    rendered = render.render(template, "host", variables, f"{path}#host")
    assert len(rendered.lines) == rendered.source.line_count
    for number, line in enumerate(rendered.source.text.split("\n"), start=1):
        words = line.split()
        if not words or words[0].startswith(("#", "!")) or not _WORD.fullmatch(words[0]):
            continue
        origin = template.line_text(rendered.lines[number - 1])
        assert words[0] in origin or "{{" in origin or "{%" in origin, (number, line, origin)
    linter = Linter(LintOptions(settings=Resolver(isolated=True), vars=(spec,), jobs=1))
    for diag in linter.lint_paths([str(path)]).diagnostics:
        assert diag.span.path == str(path) and 1 <= diag.span.line <= template.line_count


def test_cli_vars_and_template_options(tmp_path: Path) -> None:
    from clihelp import kalint, write

    template = write(tmp_path / "keepalived.conf.j2", TEMPLATE)
    host = write(tmp_path / "lb1.yml", HOST_A)
    run = kalint("check", "--isolated", "--format", "concise", str(template), "--vars", str(host))
    assert "keepalived.conf.j2:10:" in run.stdout and "KA104" in run.stdout
    plain = kalint("check", "--isolated", "--format", "concise", "--template", "none", str(template))
    assert "KA002" in plain.stdout


def test_variable_that_is_one_expression_keeps_its_type(tmp_path: Path) -> None:
    path = tmp_path / "keepalived.conf.j2"
    path.write_text("global_defs {\n{% for key, value in defs | dictsort %}\n    {{ key }} {{ value }}\n{% endfor %}\n}\n")
    variables = {"a": {"router_id": "lb1"}, "b": {"vrrp_version": 3}, "defs": "{{ a | combine(b) }}"}
    rendered = render.render(source.load(str(path)), "host", variables, f"{path}#host")
    assert rendered.source.text.split() == ["global_defs", "{", "router_id", "lb1", "vrrp_version", "3", "}"]
    assert rendered.lines[1:3] == [3, 3]  # both printed by the loop body
