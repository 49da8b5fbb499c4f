"""Linting keepalived configs written as templates (Jinja2, ERB, Go text/template,
Mustache, ``${var}``/``%{if}``), where they are written: see docs/templates.md.

``markup`` finds the tags, ``branches`` turns them into keepalived texts of the template's
exact shape, ``lint`` lints those texts and merges the findings, ``detect`` says which
engine a file uses.
"""
