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
#: A whole ``{{ expression }}`` on one line: a run of braces alone (a typo, hostile input)
#: is a brace problem of a plain config, not template markup.
_JINJA = re.compile(r"\{\{[^\n]*?\}\}")
#: A keepalived comment (`#` or `!` after a blank): markup in it changes nothing
#: (``# {{ ansible_managed }}``, a commented-out ``224.0.0.{{VRID}}``).
_COMMENT = re.compile(r"(?m)(?:^|(?<=\s))[#!](?![}#]).*$")
_JINJA_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TERRAFORM = re.compile(r"%\{\s*(?:if|for|endif|endfor)\b")
#: What every engine but sed needs somewhere in the text (``_by_content``, ``_has_markup``):
#: without them a file is plain, and the comment pass (80 ms on a 130k-line config) is skipped.
_MARKERS = ("{{", "{%", "{#", "<%", "%{")


def detect(path: str, text: str, forced: str | None = None) -> str | None:
    """The engine of ``text`` (a key of ``markup.SCANNERS``), or None for a plain config:
    markup only in keepalived comments does not make a template."""
    if forced and forced != "auto":
        return None if forced == "none" else forced
    by_name = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if by_name != "go" and not any(marker in text for marker in _MARKERS):
        return None  # no markup at all, in comments or not (dropping comments joins no text)
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


def _has_markup(text: str, engine: str) -> bool:
    return ("<%" in text) if engine == "erb" else ("{{" in text or "{%" in text or "{#" in text)


def _by_content(text: str) -> str | None:
    if "<%" in text and "%>" in text:
        return "erb"
    if _TERRAFORM.search(text):
        return "dollar"
    if _JINJA_TAG.search(text):
        return "jinja2"
    if "{{" not in text:
        return None
    if _MUSTACHE.search(text):
        return "mustache"
    if _GO_WORDS.search(text):
        return "go"
    if _JINJA.search(text):
        return "jinja2"
    return None
