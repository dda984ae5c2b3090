"""The forms of buyer accounts: registration (public) and the profile (desk). They check what a
person typed; the pages call trade.services.buyers through `form.call`."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agri_platform.accounts.forms import password_input
from agri_platform.portal.forms import PortalForm
from agri_platform.reference import l10n
from agri_platform.reference.models import Country

from .choices import BuyerKind
from .services.buyers import MAX_DESCRIPTION_LENGTH


def country_choices() -> list[tuple[str, str]]:
    """Every country the platform knows, named and sorted in the reader's language."""
    language = translation.get_language()
    named = [
        (code, l10n.country_name(code, language))
        for code in Country.objects.values_list("code", flat=True)
    ]
    return [("", _("Choose a country")), *sorted(named, key=lambda pair: pair[1])]


class BuyerProfileFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of business are you?"),
        choices=BuyerKind.choices,
        widget=forms.RadioSelect,
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("It helps us verify your company quickly."),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    description = forms.CharField(
        label=_("About your company"),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
        help_text=_("What you sell and to whom: exporters read it with your inquiries."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BuyerRegisterForm(PortalForm):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to it: open it to confirm the address is yours."),
    )
    password = password_input("new-password")
    company = forms.CharField(
        label=_("Company name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=())
    kind = BuyerProfileFields.base_fields["kind"]
    city = BuyerProfileFields.base_fields["city"]
    website = BuyerProfileFields.base_fields["website"]
    description = BuyerProfileFields.base_fields["description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = _("At least 8 characters, not only digits.")
        self.fields["country"].choices = country_choices()


class BuyerProfileForm(PortalForm):
    kind = BuyerProfileFields.base_fields["kind"]
    city = BuyerProfileFields.base_fields["city"]
    website = BuyerProfileFields.base_fields["website"]
    description = BuyerProfileFields.base_fields["description"]
