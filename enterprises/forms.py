"""Forms of the enterprise pages: what a person types, validated for type and choice only; the
rules (USCC check character, identity lock, roles, band, area units) are the services'."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agri_platform.accounts.choices import MembershipRole
from agri_platform.portal.forms import PortalForm
from agri_platform.reference.choices import ExportCategory, Incoterm, QuantityUnit
from agri_platform.reference.l10n import in_reading_language
from agri_platform.reference.models import Prefecture

from .choices import BaseKind, Month
from .services.registration import IDENTITY_FIELDS


class PrefectureChoiceField(forms.ModelChoiceField):
    """Sichuan's 21 prefectures, named in the reader's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Prefecture"))
        super().__init__(queryset=Prefecture.objects.order_by("code"), **kwargs)

    def label_from_instance(self, obj):
        return in_reading_language(obj.name_zh, obj.name_en)


def county_field():
    # The reference data has Sichuan's prefectures but not its counties: the county is typed.
    return forms.CharField(
        label=_("County or district"),
        max_length=100,
        required=False,
        help_text=_("As on the business licence, e.g. 新津区 (Xinjin District)."),
    )


class EnterpriseProfileForm(PortalForm):
    """The profile an owner or admin keeps: names, where, contacts, what it exports."""

    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200)
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=200,
        required=False,
        help_text=_("As buyers and foreign authorities should read it."),
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    prefecture = PrefectureChoiceField()
    county = county_field()
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    customs_code = forms.CharField(
        label=_("China Customs registration code"),
        max_length=10,
        required=False,
        help_text=_("10 letters or digits; leave empty if you do not have one yet."),
    )
    export_categories = forms.MultipleChoiceField(
        label=_("What you export"),
        choices=ExportCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def lock_identity(self) -> None:
        """A verified enterprise's identity is fixed (the service refuses a change): show it
        read-only, so that the form sends the current values."""
        for name in IDENTITY_FIELDS:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Checked by the platform against your business licence; ask the platform to "
                    "change it."
                )


class EnterpriseRegisterForm(EnterpriseProfileForm):
    uscc = forms.CharField(
        label=_("Unified Social Credit Code (USCC)"),
        max_length=40,
        help_text=_("The 18 characters printed on the business licence."),
    )

    field_order = ["uscc", "name_zh", "name_en", "legal_representative", "prefecture", "county"]


class InviteForm(PortalForm):
    email = forms.EmailField(label=_("E-mail address of your colleague"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        help_text=_("Admins manage the profile and the members; members do the daily work."),
    )


class RoleForm(PortalForm):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class InvitationAcceptForm(PortalForm):
    token = forms.CharField(
        label=_("Invitation code"),
        max_length=200,
        help_text=_("The code from the invitation e-mail; the link fills it in."),
    )


# --- production bases and products --------------------------------------------------------------


class AreaUnit:
    MU = "mu"
    M2 = "m2"
    CHOICES = [(MU, pgettext_lazy("unit of area", "mu (亩)")), (M2, _("m²"))]


class LicenceForm(PortalForm):
    """The business licence, scanned or photographed (`services.enterprise_document_add`)."""

    file = forms.FileField(
        label=_("Business licence"),
        help_text=_("A PDF, JPEG or PNG of the licence, at most 20 MB."),
        error_messages={"required": _("Choose the file of the business licence.")},
    )


class ProductionBaseForm(PortalForm):
    name = forms.CharField(label=_("Name of the base"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BaseKind.choices)
    prefecture = PrefectureChoiceField()
    county = county_field()
    area = forms.DecimalField(
        label=_("Area"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    area_unit = forms.ChoiceField(
        label=_("Unit of the area"),
        choices=AreaUnit.CHOICES,
        initial=AreaUnit.MU,
        widget=forms.RadioSelect,
        help_text=_("1 mu = 666.67 m²; the platform keeps the area in m²."),
    )
    annual_capacity_t = forms.DecimalField(
        label=_("Annual capacity (tonnes)"), required=False, max_digits=12, decimal_places=3
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=8, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=8, decimal_places=5
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products grown or made here"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    error_fields = {"area_m2": "area", "area_mu": "area"}

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda product: in_reading_language(
            product.name_zh, product.name_en
        )

    def values(self) -> dict:
        """What the service takes: the area in the unit chosen (the service converts mu)."""
        values = dict(self.cleaned_data)
        area, unit = values.pop("area"), values.pop("area_unit")
        values["area_mu" if unit == AreaUnit.MU else "area_m2"] = area
        return values


class ProductForm(PortalForm):
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    variety = forms.CharField(
        label=pgettext_lazy("product", "Variety"), max_length=100, required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=ExportCategory.choices)
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=20,
        help_text=_("Type digits or a word (e.g. 0805 or mandarin) and pick from the list."),
    )
    temp_min_c = forms.DecimalField(
        label=_("Lowest storage temperature (°C)"),
        required=False,
        max_digits=5,
        decimal_places=1,
    )
    temp_max_c = forms.DecimalField(
        label=_("Highest storage temperature (°C)"),
        required=False,
        max_digits=5,
        decimal_places=1,
    )
    humidity_max_pct = forms.DecimalField(
        label=_("Highest humidity (%)"), required=False, max_digits=4, decimal_places=1
    )
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days)"), required=False, min_value=1, max_value=36500
    )
    harvest_months = forms.TypedMultipleChoiceField(
        label=_("Harvest months"),
        choices=Month.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick the months in which it is harvested; leave all empty if not relevant."),
    )
    packaging = forms.CharField(
        label=_("Packaging"),
        max_length=200,
        required=False,
        help_text=_("How it is packed for export, e.g. 10 kg cartons, 20 per pallet."),
    )
    min_order_quantity = forms.DecimalField(
        label=_("Minimum order"),
        required=False,
        max_digits=12,
        decimal_places=3,
        min_value=Decimal("0.001"),
    )
    min_order_unit = forms.ChoiceField(
        label=_("Unit of the minimum order"),
        choices=[("", _("No minimum order")), *QuantityUnit.choices],
        required=False,
    )
    incoterms = forms.MultipleChoiceField(
        label=_("Incoterms offered"),
        choices=Incoterm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The terms you quote on; buyers see them in the catalogue."),
    )
    listed_in_catalogue = forms.BooleanField(
        label=_("Show this product in the public catalogue for overseas buyers"),
        required=False,
        initial=True,
    )
    production_bases = forms.ModelMultipleChoiceField(
        label=_("Where it is grown or made"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["production_bases"].queryset = bases
        self.fields["hs_code"].widget.attrs.update(
            {"list": "hs-code-options", "autocomplete": "off"}
        )

    def values(self, *, editing: bool) -> dict:
        """What the service takes. On a new product an empty band is left out, so that the
        service takes the HS code's cold-chain profile."""
        values = dict(self.cleaned_data)
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct"):
            if values[name] is None and not editing:
                values.pop(name)
        return values
