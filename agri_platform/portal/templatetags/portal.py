"""Template pieces of the portal: `{% load portal %}`.

- `{% badge state label %}`: a state as a coloured tag, its colour from `portal.badges`.
- `{% form_errors form %}` and `{% field form.name %}`: the error summary and one field as the
  house renders them (label above, error next to it, help under it).
- `{% nav_link "shipments" label %}`: a navigation entry, marked current on its section's pages.
"""

from django import template
from django.urls import reverse

from ..badges import tone_of

register = template.Library()


@register.inclusion_tag("portal/badge.html")
def badge(state, label=None):
    return {"tone": tone_of(state), "label": label if label is not None else state}


@register.inclusion_tag("portal/forms/error_summary.html")
def form_errors(form):
    return {"form": form}


@register.inclusion_tag("portal/forms/field.html")
def field(bound_field):
    return {"field": bound_field}


@register.inclusion_tag("portal/nav_link.html", takes_context=True)
def nav_link(context, name: str, label, badge_count: int = 0):
    return {
        "href": reverse(name if ":" in name else f"portal:{name}"),
        "label": label,
        "current": context.get("section") == name,
        "badge_count": badge_count,
    }
