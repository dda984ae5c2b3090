"""The buyer's desk pages: the inquiries sent, a new inquiry (form, check your answers, send), one
inquiry with its timeline, quotes and messages, and the buyer's decisions on it.

Reads are the buyer's own rows (`Inquiry.buyer`), a 404 for anything else; every write calls the
service the API calls (trade.services.inquiries), whose guards and workflow decide."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import PortalFormView, paginate
from enterprises.models import Product
from logistics.forms import places_matching

from .. import workflows
from ..choices import InquiryStatus, PromotionStatus, QuoteStatus
from ..forms_buyer import AcceptForm, InquiryForm, MessageForm, ReasonForm, without_nul
from ..models import Inquiry, InquiryMessage, PromotionEvent, Quote
from ..selectors.catalogue import catalogue_products
from ..selectors.inquiries import inquiry_timeline
from ..services import inquiries as services
from .frame import BuyerPage

MAX_PRODUCTS = 20


def id_in_address(value: str) -> int | None:
    """An id typed in the address, or None for anything a database id cannot be."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def inquiry_url(inquiry, anchor: str = "") -> str:
    return reverse("desk:inquiry", kwargs={"pk": inquiry.pk}) + anchor


def new_inquiry_url(product_ids, event=None) -> str:
    query = "&".join(f"product={pk}" for pk in product_ids)
    if event is not None:
        query += f"&event={event.pk}"
    return f"{reverse('desk:inquiry-new')}?{query}"


def with_quotes(inquiries):
    """Each inquiry with its items' products, its enterprise and its quotes (newest first)."""
    return inquiries.select_related("enterprise", "destination").prefetch_related(
        "items__product",
        Prefetch(
            "quotes",
            queryset=Quote.objects.select_related("currency").prefetch_related("lines"),
        ),
    )


def quote_total(quote):
    return sum((line.quantity * line.unit_price for line in quote.lines.all()), start=0)


class BuyerDeskPage(BuyerPage):
    section = "desk:inquiries"

    def inquiries(self):
        return Inquiry.objects.filter(buyer=self.buyer)


# --- the list -----------------------------------------------------------------------------------


class InquiryListDesk(BuyerDeskPage):
    template_name = "trade/desk/list.html"
    title = pgettext_lazy("navigation", "Inquiries")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen_status = self.request.GET.get("status", "")
        inquiries = self.inquiries()
        if chosen_status in InquiryStatus.values:
            inquiries = inquiries.filter(status=chosen_status)
        else:
            chosen_status = ""
        page_obj = paginate(self.request, with_quotes(inquiries))
        for inquiry in page_obj:
            quotes = list(inquiry.quotes.all())
            inquiry.latest_quote = quotes[0] if quotes else None
            if inquiry.latest_quote:
                inquiry.latest_quote.total = quote_total(inquiry.latest_quote)
        context.update(
            page_obj=page_obj,
            statuses=InquiryStatus.choices,
            chosen_status=chosen_status,
            has_inquiries=page_obj.paginator.count > 0 or self.inquiries().exists(),
            breadcrumbs=[(self.title, None)],
        )
        return context


# --- a new inquiry ------------------------------------------------------------------------------


def listed_products():
    """Products buyers may ask for: the catalogue's (listed, of verified exporters)."""
    return catalogue_products().order_by("pk")


class InquiryNewDesk(PortalFormView, BuyerDeskPage):
    """`?product=<id>` (repeated) chooses the products, all of one exporter; `&event=<id>` says
    the inquiry comes from a promotion event. POST `step=check` shows the answers, `step=send`
    sends, `step=change` goes back to the form."""

    template_name = "trade/desk/new.html"
    form_class = InquiryForm
    title = _("Send an inquiry")

    @cached_property
    def asked_ids(self) -> list[int]:
        ids = []
        for value in self.request.GET.getlist("product")[:MAX_PRODUCTS]:
            pk = id_in_address(value)
            if pk is not None and pk not in ids:
                ids.append(pk)
        return ids

    @cached_property
    def choice(self) -> dict:
        """The products of the first exporter asked for, and those of others left out."""
        found = {
            product.pk: product
            for product in Product.objects.filter(
                pk__in=listed_products().filter(pk__in=self.asked_ids).values("pk")
            ).select_related("enterprise")
        }
        asked = [found[pk] for pk in self.asked_ids if pk in found]
        enterprise = asked[0].enterprise if asked else None
        return {
            "enterprise": enterprise,
            "products": [p for p in asked if p.enterprise_id == enterprise.pk] if asked else [],
            "elsewhere": [p for p in asked if p.enterprise_id != enterprise.pk] if asked else [],
            "unknown": len(self.asked_ids) - len(asked),
        }

    @cached_property
    def event(self):
        pk = id_in_address(self.request.GET.get("event", ""))
        if pk is None:
            return None
        return PromotionEvent.objects.filter(pk=pk, status=PromotionStatus.PUBLISHED).first()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["products"] = self.choice["products"]
        kwargs["places_url"] = reverse("desk:inquiry-new-places")
        return kwargs

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "check")
        if step == "change":
            return self.render_to_response(self.get_context_data(form=self.as_typed()))
        form = self.get_form()
        if not self.choice["products"] or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if step == "send":
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, checking=True))

    def as_typed(self):
        """The form again with what was typed, unchecked (the answers were checked already)."""
        kwargs = self.get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        kwargs["initial"] = self.request.POST.dict()
        return self.form_class(**kwargs)

    def perform(self, form):
        inquiry = form.call(
            services.inquiry_send,
            actor=self.request.user,
            buyer=self.buyer,
            enterprise=self.choice["enterprise"],
            items=form.service_items(),
            promotion=self.event,
            **form.service_fields(),
        )
        messages.success(
            self.request,
            gettext("Your inquiry was sent to %(enterprise)s. You will see their answer here.")
            % {"enterprise": inquiry.enterprise.name_en or inquiry.enterprise.name_zh},
        )
        return inquiry_url(inquiry)

    def others_to_add(self) -> list:
        enterprise = self.choice["enterprise"]
        if enterprise is None:
            return []
        chosen = {p.pk for p in self.choice["products"]}
        return [
            product
            for product in listed_products().filter(enterprise=enterprise)[:30]
            if product.pk not in chosen
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen_ids = [p.pk for p in self.choice["products"]]
        context.update(
            self.choice,
            event=self.event,
            add_links=[
                (product, new_inquiry_url([*chosen_ids, product.pk], self.event))
                for product in self.others_to_add()
            ],
            separate_links=[
                (product, new_inquiry_url([product.pk], self.event))
                for product in self.choice["elsewhere"]
            ],
            breadcrumbs=[
                (pgettext_lazy("navigation", "Inquiries"), reverse("desk:inquiries")),
                (self.title, None),
            ],
        )
        return context


class PlacesDesk(BuyerDeskPage):
    """htmx: the places matching what is typed in the destination port search."""

    template_name = "logistics/portal/_booking_places.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = without_nul(self.request.GET.get("destination_search", ""))
        context["places"] = list(places_matching(search))
        context["search"] = search
        return context


# --- one inquiry --------------------------------------------------------------------------------


class InquiryDesk(BuyerDeskPage):
    """One inquiry. The action pages below share it."""

    template_name = "trade/desk/inquiry.html"
    isolation_model = Inquiry

    @cached_property
    def inquiry(self) -> Inquiry:
        return get_object_or_404(with_quotes(self.inquiries()), pk=self.kwargs["pk"])

    def quote_cards(self) -> list[dict]:
        today = timezone.localdate()
        cards = []
        items = {item.pk: item for item in self.inquiry.items.all()}
        for quote in self.inquiry.quotes.all():
            lines = [
                {
                    "line": line,
                    "product": items[line.item_id].product if line.item_id in items else None,
                    "amount": line.quantity * line.unit_price,
                }
                for line in quote.lines.all()
            ]
            actions = workflows.QUOTE_WORKFLOW.permitted(self.request.user, quote)
            cards.append(
                {
                    "quote": quote,
                    "lines": lines,
                    "total": sum((row["amount"] for row in lines), start=0),
                    "days_left": (quote.valid_until - today).days,
                    "can_accept": "accept" in actions,
                    "can_decline": "decline" in actions,
                }
            )
        return cards

    def timeline(self, cards) -> list[dict]:
        quotes = [card["quote"] for card in cards]
        return inquiry_timeline(self.inquiry, messages=self.thread(), quotes=quotes)

    def thread(self) -> list:
        return list(InquiryMessage.objects.filter(inquiry=self.inquiry))

    def can_write(self) -> bool:
        return "message" in workflows.INQUIRY_WORKFLOW.permitted(self.request.user, self.inquiry)

    def thread_context(self, message_form=None) -> dict:
        return {
            "inquiry": self.inquiry,
            "thread": self.thread(),
            "can_write": self.can_write(),
            "message_form": message_form or MessageForm(),
        }

    def accepted_quote(self, cards):
        return next(
            (card["quote"] for card in cards if card["quote"].status == QuoteStatus.ACCEPTED),
            None,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.inquiry
        cards = self.quote_cards()
        actions = workflows.INQUIRY_WORKFLOW.permitted(self.request.user, inquiry)
        context.update(self.thread_context(kwargs.get("message_form")))
        context.update(
            title=str(inquiry),
            items=list(inquiry.items.all()),
            cards=cards,
            accepted_quote=self.accepted_quote(cards),
            timeline=self.timeline(cards),
            can_withdraw="withdraw" in actions,
            breadcrumbs=[
                (pgettext_lazy("navigation", "Inquiries"), reverse("desk:inquiries")),
                (str(inquiry), None),
            ],
        )
        return context


class InquiryActionDesk(PortalFormView, InquiryDesk):
    """A form about the inquiry posted to its own address: GET shows its own page (a confirm
    step), a refusal shows it again with the reasons."""

    def get(self, request, *args, **kwargs):
        self.inquiry  # noqa: B018  (another buyer's inquiry is a 404 before anything else)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.inquiry  # noqa: B018
        return super().post(request, *args, **kwargs)

    def done(self, text: str, anchor: str = "") -> str:
        messages.success(self.request, text)
        return inquiry_url(self.inquiry, anchor)


class QuoteActionDesk(InquiryActionDesk):
    """`?quote=<id>` (or the posted `quote`): one of this inquiry's quotes."""

    @cached_property
    def quote(self):
        pk = id_in_address(self.request.POST.get("quote") or self.request.GET.get("quote", ""))
        return next((quote for quote in self.inquiry.quotes.all() if quote.pk == pk), None)

    def get(self, request, *args, **kwargs):
        if self.quote is None:
            return redirect(inquiry_url(self.inquiry, "#quotes"))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.inquiry  # noqa: B018
        if self.quote is None:
            return redirect(inquiry_url(self.inquiry, "#quotes"))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["card"] = next(card for card in context["cards"] if card["quote"] == self.quote)
        return context


class AcceptDesk(QuoteActionDesk):
    template_name = "trade/desk/accept.html"
    form_class = AcceptForm
    title = _("Accept this quote")

    def perform(self, form):
        if self.quote.status != QuoteStatus.ACCEPTED:  # a second click finds it accepted
            form.call(services.quote_accept, actor=self.request.user, quote=self.quote)
        return self.done(
            gettext("You accepted the quote. The exporter is told and prepares the shipment.")
        )


class DeclineQuoteDesk(QuoteActionDesk):
    template_name = "trade/desk/decline.html"
    form_class = ReasonForm
    title = _("Decline this quote")

    def perform(self, form):
        if self.quote.status != QuoteStatus.DECLINED:
            form.call(
                services.quote_decline,
                actor=self.request.user,
                quote=self.quote,
                reason=form.cleaned_data["reason"],
            )
        return self.done(gettext("You declined the quote. The exporter is told."), "#quotes")


class WithdrawDesk(InquiryActionDesk):
    template_name = "trade/desk/withdraw.html"
    form_class = ReasonForm
    title = _("Withdraw the inquiry")

    def perform(self, form):
        if self.inquiry.status != InquiryStatus.WITHDRAWN:
            form.call(
                services.inquiry_withdraw,
                actor=self.request.user,
                inquiry=self.inquiry,
                reason=form.cleaned_data["reason"],
            )
        return self.done(gettext("You withdrew the inquiry. The exporter is told."))


class MessageDesk(InquiryActionDesk):
    """The thread's form. With htmx the thread alone comes back (updated in place)."""

    form_class = MessageForm

    def get(self, request, *args, **kwargs):
        return redirect(inquiry_url(self.inquiry, "#thread"))

    def get_template_names(self):
        if self.request.htmx:
            return ["trade/desk/_thread.html"]
        return [InquiryDesk.template_name]

    def get_context_data(self, **kwargs):
        if self.request.htmx:
            return self.thread_context(kwargs.get("form"))
        return super().get_context_data(message_form=kwargs.get("form"), **kwargs)

    def perform(self, form):
        form.call(
            services.inquiry_message_post,
            actor=self.request.user,
            inquiry=self.inquiry,
            body=form.cleaned_data["body"],
        )
        if self.request.htmx:
            return self.render_to_response(self.thread_context())
        return self.done(gettext("Your message was sent to the exporter."), "#thread")
