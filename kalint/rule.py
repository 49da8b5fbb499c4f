"""The rule plugin API.

A rule is a class with declared metadata and a docstring that is its documentation
(rationale, a bad and a good example), registered through the ``kalint.rules``
entry-point group, exactly as the built-in rules are. A rule never reads files or runs
commands: it receives the model and yields diagnostics.

``scope`` says what a rule looks at:

- ``"config"``: one config (a main file with its includes): ``check(config)``;
- ``"cluster"``: a group of HA peer configs: ``check_cluster(cluster)``;
- ``"source"``: findings made while reading and parsing (KA0xx); such rules only
  declare metadata, the reader emits their diagnostics.

``block_local = True`` (config rules only) declares that what the rule finds in one
top-level block depends on nothing outside that block's text: not another block, not
``global_defs``, not the runtime model of the whole config, not an absolute line number
in a message, and every span of a finding (related locations and fix edits included)
lies in that block's lines. The language server then runs the rule only on the blocks
an edit changed and keeps its findings for the others (``kalint.incremental``); the CLI
ignores it. A wrong declaration shows as a difference from a full lint in
``tests/test_incremental.py``; declare it only for a rule whose code visibly looks at
one block at a time. Where that holds only for some configs, ``blocks_independent``
says for which.

``instance_local = True`` (config rules only) declares the same one level up: what the
rule finds in a ``vrrp_instance`` top-level block depends on nothing but that block's
text and the text of the top-level blocks that are not ``vrrp_instance`` blocks (the
*context*: ``global_defs``, script and tracker definitions, virtual servers...), at
their lines; what it finds outside the instances depends on the context alone; and every
span of a finding lies in the block of its first span or in the context. No instance's
findings read another instance, and no finding outside an instance reads any. Where
keepalived itself ties instances together (two with one name, a sync group, a VRRP
process that exits because of one instance) the engine runs the rule on the whole
config (``kalint.incremental.instances_independent``). The language server then runs
the rule on the context and the instance blocks an edit changed while the context is
the same. Checked the same way as ``block_local``.

``router_local = True`` (cluster rules only) declares that ``check_cluster`` finds,
virtual router by virtual router of ``group.routers`` and in that order, what a group
holding that router alone (and its simulation) would give: nothing read of another
router, of ``group.collisions`` or of a config beyond what its peers' loaded values
read. The language server then keeps each router's findings while the router's failover
component has the same inputs (``kalint.incremental``); the CLI ignores it. Checked the
same way as ``block_local``.

``kept`` lets a whole-config rule that makes many findings per lint (duplicates across
instances) take, in the language server, the finding it made in the last lint from the
same objects instead of building it again; see its docstring.

``analyses`` (config rules) names the shared analyses (``kalint.model.Analysis``) the
rule reads, directly or through another analysis it reads. The engine forgets each one
once the last rule naming it is done (``kalint.engine``), so a large config never holds
them all at once. An analysis left out still works, at the price of being computed again;
``tests/test_rule_analyses.py`` checks the declarations against what each rule asks.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from kalint.diagnostic import Diagnostic, Fix, Related, Severity
from kalint.syntax.span import Span

if TYPE_CHECKING:
    from kalint.model import Analysis, Config

#: Findings made in the last lint, looked up by the objects they were made from
#: (``Rule.kept``): set by the language server (``kalint.incremental``), None in a CLI run,
#: where each lint is the first.
finding_memo: ContextVar[Callable[[str, tuple[object, ...], Hashable, Callable[[], Diagnostic]], Diagnostic] | None] \
    = ContextVar("kalint_finding_memo", default=None)

CODE_PATTERN = re.compile(r"^[A-Z]{2,}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    scope: ClassVar[str] = "config"
    #: Where the rule is documented (machine reports link it); built-in rules need none.
    url: ClassVar[str | None] = None
    #: Findings in a top-level block depend on that block's text alone (see above).
    block_local: ClassVar[bool] = False
    #: Findings in an instance block depend on that block and the context alone (see above).
    instance_local: ClassVar[bool] = False
    #: Findings about one virtual router depend on that router alone (see above).
    router_local: ClassVar[bool] = False
    #: The shared analyses the rule reads (see above).
    analyses: ClassVar[tuple[Analysis[Any], ...]] = ()

    def check(self, config: Config) -> Iterable[Diagnostic]:
        return ()

    def check_cluster(self, cluster: Any) -> Iterable[Diagnostic]:
        return ()

    def blocks_independent(self, config: Config) -> bool:
        """For a ``block_local`` rule: whether this config keeps its top-level blocks
        independent for the rule (a rule reading the placement replay says no when a
        brace cascade runs from one block into the next). Must hold for a config exactly
        when it holds for each of its top-level blocks alone."""
        return True

    def diagnostic(
        self,
        span: Span,
        message: str,
        *,
        severity: Severity | None = None,
        related: Iterable[Related] = (),
        help: str | None = None,
        fix: Fix | None = None,
    ) -> Diagnostic:
        """A finding of this rule, at the rule's severity unless told otherwise; the engine
        applies the user's severity overrides later."""
        return Diagnostic(
            code=self.code,
            name=self.name,
            message=message,
            span=span,
            severity=self.severity if severity is None else severity,
            related=tuple(related),
            help=help,
            fix=fix,
        )

    def kept(self, sources: tuple[object, ...], detail: Hashable, make: Callable[[], Diagnostic]) -> Diagnostic:
        """``make()``; in the language server, the finding ``make`` gave in the last lint
        for the same ``sources`` (compared by identity) and ``detail`` (by equality).

        For a finding that is a function of model objects alone (their names, values and
        nodes): ``kalint.model.build`` gives the same object for a block an edit left as
        it was, so a rule that reports hundreds of pairs across instances builds again
        only those the edit touched (KA209 on the benchmark's 10k-line config: 440
        findings, each span, message and related location made at every keystroke).
        Anything else the finding reads (a setting of ``global_defs``, a word of the
        message) goes in ``detail``."""
        memo = finding_memo.get()
        return make() if memo is None else memo(self.code, sources, detail, make)

    @classmethod
    def finding(cls, span: Span, message: str, **extra: Any) -> Diagnostic:
        """A finding of this rule made outside ``check``: the reading stages, the formatter
        and the engine report through the rule class, never through a retyped code."""
        return Diagnostic(code=cls.code, name=cls.name, message=message, span=span, **extra)

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


def validate(rule: type[Rule]) -> list[str]:
    """Problems with a rule's declaration (used when loading plugins and in tests)."""
    problems = []
    for attribute in ("code", "name", "severity", "summary"):
        if not hasattr(rule, attribute):
            problems.append(f"{rule.__name__} has no `{attribute}`")
    if problems:
        return problems
    if not CODE_PATTERN.match(rule.code):
        problems.append(f"{rule.__name__}: code {rule.code!r} is not like KA123")
    if not NAME_PATTERN.match(rule.name):
        problems.append(f"{rule.code}: name {rule.name!r} is not kebab-case")
    if not isinstance(rule.severity, Severity):
        problems.append(f"{rule.code}: severity must be a kalint.diagnostic.Severity")
    if rule.scope not in ("config", "cluster", "source"):
        problems.append(f"{rule.code}: scope {rule.scope!r} is not config, cluster or source")
    if not (rule.__doc__ or "").strip():
        problems.append(f"{rule.code}: no docstring")
    return problems


def rules_in(obj: Any) -> Iterator[type[Rule]]:
    """Rule classes in an entry point's object: a class, an iterable or a module."""
    if isinstance(obj, type) and issubclass(obj, Rule):
        yield obj
    elif inspect.ismodule(obj):
        yield from rules_in(getattr(obj, "RULES", ()))
    else:
        for item in obj:
            yield from rules_in(item)
