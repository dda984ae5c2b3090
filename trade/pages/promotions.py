"""Promotion events: the public list and event page; the exporter's sign-up in the portal.

The pages read the selectors and call the services the API uses (trade/selectors/promotions.py,
trade/services/promotions.py)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.forms import PortalForm, ServiceRefused
from agri_platform.portal.public import PublicPage
from agri_platform.portal.views import EnterprisePage
from agri_platform.reference import l10n
from agri_platform.reference.choices import ExportCategory

from ..choices import ParticipantStatus, PromotionKind, PromotionStatus
from ..models import PromotionEvent
from ..selectors import promotions as selectors
from ..services import promotions as services

PAST_SHOWN = 12


class PromotionFilterForm(forms.Form):
    """The public list's filter bar, read from the query string."""

    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("All kinds")), *PromotionKind.choices],
    )
    category = forms.ChoiceField(
        label=_("Product category"),
        required=False,
        choices=[("", _("All categories")), *ExportCategory.choices],
    )


def with_category_labels(events) -> list[PromotionEvent]:
    """The events, each with `category_labels`: its categories as the reader calls them."""
    events = list(events)
    for event in events:
        event.category_labels = [
            ExportCategory(value).label for value in event.categories if value in ExportCategory
        ]
    return events


def _filtered(events, *, kind: str = "", category: str = ""):
    if kind:
        events = events.filter(kind=kind)
    if category:
        events = selectors.for_category(events, category)
    return events


class PromotionListPage(PublicPage):
    template_name = "trade/promotions/list.html"
    title = _("Promotion events")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PromotionFilterForm(self.request.GET)
        form.is_valid()  # a value that is not a choice is reported at its field and ignored
        wanted = {
            "kind": form.cleaned_data.get("kind", ""),
            "category": form.cleaned_data.get("category", ""),
        }
        today = timezone.localdate()
        events = _filtered(selectors.published_promotions(), **wanted)
        upcoming = with_category_labels(events.filter(ends_on__gte=today).order_by("starts_on"))
        past = with_category_labels(
            events.filter(ends_on__lt=today).order_by("-starts_on", "-id")[:PAST_SHOWN]
        )
        context.update(
            form=form,
            filtered=any(wanted.values()),
            upcoming=upcoming,
            past=past,
            count=len(upcoming),
        )
        return context


class PromotionPage(PublicPage):
    template_name = "trade/promotions/event.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        [event] = with_category_labels([selectors.published_promotion(self.kwargs["pk"])])
        context.update(
            event=event,
            title=l10n.in_reading_language(event.title_zh, event.title_en),
            participants=list(selectors.taking_part(event)),
            is_past=event.ends_on < timezone.localdate(),
        )
        return context


# --- the exporter's portal ----------------------------------------------------------------------


class PromotionSignupListPage(EnterprisePage):
    template_name = "trade/promotions/portal_list.html"
    title = _("Promotion events")
    section = "promotions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = {
            participation.event_id: participation
            for participation in self.enterprise.promotion_participations.select_related(
                "event"
            ).prefetch_related("products")
        }
        open_events = [
            event
            for event in selectors.published_promotions().order_by("starts_on", "id")
            if services.signup_open(event) and event.pk not in _taking_part_ids(mine)
        ]
        taking_part = [
            p
            for p in mine.values()
            if p.status == ParticipantStatus.SIGNED_UP
            and p.event.status == PromotionStatus.PUBLISHED
        ]
        context.update(
            open_events=open_events,
            taking_part=sorted(taking_part, key=lambda p: p.event.starts_on),
        )
        return context


def _taking_part_ids(mine: dict) -> set[int]:
    return {pk for pk, p in mine.items() if p.status == ParticipantStatus.SIGNED_UP}


class SignUpForm(PortalForm):
    products = forms.ModelMultipleChoiceField(
        label=_("Products you will show"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one product to show.")},
    )
    note = forms.CharField(
        label=_("Note for the organisers (optional)"),
        required=False,
        max_length=services.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Samples you bring, a stand you need, who will attend."),
    )

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = enterprise.products.order_by("name_zh", "id")
        self.fields["products"].label_from_instance = lambda product: l10n.in_reading_language(
            product.name_zh, product.name_en
        )


class PromotionSignupPage(PromotionSignupListPage):
    """One event: sign up (choose products, note; check the answers), or withdraw (asked once)."""

    template_name = "trade/promotions/signup.html"
    isolation_model = PromotionEvent

    def dispatch(self, request, *args, **kwargs):
        self.event = None
        return super().dispatch(request, *args, **kwargs)

    def _event(self) -> PromotionEvent:
        if self.event is None:
            self.event = selectors.published_promotion(self.kwargs["pk"])
        return self.event

    def _participation(self):
        return (
            self.enterprise.promotion_participations.filter(
                event=self._event(), status=ParticipantStatus.SIGNED_UP
            )
            .prefetch_related("products")
            .first()
        )

    def get_context_data(self, **kwargs):
        context = super(PromotionSignupListPage, self).get_context_data(**kwargs)
        event = self._event()
        context.update(
            event=event,
            title=l10n.in_reading_language(event.title_zh, event.title_en),
            participation=self._participation(),
            signup_open=services.signup_open(event),
            closes_on=services.signup_closes_on(event),
        )
        if "form" not in context:
            context["form"] = SignUpForm(enterprise=self.enterprise)
        return context

    def post(self, request, *args, **kwargs):
        event = self._event()
        if request.POST.get("action") == "withdraw":
            return self._withdraw(request)
        form = SignUpForm(request.POST, enterprise=self.enterprise)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if request.POST.get("confirmed") != "on":
            return self.render_to_response(self.get_context_data(form=form, checking=True))
        try:
            form.call(
                services.promotion_sign_up,
                actor=request.user,
                event=event,
                enterprise=self.enterprise,
                products=list(form.cleaned_data["products"]),
                note=form.cleaned_data["note"],
            )
        except ServiceRefused:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, gettext("You take part in this event."))
        return HttpResponseRedirect(reverse("portal:promotions"))

    def _withdraw(self, request):
        participation = self._participation()
        if participation is None:
            raise Http404
        if request.POST.get("confirmed") != "on":
            return self.render_to_response(self.get_context_data(withdrawing=True))
        form = PortalForm()
        try:
            form.call(services.promotion_withdraw, actor=request.user, participant=participation)
        except ServiceRefused:
            return render(
                request, self.template_name, self.get_context_data(refused=form.non_field_errors())
            )
        messages.success(request, gettext("You withdrew from this event."))
        return HttpResponseRedirect(reverse("portal:promotions"))
