"""Shipment drafts in the portal: one draft with its readiness, booked from the booking page.

Discarding calls the service the API calls (`shipment_draft_discard`, `POST …/drafts/{id}/discard/`);
booking goes to the booking page with `?draft=` (`shipment_create(draft=...)`)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import EnterprisePage, PortalFormView
from agri_platform.reference import l10n
from certification.models import Scheme
from certification.pages import readiness_rows

from .. import selectors
from ..forms import DiscardDraftForm
from ..models import ShipmentDraft
from ..services.drafts import (
    check_draft_readiness,
    draft_state,
    is_ready,
    shipment_draft_discard,
    snapshot_check,
)


def snapshot_rows(draft: ShipmentDraft, product_ids: list[int]) -> list[dict]:
    """The readiness stored when the draft was opened, in the reader's language, each requirement
    with its badge, why, and what to do about it now (the readiness page's own advice)."""
    codes = {
        code
        for entry in draft.readiness
        if entry["kind"] == "scheme"
        for code in (entry.get("alternatives") or [entry["code"]])
    }
    scheme_names = {scheme.code: scheme.name for scheme in Scheme.objects.filter(code__in=codes)}
    checks = [snapshot_check(entry, scheme_names) for entry in draft.readiness]
    rows = readiness_rows(checks, draft.enterprise, product_ids)
    return [
        {"row": row, "why": row.check.explanation, "blocks": entry["blocks_dispatch"]}
        for row, entry in zip(rows, draft.readiness, strict=True)
    ]


def live_rows(draft: ShipmentDraft, product_ids: list[int]) -> list[dict]:
    """The readiness checked again now, in the same shape as `snapshot_rows`."""
    checks = check_draft_readiness(draft)
    return [
        {"row": row, "why": row.check.explanation, "blocks": row.check.blocks_dispatch}
        for row in readiness_rows(checks, draft.enterprise, product_ids)
    ]


def readiness_sentence(rows: list[dict], country: str) -> str:
    """The readiness for the market in one sentence."""
    missing = [str(entry["row"].check.name) for entry in rows if entry["blocks"]]
    if not rows:
        return gettext("The platform knows no requirement of %(country)s for these products.") % {
            "country": country
        }
    if not missing:
        return gettext("Ready for %(country)s: every required certificate and document is met.") % {
            "country": country
        }
    return gettext("Not ready for %(country)s yet: %(missing)s still missing.") % {
        "country": country,
        "missing": pgettext("list separator", "; ").join(missing),
    }


def source_link(draft: ShipmentDraft) -> str:
    """The inquiry page of the quote the draft came from, when trade opened it (logistics does not
    import trade: the quote is read through its reverse one-to-one)."""
    quote = getattr(draft, "quote", None)
    inquiry_id = getattr(quote, "inquiry_id", None)
    if not inquiry_id:
        return ""
    try:
        return reverse("portal:inquiry", kwargs={"pk": inquiry_id})
    except NoReverseMatch:
        return ""


class ShipmentDraftPage(EnterprisePage, PortalFormView):
    """Where the draft came from, what it holds, whether the market is ready; book it (the booking
    page, prefilled) or discard it (asked once: `?discard=1` shows the confirmation)."""

    template_name = "logistics/portal/draft.html"
    form_class = DiscardDraftForm
    section = "shipments"
    isolation_model = ShipmentDraft

    @cached_property
    def draft(self) -> ShipmentDraft:
        drafts = selectors.shipment_drafts_for(self.request.user).filter(enterprise=self.enterprise)
        return get_object_or_404(drafts, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.draft  # noqa: B018  (a 404 before anything else)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.draft  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_title(self) -> str:
        return gettext("Shipment draft #%(id)s") % {"id": self.draft.pk}

    def perform(self, form):
        form.call(shipment_draft_discard, actor=self.request.user, draft=self.draft)
        messages.success(
            self.request, gettext("Draft #%(id)s is discarded.") % {"id": self.draft.pk}
        )
        return reverse("portal:shipments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = self.draft
        items = list(draft.items.all())
        product_ids = [item.product_id for item in items]
        country = l10n.country_name(draft.destination.country_id)
        state = draft_state(draft)
        snapshot = snapshot_rows(draft, product_ids)
        checking_again = state == "open" and "check" in self.request.GET
        live = live_rows(draft, product_ids) if checking_again else None
        context.update(
            title=self.get_title(),
            draft=draft,
            state=state,
            state_badge=DRAFT_BADGES[state],
            state_label=DRAFT_STATE_LABELS[state],
            items=items,
            source_url=source_link(draft),
            country=country,
            snapshot=snapshot,
            snapshot_sentence=readiness_sentence(snapshot, country),
            snapshot_ready=is_ready(draft.readiness),
            live=live,
            live_sentence=readiness_sentence(live, country) if live is not None else "",
            live_ready=live is not None and not any(entry["blocks"] for entry in live),
            confirming_discard=state == "open" and "discard" in self.request.GET,
            booking_url=f"{reverse('portal:shipment-new')}?draft={draft.pk}",
            readiness_url=readiness_page_url(draft, product_ids),
            breadcrumbs=[
                (pgettext("navigation", "Shipments"), reverse("portal:shipments")),
                (self.get_title(), None),
            ],
        )
        return context


# The badge each state reads as (agri_platform/portal/badges.py): drafts are blue, booked amber.
DRAFT_BADGES = {"open": "draft", "booked": "booked", "discarded": "cancelled"}
DRAFT_STATE_LABELS = {
    "open": _("To book"),
    "booked": _("Booked"),
    "discarded": _("Discarded"),
}


def readiness_page_url(draft: ShipmentDraft, product_ids: list[int]) -> str:
    """The market readiness page asked the same question (destination country, products, date)."""
    query = {"destination": draft.destination.country_id, "products": product_ids}
    if draft.ready_by:
        query["date"] = draft.ready_by.isoformat()
    return f"{reverse('portal:readiness')}?{urlencode(query, doseq=True)}"
