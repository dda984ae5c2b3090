"""Helpers every finance use case shares: the request row lock, event payloads, term check."""

from django.utils.translation import gettext as _

from agri_platform.accounts.models import Partner
from agri_platform.api.errors import ValidationFailed

from ..models import FinancingOffer, FinancingRequest
from ..money import as_string


def request_lock(financing_request: FinancingRequest) -> FinancingRequest:
    return (
        FinancingRequest.objects.select_for_update(of=("self",))
        .select_related("currency", "enterprise")
        .get(pk=financing_request.pk)
    )


def routed_partners(financing_request: FinancingRequest) -> list[Partner]:
    return list(financing_request.partners.all())


def request_payload(financing_request: FinancingRequest, **extra) -> dict:
    return {
        "request_id": financing_request.pk,
        "kind": financing_request.kind,
        "status": financing_request.status,
        "amount": as_string(financing_request.amount, financing_request.currency.minor_units),
        "currency": financing_request.currency_id,
        "term_days": financing_request.term_days,
        **extra,
    }


def offer_payload(offer: FinancingOffer, **extra) -> dict:
    minor = offer.currency.minor_units
    return {
        "request_id": offer.request_id,
        "offer_id": offer.pk,
        "partner_id": offer.partner_id,
        "status": offer.status,
        "amount": as_string(offer.amount, minor),
        "currency": offer.currency_id,
        "rate_percent": format(offer.rate_percent, "f"),
        "term_days": offer.term_days,
        "fees": as_string(offer.fees, minor),
        "valid_until": offer.valid_until.isoformat(),
        **extra,
    }


# Ten years: the longest term a request or an offer may carry.
MAX_TERM_DAYS = 3650


def check_term(term_days) -> int:
    if not isinstance(term_days, int) or isinstance(term_days, bool) or term_days <= 0:
        raise ValidationFailed(_("The term must be at least one day."), field="term_days")
    if term_days > MAX_TERM_DAYS:
        raise ValidationFailed(
            _("The term can be at most %(days)d days.") % {"days": MAX_TERM_DAYS},
            field="term_days",
        )
    return term_days
