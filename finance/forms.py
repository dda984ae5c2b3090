"""The portal's finance forms. They parse what a person typed; the services in `services/` decide
(amounts the currency can carry, the term, whose evidence may be linked, who may accept)."""

from datetime import timedelta
from decimal import Decimal

from babel.dates import get_timezone_location
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.forms import PortalForm
from agri_platform.reference import l10n
from agri_platform.reference.models import Currency

from .choices import FinancingKind
from .models import FinancingOffer, FinancingRequest
from .money import as_string

GROUPING_MARKS = str.maketrans("", "", ",，  ")


class AmountField(forms.DecimalField):
    """A decimal as people type it: "2,000,000.00" and "2 000 000" read as 2000000."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(GROUPING_MARKS)
        return super().to_python(value)


def shipment_label(shipment) -> str:
    return gettext("%(reference)s to %(destination)s (%(status)s)") % {
        "reference": shipment.reference,
        "destination": l10n.place_label(shipment.destination_id),
        "status": shipment.get_status_display(),
    }


def certificate_label(certificate) -> str:
    return gettext("%(number)s, %(scheme)s, valid until %(date)s (%(status)s)") % {
        "number": certificate.number,
        "scheme": l10n.in_reading_language(certificate.scheme.name_zh, certificate.scheme.name_en),
        "date": certificate.expiry_date.isoformat(),
        "status": certificate.get_status_display(),
    }


def request_field(name: str, **kwargs) -> forms.Field:
    """The form field of a `FinancingRequest` field: its label and type, none of its rules (the
    service holds those)."""
    return FinancingRequest._meta.get_field(name).formfield(**kwargs)


class FinancingRequestForm(PortalForm):
    """A new request: what is asked for, and the shipments and certificates that back it."""

    kind = request_field("kind", widget=forms.RadioSelect)
    amount = AmountField(
        label=_("Amount"),
        max_digits=20,
        decimal_places=4,
        help_text=_("In the currency below, e.g. 2000000.00"),
    )
    currency = request_field("currency")
    term_days = request_field(
        "term_days", help_text=_("How many days you need the money or the cover for, e.g. 90.")
    )
    purpose = request_field(
        "purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the financing is for: the order, the buyer, the season."),
    )
    shipments = forms.MultipleChoiceField(
        label=_("Shipments as evidence"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The bank sees each one's route, value and cold-chain record."),
    )
    certificates = forms.MultipleChoiceField(
        label=_("Certificates as evidence"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The bank sees each one's number, scheme and validity."),
    )

    def __init__(self, *args, candidates: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FinancingKind.choices  # no blank radio button
        self.fields["currency"].queryset = Currency.objects.order_by("code")
        self.fields["currency"].empty_label = None
        self.fields["term_days"].widget.attrs.update(inputmode="numeric")
        self.fields["amount"].widget.attrs.update(inputmode="decimal")
        self.fields["amount"].widget.input_type = "text"
        self._offer_evidence("shipments", candidates["shipment"], shipment_label)
        self._offer_evidence("certificates", candidates["certificate"], certificate_label)

    def _offer_evidence(self, name: str, objects: list, label) -> None:
        if not objects:
            del self.fields[name]
            return
        self.fields[name].choices = [(str(obj.pk), label(obj)) for obj in objects]

    def chosen_evidence(self) -> list[tuple[str, str, str]]:
        """(form field, evidence kind, object id) of every shipment and certificate ticked."""
        return [
            *(("shipments", "shipment", pk) for pk in self.cleaned_data.get("shipments", [])),
            *(
                ("certificates", "certificate", pk)
                for pk in self.cleaned_data.get("certificates", [])
            ),
        ]

    def call_for(self, field: str, service, /, **kwargs):
        """`call` with the evidence service's refusals (on its `kind` and `object_id`) landing on
        the evidence field `field` instead of the request's own fields."""
        self.error_fields = {"kind": field, "object_id": field}
        try:
            return self.call(service, **kwargs)
        finally:
            self.error_fields = {}


class ConfirmForm(PortalForm):
    """A confirmation: the page says what will happen; the button is the answer."""


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The banks the request was sent to read this."),
    )


def offer_field(name: str, **kwargs) -> forms.Field:
    return FinancingOffer._meta.get_field(name).formfield(**kwargs)


def in_two_weeks():
    return (timezone.localtime() + timedelta(days=14)).replace(second=0, microsecond=0)


def zone_name() -> str:
    """The zone the form reads times in (the reader's), named as the pages name it."""
    return get_timezone_location(timezone.get_current_timezone(), locale=l10n.babel_locale())


class DeskOfferForm(PortalForm):
    """A bank's or insurer's offer on a request routed to it, in the request's currency. The
    service (`offer_create`) holds the rules: decimals the currency carries, the term, a validity
    in the future, one pending offer per partner."""

    amount = AmountField(label=_("Amount"), max_digits=20, decimal_places=4)
    rate_percent = offer_field(
        "rate_percent",
        label=_("Rate (%)"),
        help_text=_(
            "Per year for loans, factoring and letters of credit; the premium rate for insurance; "
            "the margin for FX settlement."
        ),
    )
    term_days = offer_field("term_days", label=_("Term (days)"))
    fees = AmountField(
        label=_("Fees"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("Every fee the enterprise pays on top of the interest or premium, if any."),
    )
    valid_until = forms.DateTimeField(
        label=_("Offer valid until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    conditions = offer_field(
        "conditions",
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the enterprise must do or provide, e.g. assign the export proceeds."),
    )

    def __init__(self, *args, financing_request, total_url: str = "", **kwargs):
        kwargs["initial"] = {
            "amount": as_string(financing_request.amount, financing_request.currency.minor_units),
            "term_days": financing_request.term_days,
            "fees": 0,
            "valid_until": in_two_weeks(),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        currency = financing_request.currency_id
        self.fields["amount"].help_text = gettext("In %(currency)s, the request's currency.") % {
            "currency": currency
        }
        for name in ("amount", "fees", "rate_percent"):
            self.fields[name].widget.input_type = "text"
            self.fields[name].widget.attrs.update(inputmode="decimal")
        self.fields["term_days"].widget.attrs.update(inputmode="numeric")
        self.fields["valid_until"].help_text = gettext(
            "In %(zone)s. After this moment the enterprise can no longer accept the offer."
        ) % {"zone": zone_name()}
        if total_url:  # the total cost follows the figures as they are typed (htmx)
            for name in FIGURES:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": total_url,
                        "hx-trigger": "input changed delay:300ms",
                        # The figures only: the CSRF token stays out of the address.
                        "hx-include": ", ".join(f"[name='{figure}']" for figure in FIGURES),
                        "hx-target": "#offer-total",
                        "hx-swap": "outerHTML",
                    }
                )

    def offer_figures(self) -> dict:
        """The cleaned figures as `services.offer_create` takes them."""
        data = self.cleaned_data
        return {
            "amount": data["amount"],
            "rate_percent": data["rate_percent"],
            "term_days": data["term_days"],
            "fees": data.get("fees") or Decimal(0),
            "valid_until": data["valid_until"],
            "conditions": data.get("conditions", ""),
        }

    def typed_figures(self) -> dict:
        """The figures of the total cost that parse so far (None for the others), without
        putting errors on the page: the total shows as soon as they are all there."""
        if not self.is_bound:
            return {name: self.initial.get(name) for name in FIGURES}
        figures = {}
        for name in FIGURES:
            field = self.fields[name]
            try:
                figures[name] = field.clean(field.widget.value_from_datadict(self.data, {}, name))
            except forms.ValidationError:
                figures[name] = None
        return figures


FIGURES = ("amount", "rate_percent", "term_days", "fees")
