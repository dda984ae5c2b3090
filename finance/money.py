"""Money on the finance path: Decimal plus an ISO 4217 currency, never float.

`total_cost` is the figure offers are compared by (docs/finance.md):

- pre-shipment loan, invoice factoring, letter of credit (rates quoted per annum):
  total = amount × rate% × term_days / 365 + fees
- export credit insurance (premium rate for the policy term) and FX settlement (margin):
  total = amount × rate% + fees

computed with Decimal and rounded half-up to the currency's minor units.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from agri_platform.api.errors import ValidationFailed

from .choices import FinancingKind

DAYS_PER_YEAR = Decimal(365)
HUNDRED = Decimal(100)
PER_ANNUM_KINDS = {
    FinancingKind.PRE_SHIPMENT_LOAN,
    FinancingKind.INVOICE_FACTORING,
    FinancingKind.LETTER_OF_CREDIT,
}


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_amount(value, currency, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """`value` as a Decimal that `currency` can carry; 400 naming `field` otherwise."""
    if isinstance(value, float) or not isinstance(value, Decimal | int) or isinstance(value, bool):
        raise ValidationFailed(
            _("Amounts must be decimal strings, never floating-point numbers."),
            field=field,
            code="not_decimal",
        )
    value = Decimal(value)
    if not value.is_finite():
        raise ValidationFailed(
            _("The amount must be a finite number."), field=field, code="invalid"
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationFailed(
            _("The amount must be greater than zero.")
            if not allow_zero
            else _("The amount cannot be negative."),
            field=field,
            code="not_positive" if not allow_zero else "negative",
        )
    if decimals_of(value) > currency.minor_units:
        raise ValidationFailed(
            _("%(currency)s amounts carry at most %(count)d decimal places.")
            % {"currency": currency.code, "count": currency.minor_units},
            field=field,
            code="too_many_decimals",
            minor_units=currency.minor_units,
        )
    return value


def quantize(value: Decimal, minor_units: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-minor_units), rounding=ROUND_HALF_UP)


def as_string(value: Decimal, minor_units: int) -> str:
    """A money amount as the JSON string the API emits, with exactly `minor_units` decimals."""
    return format(quantize(Decimal(value), minor_units), "f")


def total_cost(
    *, kind: str, amount: Decimal, rate_percent: Decimal, term_days: int, fees, minor_units: int
) -> Decimal:
    """The cost of an offer to the enterprise (see the module docstring)."""
    charge = Decimal(amount) * Decimal(rate_percent) / HUNDRED
    if kind in PER_ANNUM_KINDS:
        charge = charge * Decimal(term_days) / DAYS_PER_YEAR
    return quantize(charge + Decimal(fees), minor_units)


def offer_total_cost(offer) -> Decimal:
    return total_cost(
        kind=offer.request.kind,
        amount=offer.amount,
        rate_percent=offer.rate_percent,
        term_days=offer.term_days,
        fees=offer.fees,
        minor_units=offer.currency.minor_units,
    )
