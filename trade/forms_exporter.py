"""The exporter's forms for inquiries (trade/pages/inbox.py). Each submission calls the service the
API calls (`trade.services.inquiries`, `trade.services.blocks`); the form only checks what a person
typed."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.forms import PortalForm
from agri_platform.reference.choices import Incoterm
from agri_platform.reference.models import Currency

from .choices import QuantityUnit

MAX_TEXT = 4000
DEFAULT_VALIDITY = timedelta(days=14)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuoteForm(PortalForm):
    """A quote: the terms, then per item of the inquiry a unit price, and the quantity and unit
    (the buyer's by default). The item fields are named after the item: `price_<id>`,
    `quantity_<id>`, `unit_<id>`."""

    currency = forms.ChoiceField(label=_("Currency"))
    incoterm = forms.ChoiceField(
        label=_("Incoterm"),
        choices=Incoterm.choices,
        help_text=_("The buyer asked for the one already chosen; you may offer another."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=date_input(),
        help_text=_("The buyer can accept the quote until the end of this day."),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        min_value=0,
        max_value=365,
        help_text=_("Days from the buyer's acceptance to dispatch."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Payment terms, packing, inspection and so on."),
    )

    def __init__(self, *args, inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry
        self.items = list(inquiry.items.all())
        self.fields["currency"].choices = list(
            Currency.objects.order_by("code").values_list("code", "code")
        )
        self.initial.setdefault("currency", "USD")
        self.initial.setdefault("incoterm", inquiry.incoterm)
        self.initial.setdefault("valid_until", timezone.localdate() + DEFAULT_VALIDITY)
        # The service names a line by its place in `lines` (the items' order).
        self.error_fields = {"lines": "__all__"}
        for index, item in enumerate(self.items):
            for part, name in (("unit_price", "price"), ("quantity", "quantity"), ("unit", "unit")):
                self.error_fields[f"lines[{index}].{part}"] = f"{name}_{item.pk}"
        for item in self.items:
            self.fields[f"price_{item.pk}"] = forms.DecimalField(
                label=_("Unit price"),
                min_value=Decimal("0.01"),
                max_digits=14,
                decimal_places=2,
                help_text=_("Per unit below, in the quote's currency."),
            )
            self.fields[f"quantity_{item.pk}"] = forms.DecimalField(
                label=_("Quantity"),
                initial=item.quantity.normalize(),
                min_value=Decimal("0.001"),
                max_digits=12,
                decimal_places=3,
            )
            self.fields[f"unit_{item.pk}"] = forms.ChoiceField(
                label=_("Unit"), choices=QuantityUnit.choices, initial=item.unit
            )

    def currency_object(self) -> Currency:
        return Currency.objects.get(pk=self.cleaned_data["currency"])

    def item_rows(self) -> list[dict]:
        """Per item: the item and its three bound fields, for the template."""
        return [
            {
                "item": item,
                "price": self[f"price_{item.pk}"],
                "quantity": self[f"quantity_{item.pk}"],
                "unit": self[f"unit_{item.pk}"],
            }
            for item in self.items
        ]

    def terms_fields(self):
        return [self[name] for name in ("currency", "incoterm", "valid_until", "lead_time_days")]

    def lines(self) -> list[dict]:
        """The `lines` argument of `quote_send`."""
        data = self.cleaned_data
        return [
            {
                "item": item,
                "unit_price": data[f"price_{item.pk}"],
                "quantity": data[f"quantity_{item.pk}"],
                "unit": data[f"unit_{item.pk}"],
            }
            for item in self.items
        ]

    def summary_lines(self) -> list[dict]:
        """What the check step shows: each line with its total."""
        return [
            {
                **line,
                "unit_label": QuantityUnit(line["unit"]).label,
                "total": line["unit_price"] * line["quantity"],
            }
            for line in self.lines()
        ]


class DeclineForm(PortalForm):
    reason = forms.CharField(
        label=_("Why are you declining?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The buyer reads this, e.g. “Out of season until September”."),
    )


class MessageForm(PortalForm):
    body = forms.CharField(
        label=_("Your message to the buyer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QuoteWithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing the quote?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The buyer reads this."),
    )


class BlockForm(PortalForm):
    reason = forms.CharField(
        label=_("Why are you blocking this buyer?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only your enterprise sees this."),
    )


class UnblockForm(PortalForm):
    """Unblocking takes no input; the form carries the service's refusal."""
