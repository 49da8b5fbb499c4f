"""Render mode: a Jinja2 template rendered with variables files, and a map from every
rendered line back to the template line that printed it.

Rendering uses Jinja2 itself (the optional extra ``kalint[templates]``) in an immutable
sandbox: templates may load sibling templates from their own directory (``include``,
``import``) and nothing else; ``lookup``/``query`` return nothing; the common Ansible and
Salt filters are stubs that return a plausible value of the right kind. An undefined
variable renders as empty and is reported once (KA022); a syntax error is KA021, a
missing filter or an error while rendering KA023, at the template line.

Line map: before rendering, a marker naming the template line is put at the start of
every line that does not start inside a tag or with whitespace-stripping markup; after
rendering, each output line takes the template line of the last marker before its end.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from kalint.diagnostic import Diagnostic
from kalint.records import dataclass, field
from kalint.rule import Rule
from kalint.rules import ka0_templates as rules
from kalint.syntax.span import Span
from kalint.templates import markup
from kalint.templates.branches import PLACEHOLDER
from kalint.text.source import SourceFile

_MARK = "\ue0ff"
_MARK_RE = re.compile(_MARK + r"(\d+)" + _MARK)
_WHOLE_EXPRESSION = re.compile(r"\{\{(?!.*\{\{)(.*)\}\}", re.DOTALL)
_HEADER = re.compile(r"^#jinja2:(.*)$", re.MULTILINE)


class RenderUnavailable(Exception):
    """Jinja2 or PyYAML is not installed."""


@dataclass(slots=True)
class Rendered:
    """One rendering of a template: the text, where each of its lines comes from, problems."""

    template: SourceFile
    host: str
    source: SourceFile
    #: template line (1-based) of each rendered line (index 0 is rendered line 1)
    lines: list[int]
    problems: list[Diagnostic] = field(default_factory=list)

    def map_span(self, span: Span) -> Span:
        """A span of the rendered text at the template line that produced it."""
        line = self.lines[min(span.line, len(self.lines)) - 1] if self.lines else 1
        rendered = self.source.line_text(span.line)
        token = rendered[span.column - 1:span.end_column - 1] if span.end_line == span.line else ""
        text = self.template.line_text(line)
        found = text.find(token) if token.strip() else -1
        if found == -1:
            column = len(text) - len(text.lstrip()) + 1
            return Span(self.template.path, line, column, line, max(len(text) + 1, column + 1))
        return Span(self.template.path, line, found + 1, line, found + 1 + len(token))

    def map(self, diag: Diagnostic) -> Diagnostic:
        return map_back(diag, {self.source.path: self})


def map_back(diag: Diagnostic, renders: dict[str, Rendered]) -> Diagnostic:
    """A finding, and the places it relates to, at the template lines of the renderings
    they are in (a peer finding relates to another host's rendering)."""
    own = renders.get(diag.span.path)
    related = tuple(r.__class__(renders[r.span.path].map_span(r.span), r.message) if r.span.path in renders else r
                    for r in diag.related)
    # messages keep naming the rendering (`keepalived.conf.j2#lb1.yml`): it says which host
    return diag.with_(span=own.map_span(diag.span) if own else diag.span, related=related, fix=None,
                      message=re.sub(PLACEHOLDER + "+", "<undefined>", diag.message))


# -- variables --------------------------------------------------------------------------


def load_vars(spec: str) -> tuple[dict[str, Any], list[str]]:
    """``a.yml,b.yml``: the files' variables merged, later wins; and problems reading them."""
    try:
        import yaml
    except ImportError:
        raise RenderUnavailable("--vars needs PyYAML: pip install 'kalint[templates]'") from None
    merged: dict[str, Any] = {}
    problems = []
    for path in [p for p in spec.split(",") if p]:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle) if path.endswith(".json") else yaml.safe_load(handle)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            problems.append(f"{path}: cannot read variables ({exc})")
            continue
        merged.update(_variables_of(data))
    return merged, problems


def _variables_of(data: Any) -> dict[str, Any]:
    """A vars file is a mapping; an Ansible playbook (a list of plays) gives its plays'
    ``vars`` and its roles' parameters."""
    if isinstance(data, dict):
        return data
    found: dict[str, Any] = {}
    for play in data if isinstance(data, list) else []:
        if not isinstance(play, dict):
            continue
        found.update(play.get("vars") or {})
        for role in play.get("roles") or []:
            if isinstance(role, dict):
                found.update({k: v for k, v in role.items() if k not in ("role", "name", "when", "tags")})
    return found


# -- rendering --------------------------------------------------------------------------


def render(template: SourceFile, host: str, variables: dict[str, Any], rendered_path: str) -> Rendered:
    try:
        import jinja2
        from jinja2 import sandbox
    except ImportError:
        raise RenderUnavailable("--vars needs Jinja2: pip install 'kalint[templates]'") from None
    undefined: set[str] = set()
    problems: list[Diagnostic] = []
    options: dict[str, Any] = {"trim_blocks": True, "keep_trailing_newline": True, "finalize": _finalize}
    options.update(_header_options(template.text))
    env = sandbox.ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(os.path.dirname(os.path.abspath(template.path)) or "."),
        undefined=_recording_undefined(jinja2, undefined), **options,
    )
    env.filters.update(STUB_FILTERS)
    env.tests.update(STUB_TESTS)
    env.globals.update(_globals())
    text = ""
    try:
        compiled = env.from_string(_marked(template.text))
        text = compiled.render(**_resolved(env, variables))
    except jinja2.TemplateSyntaxError as exc:
        rule: type[Rule] = rules.TemplateRenderError if "filter" in str(exc) or "test" in str(exc) else rules.TemplateSyntax
        problems.append(_problem(rule, template, exc.lineno or 1, f"{exc.message or exc} (when rendered with {host})"))
    except Exception as exc:  # any error while rendering is a finding, never a traceback
        line = _template_line(exc)
        problems.append(_problem(rules.TemplateRenderError, template, line,
                                 f"rendering with {host} fails: {type(exc).__name__}: {exc}"))
    for name in sorted(undefined):
        line = _first_use(template.text, name)
        problems.append(_problem(rules.TemplateUndefined, template, line,
                                 f"`{name}` is not defined in {host}: kalint lints it as an unknown value"))
    clean, lines = _unmark(text)
    source = SourceFile(path=rendered_path, text=clean, template=template)
    return Rendered(template, host, source, lines, problems)


def _finalize(value: Any) -> Any:
    """Ansible prints None as nothing."""
    return "" if value is None else value


def _resolved(env: Any, variables: dict[str, Any], passes: int = 3) -> dict[str, Any]:
    """Variables whose values are templates themselves (``"{{ other }}"``), rendered as
    Ansible does when they are used."""
    def resolve(value: Any, context: dict[str, Any]) -> Any:
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            whole = _WHOLE_EXPRESSION.fullmatch(value.strip())
            try:
                if whole:  # Ansible keeps the type of a value that is one expression (a dict, a list)
                    result = env.compile_expression(whole.group(1))(**context)
                    return PLACEHOLDER * 3 if result is None or isinstance(result, env.undefined) else result
                return env.from_string(value).render(**context)
            except Exception:  # a value that does not render (facts of the host): unknown
                return PLACEHOLDER * 3
        if isinstance(value, dict):
            return {k: resolve(v, context) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, context) for v in value]
        return value

    for _ in range(passes):
        variables = {k: resolve(v, variables) for k, v in variables.items()}
    return variables


def _recording_undefined(jinja2: Any, names: set[str]) -> type:
    class Recording(jinja2.ChainableUndefined):
        """An undefined variable prints as a placeholder kalint lints as an unknown value."""

        __slots__ = ()

        def _record(self) -> str:
            name = self._undefined_name or "?"
            if self._undefined_obj is jinja2.utils.missing:
                names.add(name)
            return name

        def __str__(self) -> str:
            self._record()
            return PLACEHOLDER * 3

        def __iter__(self) -> Any:
            self._record()
            return iter(())

        def __bool__(self) -> bool:
            self._record()
            return False

    return Recording


def _header_options(text: str) -> dict[str, Any]:
    """``#jinja2: trim_blocks: False, lstrip_blocks: True`` (Ansible's first-line header)."""
    match = _HEADER.match(text)
    options: dict[str, Any] = {}
    if not match:
        return options
    for item in match.group(1).split(","):
        key, _, value = item.partition(":")
        key, value = key.strip(), value.strip()
        if key in ("trim_blocks", "lstrip_blocks", "keep_trailing_newline"):
            options[key] = value.lower() == "true"
    return options


def _marked(text: str) -> str:
    """The template with a line marker at every line start outside markup."""
    inside = bytearray(len(text) + 1)
    for tag in markup.scan(text, "jinja2"):
        inside[tag.start + 1:tag.end] = b"\1" * (tag.end - tag.start - 1)
    out = []
    start = 0
    for line, piece in enumerate(text.split("\n"), start=1):
        markable = not inside[start] and not piece.lstrip().startswith(("{%-", "{{-", "{#-")) \
            and not _HEADER.match(piece)
        out.append(f"{_MARK}{line}{_MARK}{piece}" if markable else piece)
        start += len(piece) + 1
    return "\n".join(out)


def _unmark(text: str) -> tuple[str, list[int]]:
    """The rendered text without markers, and the template line of each of its lines: the
    last marker before the line's first printed character."""
    lines: list[int] = []
    clean: list[str] = []
    current = 1
    for piece in text.split("\n"):
        line = None
        for match in _MARK_RE.finditer(piece):
            if _MARK_RE.sub("", piece[:match.start()]).strip():
                break
            line = int(match.group(1))
        lines.append(line if line is not None else current)
        marks = _MARK_RE.findall(piece)
        if marks:
            current = int(marks[-1])
        clean.append(_MARK_RE.sub("", piece))
    return "\n".join(clean), lines


def _template_line(exc: BaseException) -> int:
    """The template line Jinja2 put in the traceback of an error while rendering."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _first_use(text: str, name: str) -> int:
    match = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _problem(rule: type[Rule], template: SourceFile, line: int, message: str) -> Diagnostic:
    text = template.line_text(line)
    column = len(text) - len(text.lstrip()) + 1
    return rule.finding(Span(template.path, line, column, line, max(len(text) + 1, column + 1)), message)


# -- stubs ------------------------------------------------------------------------------


def _same(value: Any, *args: Any, **kwargs: Any) -> Any:
    return value


def _text(value: Any, *args: Any, **kwargs: Any) -> str:
    return "" if value is None else str(value)


def _boolean(value: Any, *args: Any, **kwargs: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on", "y")


def _ternary(value: Any, yes: Any = True, no: Any = False, none: Any = None) -> Any:
    return yes if value else no


def _combine(*dicts: Any, **kwargs: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for item in dicts:
        for d in item if isinstance(item, list) else [item]:
            if isinstance(d, dict):
                merged.update(d)
    return merged


def _dict2items(value: Any, key_name: str = "key", value_name: str = "value") -> list[dict[str, Any]]:
    return [{key_name: k, value_name: v} for k, v in (value or {}).items()] if isinstance(value, dict) else []


def _flatten(value: Any, *args: Any, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    for item in value or []:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _regex_replace(value: Any, pattern: str = "", replacement: str = "", *args: Any, **kwargs: Any) -> str:
    try:
        return re.sub(pattern, replacement.replace("\\g<", "\\g<"), str(value))
    except re.error:
        return str(value)


def _ip_part(value: Any, query: str = "", *args: Any) -> Any:
    text = str(value)
    if query in ("address",):
        return text.split("/")[0]
    if query == "prefix":
        return text.split("/")[1] if "/" in text else "32"
    return text


STUB_FILTERS: dict[str, Callable[..., Any]] = {
    "bool": _boolean, "ternary": _ternary, "mandatory": _same, "to_json": lambda v, *a, **k: json.dumps(v),
    "to_nice_json": lambda v, *a, **k: json.dumps(v, indent=4), "to_yaml": _text, "to_nice_yaml": _text,
    "from_json": _same, "from_yaml": _same, "combine": _combine, "dict2items": _dict2items,
    "items2dict": lambda v, *a, **k: {i.get("key"): i.get("value") for i in v or [] if isinstance(i, dict)},
    "flatten": _flatten, "regex_replace": _regex_replace, "regex_search": _same, "regex_escape": re.escape,
    "quote": lambda v, *a: f"'{v}'", "basename": lambda v: os.path.basename(str(v)),
    "dirname": lambda v: os.path.dirname(str(v)), "b64encode": _text, "b64decode": _text, "hash": _text,
    "password_hash": _text, "ipaddr": _ip_part, "ipv4": _ip_part, "ipv6": _ip_part, "ipwrap": _text,
    "ansible.utils.ipaddr": _ip_part, "ansible.netcommon.ipaddr": _ip_part, "type_debug": lambda v: type(v).__name__,
    "difference": lambda a, b: [x for x in a or [] if x not in (b or [])],
    "intersect": lambda a, b: [x for x in a or [] if x in (b or [])],
    "union": lambda a, b: list(a or []) + [x for x in b or [] if x not in (a or [])],
    "json_query": lambda v, *a: [], "shuffle": _same, "zip": lambda *a: list(zip(*a)), "product": lambda *a: [],
    "subelements": lambda *a, **k: [], "splitext": lambda v: list(os.path.splitext(str(v))),
    "yaml_encode": _text, "yaml_dquote": lambda v: f'"{v}"', "json": lambda v, *a, **k: json.dumps(v),
    "load_yaml": _same, "load_json": _same, "traverse": lambda v, path, default=None: default,
    "strftime": _text, "to_datetime": _text, "comment": _text,
}
STUB_TESTS: dict[str, Callable[..., bool]] = {
    "match": lambda v, p="", *a, **k: re.match(p, str(v)) is not None,
    "search": lambda v, p="", *a, **k: re.search(p, str(v)) is not None,
    "regex": lambda v, p="", *a, **k: re.search(p, str(v)) is not None,
    "version": lambda v, other="", op="ge", *a, **k: True,
    "version_compare": lambda v, other="", op="ge", *a, **k: True,
    "truthy": bool, "falsy": lambda v: not v, "success": lambda v: True, "failed": lambda v: False,
    "ipaddr": lambda v, *a: bool(v), "ipv4": lambda v, *a: "." in str(v), "ipv6": lambda v, *a: ":" in str(v),
    "file": lambda v: False, "directory": lambda v: False, "exists": lambda v: False,
    "subset": lambda a, b: all(x in b for x in a), "superset": lambda a, b: all(x in a for x in b),
    "contains": lambda a, b: b in a,
}


class _Salt(dict[str, Any]):
    """``salt['pillar.get']('key', default)``: every Salt function returns its default."""

    def __missing__(self, key: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: args[1] if len(args) > 1 else kwargs.get("default", "")


def _globals() -> dict[str, Any]:
    return {
        "lookup": lambda *a, **k: "", "query": lambda *a, **k: [], "q": lambda *a, **k: [],
        "omit": "", "salt": _Salt(), "pillar": {}, "grains": {}, "hostvars": {}, "groups": {"all": []},
        "inventory_hostname": "host", "ansible_hostname": "host",
    }


def vars_problem(template: SourceFile, message: str) -> Diagnostic:
    return _problem(rules.TemplateRenderError, template, 1, message)


def hosts(specs: Iterable[str]) -> list[tuple[str, dict[str, Any], list[str]]]:
    """One (name, variables, problems) per ``--vars`` value."""
    found = []
    for spec in specs:
        variables, problems = load_vars(spec)
        name = os.path.basename(spec.split(",")[-1])
        found.append((name, variables, problems))
    return found
