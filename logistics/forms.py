"""The portal's shipment forms: booking (with its items), a document, dispatch, cancel.

Each form only reads what a person typed; `perform` on the page calls the service the API calls
(`logistics.services.shipments`), whose refusals land on the fields named in `error_fields`.
"""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.forms import PortalForm
from agri_platform.reference import l10n
from agri_platform.reference.choices import Incoterm
from agri_platform.reference.models import Country, Currency, Location
from certification.choices import DocumentType

from .choices import ExcursionMode, Milestone, ShipmentStatus, TransportMode
from .services.shipments import bookable_carriers

PLACES_SHOWN = 8
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class Unit:
    KG = "kg"
    JIN = "jin"
    CHOICES = [(KG, pgettext_lazy("unit", "kg")), (JIN, pgettext_lazy("unit", "jin (500 g)"))]


def places_matching(text: str):
    """Reference places whose UN/LOCODE starts with `text` or whose name holds it (any language)."""
    text = (text or "").strip()
    if not text:
        return Location.objects.none()
    code = text.replace(" ", "").upper()
    return Location.objects.filter(
        Q(code__startswith=code)
        | Q(name__icontains=text)
        | Q(name_ascii__icontains=text)
        | Q(name_zh__icontains=text)
    ).order_by("code")[:PLACES_SHOWN]


class PlaceSearchField(forms.CharField):
    """Shown as required (a shipment has a destination); an empty search is checked in `clean`
    with the place chosen beside it."""

    def validate(self, value):
        pass


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return l10n.place_label(obj.code)


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return l10n.country_name(obj.code)


class CarrierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return l10n.in_reading_language(obj.name_zh, obj.name)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return l10n.in_reading_language(obj.name_zh, obj.name_en)


class CurrencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.code


def local_datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class BookingForm(PortalForm):
    """The shipment's facts; its items are `ItemForm`s in a formset beside it."""

    reference = forms.CharField(
        label=_("Your reference"), max_length=40, help_text=_("e.g. XJ-2026-014")
    )
    consignee_name = forms.CharField(label=_("Consignee"), max_length=200)
    origin = PlaceChoiceField(label=_("Place of departure"), queryset=None)
    destination_search = PlaceSearchField(
        label=_("Destination"),
        help_text=_("Type a UN/LOCODE (MYKUL) or a city name, then choose the place."),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "hx-get": reverse_lazy("portal:shipment-new-places"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#destination-choices",
            }
        ),
    )
    destination = PlaceChoiceField(
        label=_("Destination"), queryset=Location.objects.all(), required=False
    )
    consignee_country = CountryChoiceField(
        label=_("Consignee country"),
        queryset=Country.objects.all(),
        required=False,
        help_text=_("Leave empty when it is the destination's country."),
    )
    carrier = CarrierChoiceField(label=_("Carrier"), queryset=None)
    transport_mode = forms.ChoiceField(label=_("Transport mode"), choices=TransportMode.choices)
    route = forms.CharField(
        label=_("Route"),
        max_length=200,
        required=False,
        help_text=_("e.g. China-Laos Railway"),
    )
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial="CIF")
    planned_departure = forms.DateTimeField(
        label=_("Planned departure"), widget=local_datetime_input()
    )
    planned_arrival = forms.DateTimeField(label=_("Planned arrival"), widget=local_datetime_input())
    excursion_delay_minutes = forms.IntegerField(
        label=_("Minutes outside the band before it counts as an excursion"),
        min_value=0,
        max_value=1440,
        initial=15,
    )
    excursion_mode = forms.ChoiceField(
        label=_("How minutes outside the band are counted"),
        choices=ExcursionMode.choices,
        initial=ExcursionMode.CONSECUTIVE,
    )

    error_fields = {"destination": "destination_search"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = Location.objects.filter(country_id="CN")
        self.fields["carrier"].queryset = bookable_carriers().order_by("name")
        countries = sorted(Country.objects.all(), key=lambda c: l10n.country_name(c.code))
        self.fields["consignee_country"].choices = [("", "---------")] + [
            (country.code, l10n.country_name(country.code)) for country in countries
        ]

    @property
    def destination_matches(self):
        """The places shown to choose from: those the search finds, and the one chosen."""
        matches = list(places_matching(self["destination_search"].value()))
        chosen = self["destination"].value()
        if chosen and chosen not in {place.code for place in matches}:
            matches = list(Location.objects.filter(code=chosen)) + matches
        return matches

    def clean(self):
        data = super().clean()
        if data.get("destination") is None and "destination" not in self.errors:
            data["destination"] = self._destination_from_search(data.get("destination_search"))
        if data.get("destination") is not None and data.get("consignee_country") is None:
            data["consignee_country"] = data["destination"].country
        return data

    def _destination_from_search(self, text):
        """Without a choice, a search that finds exactly one place chooses it."""
        matches = list(places_matching(text))
        if len(matches) == 1:
            return matches[0]
        if not text:
            message = gettext("Type the destination's UN/LOCODE or name and choose the place.")
        elif not matches:
            message = gettext("No place matches “%(text)s”: try its UN/LOCODE.") % {"text": text}
        else:
            message = gettext("Several places match “%(text)s”: choose one.") % {"text": text}
        self.add_error("destination_search", message)
        return None

    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = [
            "reference",
            "consignee_name",
            "consignee_country",
            "origin",
            "destination",
            "transport_mode",
            "route",
            "incoterm",
            "carrier",
            "planned_departure",
            "planned_arrival",
            "excursion_delay_minutes",
            "excursion_mode",
        ]
        return {name: data[name] for name in names}


class ItemForm(PortalForm):
    """One product of the shipment, its weight in kg or jin (the service converts jin)."""

    product = ProductChoiceField(
        label=_("Product"),
        queryset=None,
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("portal:shipment-new-band"),
                "hx-trigger": "change",
                "hx-target": "#booking-band",
                "hx-swap": "outerHTML",
                "hx-include": "#booking-items select[name$='-product']",
            }
        ),
    )
    quantity = forms.DecimalField(
        label=_("Net weight"), max_digits=12, decimal_places=3, min_value=Decimal("0.001")
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.CHOICES, initial=Unit.KG)
    packages = forms.IntegerField(
        label=_("Packages"), min_value=1, max_value=2_147_483_647, initial=1
    )
    declared_value = forms.DecimalField(
        label=_("Declared value"), max_digits=14, decimal_places=2, min_value=Decimal("0")
    )
    currency = CurrencyChoiceField(
        label=_("Currency"), queryset=Currency.objects.all(), to_field_name="code"
    )

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["currency"].initial = "USD"

    def service_item(self) -> dict:
        data = self.cleaned_data
        weight = "net_kg" if data["unit"] == Unit.KG else "net_jin"
        return {
            "product": data["product"],
            weight: data["quantity"],
            "packages": data["packages"],
            "declared_value": data["declared_value"],
            "currency": data["currency"],
        }


class BaseItemFormSet(forms.BaseFormSet):
    """Rows carried over when a person adds one (without JavaScript) are new rows, as typed."""

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else 0

    def total_form_count(self):
        if not self.is_bound and self.initial:
            return len(self.initial)
        return super().total_form_count()


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=0, min_num=1, max_num=50, validate_max=True
)


def item_formset(*, products, data=None, initial=None):
    return ItemFormSet(
        data=data, initial=initial, prefix="items", form_kwargs={"products": products}
    )


class DocumentForm(PortalForm):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    number = forms.CharField(label=_("Document number"), max_length=80, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG."))


class DispatchForm(PortalForm):
    """Nothing to type: the service checks the readiness gate and the shipment's state."""


class CancelForm(PortalForm):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- the carrier's desk ------------------------------------------------------------------------

MAX_TELEMETRY_CSV_BYTES = 5 * 1024 * 1024
CSV_CONTENT_TYPES = {"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"}


class DeskShipmentFilterForm(forms.Form):
    """The desk list's filter bar, read from the query string (a filtered list is a link)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ShipmentStatus.choices],
    )
    open_excursions = forms.BooleanField(
        label=_("Only shipments with excursions to acknowledge"), required=False
    )
    departure_from = forms.DateField(
        label=_("Planned departure from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    departure_to = forms.DateField(
        label=_("Planned departure until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(label=_("Reference"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        start, end = data.get("departure_from"), data.get("departure_to")
        if start and end and end < start:
            self.add_error("departure_to", gettext("The end of the window is before its start."))
        return data


class UnLocodeField(forms.CharField):
    """A place by its UN/LOCODE ("MYKUL", "my kul"): the reference place, or an error naming it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 6)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).replace(" ", "").upper()

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        place = Location.objects.filter(code=code).first()
        if place is None:
            raise forms.ValidationError(
                gettext("No place has the UN/LOCODE %(code)s.") % {"code": code}
            )
        return place


class MilestoneForm(PortalForm):
    """A milestone as the tracking-event route takes it. `event_id` is a one-time key written
    into the page: a second submission of the same page is the service's replay, stored once."""

    milestone = forms.ChoiceField(label=_("Milestone"), choices=Milestone.choices)
    occurred_at = forms.DateTimeField(label=_("When it happened"), widget=local_datetime_input())
    location = UnLocodeField(
        label=_("Place (UN/LOCODE)"),
        required=False,
        help_text=_("For example CNCTU for Chengdu or LAVTE for Vientiane."),
    )
    note = forms.CharField(
        label=pgettext_lazy("milestone", "Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    event_id = forms.CharField(max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, zone_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].help_text = gettext("In your time zone: %(zone)s.") % {
            "zone": zone_name
        }

    def refuse(self, field, message, *, stop=True):
        # The service's refusals without a field (a cancelled shipment) are about the milestone.
        super().refuse(field or "milestone", message, stop=stop)

    def service_fields(self) -> dict:
        names = ["milestone", "occurred_at", "location", "note", "event_id"]
        return {name: self.cleaned_data[name] for name in names}


class TelemetryUploadForm(PortalForm):
    """A CSV file of readings, read as the API reads a `text/csv` body."""

    file = forms.FileField(
        label=_("Telemetry file (CSV)"),
        help_text=_(
            "A header row, then one reading a row: sensor_id, time (with its UTC offset), "
            "temp_c, and optionally humidity, latitude, longitude. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    error_fields = {"readings": "file"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TELEMETRY_CSV_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 5 MB: send it in smaller parts.")
            )
        named_csv = upload.name.lower().endswith(".csv")
        if not named_csv and upload.content_type not in CSV_CONTENT_TYPES:
            raise forms.ValidationError(gettext("Choose a CSV file (.csv)."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is None or "\x00" in text:
            raise forms.ValidationError(
                gettext("This file is not CSV text: save it as CSV (UTF-8) and try again.")
            )
        self.cleaned_data["text"] = text
        return upload


class DiscardDraftForm(PortalForm):
    """Nothing to type: the service checks that the draft is still open."""
