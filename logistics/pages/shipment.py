"""The shipment list and the shipment page: milestones, the temperature chart, excursions, the
tracking link, the EPCIS download."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer

from agri_platform.portal.forms import PortalForm
from agri_platform.portal.views import EnterprisePage, PortalFormView, paginate

from .. import epcis, selectors, tracking
from ..choices import ShipmentStatus
from ..excursions import Band
from ..models import Shipment, TemperatureExcursion
from ..services.excursions import excursion_acknowledge
from ..services.shipments import shipment_tracking_token_rotate
from .booking import documents_and_dispatch


class ShipmentFilterForm(forms.Form):
    """The list's filter bar, read from the query string (a filtered list is a link to share)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ShipmentStatus.choices],
    )
    q = forms.CharField(label=_("Reference or consignee"), required=False, max_length=100)


class AcknowledgeForm(PortalForm):
    # The service holds the rules of a comment (not blank, its length); the form only asks for one.
    comment = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the reefer was reset and the load checked."),
    )


class TrackingLinkForm(PortalForm):
    """Issuing a new tracking link asks nothing more than the click."""


def shipment_of(request, pk) -> Shipment:
    """The shipment `pk` as the request's person may see it; anyone else's is a 404."""
    return get_object_or_404(selectors.shipments_for(request.user), pk=pk)


def excursion_of(request, shipment_pk, pk) -> TemperatureExcursion:
    return get_object_or_404(selectors.excursions_for(request.user), pk=pk, shipment_id=shipment_pk)


class ShipmentListPage(EnterprisePage):
    template_name = "logistics/portal/shipments.html"
    section = "shipments"
    title = pgettext_lazy("page", "Shipments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ShipmentFilterForm(self.request.GET)
        form.is_valid()  # a value that is not a choice is reported at its field and ignored
        status = form.cleaned_data.get("status", "")
        search = form.cleaned_data.get("q", "").strip()
        shipments = selectors.enterprise_shipments(
            self.request.user, self.enterprise, status=status, search=search
        )
        page = paginate(self.request, shipments)
        context.update(
            drafts=list(
                selectors.open_shipment_drafts(self.request.user, self.enterprise)
                .select_related(None)
                .select_related("destination")
                .prefetch_related(None)
            ),
            form=form,
            page_obj=page,
            shipments=page.object_list,
            filtered=bool(status or search),
            breadcrumbs=[(self.title, None)],
        )
        return context


class ShipmentPage(EnterprisePage):
    """Status and last reading first, then the panel of documents and dispatch, the milestones,
    the temperature chart and its excursions, the tracking link and the EPCIS download."""

    template_name = "logistics/portal/shipment.html"
    section = "shipments"
    isolation_model = Shipment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shipment = shipment_of(self.request, self.kwargs["pk"])
        context.update(shipment_context(self.request, shipment))
        context.update(documents_and_dispatch(self.request, shipment))
        return context


def shipment_context(request, shipment: Shipment, forms_by_id=None) -> dict:
    """What the shipment page shows; `forms_by_id` holds an acknowledgement form in error."""
    view = tracking.public_view(shipment)
    summary = view["summary"]
    excursions = selectors.excursions_for(request.user).filter(shipment=shipment)
    forms_by_id = forms_by_id or {}
    rows = [
        {"excursion": x, "form": forms_by_id.get(x.pk) or AcknowledgeForm(prefix=f"x{x.pk}")}
        for x in excursions
    ]
    return {
        "title": gettext("Shipment %(reference)s") % {"reference": shipment.reference},
        "breadcrumbs": [
            (pgettext("page", "Shipments"), reverse("portal:shipments")),
            (shipment.reference, None),
        ],
        "shipment": shipment,
        "view": view,
        "summary": summary,
        "last_reading_in_band": last_reading_in_band(shipment, summary),
        "band": tracking.band_text(view["band_c"]),
        "chart": tracking.svg_chart(view, timezone.get_current_timezone()),
        "milestones": list(reversed(view["timeline"])),
        "excursion_rows": rows,
        "open_excursions": sum(1 for x in excursions if x.acknowledged_at is None),
        "tracking_url": tracking.tracking_url(shipment),
    }


def last_reading_in_band(shipment: Shipment, summary: dict) -> bool | None:
    """Whether the last reading is inside the band (None: no reading or no band)."""
    band = Band.of(shipment)
    if band is None or summary["last_temp_c"] is None:
        return None
    return not band.is_out(summary["last_reading_at"], summary["last_temp_c"])


class ExcursionAcknowledgePage(EnterprisePage, PortalFormView):
    """Acknowledge an excursion with what was done: inline on the shipment page (htmx swaps the
    excursion's row), or on this page of its own without JavaScript."""

    template_name = "logistics/portal/shipment_excursion_acknowledge.html"
    section = "shipments"
    isolation_model = TemperatureExcursion
    form_class = AcknowledgeForm
    submit_label = _("Acknowledge")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.excursion = excursion_of(request, kwargs["shipment_pk"], kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self):
        return f"x{self.excursion.pk}"

    def perform(self, form):
        form.call(
            excursion_acknowledge,
            actor=self.request.user,
            excursion=self.excursion,
            comment=form.cleaned_data["comment"],
        )
        if self.request.htmx:
            return self.row(form=None)
        messages.success(self.request, gettext("The excursion is acknowledged."))
        url = reverse("portal:shipment", args=[self.excursion.shipment_id])
        return f"{url}#excursion-{self.excursion.pk}"

    def form_invalid(self, form):
        if self.request.htmx:
            return self.row(form=form)
        return super().form_invalid(form)

    def row(self, form):
        excursion = excursion_of(self.request, self.excursion.shipment_id, self.excursion.pk)
        row = {"excursion": excursion, "form": form or AcknowledgeForm(prefix=self.get_prefix())}
        return render(
            self.request,
            "logistics/portal/_shipment_excursion.html",
            {"row": row, "shipment": excursion.shipment},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shipment = self.excursion.shipment
        context.update(
            title=gettext("Acknowledge the excursion"),
            excursion=self.excursion,
            shipment=shipment,
            cancel_url=reverse("portal:shipment", args=[shipment.pk]),
            breadcrumbs=[
                (pgettext("page", "Shipments"), reverse("portal:shipments")),
                (shipment.reference, reverse("portal:shipment", args=[shipment.pk])),
                (gettext("Acknowledge the excursion"), None),
            ],
        )
        return context


class TrackingLinkPage(EnterprisePage, PortalFormView):
    """Issue a new tracking link (the old one stops working): asked once on the shipment page,
    or on this page of its own."""

    template_name = "logistics/portal/shipment_tracking_link.html"
    section = "shipments"
    isolation_model = Shipment
    form_class = TrackingLinkForm
    submit_label = _("Issue a new link")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.shipment = shipment_of(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        form.call(shipment_tracking_token_rotate, actor=self.request.user, shipment=self.shipment)
        messages.success(
            self.request,
            gettext(
                "A new tracking link is ready; the old one no longer works. Send it to the buyer."
            ),
        )
        return reverse("portal:shipment", args=[self.shipment.pk]) + "#tracking-link"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=gettext("Issue a new tracking link"),
            shipment=self.shipment,
            cancel_url=reverse("portal:shipment", args=[self.shipment.pk]),
            breadcrumbs=[
                (pgettext("page", "Shipments"), reverse("portal:shipments")),
                (self.shipment.reference, reverse("portal:shipment", args=[self.shipment.pk])),
                (gettext("Issue a new tracking link"), None),
            ],
        )
        return context


class EpcisDownload(EnterprisePage):
    """The shipment as the GS1 EPCIS 2.0 document `GET /api/v1/shipments/{id}/epcis/` answers,
    as a file."""

    isolation_model = Shipment

    def get(self, request, *args, **kwargs):
        shipment = shipment_of(request, kwargs["pk"])
        body = JSONRenderer().render(epcis.epcis_document(shipment))
        response = HttpResponse(body, content_type="application/ld+json")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{shipment.reference}-epcis.jsonld"
        )
        return response
