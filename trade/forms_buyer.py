"""The buyer's desk forms: an inquiry (its products' quantities, the destination port, the terms),
a message, a quote's decline, an inquiry's withdrawal. Each calls the service the API calls."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.forms import PortalForm
from agri_platform.reference.choices import Incoterm
from agri_platform.reference.models import Location
from logistics.forms import PlaceChoiceField, PlaceSearchField, places_matching

from .choices import QuantityUnit

DESCRIPTION_MAX = 4000


def without_nul(text) -> str:
    """What was typed, without the NUL characters no database query takes."""
    return (text or "").replace("\x00", "")


class InquiryForm(PortalForm):
    """The inquiry's terms; per product a `quantity_<id>` and a `unit_<id>` field."""

    destination_search = PlaceSearchField(
        label=_("Destination port"),
        help_text=_("Type a UN/LOCODE (MYPKG) or a city name, then choose the place."),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "hx-get": "",  # set in __init__ (the desk's own places partial)
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#destination-choices",
            }
        ),
    )
    destination = PlaceChoiceField(
        label=_("Destination port"), queryset=Location.objects.all(), required=False
    )
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial="CIF")
    delivery_from = forms.DateField(
        label=_("Wanted delivery from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_to = forms.DateField(
        label=_("Wanted delivery until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes for the exporter"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Packing, labelling, certificates you need, how often you would order."),
    )

    error_fields = {"destination": "destination_search"}

    def __init__(self, *args, products=(), places_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        self.fields["destination_search"].widget.attrs["hx-get"] = places_url
        # The service names an item's fields by its place in the list: items[0].quantity.
        self.error_fields = {**self.error_fields}
        for index, product in enumerate(self.products):
            for part, name in [("quantity", "quantity"), ("unit", "unit"), ("product", "quantity")]:
                self.error_fields[f"items[{index}].{part}"] = f"{name}_{product.pk}"
        for product in self.products:
            self.fields[f"quantity_{product.pk}"] = forms.DecimalField(
                label=_("Quantity"),
                min_value=Decimal("0.001"),
                max_digits=12,
                decimal_places=3,
            )
            self.fields[f"unit_{product.pk}"] = forms.ChoiceField(
                label=_("Unit"), choices=QuantityUnit.choices, initial=QuantityUnit.KG
            )

    def product_rows(self) -> list[dict]:
        return [
            {
                "product": product,
                "quantity": self[f"quantity_{product.pk}"],
                "unit": self[f"unit_{product.pk}"],
            }
            for product in self.products
        ]

    @property
    def destination_matches(self):
        """The places shown to choose from: those the search finds, and the one chosen."""
        matches = list(places_matching(without_nul(self["destination_search"].value())))
        chosen = without_nul(self["destination"].value())
        if chosen and chosen not in {place.code for place in matches}:
            matches = list(Location.objects.filter(code=chosen)) + matches
        return matches

    def clean(self):
        data = super().clean()
        if data.get("destination") is None and "destination" not in self.errors:
            data["destination"] = self._destination_from_search(data.get("destination_search"))
        start, end = data.get("delivery_from"), data.get("delivery_to")
        if start and end and end < start:
            self.add_error("delivery_to", gettext("The window must not end before it starts."))
        if start and start < timezone.localdate():
            self.add_error("delivery_from", gettext("The window must not start in the past."))
        return data

    def _destination_from_search(self, text):
        """Without a choice, a search that finds exactly one place chooses it."""
        matches = list(places_matching(text))
        if len(matches) == 1:
            return matches[0]
        if not text:
            message = gettext("Type the destination port's UN/LOCODE or name and choose the place.")
        elif not matches:
            message = gettext("No place matches “%(text)s”: try its UN/LOCODE.") % {"text": text}
        else:
            message = gettext("Several places match “%(text)s”: choose one.") % {"text": text}
        self.add_error("destination_search", message)
        return None

    def service_items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "product": product,
                "quantity": data[f"quantity_{product.pk}"],
                "unit": data[f"unit_{product.pk}"],
            }
            for product in self.products
        ]

    def service_fields(self) -> dict:
        names = ["destination", "incoterm", "delivery_from", "delivery_to", "notes"]
        return {name: self.cleaned_data[name] for name in names}


class MessageForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The exporter reads it."),
    )


class AcceptForm(PortalForm):
    """Nothing to type: posting it is the confirmation."""
