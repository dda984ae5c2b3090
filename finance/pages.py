"""The portal's finance pages (docs/portal.md, journey 7): the requests, a new request, checking
and submitting it, comparing the offers, accepting one, withdrawing a request.

Reads go through `selectors` (scoped to the person and the enterprise acted for); every change
calls the service the API calls, through the form (`form.call`)."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import EnterprisePage, PortalFormView, paginate
from agri_platform.reference import l10n

from . import selectors, services
from .choices import FinancingKind, OfferStatus, RequestStatus
from .forms import ConfirmForm, FinancingRequestForm, WithdrawForm
from .models import FinancingOffer, FinancingRequest
from .money import PER_ANNUM_KINDS, offer_total_cost

S = RequestStatus
# The stages a request goes through, as the page's steps show them.
STAGES = [S.DRAFT, S.SUBMITTED, S.ROUTED, S.OFFERED, S.ACCEPTED, S.DISBURSED]
PAID_OUT = (S.DISBURSED, S.BOUND, S.CLOSED)
# The states whose reason (the enterprise's own, or the officer's) the request's page shows.
WITH_REASON = (S.DECLINED, S.WITHDRAWN)


def partner_name(partner) -> str:
    return l10n.in_reading_language(partner.name_zh, partner.name)


def request_title(financing_request) -> str:
    return gettext("%(kind)s no. %(id)s") % {
        "kind": financing_request.get_kind_display(),
        "id": financing_request.pk,
    }


class FinancePage(EnterprisePage):
    section = "finance"

    def requests(self):
        return selectors.requests_of_enterprise(self.request.user, self.enterprise)

    def crumbs(self, *trail) -> list:
        return [(pgettext("navigation", "Finance"), reverse("portal:finance")), *trail]


class RequestPageMixin:
    """A page about one request of the enterprise (another enterprise's is a 404)."""

    isolation_model = FinancingRequest

    def get_financing_request(self):
        if not hasattr(self, "_financing_request"):
            self._financing_request = get_object_or_404(self.requests(), pk=self.kwargs["pk"])
        return self._financing_request

    def request_crumbs(self, here=None) -> list:
        financing_request = self.get_financing_request()
        address = reverse("portal:finance-request", args=[financing_request.pk])
        if here is None:
            return self.crumbs((request_title(financing_request), None))
        return self.crumbs((request_title(financing_request), address), (here, None))


class RequestListPage(FinancePage):
    template_name = "finance/portal/list.html"
    title = _("Financing requests")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.request.GET.get("status", "")
        requests = self.requests()
        if chosen in S.values:
            requests = requests.filter(status=chosen)
        context.update(
            breadcrumbs=self.crumbs((self.title, None)),
            page_obj=paginate(self.request, requests),
            statuses=S.choices,
            chosen_status=chosen,
        )
        return context


class NewRequestPage(FinancePage, PortalFormView):
    template_name = "finance/portal/new.html"
    form_class = FinancingRequestForm
    title = _("Request financing")
    submit_label = _("Save and check")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["candidates"] = selectors.evidence_candidates(self.enterprise)
        kwargs["initial"] = {"currency": "CNY"}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            breadcrumbs=self.crumbs((self.title, None)), cancel_url=reverse("portal:finance")
        )
        return context

    def perform(self, form):
        # The draft and its evidence are one step for the person: all of it or none of it.
        with transaction.atomic():
            financing_request = form.call(
                services.request_create,
                actor=self.request.user,
                enterprise=self.enterprise,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                currency=form.cleaned_data["currency"],
                term_days=form.cleaned_data["term_days"],
                purpose=form.cleaned_data["purpose"],
            )
            for field, kind, object_id in form.chosen_evidence():
                form.call_for(
                    field,
                    services.evidence_add,
                    actor=self.request.user,
                    financing_request=financing_request,
                    kind=kind,
                    object_id=object_id,
                )
        return reverse("portal:finance-submit", args=[financing_request.pk])


def compared_offers(user, financing_request) -> list:
    """The request's offers, cheapest first, each with its total cost, whether it is the cheapest
    pending one and whether `user` may accept it."""
    offers = selectors.sort_by_total_cost(
        selectors.offers_for(user).filter(request=financing_request)
    )
    cheapest = selectors.cheapest_pending(offers)
    for offer in offers:
        offer.request = financing_request  # the total cost reads the request's kind
        offer.total_cost = offer_total_cost(offer)
        offer.partner_label = partner_name(offer.partner)
        offer.is_cheapest = offer is cheapest and len(offers) > 1
        offer.may_accept = "accept" in services.OFFER_WORKFLOW.permitted(user, offer)
    return offers


class RequestPage(RequestPageMixin, FinancePage):
    template_name = "finance/portal/request.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        financing_request = self.get_financing_request()
        offers = compared_offers(self.request.user, financing_request)
        actions = services.REQUEST_WORKFLOW.permitted(self.request.user, financing_request)
        context.update(
            title=request_title(financing_request),
            breadcrumbs=self.request_crumbs(),
            financing_request=financing_request,
            stages=stages_of(financing_request),
            offers=offers,
            pending_offers=[o for o in offers if o.status == OfferStatus.PENDING],
            per_annum=financing_request.kind in PER_ANNUM_KINDS,
            may_submit="submit" in actions,
            may_withdraw="withdraw" in actions,
            disbursement=disbursement_of(financing_request),
            reason=financing_request.status_reason
            if financing_request.status in WITH_REASON
            else "",
        )
        return context


def stages_of(financing_request) -> list[dict]:
    """The steps bar: each stage with whether it is done or current; none for a request that left
    the way (withdrawn, declined, expired)."""
    status = financing_request.status
    reached = {S.BOUND: S.DISBURSED, S.CLOSED: S.DISBURSED}.get(status, status)
    if reached not in STAGES:
        return []
    position = STAGES.index(reached)
    labels = dict(S.choices)
    if financing_request.kind == FinancingKind.EXPORT_CREDIT_INSURANCE:
        labels[S.DISBURSED] = S.BOUND.label
    return [
        {"label": labels[stage], "done": index < position, "current": index == position}
        for index, stage in enumerate(STAGES)
    ]


def disbursement_of(financing_request) -> dict | None:
    """What was paid out, when and by whom, once the partner disbursed (or bound the cover)."""
    offer = financing_request.accepted_offer
    if financing_request.status not in PAID_OUT or offer is None:
        return None
    return {
        "amount": offer.amount,
        "currency": offer.currency_id,
        "date": financing_request.disbursed_at,
        "partner": partner_name(offer.partner),
        "reference": financing_request.disbursement_reference,
    }


class SubmitRequestPage(RequestPageMixin, FinancePage, PortalFormView):
    """Check your answers, then submit: the platform's officers send it to banks."""

    template_name = "finance/portal/submit.html"
    form_class = ConfirmForm
    submit_label = _("Submit the request")
    success_message = _(
        "Your request was submitted. The platform sends it to banks; offers appear here."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        financing_request = self.get_financing_request()
        context.update(
            title=gettext("Check your request"),
            breadcrumbs=self.request_crumbs(gettext("Check and submit")),
            financing_request=financing_request,
            is_draft=financing_request.status == S.DRAFT,
        )
        return context

    def perform(self, form):
        financing_request = self.get_financing_request()
        form.call(
            services.request_submit, actor=self.request.user, financing_request=financing_request
        )
        return reverse("portal:finance-request", args=[financing_request.pk])


class WithdrawRequestPage(RequestPageMixin, FinancePage, PortalFormView):
    template_name = "finance/portal/withdraw.html"
    form_class = WithdrawForm
    submit_label = _("Withdraw the request")
    success_message = _("The request was withdrawn.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        financing_request = self.get_financing_request()
        context.update(
            title=gettext("Withdraw the request"),
            breadcrumbs=self.request_crumbs(gettext("Withdraw")),
            financing_request=financing_request,
            pending_count=financing_request.offers.filter(status=OfferStatus.PENDING).count(),
            cancel_url=reverse("portal:finance-request", args=[financing_request.pk]),
        )
        return context

    def perform(self, form):
        financing_request = self.get_financing_request()
        form.call(
            services.request_withdraw,
            actor=self.request.user,
            financing_request=financing_request,
            reason=form.cleaned_data["reason"],
        )
        return reverse("portal:finance-request", args=[financing_request.pk])


class AcceptOfferPage(FinancePage, PortalFormView):
    """Accepting an offer asks once, saying what happens to the other offers."""

    template_name = "finance/portal/accept.html"
    form_class = ConfirmForm
    isolation_model = FinancingOffer
    submit_label = _("Accept this offer")

    def get_offer(self):
        if not hasattr(self, "_offer"):
            offers = selectors.offers_of_enterprise(self.request.user, self.enterprise)
            self._offer = get_object_or_404(offers, pk=self.kwargs["pk"])
        return self._offer

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer = self.get_offer()
        financing_request = offer.request
        others = [
            partner_name(other.partner)
            for other in financing_request.offers.select_related("partner")
            .filter(status=OfferStatus.PENDING)
            .exclude(pk=offer.pk)
        ]
        context.update(
            title=gettext("Accept the offer of %(partner)s")
            % {"partner": partner_name(offer.partner)},
            breadcrumbs=self.crumbs(
                (
                    request_title(financing_request),
                    reverse("portal:finance-request", args=[financing_request.pk]),
                ),
                (gettext("Accept an offer"), None),
            ),
            offer=offer,
            total_cost=offer_total_cost(offer),
            partner=partner_name(offer.partner),
            others=others,
            may_accept="accept" in services.OFFER_WORKFLOW.permitted(self.request.user, offer),
            cancel_url=reverse("portal:finance-request", args=[financing_request.pk]),
        )
        return context

    def perform(self, form):
        offer = self.get_offer()
        form.call(services.offer_accept, actor=self.request.user, offer=offer)
        self.success_message = gettext(
            "You accepted the offer of %(partner)s. The other offers were declined; you will see "
            "the payment here when %(partner)s pays out."
        ) % {"partner": partner_name(offer.partner)}
        return reverse("portal:finance-request", args=[offer.request_id])
