"""What an e-mail says about each notification: the figures of its payload and the page to act on.

Generic over the catalogue: a payload field means the same thing in every kind (catalogue.FIELD_TYPES),
so one table says how each field reads (its label and how its value is formatted) and one table says,
by kind prefix, which page the recipient acts on. Ids that only a machine needs (enterprise_id,
partner_id…) are not figures. Everything here runs under the recipient's language and time zone
(`reading_context`): formatting comes from agri_platform.reference.l10n.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from babel.units import format_unit
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agri_platform.api import audience
from agri_platform.reference import l10n

from . import catalogue

# --- the reader ------------------------------------------------------------------------------------


def language_of(user) -> str:
    """The recipient's saved language, else the platform's default."""
    return "zh-hans" if l10n.is_chinese(user.reading_language) else "en"


def zone_of(user, language: str):
    return l10n.reader_time_zone(getattr(user, "timezone", ""), language)


@contextmanager
def reading_context(user):
    """Render for `user`: their language and time zone active."""
    language = language_of(user)
    with translation.override(language), timezone.override(zone_of(user, language)):
        yield language


# --- values ----------------------------------------------------------------------------------------


def _moment(value, payload=None) -> str:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    return l10n.format_time(moment) if moment else str(value)


def _day(value, payload=None) -> str:
    """A date (or the date of a moment) as the language writes it: 2026年3月1日 / March 1, 2026."""
    text = str(value)
    if "T" in text or isinstance(value, datetime):
        return _moment(value)
    day = value if isinstance(value, date) else parse_date(text)
    return formats.date_format(day, "DATE_FORMAT") if day else text


def _money(value, payload) -> str:
    return l10n.format_money(value, payload.get("currency") or "CNY")


def _percent(value, payload) -> str:
    return f"{l10n.format_number(value, digits=3)}%"


def _celsius(value, payload) -> str:
    return f"{l10n.format_number(value, digits=1)} °C"


def _band(value, payload) -> str:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return ""
    low, high = (l10n.format_number(bound, digits=1) for bound in value)
    return f"{low} – {high} °C"


def _unit(value, unit: str, length: str = "long") -> str:
    """A duration in CLDR's words for the language (90 days, 90天; 35 min, 35分钟)."""
    return format_unit(value, unit, length=length, locale=l10n.babel_locale())


def _minutes(value, payload) -> str:
    hours, minutes = divmod(int(value), 60)
    if not hours:
        return _unit(minutes, "duration-minute")
    parts = [_unit(hours, "duration-hour", "short")]
    if minutes:
        parts.append(_unit(minutes, "duration-minute", "short"))
    return ("" if l10n.is_chinese() else " ").join(parts)


def _days(value, payload) -> str:
    return _unit(int(value), "duration-day")


def _number_id(value, payload) -> str:
    return f"#{value}"


def _place(value, payload) -> str:
    return l10n.place_label(value)


def _country(value, payload) -> str:
    return l10n.country_name(value)


def _countries(value, payload) -> str:
    separator = "、" if l10n.is_chinese() else ", "
    return separator.join(l10n.country_name(code) for code in value or ())


def _text(value, payload) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _direction(value, payload) -> str:
    return {"above": gettext("above the band"), "below": gettext("below the band")}.get(
        value, str(value)
    )


def _yes_no(value, payload) -> str:
    return gettext("yes") if value else gettext("no")


@dataclass(frozen=True)
class Figure:
    label: str
    show: Callable = _text
    # A code shown with its label when the event subject's model has choices for this field
    # (in_transit → 运输中): the name of that model field.
    choices_of: str = ""


FIGURES: dict[str, Figure] = {
    "reference": Figure(_("Reference"), _text),
    "number": Figure(_("Certificate number"), _text),
    "certificate_number": Figure(_("Certificate number"), _text),
    "application_id": Figure(_("Application"), _number_id),
    "request_id": Figure(_("Request"), _number_id),
    "offer_id": Figure(_("Offer"), _number_id),
    "name_zh": Figure(_("Enterprise (Chinese name)"), _text),
    "name_en": Figure(_("Enterprise (English name)"), _text),
    "uscc": Figure(_("USCC"), _text),
    "registered_outside_sichuan": Figure(_("Registered outside Sichuan"), _yes_no),
    "name": Figure(_("Name"), _text),
    "email": Figure(_("E-mail address"), _text),
    "role": Figure(_("Role"), choices_of="role"),
    "previous_role": Figure(_("Previous role"), choices_of="role"),
    "title": Figure(pgettext_lazy("legal case", "Title"), _text),
    "scheme": Figure(_("Scheme"), _text),
    "kind": Figure(_("Type"), choices_of="kind"),
    "status": Figure(_("Status"), choices_of="status"),
    "from_status": Figure(_("Previous status"), choices_of="status"),
    "issue_date": Figure(_("Issued on"), _day),
    "expiry_date": Figure(_("Expires on"), _day),
    "sla_due_at": Figure(_("Review due by"), _day),
    "origin": Figure(_("Origin"), _place),
    "destination": Figure(_("Destination"), _place),
    "dispatched_at": Figure(_("Dispatched at"), _moment),
    "delivered_at": Figure(_("Delivered at"), _moment),
    "occurred_at": Figure(_("Occurred at"), _moment),
    "milestone": Figure(_("Milestone"), _text),
    "sensor_id": Figure(_("Sensor"), _text),
    "started_at": Figure(_("Started at"), _moment),
    "ended_at": Figure(_("Ended at"), _moment),
    "peak_c": Figure(_("Peak temperature"), _celsius),
    "direction": Figure(_("Direction"), _direction, choices_of="direction"),
    "duration_minutes": Figure(_("Duration"), _minutes),
    "band_c": Figure(_("Allowed band"), _band),
    "severity": Figure(_("Severity"), choices_of="severity"),
    "amount": Figure(_("Amount"), _money),
    "fees": Figure(_("Fees"), _money),
    "rate_percent": Figure(_("Rate"), _percent),
    "term_days": Figure(_("Term"), _days),
    "valid_until": Figure(_("Valid until"), _day),
    "evidence_kind": Figure(_("Evidence"), _text),
    "deadline": Figure(_("Deadline"), _day),
    "days_left": Figure(_("Days left"), _days),
    "country": Figure(_("Country"), _country),
    "countries": Figure(_("Countries"), _countries),
    "designation_status": Figure(_("Designation status"), choices_of="designation_status"),
    "author_side": Figure(_("From"), _text),
    "attachments": Figure(_("Attachments"), _text),
    "prefix": Figure(_("Key prefix"), _text),
    "scopes": Figure(_("Scopes"), _text),
    "url": Figure(_("Endpoint URL"), _text),
    "product_name_zh": Figure(_("Product"), _text),
    "hs_code": Figure(_("HS code"), _text),
    "date": Figure(_("Date"), _day),
    "reason": Figure(_("Reason given"), _text),
    "comment": Figure(_("Comment"), _text),
    "note": Figure(_("Note"), _text),
    "inquiry_id": Figure(_("Inquiry"), _number_id),
    "quote_id": Figure(_("Quote"), _number_id),
    "incoterm": Figure(_("Incoterm"), _text),
    "lead_time_days": Figure(_("Lead time"), _days),
    "ready": Figure(_("Ready for the market"), _yes_no),
    "title_en": Figure(_("Promotion event"), _text),
    "city": Figure(_("City"), _text),
    "starts_on": Figure(_("Starts on"), _day),
    "ends_on": Figure(_("Ends on"), _day),
}
# Where one field means something else in one family of kinds: (kind prefix, field) → label.
LABELS_BY_KIND: dict[tuple[str, str], str] = {
    ("finance.request.disbursed", "reference"): _("Disbursement reference"),
    ("finance.request.bound", "reference"): _("Policy number"),
    ("finance.offer.", "status"): _("Offer status"),
    ("enterprise.", "status"): _("Enterprise status"),
}
# A payload field whose value is a list of objects, each shown as its own line of figures.
NESTED_LISTS = {"certificates": ("number", "scheme", "expiry_date", "days_left")}
# The figure that goes into the subject line, when the kind has it (融资申请 #3 已放款：¥50万).
SUBJECT_FIGURES: dict[str, str] = {
    "finance.request.submitted": "amount",
    "finance.request.routed": "amount",
    "finance.request.disbursed": "amount",
    "finance.request.bound": "amount",
    "finance.offer.received": "amount",
    "finance.offer.accepted": "amount",
    "shipment.temperature_excursion.started": "peak_c",
    "shipment.temperature_excursion.ended": "duration_minutes",
    "shipment.booked": "destination",
    "shipment.dispatched": "destination",
    "certificate.issued": "expiry_date",
    "legal.request.submitted": "title",
    "legal.request.assigned": "title",
    "enterprise.rejected": "reason",
    "certification.application.rejected": "reason",
}
SUBJECT_FIGURE_MAX = 60


def _show(name: str, value, payload: dict, choices: dict) -> str:
    figure = FIGURES[name]
    if value is None or value == "" or value == []:
        return ""
    labels = choices.get(figure.choices_of, {}) if figure.choices_of else {}
    if str(value) in labels:
        return labels[str(value)]
    return figure.show(value, payload)


def _label(kind: str, name: str) -> str:
    for (prefix, field), label in LABELS_BY_KIND.items():
        if field == name and kind.startswith(prefix):
            return str(label)
    return str(FIGURES[name].label)


def figures(kind: str, payload: dict, choices: dict | None = None) -> list[tuple[str, str]]:
    """(label, value as the reader reads it) for each figure of the payload, in catalogue order."""
    entry = catalogue.CATALOGUE.get(kind)
    names = entry.fields if entry else tuple(payload)
    shown = []
    for name in names:
        if name in NESTED_LISTS:
            for item in payload.get(name) or ():
                line = " · ".join(
                    _show(part, item.get(part), payload, {})
                    for part in NESTED_LISTS[name]
                    if item.get(part) not in (None, "")
                )
                shown.append((str(FIGURES["number"].label), line))
        elif name in FIGURES:
            value = _show(name, payload.get(name), payload, choices or {})
            if value:
                shown.append((_label(kind, name), value))
    return shown


def subject_figure(kind: str, payload: dict) -> str:
    """The key figure of a kind for the subject line, '' when it has none or the reader may not see it."""
    name = SUBJECT_FIGURES.get(kind)
    if name is None or payload.get(name) in (None, ""):
        return ""
    value = _show(name, payload[name], payload, {})
    return value if len(value) <= SUBJECT_FIGURE_MAX else value[: SUBJECT_FIGURE_MAX - 1] + "…"


# --- the page to act on ----------------------------------------------------------------------------

# Longest matching kind prefix wins: (URL name, {URL kwarg: payload field}).
LINKS: dict[str, tuple[str, dict[str, str]]] = {
    "enterprise.": ("enterprise-detail", {"pk": "enterprise_id"}),
    "enterprise.member_": ("enterprise-member-list", {"enterprise_pk": "enterprise_id"}),
    "enterprise.invitation_": ("enterprise-invitation-list", {"enterprise_pk": "enterprise_id"}),
    "enterprise.production_base_": ("production-base-detail", {"pk": "production_base_id"}),
    "enterprise.product_": ("product-detail", {"pk": "product_id"}),
    "certification.application.": ("cert-application-detail", {"pk": "application_id"}),
    "certificate.": ("cert-certificate-detail", {"pk": "certificate_id"}),
    "certificate.expiring": ("cert-certificate-list", {}),
    "shipment.": ("shipment-detail", {"pk": "shipment_id"}),
    "shipment.temperature_excursion.": (
        "shipment-excursion-detail",
        {"shipment_pk": "shipment_id", "pk": "excursion_id"},
    ),
    "finance.request.": ("financing-request-detail", {"pk": "request_id"}),
    "finance.offer.": ("financing-offer-detail", {"pk": "offer_id"}),
    "legal.": ("legal-request-detail", {"pk": "request_id"}),
    "legal.message.posted": ("legal-request-messages", {"pk": "request_id"}),
    "partner.": ("partner-detail", {"pk": "partner"}),
    "partner.user_created": ("partner-user-list", {"partner_pk": "partner"}),
    "partner.api_key_": ("partner-api-key-detail", {"partner_pk": "partner", "pk": "api_key"}),
    "webhook.endpoint.": ("webhook-endpoint-detail", {"pk": "endpoint_id"}),
    "buyer.": ("buyer-detail", {"pk": "buyer_id"}),
    "inquiry.": ("inquiry-detail", {"pk": "inquiry_id"}),
    "quote.": ("quote-detail", {"pk": "quote_id"}),
    "shipment.draft_opened": ("shipment-draft-detail", {"pk": "shipment_draft_id"}),
    "promotion.": ("promotion-detail", {"pk": "promotion_id"}),
}


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def link_route(kind: str) -> tuple[str, dict[str, str]] | None:
    matches = [prefix for prefix in LINKS if kind.startswith(prefix)]
    return LINKS[max(matches, key=len)] if matches else None


def _reversed(route: tuple[str, dict[str, str]] | None, payload: dict) -> str:
    """The path of `route` with its arguments taken from `payload` ('' when one is missing)."""
    if route is None:
        return ""
    name, arguments = route
    try:
        kwargs = {argument: payload[field] for argument, field in arguments.items()}
        return reverse(name, kwargs=kwargs)
    except (KeyError, NoReverseMatch):
        return ""


def link(kind: str, payload: dict) -> str:
    """The absolute URL of the API page where a partner or staff member acts ('' if none)."""
    path = _reversed(link_route(kind), payload)
    return absolute(path) if path else ""


# --- the portal page an exporter acts on -------------------------------------------------------

# Longest matching kind prefix wins: (portal URL name, {URL kwarg: payload field}). Partners and
# staff have no portal pages yet (#16): their e-mails keep the API links above.
PORTAL_PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "enterprise.": ("portal:enterprise", {}),
    "enterprise.member_": ("portal:members", {}),
    "enterprise.invitation_": ("portal:members", {}),
    "enterprise.production_base_": ("portal:bases", {}),
    "enterprise.product_": ("portal:products", {}),
    "certification.application.": ("portal:application", {"pk": "application_id"}),
    "certificate.": ("portal:certificate", {"pk": "certificate_id"}),
    # A reminder names one certificate or several: see `_expiring_route`.
    "certificate.expiring": ("portal:certification", {}),
    "shipment.": ("portal:shipment", {"pk": "shipment_id"}),
    "finance.": ("portal:finance-request", {"pk": "request_id"}),
    "legal.": ("portal:legal-case", {"pk": "request_id"}),
    "inquiry.": ("portal:inquiry", {"pk": "inquiry_id"}),
    "quote.": ("portal:inquiry", {"pk": "inquiry_id"}),
    "shipment.draft_opened": ("portal:shipment-draft", {"pk": "shipment_draft_id"}),
    "promotion.": ("portal:promotion-signup", {"pk": "promotion_id"}),
}

# The desk page where a partner's person acts, for the kinds whose desk pages people use more
# than the API (a buyer's people): longest prefix wins, as above. Other kinds keep API links.
DESK_PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "buyer.": ("desk:buyer-profile", {}),
    "inquiry.": ("desk:inquiry", {"pk": "inquiry_id"}),
    "quote.": ("desk:inquiry", {"pk": "inquiry_id"}),
}


def _portal_route(kind: str, payload: dict) -> tuple[str, dict[str, str]] | None:
    matches = [prefix for prefix in PORTAL_PAGES if kind.startswith(prefix)]
    if not matches:
        return None
    if kind == "certificate.expiring":
        return _expiring_route(payload)
    return PORTAL_PAGES[max(matches, key=len)]


def _expiring_route(payload: dict) -> tuple[str, dict[str, str]]:
    """One certificate expiring: its page; several: the certification page listing them."""
    certificates = payload.get("certificates") or []
    if len(certificates) == 1 and certificates[0].get("certificate_id"):
        payload["certificate_id"] = certificates[0]["certificate_id"]
        return PORTAL_PAGES["certificate."]
    return PORTAL_PAGES["certificate.expiring"]


def portal_path(kind: str, payload: dict) -> str:
    """The portal page (a path) where an exporter acts on an event of `kind`, '' if none.

    The one map from an event to its page: the inbox links through it and the e-mails to
    exporters carry it (absolute)."""
    payload = dict(payload or {})
    return _reversed(_portal_route(kind, payload), payload)


def reads_the_portal(user) -> bool:
    """An exporter's person reads the portal; partners and platform staff keep the API (#16)."""
    return not user.partner_id and not user.is_platform_staff


def desk_path(kind: str, payload: dict) -> str:
    """The desk page (a path) where a partner's person acts on an event of `kind`, '' if none."""
    matches = [prefix for prefix in DESK_PAGES if kind.startswith(prefix)]
    return _reversed(DESK_PAGES[max(matches, key=len)], payload) if matches else ""


def page_path_for(user, kind: str, payload: dict) -> str:
    """The page (a path) where `user` acts on an event in the browser: a partner's person's desk
    page where DESK_PAGES has one, else the portal page ('' if none)."""
    desk = desk_path(kind, payload) if user.partner_id else ""
    return desk or portal_path(kind, payload)


def link_for(user, kind: str, payload: dict) -> str:
    """The absolute URL of the page where `user` acts on this event ('' if none): the portal
    page for an exporter (sign-in first when needed, then the page), the desk page for a
    partner's person where DESK_PAGES has one, the API page for others."""
    if not reads_the_portal(user):
        path = desk_path(kind, payload) if user.partner_id else ""
        return absolute(path) if path else link(kind, payload)
    path = portal_path(kind, payload)
    return absolute(path) if path else ""


def inbox_link(user) -> str:
    if reads_the_portal(user):
        return absolute(reverse("portal:inbox"))
    return absolute(reverse("notification-list"))


def preferences_link(user) -> str:
    if reads_the_portal(user):
        return absolute(reverse("portal:preferences"))
    return absolute(reverse("notification-preferences"))


# --- one notification ------------------------------------------------------------------------------


# Kinds whose payload describes another object than the event's subject: an offer's events have
# the financing request as subject, but their `status` is the offer's.
PAYLOAD_MODEL_OF_KIND = {"finance.offer.": ("finance", "FinancingOffer")}


def _payload_model(event):
    for prefix, (app_label, model_name) in PAYLOAD_MODEL_OF_KIND.items():
        if event.kind.startswith(prefix):
            return apps.get_model(app_label, model_name)
    subject_type = getattr(event, "subject_type", None)
    return subject_type.model_class() if subject_type is not None else None


def _subject_choices(event) -> dict[str, dict[str, str]]:
    """{field: {code: label}} of the model fields with choices (status, role, kind, severity…) of
    what the event's payload describes (its subject, as a rule), in the active language."""
    model = _payload_model(event)
    if model is None:
        return {}
    return {
        field.name: {str(code): str(label) for code, label in field.flatchoices}
        for field in model._meta.concrete_fields
        if field.choices
    }


def _is_coded(name: str) -> bool:
    return name in FIGURES and bool(FIGURES[name].choices_of)


def readable_title(kind: str, payload: dict, choices: dict) -> str:
    """The catalogue title with coded values (status, role…) read as their labels."""
    readable = {
        name: _show(name, value, payload, choices) if _is_coded(name) else value
        for name, value in payload.items()
    }
    return catalogue.title_for(kind, readable, translation.get_language())


def notification_title(event, user) -> str:
    """The inbox title of `event` for `user`, in their language (what they may see of it)."""
    with reading_context(user):
        payload = audience.for_user(user, event.payload or {})
        return readable_title(event.kind, payload, _subject_choices(event))


def title_in_active_language(notification) -> str:
    """The inbox title of a notification in the language of the page showing it (the stored
    title is in the language of the day it was sent). Select `event__subject_type` with it."""
    event = notification.event
    payload = audience.for_user(notification.user, event.payload or {})
    return readable_title(event.kind, payload, _subject_choices(event))


@dataclass(frozen=True)
class Item:
    """One notification as the e-mail shows it, already in the reader's language."""

    title: str
    headline: str
    occurred_at: str
    figures: list[tuple[str, str]]
    link: str


def item_for(notification) -> Item:
    """Call under `reading_context(notification.user)`."""
    event = notification.event
    payload = audience.for_user(notification.user, event.payload or {})
    choices = _subject_choices(event)
    title = readable_title(event.kind, payload, choices)
    key = subject_figure(event.kind, payload)
    separator = "：" if l10n.is_chinese() else ": "
    return Item(
        title=title,
        headline=f"{title}{separator}{key}" if key else title,
        occurred_at=l10n.format_time(event.occurred_at),
        figures=figures(event.kind, payload, choices),
        link=link_for(notification.user, event.kind, payload),
    )
