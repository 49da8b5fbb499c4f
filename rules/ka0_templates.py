"""KA020–KA021: template markup kalint reads around (Jinja2, ERB, Go templates, ...).

Like the other KA0 rules these only declare metadata and documentation;
``kalint.templates`` emits the findings, because only it sees the markup.
"""

from __future__ import annotations

from kalint.diagnostic import Severity
from kalint.rules.ka0_reading import SourceRule


class TemplateNotLinted(SourceRule):
    """Template markup that makes keepalived structure kalint cannot see.

    kalint lints a template by reading every expression as an unknown value and every
    branch of an `if` in turn. When markup prints braces (`{{ x ~ "{" }}`) or the
    branches of one `if` open and close different numbers of blocks, the blocks after it
    depend on values known only when the template is rendered: kalint reports it once
    here and does not report the brace findings that would follow from it.

    Bad:

        vrrp_instance VI_1 {% if wrap %}{{% endif %}
            state MASTER
        {% if wrap %}}{% endif %}

    Good:

        vrrp_instance VI_1 {
            state MASTER
        }
    """

    code = "KA020"
    name = "template-not-linted"
    severity = Severity.INFO
    summary = "template markup printing braces: this part cannot be linted"


class TemplateSyntax(SourceRule):
    """Template markup that does not close: an `{% if %}` without `{% endif %}`, a
    `{{` without `}}`, an `<% end %>` that closes nothing.

    The template engine refuses to render the file. kalint lints the literal text it can
    still place and reports where the markup breaks.

    Bad:

        {% if vrrp_enabled %}
        vrrp_instance VI_1 {
            state MASTER
        }

    Good:

        {% if vrrp_enabled %}
        vrrp_instance VI_1 {
            state MASTER
        }
        {% endif %}
    """

    code = "KA021"
    name = "template-syntax"
    severity = Severity.ERROR
    summary = "template markup that never closes or closes nothing"
