"""The exporter's side of inquiries in the portal (docs/buyers.md, "For exporters: answering in the
portal"): the inquiries received, one inquiry with its timeline (messages, quotes, decisions), the
forms that answer it (a quote through a check step, a decline, a message, withdrawing a quote,
blocking the buyer) and the blocked buyers. Every write calls the service the API calls; every read
starts from `trade.selectors.inquiries.inquiries_for(user)`, then the enterprise acted for."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import EnterprisePage, PortalFormView, paginate
from agri_platform.reference import l10n

from ..choices import BuyerStatus, InquiryStatus, QuoteStatus
from ..forms_exporter import (
    BlockForm,
    DeclineForm,
    MessageForm,
    QuoteForm,
    QuoteWithdrawForm,
    UnblockForm,
)
from ..models import BuyerBlock, Inquiry, InquiryItem, Quote
from ..selectors.inbox import inquiry_needs_answer, needs_answer, with_last_side
from ..selectors.inquiries import blocks_for, inquiries_for, inquiry_timeline, quotes_for
from ..services import blocks as block_services
from ..services import inquiries as services
from ..workflows import INQUIRY_WORKFLOW, QUOTE_WORKFLOW

# Unanswered longer than this, an inquiry's age shows in amber.
ANSWER_DUE = timedelta(days=2)


def list_url() -> str:
    return reverse("portal:inquiries")


def inquiry_url(inquiry) -> str:
    return reverse("portal:inquiry", kwargs={"pk": inquiry.pk})


def buyer_label(buyer) -> dict:
    """What an enterprise may know of a buyer that wrote to it, and nothing else."""
    return {
        "name": buyer.partner.name,
        "country": l10n.country_name(buyer.partner.country),
        "kind": buyer.get_kind_display(),
        "website": buyer.website,
        "verified": buyer.status == BuyerStatus.VERIFIED,
    }


def age_of(inquiry, now) -> dict:
    """How long the inquiry has waited for its first answer (`late` after ANSWER_DUE)."""
    waited = now - inquiry.created_at
    unanswered = inquiry.first_response_at is None and inquiry.status == InquiryStatus.SENT
    return {
        "days": waited.days,
        "unanswered": unanswered,
        "late": unanswered and waited >= ANSWER_DUE,
    }


def readiness_summary(draft) -> dict:
    """The draft's readiness when opened, counted: how many requirements are met."""
    checks = draft.readiness or []
    met = sum(1 for check in checks if isinstance(check, dict) and check.get("status") == "met")
    return {"met": met, "total": len(checks), "complete": met == len(checks)}


class InboxPage(EnterprisePage):
    section = "inquiries"

    def inquiries(self):
        return inquiries_for(self.request.user).filter(enterprise=self.enterprise)


class InquiryListPage(InboxPage):
    template_name = "trade/portal/inquiries.html"
    title = _("Inquiries")

    def chosen(self) -> dict:
        query = self.request.GET
        status = query.get("status", "")
        market = query.get("market", "").upper()
        product = query.get("product", "")
        return {
            "status": status if status in InquiryStatus.values else "",
            "market": market if len(market) == 2 and market.isalpha() else "",
            "product": product if product.isdigit() and len(product) < 19 else "",
            "waiting": query.get("waiting") == "1",
        }

    def filtered(self, chosen: dict):
        inquiries = with_last_side(self.inquiries())
        if chosen["status"]:
            inquiries = inquiries.filter(status=chosen["status"])
        if chosen["market"]:
            inquiries = inquiries.filter(destination__country_id=chosen["market"])
        if chosen["product"]:
            asking = InquiryItem.objects.filter(product_id=int(chosen["product"]))
            inquiries = inquiries.filter(pk__in=asking.values("inquiry_id"))
        if chosen["waiting"]:
            inquiries = inquiries.filter(needs_answer())
        return inquiries.order_by("-created_at", "-id")

    def filter_choices(self) -> dict:
        received = self.inquiries()
        markets = received.values_list("destination__country_id", flat=True).distinct()
        products = (
            InquiryItem.objects.filter(inquiry__in=received)
            .values_list("product_id", "product__name_zh", "product__name_en")
            .distinct()
            .order_by("product_id")
        )
        return {
            "markets": sorted(
                ((code, l10n.country_name(code)) for code in set(markets)), key=lambda m: m[1]
            ),
            "products": [
                (str(pk), l10n.in_reading_language(name_zh, name_en))
                for pk, name_zh, name_en in products
            ],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.chosen()
        page_obj = paginate(self.request, self.filtered(chosen))
        now = timezone.now()
        for inquiry in page_obj:
            inquiry.buyer_facts = buyer_label(inquiry.buyer)
            inquiry.age = age_of(inquiry, now)
            inquiry.needs_answer = inquiry_needs_answer(inquiry)
        has_inquiries = self.inquiries().exists()
        context.update(
            page_obj=page_obj,
            chosen=chosen,
            filtered=any(chosen.values()),
            has_inquiries=has_inquiries,
            statuses=InquiryStatus.choices,
            breadcrumbs=[(self.title, None)],
            **(self.filter_choices() if has_inquiries else {}),
        )
        return context


class OneInquiry:
    """A page of the inquiry in its address, read through the page's scoped `inquiries()`
    (another enterprise's inquiry is a 404), and the actions the workflow allows the reader."""

    isolation_model = Inquiry

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._inquiry = None

    @property
    def inquiry(self) -> Inquiry:
        if self._inquiry is None:
            self._inquiry = get_object_or_404(self.inquiries(), pk=self.kwargs["pk"])
        return self._inquiry

    def allowed(self) -> set[str]:
        return set(INQUIRY_WORKFLOW.permitted(self.request.user, self.inquiry))


class InquiryPage(OneInquiry, InboxPage):
    """One inquiry. The action pages below share it: a refused form shows this page again, with
    the reasons at the form's fields."""

    template_name = "trade/portal/inquiry.html"

    def timeline(self) -> list[dict]:
        inquiry = self.inquiry
        quotes = sorted(inquiry.quotes.all(), key=lambda quote: (quote.created_at, quote.pk))
        for quote in quotes:
            quote.may_withdraw = "withdraw" in QUOTE_WORKFLOW.permitted(self.request.user, quote)
        messages = inquiry.messages.select_related("author").order_by("created_at", "id")
        return inquiry_timeline(inquiry, messages=messages, quotes=quotes)

    def timeline_context(self, message_form=None) -> dict:
        allowed = self.allowed()
        return {
            "inquiry": self.inquiry,
            "timeline": self.timeline(),
            "can_write": "message" in allowed,
            "message_form": message_form or MessageForm(),
        }

    def accepted_quote(self):
        return next(
            (q for q in self.inquiry.quotes.all() if q.status == QuoteStatus.ACCEPTED), None
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.inquiry
        allowed = self.allowed()
        accepted = self.accepted_quote()
        draft = accepted.shipment_draft if accepted else None
        context.update(self.timeline_context(kwargs.get("message_form")))
        context.update(
            title=str(inquiry),
            buyer=buyer_label(inquiry.buyer),
            age=age_of(inquiry, timezone.now()),
            can_quote="quote" in allowed,
            can_decline="decline" in allowed,
            can_block=self.may_block(),
            draft=draft,
            readiness=readiness_summary(draft) if draft else None,
            breadcrumbs=[(gettext("Inquiries"), list_url()), (str(inquiry), None)],
        )
        return context

    def may_block(self) -> bool:
        return not BuyerBlock.objects.filter(
            enterprise=self.enterprise, buyer_id=self.inquiry.buyer_id
        ).exists()


class InquiryActionPage(InquiryPage, PortalFormView):
    """A form of the inquiry page posted to its own address. GET goes back to the inquiry."""

    form_context_name = "form"

    def get(self, request, *args, **kwargs):
        return redirect(inquiry_url(self.inquiry))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(**{self.form_context_name: form}))


class MessagePage(InquiryActionPage):
    """The timeline's form. With htmx the timeline alone comes back (updated in place)."""

    form_class = MessageForm
    form_context_name = "message_form"

    def get_template_names(self):
        if self.request.htmx:
            return ["trade/portal/_timeline.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        if self.request.htmx:  # the partial needs nothing else
            return self.timeline_context(kwargs.get("message_form"))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        form.call(
            services.inquiry_message_post,
            actor=self.request.user,
            inquiry=self.inquiry,
            body=form.cleaned_data["body"],
        )
        if self.request.htmx:
            return self.render_to_response(self.timeline_context())
        messages.success(self.request, gettext("Your message was sent to the buyer."))
        return inquiry_url(self.inquiry) + "#timeline"


class ConfirmPage(InquiryPage, PortalFormView):
    """An action that asks once, on a page of its own (`template_name`, `title`). Opened when
    the inquiry no longer allows it, it goes back to the inquiry saying so."""

    closed_message = _("The inquiry no longer allows this.")

    def still_possible(self) -> bool:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if not self.still_possible():
            messages.error(request, self.closed_message)
            return redirect(inquiry_url(self.inquiry))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["breadcrumbs"] = [
            (gettext("Inquiries"), list_url()),
            (str(self.inquiry), inquiry_url(self.inquiry)),
            (self.title, None),
        ]
        return context


class QuotePage(ConfirmPage):
    """Send a quote in two steps: the form, then "check your answers" (a quote is an offer the
    buyer can accept at once). The check step carries the answers in hidden fields; `confirm`
    sends it; `change` goes back to the form with the answers kept."""

    template_name = "trade/portal/quote.html"
    title = _("Send a quote")
    form_class = QuoteForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["inquiry"] = self.inquiry
        return kwargs

    closed_message = _("This inquiry can no longer be quoted.")

    def still_possible(self) -> bool:
        return "quote" in self.allowed()

    def form_valid(self, form):
        step = self.request.POST.get("step")
        if step == "confirm":
            return super().form_valid(form)
        checking = step != "change"  # "change" goes back to the form, answers kept
        return self.render_to_response(self.get_context_data(form=form, checking=checking))

    def perform(self, form):
        data = form.cleaned_data
        form.call(
            services.quote_send,
            actor=self.request.user,
            inquiry=self.inquiry,
            currency=form.currency_object(),
            incoterm=data["incoterm"],
            valid_until=data["valid_until"],
            lead_time_days=data["lead_time_days"],
            conditions=data["conditions"],
            lines=form.lines(),
        )
        messages.success(
            self.request, gettext("Your quote was sent. The buyer can accept it until it expires.")
        )
        return inquiry_url(self.inquiry) + "#timeline"


class DeclinePage(ConfirmPage):
    template_name = "trade/portal/decline.html"
    title = _("Decline the inquiry")
    form_class = DeclineForm
    closed_message = _("This inquiry can no longer be declined.")

    def still_possible(self) -> bool:
        return "decline" in self.allowed()

    def perform(self, form):
        form.call(
            services.inquiry_decline,
            actor=self.request.user,
            inquiry=self.inquiry,
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, gettext("The inquiry was declined; the buyer is told why."))
        return inquiry_url(self.inquiry)


class BlockPage(ConfirmPage):
    template_name = "trade/portal/block.html"
    title = _("Block this buyer")
    form_class = BlockForm
    closed_message = _("This buyer is already blocked.")

    def still_possible(self) -> bool:
        return self.may_block()

    def perform(self, form):
        form.call(
            block_services.buyer_block,
            actor=self.request.user,
            enterprise=self.enterprise,
            buyer=self.inquiry.buyer,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            gettext("The buyer is blocked: their inquiries no longer reach your enterprise."),
        )
        return reverse("portal:blocked-buyers")


class QuoteWithdrawPage(InboxPage, PortalFormView):
    """Withdrawing an open quote asks once, on a page of its own."""

    template_name = "trade/portal/quote_withdraw.html"
    title = _("Withdraw the quote")
    form_class = QuoteWithdrawForm
    isolation_model = Quote

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._quote = None

    @property
    def quote(self) -> Quote:
        if self._quote is None:
            quotes = quotes_for(self.request.user).filter(inquiry__enterprise=self.enterprise)
            self._quote = get_object_or_404(quotes, pk=self.kwargs["pk"])
        return self._quote

    def get(self, request, *args, **kwargs):
        if "withdraw" not in QUOTE_WORKFLOW.permitted(request.user, self.quote):
            messages.error(request, gettext("This quote is no longer open."))
            return redirect(inquiry_url(self.quote.inquiry))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.quote.inquiry
        context.update(
            quote=self.quote,
            inquiry=inquiry,
            breadcrumbs=[
                (gettext("Inquiries"), list_url()),
                (str(inquiry), inquiry_url(inquiry)),
                (self.title, None),
            ],
        )
        return context

    def perform(self, form):
        form.call(
            services.quote_withdraw,
            actor=self.request.user,
            quote=self.quote,
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, gettext("The quote was withdrawn; the buyer is told."))
        return inquiry_url(self.quote.inquiry) + "#timeline"


class BlockedBuyersPage(InboxPage):
    template_name = "trade/portal/blocked_buyers.html"
    title = _("Blocked buyers")

    def blocks(self):
        return blocks_for(self.request.user).filter(enterprise=self.enterprise)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = paginate(self.request, self.blocks())
        for block in page_obj:
            block.buyer_facts = buyer_label(block.buyer)
        context.update(
            page_obj=page_obj,
            unblock_form=kwargs.get("unblock_form") or UnblockForm(),
            breadcrumbs=[(gettext("Inquiries"), list_url()), (self.title, None)],
        )
        return context


class UnblockPage(BlockedBuyersPage, PortalFormView):
    """The unblock button of a row of the blocked buyers (it asks once in the page's script)."""

    form_class = UnblockForm
    isolation_model = BuyerBlock

    def block(self) -> BuyerBlock:
        return get_object_or_404(self.blocks(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.block()  # another enterprise's block is a 404 here too
        return redirect("portal:blocked-buyers")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(unblock_form=form))

    def perform(self, form):
        block = self.block()
        form.call(block_services.buyer_unblock, actor=self.request.user, block=block)
        messages.success(
            self.request,
            gettext("%(buyer)s is unblocked: their new inquiries reach you again.")
            % {"buyer": block.buyer.partner.name},
        )
        return reverse("portal:blocked-buyers")
