"""Partner desks: the pages a partner's people work in (bank, insurer, carrier, law firm,
certification body, overseas buyer), under /desk/, signed in on the portal's sign-in page.

What a desk page lists is what the API routes to the partner (the apps' selectors, through
`scope_queryset`): the routing is the tenancy. The partner's kind only chooses which entries the
navigation shows, so a page opened by another kind of partner shows an empty list, never
someone else's rows (tests/security/test_desk_isolation.py walks every desk page).
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agri_platform.accounts.choices import PartnerKind

from .views import PortalPage

EVERY_KIND = tuple(PartnerKind.values)


@dataclass(frozen=True)
class DeskSection:
    name: str  # URL name in the `desk` namespace
    label: Promise
    description: Promise
    kinds: tuple[str, ...] = EVERY_KIND


SECTIONS = (
    DeskSection(
        "desk:financing",
        pgettext_lazy("navigation", "Financing requests"),
        _("Requests routed to you, their evidence, your offers and their outcome."),
        (PartnerKind.BANK, PartnerKind.INSURER),
    ),
    DeskSection(
        "desk:shipments",
        pgettext_lazy("navigation", "Shipments"),
        _("Shipments assigned to you: milestones, telemetry uploads, excursions."),
        (PartnerKind.CARRIER,),
    ),
    DeskSection(
        "desk:cases",
        pgettext_lazy("navigation", "Legal cases"),
        _("Cases assigned to your firm: messages, files, designations per country."),
        (PartnerKind.LAW_FIRM,),
    ),
    DeskSection(
        "desk:applications",
        pgettext_lazy("navigation", "Certification applications"),
        _("Applications for the schemes you certify: review, request changes, decide."),
        (PartnerKind.CERTIFICATION_BODY,),
    ),
    DeskSection(
        "desk:inquiries",
        pgettext_lazy("navigation", "Inquiries"),
        _("Your inquiries to Sichuan's exporters: their quotes, messages, your decisions."),
        (PartnerKind.BUYER,),
    ),
    DeskSection(
        "desk:buyer-profile",
        pgettext_lazy("navigation", "Your organisation"),
        _("Your company's profile as exporters see it, and its verification."),
        (PartnerKind.BUYER,),
    ),
    DeskSection(
        "desk:people",
        pgettext_lazy("navigation", "People"),
        _("Who works for your organisation on the platform."),
    ),
    DeskSection(
        "desk:keys",
        pgettext_lazy("navigation", "API keys"),
        _("Keys for your systems: create (shown once), see when used, revoke."),
    ),
    DeskSection(
        "desk:webhooks",
        pgettext_lazy("navigation", "Webhooks"),
        _("Where the platform sends your events, the delivery log, redelivery, secrets."),
    ),
)


def sections_for(partner) -> list[DeskSection]:
    return [section for section in SECTIONS if partner.kind in section.kinds]


class DeskPage(PortalPage):
    """A page of a partner's desk (`self.partner`). People of no partner get a 403 page that
    sends them to their portal. `section` is the full URL name ("desk:shipments")."""

    template_name = "portal/placeholder.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.partner_id:
            return render(request, "portal/not_a_partner.html", status=403)
        self.partner = request.user.partner
        return super().dispatch(request, *args, **kwargs)


class DeskHome(DeskPage):
    template_name = "portal/desk_home.html"
    section = "desk:home"
    title = _("Desk")
