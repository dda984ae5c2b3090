"""What needs an exporter's attention now (the portal's home page): one line per thing to do.

Certification and logistics record their facts into analytics (`<app>/facts.py` imports
`analytics.services`), so analytics reads their models through the app registry and names the
dispatch gate's rule by its dotted path (as the portal names each app's URLs) instead of
importing them: the apps keep depending one way. Every read is scoped to the person
(`scope_queryset`) and then to the enterprise they act for. The number of queries does not grow
with the number of lines: each kind is one query or two (the readiness gate reads its
requirements and the enterprise's certificates once for every booked shipment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import pgettext

from agri_platform.api.tenancy import scope_queryset
from enterprises.choices import VerificationStatus
from finance import selectors as finance_selectors
from finance.choices import OfferStatus, RequestStatus

# The rule `shipment_dispatch` refuses by (certification/readiness.py), and what it reads, read
# once for all the enterprise's booked shipments.
READINESS_CHECK = "certification.readiness.check_readiness"
READINESS_INPUTS = "certification.readiness.readiness_inputs"
EXPIRY_HORIZON = timedelta(days=60)

ENTERPRISE = "enterprise"
APPLICATION = "application"
SHIPMENT_NOT_READY = "shipment_not_ready"
EXCURSION = "excursion"
OFFERS = "offers"
CERTIFICATE_EXPIRING = "certificate_expiring"


@dataclass
class Attention:
    """One line of the home page: what (`kind`), about which object, its state and its page
    (the URL name and arguments; the page builds the address)."""

    kind: str
    obj: object
    state: str
    url_name: str
    url_args: tuple = ()
    details: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)


def _model(app_label: str, name: str):
    return apps.get_model(app_label, name)


def enterprise_changes(enterprise) -> list[Attention]:
    """The reviewer sent the registration back (rejected, with a reason) or suspended it."""
    if enterprise.status not in (VerificationStatus.REJECTED, VerificationStatus.SUSPENDED):
        return []
    state = "changes_requested" if enterprise.status == VerificationStatus.REJECTED else "suspended"
    return [Attention(ENTERPRISE, enterprise, state, "portal:enterprise")]


def applications_with_changes_requested(user, enterprise) -> list[Attention]:
    application = _model("certification", "Application")
    rows = (
        scope_queryset(application.objects.select_related("scheme"), user)
        .filter(enterprise=enterprise, status="changes_requested")
        .order_by("-pk")
    )
    return [
        Attention(APPLICATION, row, row.status, "portal:application", (row.pk,)) for row in rows
    ]


def _booked_shipments(user, enterprise):
    shipment = _model("logistics", "Shipment")
    items = _model("logistics", "ShipmentItem").objects.select_related("product")
    return (
        scope_queryset(shipment.objects.all(), user)
        .filter(enterprise=enterprise, status="booked")
        .select_related("destination__country")
        .prefetch_related(Prefetch("items", queryset=items), "documents")
        .order_by("planned_departure", "pk")
    )


def shipments_not_ready(user, enterprise) -> list[Attention]:
    """Booked shipments the dispatch gate would refuse, the next departures first."""
    booked = list(_booked_shipments(user, enterprise))
    if not booked:
        return []
    inputs = import_string(READINESS_INPUTS)(enterprise=enterprise)
    check_readiness = import_string(READINESS_CHECK)
    lines = []
    for shipment in booked:
        checks = check_readiness(
            enterprise=enterprise,
            products=[item.product for item in shipment.items.all()],
            destination=shipment.destination.country,
            on_date=shipment.planned_departure.date(),
            documents_on_hand=sorted({document.doc_type for document in shipment.documents.all()}),
            inputs=inputs,
        )
        missing = [check.name for check in checks if check.blocks_dispatch]
        if missing:
            separator = pgettext("list separator", ", ")
            lines.append(
                Attention(
                    SHIPMENT_NOT_READY,
                    shipment,
                    "missing",
                    "portal:shipment",
                    (shipment.pk,),
                    {"missing": separator.join(missing)},
                )
            )
    return lines


def open_excursions(user, enterprise) -> list[Attention]:
    """Temperature excursions nobody has acknowledged yet."""
    excursion = _model("logistics", "TemperatureExcursion")
    rows = (
        scope_queryset(
            excursion.objects.select_related("shipment"),
            user,
            enterprise_field="shipment__enterprise",
        )
        .filter(shipment__enterprise=enterprise, acknowledged_at__isnull=True)
        .order_by("-started_at")
    )
    return [
        Attention(EXCURSION, row, row.severity, "portal:shipment", (row.shipment_id,))
        for row in rows
    ]


def offers_waiting(user, enterprise) -> list[Attention]:
    """Financing requests with offers still open for the exporter's decision, one line each."""
    offers = (
        finance_selectors.offers_for(user)
        .filter(
            request__enterprise=enterprise,
            request__status__in=[RequestStatus.ROUTED, RequestStatus.OFFERED],
            status=OfferStatus.PENDING,
            valid_until__gt=timezone.now(),
        )
        .select_related("request__currency")
        .order_by("request_id", "valid_until")
    )
    by_request: dict[int, Attention] = {}
    for offer in offers:
        line = by_request.setdefault(
            offer.request_id,
            Attention(
                OFFERS,
                offer.request,
                "offered",
                "portal:finance-request",
                (offer.request_id,),
                {"count": 0, "first_expiry": offer.valid_until},
            ),
        )
        line.details["count"] += 1
    return list(by_request.values())


def certificates_expiring(user, enterprise, on: date) -> list[Attention]:
    certificate = _model("certification", "Certificate")
    rows = (
        scope_queryset(certificate.objects.select_related("scheme"), user)
        .filter(
            enterprise=enterprise,
            status="active",
            expiry_date__gte=on,
            expiry_date__lte=on + EXPIRY_HORIZON,
        )
        .order_by("expiry_date")
    )
    return [
        Attention(
            CERTIFICATE_EXPIRING,
            row,
            "expiring",
            "portal:certificate",
            (row.pk,),
            {"days_left": (row.expiry_date - on).days},
        )
        for row in rows
    ]


def attention_for(user, enterprise, on: date | None = None) -> list[Attention]:
    """Everything that needs `enterprise`'s attention now, as `user` may see it, most pressing
    kinds first."""
    on = on or timezone.localdate()
    return [
        *enterprise_changes(enterprise),
        *applications_with_changes_requested(user, enterprise),
        *open_excursions(user, enterprise),
        *shipments_not_ready(user, enterprise),
        *offers_waiting(user, enterprise),
        *certificates_expiring(user, enterprise, on),
    ]
