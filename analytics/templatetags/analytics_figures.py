from django import template

from analytics import figures

register = template.Library()


@register.filter
def figure(value) -> str:
    """A dashboard figure in the active language: grouped digits, 万/亿 in Chinese, "–" if missing."""
    return figures.figure(value)
