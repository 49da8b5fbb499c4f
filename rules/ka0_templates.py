"""KA020–KA023: template markup kalint reads around (Jinja2, ERB, Go templates, ...).

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
    """Template markup that never closes, or closes nothing.

    An `{% if %}` without `{% endif %}`, a `{{` without `}}`, an `<% end %>` that closes
    nothing: the template engine refuses to render the file. kalint lints the literal text it can
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


class TemplateUndefined(SourceRule):
    """Render mode (`--vars`): a variable the template uses that its vars files lack.

    kalint renders it as empty and lints the rest; Ansible stops with "undefined
    variable", other engines print nothing in its place. Reported once per variable and
    variables file, at the first template line that names it.

    Bad: `priority {{ keepalived_priority }}` rendered with a vars file without
    `keepalived_priority`.

    Good: the same with `keepalived_priority: 100` in the vars file.
    """

    code = "KA022"
    name = "template-undefined-variable"
    severity = Severity.WARNING
    summary = "render mode: a variable no --vars file defines"


class TemplateRenderError(SourceRule):
    """Render mode (`--vars`): the template does not render.

    A filter or test Jinja2 does not know (and kalint has no stub for), an include that is
    not there, an error in an expression, a vars file that cannot be read.

    Bad: `{{ vip | no_such_filter }}`.

    Good: `{{ vip | default('192.0.2.1') }}`.
    """

    code = "KA023"
    name = "template-render-error"
    severity = Severity.ERROR
    summary = "render mode: the template does not render"
