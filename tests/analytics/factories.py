"""Helpers that build analytics facts through the public services (as logistics will)."""

from datetime import date, datetime
from decimal import Decimal

from analytics import services
from analytics.services import ShipmentFactInput, ShipmentLineInput

_next_id = iter(range(1, 10**9))


def shipment(
    enterprise,
    *,
    destination="MY",
    currency="CNY",
    departed_on: date | None = date(2026, 1, 10),
    lines=(("fruits", "1000", "100"),),
    status="in_transit",
    shipment_id=None,
    **extra,
):
    return services.upsert_shipment_fact(
        data=ShipmentFactInput(
            shipment_id=shipment_id or next(_next_id),
            enterprise_id=enterprise.pk,
            destination_code=destination,
            currency=currency,
            status=status,
            departed_on=departed_on,
            lines=[ShipmentLineInput(c, Decimal(v), Decimal(kg)) for c, v, kg in lines],
            **extra,
        )
    )


def application(enterprise, *, submitted, decided=None, status="submitted", sla_days=30, **extra):
    return services.upsert_certification_fact(
        data=services.CertificationFactInput(
            application_id=extra.pop("application_id", next(_next_id)),
            enterprise_id=enterprise.pk,
            scheme_code=extra.pop("scheme_code", "ISO9001"),
            status=status,
            submitted_at=submitted,
            decided_at=decided,
            sla_days=sla_days,
        )
    )


def certificate(enterprise, *, valid_until, in_force=True, status="active"):
    return services.upsert_certificate_fact(
        data=services.CertificateFactInput(
            certificate_id=next(_next_id),
            enterprise_id=enterprise.pk,
            scheme_code="HACCP",
            status=status,
            in_force=in_force,
            valid_until=valid_until,
        )
    )


def utc(*args) -> datetime:
    from datetime import UTC

    return datetime(*args, tzinfo=UTC)
