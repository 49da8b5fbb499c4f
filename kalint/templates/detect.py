"""Which template engine a file is written for: by ``--template``/setting, extension, content.

A plain keepalived config never contains ``{{``, ``{%`` or ``<%`` (keepalived has no such
syntax), so content sniffing cannot turn a plain config into a template; ``${NAME}`` is
keepalived's own parameter syntax and counts as template markup only next to Terraform's
``%{if}`` directives or when forced; ``_name_`` tokens (filled by sed) only in a
``.tmpl``/``.tpl`` file with no other markup, or when forced.
"""

from __future__ import annotations

import os
import re

#: ``_name_`` tokens a ``.tmpl`` file needs to count as a sed template (one is a typo).
_SED_MINIMUM = 3

#: What ``--template`` and the ``template`` setting accept.
CHOICES = ("auto", "jinja2", "erb", "go", "mustache", "dollar", "sed", "none")

_EXTENSIONS = {
    ".j2": "jinja2", ".jinja": "jinja2", ".jinja2": "jinja2",
    ".erb": "erb", ".epp": "erb",
    ".gotmpl": "go", ".tmpl": "go", ".tpl": "go",
    ".mustache": "mustache",
}
_GO_WORDS = re.compile(r"\{\{-?\s*(?:\.|\$|end\b|range\b|template\b|define\b|/\*|`|if\s+[.$(])")
_MUSTACHE = re.compile(r"\{\{[#^/]\s*[\w.]+\s*\}\}")
#: A keepalived comment (`#` or `!` after a blank): markup in it changes nothing
#: (``# {{ ansible_managed }}``, a commented-out ``224.0.0.{{VRID}}``).
_COMMENT = re.compile(r"(?m)(?:^|(?<=\s))[#!](?![}#]).*$")
_TERRAFORM = re.compile(r"%\{\s*(?:if|for|endif|endfor)\b")
#: What every engine's markup above contains (only sed's ``_name_`` tokens need none):
#: ``{{``, ``{%``, ``{#`` (this pattern), ``<%`` and ``%{`` (``_has_marks``).
_BRACE_MARKS = re.compile(r"\{[{%#]")


def detect(path: str, text: str, forced: str | None = None) -> str | None:
    """The engine of ``text`` (a key of ``markup.SCANNERS``), or None for a plain config:
    markup only in keepalived comments does not make a template."""
    if forced and forced != "auto":
        return None if forced == "none" else forced
    by_name = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if by_name != "go" and not _has_marks(text):
        return None  # no engine's markup at all (a plain config): skip removing comments
    text = _COMMENT.sub("", text)
    by_content = _by_content(text)
    if by_name == "go":
        # .tmpl/.tpl are used by every engine: the content decides, Go when in doubt
        if by_content or "{{" in text:
            return by_content or "go"
        from kalint.templates import markup  # its patterns cost start-up time every plain config would pay

        return "sed" if len(markup.sed_tokens(text)) >= _SED_MINIMUM else None
    if by_name is not None:
        return by_name if _has_markup(text, by_name) else None
    return by_content


def _has_marks(text: str) -> bool:
    """Whether any engine's markup mark is in ``text``: one pass of the regular expression
    and a search for `%` (which a plain config seldom holds) instead of five substring
    searches, 14 ms on a 130k-line config (every plain config pays this check)."""
    return ("%" in text and ("<%" in text or "%{" in text)) or _BRACE_MARKS.search(text) is not None


def _has_markup(text: str, engine: str) -> bool:
    return ("<%" in text) if engine == "erb" else ("{{" in text or "{%" in text or "{#" in text)


def _by_content(text: str) -> str | None:
    if "<%" in text and "%>" in text:
        return "erb"
    if _TERRAFORM.search(text):
        return "dollar"
    if _closed_after("{%", "%}", text) or _closed_after("{#", "#}", text):
        return "jinja2"
    if "{{" not in text:
        return None
    if _MUSTACHE.search(text):
        return "mustache"
    if _GO_WORDS.search(text):
        return "go"
    if _expression_on_a_line(text):
        return "jinja2"
    return None


def _closed_after(opening: str, closing: str, text: str) -> bool:
    """Whether ``closing`` follows the first ``opening`` (a Jinja tag or comment, which
    may span lines)."""
    start = text.find(opening)
    return start != -1 and text.find(closing, start + len(opening)) != -1


def _expression_on_a_line(text: str) -> bool:
    """Whether a whole ``{{ expression }}`` stands on one line: a ``{{`` with a ``}}``
    after it before the line ends. A run of braces alone (a typo, hostile input) is a
    brace problem of a plain config, not template markup.

    Each line is searched once from its first ``{{``: the regular expression this
    replaces tried every ``{{`` against the rest of its line, and took 12 s for a line of
    40,000 `{` and about five minutes for 200,000 (tests/test_bounds.py).
    """
    start = text.find("{{")
    while start != -1:
        line_end = text.find("\n", start)
        if line_end == -1:
            line_end = len(text)
        if text.find("}}", start + 2, line_end) != -1:
            return True
        start = text.find("{{", line_end)
    return False
