"""Linting a template: each branch combination as a keepalived text, findings merged.

A finding is kept when it does not depend on an unknown value or on a branch not taken:

* a finding that touches a placeholder (an expression's columns) is dropped: the value,
  keyword or name there is unknown;
* a finding inside a branch is kept when every linted text with that branch reports it,
  and says "when `cond` is true"; when not every combination was linted, it must also be
  in the text with that branch alone next to the common parts;
* a finding that only some combinations report is kept when the places it relates to
  (the first of a repeated keyword, the script a global_defs finding counts) lie in
  branches and the text with just those branches reports it: "when `a` is true and `b`
  is true"; otherwise (a keyword missing when an optional branch is left out) it depends
  on values kalint does not know and is dropped.

Fixes are dropped: they were computed on a text that is not the template.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kalint.diagnostic import Diagnostic
from kalint.records import dataclass, field
from kalint.rule import Rule
from kalint.rules import ka0_templates as rules
from kalint.syntax.span import Span
from kalint.syntax.tree import Document
from kalint.templates import branches, markup, unknowns
from kalint.templates.markup import Kind, MarkupError, Tag
from kalint.text.source import SourceFile

#: A finding's identity across the texts of one template.
Key = tuple[str, str, int, int, str | None]
#: Lints one keepalived text: (text's source) -> findings, and the documents parsed.
LintText = Callable[[SourceFile], tuple[list[Diagnostic], list[Document]]]
#: An empty template is a file of macros or includes, not an empty config.
_NOT_FOR_TEMPLATES = frozenset({"KA015"})
#: Codes about braces: after a KA020 or KA021 they only repeat it.
_BRACE_CODES = frozenset({"KA001", "KA002", "KA102"})


@dataclass(slots=True)
class Prepared:
    """A template read for linting: its structure and the findings about its markup."""

    structure: branches.Structure
    problems: list[Diagnostic]


def prepare(main: SourceFile, engine: str) -> Prepared:
    """Scan and nest the markup; markup that does not close is a KA021 finding."""
    problems: list[Diagnostic] = []
    try:
        tags = markup.scan(main.text, engine)
    except MarkupError as exc:
        problems.append(_at(rules.TemplateSyntax, main, exc.offset, f"{exc}; kalint reads it up to the end of its line"))
        tags = _partial(main.text, engine, exc.offset)
    try:
        structure = branches.build(main.text, tags)
    except MarkupError as exc:
        problems.append(_at(rules.TemplateSyntax, main, exc.offset, f"{exc}; every branch is linted as if printed"))
        structure = branches.flat(main.text, tags)
    problems.extend(_unlintable(main, structure))
    if main.path.lower().endswith((".yaml", ".yml")):
        structure.hidden.extend(yaml_wrapper(main.text))
    return Prepared(structure, problems)


_BLOCK_SCALAR = re.compile(r"(?m)^([ \t]*)(?:- )?[\w.\"'-]+:[ \t]*[|>][-+0-9]*[ \t]*$")


def yaml_wrapper(text: str) -> list[tuple[int, int]]:
    """A config inside YAML (a Kubernetes ConfigMap, an ignition file): the regions outside
    its block scalars (``keepalived.conf: |``), to blank. None when there is no block scalar."""
    kept: list[tuple[int, int]] = []
    for match in _BLOCK_SCALAR.finditer(text):
        indent = len(match.group(1).expandtabs())
        start = end = match.end() + 1
        for line in text[start:].splitlines(keepends=True):
            if line.strip() and len(line) - len(line.lstrip()) <= indent and "{{" not in line[:indent + 1]:
                break
            end += len(line)
        kept.append((start, min(end, len(text))))
    if not kept:
        return []
    hidden, pos = [], 0
    for start, end in kept:
        if start > pos:
            hidden.append((pos, start))
        pos = max(pos, end)
    hidden.append((pos, len(text)))
    return hidden


def _partial(text: str, engine: str, offset: int) -> list[Tag]:
    """The tags of a text whose tag at ``offset`` never closes: that tag read as an
    expression up to the end of its line, the text after it scanned again."""
    tags: list[Tag] = []
    base = 0
    while True:
        end = text.find("\n", offset)
        end = len(text) if end == -1 else end
        try:
            tags.extend(_shifted(markup.scan(text[base:offset], engine), base))
        except MarkupError:
            pass
        tags.append(Tag(offset, end, Kind.EXPR, ""))
        if end >= len(text):
            return tags
        try:
            tags.extend(_shifted(markup.scan(text[end:], engine), end))
            return tags
        except MarkupError as exc:
            base, offset = end, end + exc.offset


def _shifted(tags: list[Tag], by: int) -> list[Tag]:
    return [Tag(t.start + by, t.end + by, t.kind, t.code) for t in tags]


def _unlintable(main: SourceFile, structure: branches.Structure) -> list[Diagnostic]:
    """KA020 once per construct whose printed braces kalint cannot follow."""
    found = []
    for tag in structure.tags:
        if tag.kind is Kind.EXPR and branches.literal(tag) is None and _prints_brace(tag.code):
            found.append(_at(rules.TemplateNotLinted, main, tag.start,
                             "this expression prints a brace: the blocks around it depend on its value and are not checked for balance"))
    for construct in structure.constructs:
        balances = {_balance(structure, b) for b in construct.branches}
        if not construct.has_else:
            balances.add(0)
        if len(balances) > 1:
            found.append(_at(rules.TemplateNotLinted, main, construct.tag.start,
                             f"the branches of `{construct.tag.code}` open and close different numbers of blocks: "
                             "the blocks around it are not checked for balance"))
    return found


def _prints_brace(code: str) -> bool:
    return any(q + b in code or b + q in code for q in "\"'" for b in "{}")


def _balance(structure: branches.Structure, branch: branches.Branch) -> int:
    """Literal `{` minus `}` in a branch, markup excluded."""
    text = list(structure.text[branch.start:branch.end])
    for tag in structure.tags:
        if branch.start <= tag.start < branch.end:
            for i in range(tag.start - branch.start, min(tag.end, branch.end) - branch.start):
                text[i] = " "
    body = "".join(text)
    return sum(body.count("{") - body.count("}") for body in _strip_comments(body))


def _strip_comments(body: str) -> list[str]:
    return [line.split("!", 1)[0].split("#", 1)[0] for line in body.splitlines()]


def lint(main: SourceFile, prepared: Prepared, lint_text: LintText) -> list[Diagnostic]:
    """Every combination linted, findings merged as the module docstring says."""
    structure = prepared.structure
    combinations = branches.choices(structure)
    texts = _Texts(main, structure, lint_text)
    seen: dict[Key, tuple[Diagnostic, set[int]]] = {}
    for number, choice in enumerate(combinations):
        for key, diag in texts.findings(choice).items():
            seen.setdefault(key, (diag, set()))[1].add(number)
    exhaustive = branches.exhaustive(structure, combinations)
    suppress_braces = bool(prepared.problems)
    kept = list(prepared.problems)
    for key, (diag, numbers) in seen.items():
        if suppress_braces and diag.code in _BRACE_CODES or diag.code in _NOT_FOR_TEMPLATES:
            continue
        conditions = _when(texts, combinations, exhaustive, key, diag, numbers)
        if conditions is None:
            continue
        message = branches.readable(structure, diag.message)
        whens = [b.when for b in conditions if b.when]
        if whens:
            message = f"{message} (when {' and '.join(whens)})"
        kept.append(diag.with_(message=message, fix=None, related=tuple(
            r.__class__(r.span, branches.readable(structure, r.message)) for r in diag.related)))
    return kept


def _when(
    texts: _Texts, combinations: list[branches.Choice], exhaustive: bool, key: Key, diag: Diagnostic, numbers: set[int],
) -> list[branches.Branch] | None:
    """The branches a finding holds under (empty: always), or None to drop it."""
    structure, main = texts.structure, texts.main
    branch = _innermost(structure, main, diag.span)
    around = [branch] if branch is not None else []
    wanted = {n for n, choice in enumerate(combinations) if branch is None or id(branch) in texts.taken[choice]}
    if wanted and wanted <= numbers:
        if exhaustive or branch is None or _holds_alone(texts, around, key):
            return around
    # only the places it relates to can say which other branches it needs
    conditions = _conditions(structure, main, diag)
    if conditions == around or not _holds_alone(texts, conditions, key):
        return None
    return conditions


def _conditions(structure: branches.Structure, main: SourceFile, diag: Diagnostic) -> list[branches.Branch]:
    """The branches a finding is about: around it and around the places it relates to
    (the first `notify` of a repeated one, the `vrrp_strict` that makes auth ignored)."""
    found: list[branches.Branch] = []
    for span in [diag.span, *(r.span for r in diag.related)]:
        branch = _innermost(structure, main, span)
        if branch is not None and branch not in found:
            found.append(branch)
    return found


def _holds_alone(texts: _Texts, conditions: list[branches.Branch], key: Key) -> bool:
    """Whether the finding is in the text with just these branches taken."""
    choice = branches.alone(texts.structure, conditions) if conditions else None
    return choice is not None and key in texts.findings(choice)


@dataclass(slots=True)
class _Texts:
    """The findings of each combination's text, linted once."""

    main: SourceFile
    structure: branches.Structure
    lint_text: LintText
    done: dict[branches.Choice, dict[Key, Diagnostic]] = field(default_factory=dict)
    taken: dict[branches.Choice, set[int]] = field(default_factory=dict)

    def findings(self, choice: branches.Choice) -> dict[Key, Diagnostic]:
        found = self.done.get(choice)
        if found is not None:
            return found
        text, taken = branches.render(self.structure, choice)
        self.taken[choice] = {id(b) for b in taken}
        variant = SourceFile(path=self.main.path, text=text, line_break=self.main.line_break, template=self.main)
        diagnostics, documents = self.lint_text(variant)
        unknown = unknowns.find(documents)
        found = self.done[choice] = {}
        for diag in diagnostics:
            if not unknown.hides(diag, variant):
                # where it starts: its end and the counts in its message may vary between texts
                found.setdefault((diag.code, diag.span.path, diag.span.line, diag.span.column, diag.config_id), diag)
        return found


def _innermost(structure: branches.Structure, main: SourceFile, span: Span) -> branches.Branch | None:
    if span.path != main.path:
        return None
    offset = _offset(main, span.line, span.column)
    inner = None
    for construct in structure.constructs:
        for branch in construct.branches:
            if branch.start <= offset < branch.end and (inner is None or branch.start >= inner.start):
                inner = branch
    return inner


def _offset(main: SourceFile, line: int, column: int) -> int:
    starts = main.line_starts()
    return starts[min(line, len(starts)) - 1] + column - 1


def _at(rule: type[Rule], main: SourceFile, offset: int, message: str) -> Diagnostic:
    line, column = main.position(offset)
    return rule.finding(Span(main.path, line, column, line, column + 1), message)
