"""The financing desk (docs/desks.md, "Bank or insurer"): a bank's trade-finance officer or an
insurer's underwriter reads the requests routed to the organisation, their evidence in one view,
makes offers and follows their outcome.

Reads go through `selectors` scoped to the partner (the routing is the tenancy: another partner's
request is a 404); the offer form calls `services.offer_create`, the service the API calls. Other
partners' offers are never read here: every offer query filters on this partner."""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.desk import DeskPage
from agri_platform.portal.forms import ServiceRefused
from agri_platform.portal.views import PortalFormView, paginate
from agri_platform.reference import l10n

from . import evidence, selectors, services
from .choices import EvidenceKind, OfferStatus, RequestStatus
from .forms import DeskOfferForm
from .models import FinancingOffer, FinancingRequest
from .money import PER_ANNUM_KINDS, offer_total_cost, total_cost
from .pages import request_title

S = RequestStatus
TAKING_OFFERS = (S.ROUTED, S.OFFERED)

# The list's tabs: what the request is to this partner. `closed` is everything else.
SHOW_CHOICES = (
    ("waiting", _("Waiting for our offer")),
    ("offered", _("We offered")),
    ("accepted", _("Accepted us")),
    ("closed", pgettext_lazy("finance", "Closed")),
)


def show_filters(partner_id) -> dict[str, Q]:
    """Each tab as a filter on requests annotated by `with_our_offers`."""
    waiting = Q(status__in=TAKING_OFFERS, our_pending=False)
    offered = Q(our_pending=True)
    accepted = Q(accepted_offer__partner_id=partner_id)
    return {
        "waiting": waiting,
        "offered": offered,
        "accepted": accepted,
        "closed": ~(waiting | offered | accepted),
    }


def with_our_offers(requests, partner_id):
    """Whether this partner has offered on each request, and whether one of its offers pends."""
    ours = FinancingOffer.objects.filter(request=OuterRef("pk"), partner_id=partner_id)
    return requests.annotate(
        our_offered=Exists(ours), our_pending=Exists(ours.filter(status=OfferStatus.PENDING))
    )


def our_offers(user, partner):
    """This partner's offers (`offers_for` scopes a partner's person to its own)."""
    return selectors.offers_for(user).filter(partner=partner)


class FinancingDeskPage(DeskPage):
    section = "desk:financing"

    def requests(self):
        return with_our_offers(selectors.financing_requests_for(self.request.user), self.partner.pk)

    def crumbs(self, *trail) -> list:
        return [(gettext("Financing requests"), reverse("desk:financing")), *trail]


class RequestListPage(FinancingDeskPage):
    template_name = "finance/desk/list.html"
    title = _("Financing requests")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = show_filters(self.partner.pk)
        requests = self.requests()
        counts = requests.aggregate(
            **{name: Count("pk", filter=condition) for name, condition in filters.items()}
        )
        shown = self.request.GET.get("show", "")
        status = self.request.GET.get("status", "")
        if shown in filters:
            requests = requests.filter(filters[shown])
        if status in S.values:
            requests = requests.filter(status=status)
        context.update(
            page_obj=paginate(self.request, requests.order_by("-routed_at", "-pk")),
            tabs=[(name, label, counts[name]) for name, label in SHOW_CHOICES],
            chosen_show=shown if shown in filters else "",
            statuses=S.choices,
            chosen_status=status if status in S.values else "",
        )
        return context


def linked_now(financing_request, kind: str) -> list:
    """The request's linked shipments or certificates as they stand now (registered by the
    logistics and certification apps: finance imports neither)."""
    return evidence.current(
        kind,
        enterprise_id=financing_request.enterprise_id,
        ids=evidence_ids(financing_request, kind),
    )


def evidence_ids(financing_request, kind: str) -> list[int]:
    return [
        int(item.object_id)
        for item in financing_request.evidence.all()
        if item.kind == kind and item.object_id.isdigit()
    ]


def offer_total(financing_request, figures: dict):
    """The total cost of the offer `figures` describe, or None while they are incomplete."""
    needed = ("amount", "rate_percent", "term_days")
    if any(figures.get(name) is None for name in needed):
        return None
    return total_cost(
        kind=financing_request.kind,
        amount=figures["amount"],
        rate_percent=figures["rate_percent"],
        term_days=figures["term_days"],
        fees=figures.get("fees") or 0,
        minor_units=financing_request.currency.minor_units,
    )


class RequestDeskMixin:
    """A page about one request routed to this partner (anything else is a 404)."""

    isolation_model = FinancingRequest

    def get_financing_request(self):
        if not hasattr(self, "_financing_request"):
            self._financing_request = get_object_or_404(self.requests(), pk=self.kwargs["pk"])
        return self._financing_request


class RequestPage(RequestDeskMixin, PortalFormView, FinancingDeskPage):
    """The request, its evidence, this partner's offers, and the offer form while it takes
    offers."""

    template_name = "finance/desk/request.html"
    form_class = DeskOfferForm
    submit_label = _("Send the offer")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        financing_request = self.get_financing_request()
        kwargs["financing_request"] = financing_request
        kwargs["total_url"] = reverse("desk:financing-offer-total", args=[financing_request.pk])
        return kwargs

    def may_offer(self, offers) -> bool:
        """While the request takes offers and none of ours is pending (the service allows one)."""
        financing_request = self.get_financing_request()
        if any(offer.status == OfferStatus.PENDING for offer in offers):
            return False
        return "offer" in services.REQUEST_WORKFLOW.permitted(self.request.user, financing_request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        financing_request = self.get_financing_request()
        offers = list(
            our_offers(self.request.user, self.partner)
            .filter(request=financing_request)
            .order_by("-created_at", "-pk")
        )
        for offer in offers:
            offer.request = financing_request
            offer.total_cost = offer_total_cost(offer)
        form = context["form"]
        context.update(
            title=request_title(financing_request),
            breadcrumbs=self.crumbs((request_title(financing_request), None)),
            financing_request=financing_request,
            shipments=linked_now(financing_request, EvidenceKind.SHIPMENT),
            certificates=linked_now(financing_request, EvidenceKind.CERTIFICATE),
            documents=selectors.documents_of(financing_request).order_by("pk"),
            offers=offers,
            may_offer=self.may_offer(offers),
            our_pending=any(offer.status == OfferStatus.PENDING for offer in offers),
            per_annum=financing_request.kind in PER_ANNUM_KINDS,
            total=offer_total(financing_request, form.typed_figures()),
        )
        return context

    def perform(self, form):
        financing_request = self.get_financing_request()
        figures = form.offer_figures()  # before a refusal takes its field out of cleaned_data
        try:
            offer, _created = form.call(
                services.offer_create,
                actor=self.request.user,
                financing_request=financing_request,
                **figures,
            )
        except ServiceRefused:
            # A second click on "Send" finds the offer the first one made: the same outcome.
            offer = self.same_pending_offer(figures)
            if offer is None:
                raise
        offer.request = financing_request
        self.success_message = gettext(
            "Your offer was sent to the enterprise. Its total cost to them: %(total)s."
        ) % {"total": l10n.format_money(offer_total_cost(offer), financing_request.currency_id)}
        return reverse("desk:financing-request", args=[financing_request.pk])

    def same_pending_offer(self, figures: dict):
        return (
            our_offers(self.request.user, self.partner)
            .filter(
                request=self.get_financing_request(),
                status=OfferStatus.PENDING,
                amount=figures["amount"],
                rate_percent=figures["rate_percent"],
                term_days=figures["term_days"],
                fees=figures["fees"],
            )
            .first()
        )


class OfferTotalPartial(RequestDeskMixin, FinancingDeskPage):
    """The total cost of the offer as typed so far (htmx, from the offer form's fields)."""

    template_name = "finance/desk/_total.html"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        financing_request = self.get_financing_request()
        form = DeskOfferForm(request.GET, financing_request=financing_request)
        return render(
            request,
            self.template_name,
            {
                "financing_request": financing_request,
                "total": offer_total(financing_request, form.typed_figures()),
                "per_annum": financing_request.kind in PER_ANNUM_KINDS,
            },
        )


class OfferListPage(FinancingDeskPage):
    template_name = "finance/desk/offers.html"
    title = _("Our offers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offers = our_offers(self.request.user, self.partner).select_related(
            "request__enterprise", "request__currency"
        )
        counts = dict(offers.values_list("status").annotate(n=Count("pk")).order_by())
        chosen = self.request.GET.get("outcome", "")
        if chosen in OfferStatus.values:
            offers = offers.filter(status=chosen)
        page_obj = paginate(self.request, offers.order_by("-created_at", "-pk"))
        for offer in page_obj:
            offer.total_cost = offer_total_cost(offer)
        context.update(
            breadcrumbs=self.crumbs((self.title, None)),
            page_obj=page_obj,
            outcomes=[(value, label, counts.get(value, 0)) for value, label in OfferStatus.choices],
            total_count=sum(counts.values()),
            chosen_outcome=chosen if chosen in OfferStatus.values else "",
        )
        return context
