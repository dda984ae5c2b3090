"""The carrier's desk: the shipments assigned to the carrier, a shipment's page (status, last
reading, milestones, the temperature chart, excursions), posting a milestone and uploading a
telemetry CSV, through the selectors and services of the API's routes for carriers.

A carrier never sees a price or a declared value (the API leaves them out for carriers): these
pages read the shipment, its summary, milestones and excursions, never its items.
"""

import csv
import io
import uuid
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.desk import DeskPage
from agri_platform.portal.views import PortalFormView, paginate

from . import selectors, telemetry, tracking
from .forms import DeskShipmentFilterForm, MilestoneForm, TelemetryUploadForm
from .models import SensorReading, Shipment
from .pages.shipment import last_reading_in_band
from .services.shipments import tracking_event_create
from .services.telemetry import telemetry_ingest

SECTION = "desk:shipments"
# A file of more rows than this shows its rejected rows only, with the totals.
ROWS_SHOWN = 200


class RowOutcome:
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    LABELS = {
        ACCEPTED: pgettext_lazy("reading", "Accepted"),
        DUPLICATE: pgettext_lazy("reading", "Already stored"),
        REJECTED: pgettext_lazy("reading", "Rejected"),
    }


def assigned_shipments(user):
    """The shipments routed to the user's partner (the API's scoped selector), with the number
    of excursions nobody has acknowledged yet; never their items (values, prices)."""
    return (
        selectors.shipments_for(user)
        .prefetch_related(None)
        .annotate(
            open_excursions=Count("excursions", filter=Q(excursions__acknowledged_at__isnull=True))
        )
        .order_by("-planned_departure", "-id")
    )


def assigned_shipment(request, pk) -> Shipment:
    """The shipment `pk` when it is routed to the person's partner; anyone else's is a 404."""
    return get_object_or_404(selectors.shipments_for(request.user).prefetch_related(None), pk=pk)


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(shipments, data: dict):
    if data.get("status"):
        shipments = shipments.filter(status=data["status"])
    if data.get("open_excursions"):
        shipments = shipments.filter(open_excursions__gt=0)
    if data.get("departure_from"):
        shipments = shipments.filter(planned_departure__gte=day_start(data["departure_from"]))
    if data.get("departure_to"):
        end = day_start(data["departure_to"] + timedelta(days=1))
        shipments = shipments.filter(planned_departure__lt=end)
    if search := (data.get("q") or "").strip():
        shipments = shipments.filter(reference__icontains=search)
    return shipments


def band_of(shipment: Shipment) -> str:
    return tracking.band_text(
        {
            "min": float(shipment.temp_min_c) if shipment.temp_min_c is not None else None,
            "max": float(shipment.temp_max_c) if shipment.temp_max_c is not None else None,
        }
    )


def shipment_breadcrumbs(shipment: Shipment, *tail) -> list:
    crumbs = [(pgettext("page", "Shipments"), reverse(SECTION))]
    if tail:
        crumbs.append((shipment.reference, reverse("desk:shipment", args=[shipment.pk])))
        crumbs += [(label, None) for label in tail]
    else:
        crumbs.append((shipment.reference, None))
    return crumbs


class DeskShipmentListPage(DeskPage):
    template_name = "logistics/desk/shipments.html"
    section = SECTION
    title = pgettext_lazy("page", "Shipments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DeskShipmentFilterForm(self.request.GET)
        form.is_valid()  # a value in error is reported at its field and ignored
        data = form.cleaned_data
        page = paginate(self.request, filtered(assigned_shipments(self.request.user), data))
        rows = [{"shipment": s, "band": band_of(s)} for s in page.object_list]
        context.update(
            form=form,
            page_obj=page,
            rows=rows,
            filtered=any(data.get(name) for name in form.fields),
            breadcrumbs=[(self.title, None)],
        )
        return context


class DeskShipmentPage(DeskPage):
    """Status and last reading first, the milestones, the chart with its excursions, the
    excursions one by one."""

    template_name = "logistics/desk/shipment.html"
    section = SECTION
    isolation_model = Shipment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shipment = assigned_shipment(self.request, self.kwargs["pk"])
        context.update(shipment_view(self.request, shipment))
        return context


def shipment_view(request, shipment: Shipment) -> dict:
    view = tracking.public_view(shipment)
    summary = view["summary"]
    excursions = list(
        selectors.excursions_for(request.user).filter(shipment=shipment).order_by("started_at")
    )
    return {
        "title": gettext("Shipment %(reference)s") % {"reference": shipment.reference},
        "breadcrumbs": shipment_breadcrumbs(shipment),
        "shipment": shipment,
        "view": view,
        "summary": summary,
        "last_reading_in_band": last_reading_in_band(shipment, summary),
        "band": tracking.band_text(view["band_c"]),
        "chart": tracking.svg_chart(view, timezone.get_current_timezone()),
        "milestones": list(reversed(view["timeline"])),
        "excursions": excursions,
        "open_excursions": sum(1 for x in excursions if x.acknowledged_at is None),
    }


class ShipmentFormPage(PortalFormView, DeskPage):
    """A form about one assigned shipment (`self.shipment`; anyone else's is a 404)."""

    section = SECTION
    isolation_model = Shipment

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.partner_id:
            self.shipment = assigned_shipment(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def shipment_url(self) -> str:
        return reverse("desk:shipment", args=[self.shipment.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.page_title(),
            shipment=self.shipment,
            cancel_url=self.shipment_url(),
            breadcrumbs=shipment_breadcrumbs(self.shipment, self.page_title()),
        )
        return context


class MilestonePage(ShipmentFormPage):
    template_name = "logistics/desk/milestone.html"
    form_class = MilestoneForm
    submit_label = _("Post the milestone")

    def page_title(self) -> str:
        return gettext("Post a milestone")

    def get_initial(self):
        return {
            "event_id": f"desk-{uuid.uuid4().hex}",
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["zone_name"] = timezone.get_current_timezone_name()
        return kwargs

    def perform(self, form):
        event, created = form.call(
            tracking_event_create,
            actor=self.request.user,
            shipment=self.shipment,
            **form.service_fields(),
        )
        if created:
            messages.success(
                self.request,
                gettext("The milestone “%(milestone)s” is posted.")
                % {"milestone": event.get_milestone_display()},
            )
        return f"{self.shipment_url()}#timeline"


class TelemetryUploadPage(ShipmentFormPage):
    """Upload a CSV of readings: the same parsing and ingestion as the API's `text/csv` batch.
    The answer is this page again with the result of every row, the totals and the excursions
    the readings opened; sending the same file again stores nothing twice."""

    template_name = "logistics/desk/telemetry.html"
    form_class = TelemetryUploadForm
    submit_label = _("Upload the readings")

    def page_title(self) -> str:
        return gettext("Upload telemetry")

    def perform(self, form):
        text = form.cleaned_data["text"]
        rows = form.call(telemetry.parse_csv, text)
        known = stored_keys(self.shipment, rows)
        excursions_before = set(self.shipment_excursions().values_list("pk", flat=True))
        result = form.call(
            telemetry_ingest, actor=self.request.user, shipment=self.shipment, readings=rows
        )
        opened = self.shipment_excursions().exclude(pk__in=excursions_before)
        outcomes = row_outcomes(rows, data_line_numbers(text), result.rejected_rows, known)
        context = self.get_context_data(form=self.form_class())
        context.update(
            result=result,
            rows_shown=outcomes if len(outcomes) <= ROWS_SHOWN else None,
            rejected_rows=[row for row in outcomes if row["outcome"] == RowOutcome.REJECTED],
            opened=list(opened.order_by("started_at")),
            file_name=form.cleaned_data["file"].name,
        )
        return self.render_to_response(context)

    def shipment_excursions(self):
        return selectors.excursions_for(self.request.user).filter(shipment=self.shipment)


def data_line_numbers(text: str) -> list[int]:
    """The line in the file of each reading `telemetry.parse_csv` returns (blank rows skipped)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    next(reader, None)
    return [reader.line_num for values in reader if values]


def stored_keys(shipment: Shipment, rows: list[dict]) -> set:
    """(sensor, time) of the readings of `rows` the shipment already holds: those are the
    duplicates the ingestion will skip."""
    now = timezone.now()
    keys = set()
    for row in rows:
        try:
            reading = telemetry.validate_reading(row, now)
        except telemetry.Rejected:
            continue
        keys.add((reading.sensor_id, reading.time))
    if not keys:
        return set()
    times = [moment for _sensor, moment in keys]
    stored = SensorReading.objects.filter(
        shipment=shipment,
        sensor_id__in={sensor for sensor, _moment in keys},
        time__gte=min(times),
        time__lte=max(times),
    ).values_list("sensor_id", "time")
    return set(stored) & keys


def row_outcomes(rows, lines, rejected_rows, known: set) -> list[dict]:
    """Each row of the file: accepted, already stored (before or earlier in the file), or
    rejected with the service's reason."""
    reasons = {row["index"]: row["reason"] for row in rejected_rows}
    seen = set(known)
    now = timezone.now()
    outcomes = []
    for index, row in enumerate(rows):
        entry = {"line": lines[index] if index < len(lines) else index + 2, "row": row}
        if index in reasons:
            entry.update(outcome=RowOutcome.REJECTED, reason=reasons[index])
        else:
            try:
                reading = telemetry.validate_reading(row, now)
            except telemetry.Rejected as error:
                entry.update(outcome=RowOutcome.REJECTED, reason=str(error))
            else:
                key = (reading.sensor_id, reading.time)
                entry["outcome"] = RowOutcome.DUPLICATE if key in seen else RowOutcome.ACCEPTED
                seen.add(key)
        entry["label"] = RowOutcome.LABELS[entry["outcome"]]
        outcomes.append(entry)
    return outcomes
