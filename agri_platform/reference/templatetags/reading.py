"""Template filters for what people read: `{% load reading %}` then
`{{ shipment.destination|place_label }}`, `{{ amount|money:currency }}`, `{{ value|number }}`,
`{{ moment|local_time }}`, `{{ "MY"|country }}`, `{{ code|prefecture }}` (agri_platform.reference.l10n)."""

from django import template

from .. import l10n

register = template.Library()


@register.filter
def country(code):
    return l10n.country_name(code)


@register.filter
def prefecture(code):
    return l10n.prefecture_name(code)


@register.filter
def place(locode):
    return l10n.place_name(locode)


@register.filter
def place_label(locode):
    return l10n.place_label(locode)


@register.filter
def number(value, digits=2):
    return l10n.format_number(value, digits=int(digits))


@register.filter
def money(amount, currency):
    return l10n.format_money(amount, currency)


@register.filter
def local_time(moment):
    return l10n.format_time(moment)


@register.filter
def named(obj, prefix="name"):
    """An object's text kept in both languages, in the reader's: `{{ enterprise|named }}` reads
    `name_zh`/`name_en`; `{{ product|named:"description" }}` reads `description_zh`/`_en`. A model
    whose English is the plain field (a partner's `name` beside `name_zh`) reads that."""
    english = getattr(obj, f"{prefix}_en", None)
    if english is None:
        english = getattr(obj, prefix, "")
    return l10n.in_reading_language(getattr(obj, f"{prefix}_zh", ""), english)
