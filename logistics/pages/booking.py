"""Booking a shipment, its documents, the readiness gate and dispatch.

Every form calls the service the API calls (`logistics.services.shipments`): booking
`shipment_create` (`POST /api/v1/shipments/`), a document `document_add` (`POST …/documents/`),
dispatch `shipment_dispatch` (`POST …/dispatch/`) and cancel `shipment_cancel`; the gate shown
before dispatch is `dispatch_readiness`, the check dispatch applies.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.errors import ApplicationError
from agri_platform.portal.views import EnterprisePage, PortalFormView
from agri_platform.reference import l10n
from enterprises.selectors import products_for
from enterprises.services import require_verified

from .. import selectors
from ..choices import ShipmentStatus
from ..forms import (
    BookingForm,
    CancelForm,
    DispatchForm,
    DocumentForm,
    Unit,
    item_formset,
    places_matching,
)
from ..models import Shipment
from ..services.shipments import (
    SHIPMENT_WORKFLOW,
    band_of,
    dispatch_readiness,
    document_add,
    shipment_cancel,
    shipment_create,
    shipment_dispatch,
)

# The badge state each readiness status reads as (agri_platform/portal/badges.py).
CHECK_STATES = {"met": "held", "expiring": "expiring", "missing": "missing"}
CHECK_LABELS = {"met": _("Held"), "expiring": _("Expiring"), "missing": _("Missing")}


def shipment_url(shipment, anchor: str = "") -> str:
    return reverse("portal:shipment", kwargs={"pk": shipment.pk}) + anchor


# --- the gate and the panel ----------------------------------------------------------------------


def readiness_gate(shipment) -> dict:
    """The readiness gate as the panel shows it: every check with its badge and explanation."""
    checks = [
        {
            "check": check,
            "state": CHECK_STATES[check.status],
            "label": CHECK_LABELS[check.status],
            "blocks": check.blocks_dispatch,
            "upload": check.kind == "document" and not check.is_met,
        }
        for check in dispatch_readiness(shipment)
    ]
    return {
        "checks": checks,
        "ready": not any(row["blocks"] for row in checks),
        "country": l10n.country_name(shipment.destination.country_id),
    }


def documents_and_dispatch(request, shipment) -> dict:
    """What the shipment page's documents and dispatch panel
    (`logistics/portal/_documents_and_dispatch.html`) needs, for `shipment` as `request`'s
    person sees it."""
    actions = SHIPMENT_WORKFLOW.permitted(request.user, shipment)
    can_add = shipment.status != ShipmentStatus.CANCELLED
    return {
        "shipment": shipment,
        "documents": selectors.documents_for(request.user).filter(shipment=shipment),
        "document_form": DocumentForm() if can_add else None,
        "gate": readiness_gate(shipment) if "dispatch" in actions else None,
        "can_dispatch": "dispatch" in actions,
        "can_cancel": "cancel" in actions,
        "cancel_form": CancelForm() if "cancel" in actions else None,
    }


def readiness_summary(shipment) -> str:
    """One sentence after booking: what the destination still needs before dispatch."""
    gate = readiness_gate(shipment)
    missing = [row["check"].name for row in gate["checks"] if row["blocks"]]
    values = {"reference": shipment.reference, "country": gate["country"]}
    if not missing:
        return (
            gettext("Shipment %(reference)s is booked; nothing is missing to ship to %(country)s.")
            % values
        )
    values["missing"] = pgettext("list separator", "; ").join(str(name) for name in missing)
    return (
        gettext(
            "Shipment %(reference)s is booked. Before dispatch, %(country)s still requires: "
            "%(missing)s."
        )
        % values
    )


# --- booking ------------------------------------------------------------------------------------


class BookingPage(EnterprisePage, PortalFormView):
    template_name = "logistics/portal/booking.html"
    form_class = BookingForm
    section = "shipments"
    title = _("Book a shipment")

    @cached_property
    def products(self):
        return products_for(self.request.user).filter(enterprise=self.enterprise)

    @cached_property
    def draft(self):
        """The enterprise's open draft named by `?draft=` (the form posts back to the same
        address), or None; any other draft is a 404."""
        draft_id = self.request.GET.get("draft", "")
        if not draft_id:
            return None
        drafts = selectors.open_shipment_drafts(self.request.user, self.enterprise)
        return get_object_or_404(drafts, pk=draft_id if draft_id.isdigit() else 0)

    def get_initial(self):
        initial = {"origin": "CNCTU"}
        if self.draft is not None:
            initial.update(draft_initial(self.draft))
        return initial

    def get_items(self):
        data = self.request.POST if self.request.method == "POST" else None
        initial = draft_items_initial(self.draft) if self.draft and data is None else None
        return item_formset(products=self.products, data=data, initial=initial)

    def post(self, request, *args, **kwargs):
        if "add_item" in request.POST:
            return self.render_to_response(self.with_one_more_item())
        form, items = self.get_form(), self.get_items()
        if form.is_valid() and items.is_valid():
            return self.form_valid(form, items)
        return self.render_to_response(self.get_context_data(form=form, items=items))

    def with_one_more_item(self) -> dict:
        """The form as typed so far, unchecked, with one more empty item (no JavaScript needed)."""
        typed = self.get_form()
        form = self.form_class(initial={name: typed[name].value() for name in typed.fields})
        rows = [{name: row[name].value() for name in row.fields} for row in self.get_items()]
        items = item_formset(products=self.products, initial=[*rows, {}])
        return self.get_context_data(form=form, items=items)

    def form_valid(self, form, items=None):
        self.items = items
        return super().form_valid(form)

    def perform(self, form):
        service_items = [row.service_item() for row in self.items if row.has_changed()]
        shipment = form.call(
            shipment_create,
            actor=self.request.user,
            enterprise=self.enterprise,
            items=service_items,
            draft=self.draft,
            **form.service_fields(),
        )
        messages.success(self.request, readiness_summary(shipment))
        return shipment_url(shipment)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = context.setdefault("items", self.get_items())
        context["band"] = band_context(chosen_products(items, self.products))
        context["not_verified"] = verification_problem(self.enterprise)
        context["draft"] = self.draft
        context["breadcrumbs"] = [
            (pgettext("navigation", "Shipments"), reverse("portal:shipments")),
            (gettext("Book a shipment"), None),
        ]
        return context


def draft_initial(draft) -> dict:
    """The booking form's fields a draft fills in."""
    return {
        "consignee_name": draft.consignee_name,
        "consignee_country": draft.consignee_country_id,
        "destination": draft.destination_id,
        "destination_search": draft.destination_id,
        "incoterm": draft.incoterm,
    }


def draft_items_initial(draft) -> list[dict]:
    """The booking form's item rows from the draft's items (what it does not know stays empty)."""
    rows = []
    for item in draft.items.all():
        row = {"product": item.product_id, "quantity": item.net_kg, "unit": Unit.KG}
        if item.packages:
            row["packages"] = item.packages
        if item.declared_value is not None:
            row["declared_value"] = item.declared_value
        if item.currency_id:
            row["currency"] = item.currency_id
        rows.append(row)
    return rows


def verification_problem(enterprise) -> str:
    """Why the enterprise may not book yet (the service's own words), or ""."""
    try:
        require_verified(enterprise)
    except ApplicationError as error:
        return error.detail
    return ""


def chosen_products(items, products) -> list:
    ids = []
    for row in items:
        value = row["product"].value()
        if value and str(value).isdigit():
            ids.append(int(value))
    return list(products.filter(pk__in=ids))


def band_context(products) -> dict:
    """The band the chosen products give (the service's `band_of`), or its refusal in words."""
    if not products:
        return {"chosen": False}
    try:
        low, high = band_of(products)
    except ApplicationError as error:
        return {"chosen": True, "conflict": error.detail}
    return {"chosen": True, "low": low, "high": high}


class BandPartial(EnterprisePage):
    """htmx: the band of the products chosen so far, as the items change."""

    template_name = "logistics/portal/_booking_band.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = [
            value
            for key, value in self.request.GET.items()
            if key.endswith("-product") and value.isdigit()
        ]
        products = products_for(self.request.user).filter(enterprise=self.enterprise)
        context["band"] = band_context(list(products.filter(pk__in=ids)))
        return context


class PlacesPartial(EnterprisePage):
    """htmx: the reference places matching what is typed in the destination search."""

    template_name = "logistics/portal/_booking_places.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.request.GET.get("destination_search", "")
        context["places"] = list(places_matching(search))
        context["search"] = search
        return context


# --- documents, dispatch, cancel -----------------------------------------------------------------


class ShipmentActionPage(EnterprisePage, PortalFormView):
    """A form about one shipment of the enterprise: its own page (GET, and a refusal), a redirect
    back to the shipment page once the service agreed."""

    isolation_model = Shipment
    section = "shipments"

    @cached_property
    def shipment(self):
        scoped = selectors.shipments_for(self.request.user).filter(enterprise=self.enterprise)
        return get_object_or_404(scoped, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.shipment  # noqa: B018  (a 404 before anything else)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.shipment  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shipment"] = self.shipment
        context.update(documents_and_dispatch(self.request, self.shipment))
        context["breadcrumbs"] = [
            (pgettext("navigation", "Shipments"), reverse("portal:shipments")),
            (self.shipment.reference, shipment_url(self.shipment)),
            (str(self.title), None),
        ]
        return context


class DocumentsPage(ShipmentActionPage):
    template_name = "logistics/portal/booking_documents.html"
    form_class = DocumentForm
    title = _("Upload a document")

    def get_initial(self):
        return {"doc_type": self.request.GET.get("doc_type", "")}

    def perform(self, form):
        data = form.cleaned_data
        document = form.call(
            document_add,
            actor=self.request.user,
            shipment=self.shipment,
            doc_type=data["doc_type"],
            upload=data["file"],
            number=data["number"],
        )
        messages.success(
            self.request,
            gettext("%(document)s uploaded.") % {"document": document.get_doc_type_display()},
        )
        return shipment_url(self.shipment, "#documents")


class DispatchPage(ShipmentActionPage):
    template_name = "logistics/portal/booking_dispatch.html"
    form_class = DispatchForm
    title = _("Dispatch the shipment")

    def perform(self, form):
        form.call(shipment_dispatch, actor=self.request.user, shipment=self.shipment)
        messages.success(
            self.request,
            gettext("Shipment %(reference)s is dispatched.")
            % {"reference": self.shipment.reference},
        )
        return shipment_url(self.shipment)


class CancelPage(ShipmentActionPage):
    template_name = "logistics/portal/booking_cancel.html"
    form_class = CancelForm
    title = _("Cancel the shipment")

    def perform(self, form):
        form.call(
            shipment_cancel,
            actor=self.request.user,
            shipment=self.shipment,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            gettext("Shipment %(reference)s is cancelled.")
            % {"reference": self.shipment.reference},
        )
        return shipment_url(self.shipment)
