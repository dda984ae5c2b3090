"""The portal's account forms: sign up, forgotten and changed passwords, settings.

Each form checks what a person typed; the page then calls the service the API calls
(`accounts.services`), through `form.call`, so the rules live in one place.
"""

import zoneinfo
from datetime import datetime, time

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.permissions import SCOPES
from agri_platform.portal.forms import PortalForm
from agri_platform.reference import l10n

from .choices import Language
from .models import validate_time_zone
from .serializers import PASSWORD_MAX_LENGTH

# Offered first in the time zone list: where the platform's exporters and their buyers are.
COMMON_TIME_ZONES = (
    "Asia/Shanghai",
    "Asia/Kuala_Lumpur",
    "Asia/Singapore",
    "Asia/Dubai",
    "Africa/Dakar",
    "Europe/London",
    "UTC",
)


def password_input(autocomplete: str) -> forms.CharField:
    return forms.CharField(
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def time_zone_choices() -> list:
    """The common zones first, then every IANA zone this system knows (A to Z)."""
    others = sorted(zoneinfo.available_timezones() - set(COMMON_TIME_ZONES))
    default = l10n.reader_time_zone("", translation.get_language()).key
    return [
        ("", gettext("Not chosen: the platform's (%(zone)s)") % {"zone": default}),
        (_("Common"), [(zone, zone) for zone in COMMON_TIME_ZONES]),
        (_("All time zones"), [(zone, zone) for zone in others]),
    ]


class NewPasswordMixin:
    """Two fields for the new password that must agree (typing it twice catches a typo)."""

    first, second = "new_password1", "new_password2"

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get(self.first), cleaned.get(self.second)
        if first and second and first != second:
            self.add_error(self.second, gettext("The two passwords are not the same."))
        return cleaned


class SignUpForm(NewPasswordMixin, PortalForm):
    first, second = "password", "password_again"
    # The API's field names (services, serializers) → this form's.
    error_fields = {"email": "email", "password": "password"}  # field names, not secrets  # nosec B105

    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to it: open it to confirm the address is yours."),
    )
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = password_input("new-password")
    password_again = password_input("new-password")
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        help_text=_("Pages and e-mails speak it; you can change it at any time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = _("At least 8 characters, not only digits.")
        self.fields["password_again"].label = _("Type the password again")


class PasswordResetRequestForm(PortalForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The address you signed up with."),
    )


class PasswordChangeForm(NewPasswordMixin, PortalForm):
    # Field names, not secrets.
    error_fields = {"current_password": "current_password", "new_password": "new_password1"}  # nosec B105

    current_password = password_input("current-password")
    new_password1 = password_input("new-password")
    new_password2 = password_input("new-password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _("At least 8 characters, not only digits.")
        self.fields["new_password2"].label = _("Type the new password again")


class PreferencesForm(PortalForm):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, widget=forms.RadioSelect
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        validators=[validate_time_zone],
        help_text=_("Times on pages and in e-mails are shown in it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = time_zone_choices()


def scope_choices() -> list[tuple[str, str]]:
    """Each scope with what it allows, in the reader's language."""
    return [
        (scope, gettext("%(description)s (%(scope)s)") % {"description": text, "scope": scope})
        for scope, text in SCOPES.items()
    ]


class ApiKeyForm(PortalForm):
    """A partner's new API key (the desk): what `api_key_create` takes."""

    error_fields = {"expires_at": "expires_on"}

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, so that you recognise it later, e.g. “TMS production”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give a key only the scopes its system needs."),
    )
    expires_on = forms.DateField(
        label=_("Stops working on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one year from today. The key stops at the start of that day."),
    )
    language = forms.ChoiceField(
        label=_("Language of the answers"),
        required=False,
        help_text=_("Used when a request names no language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices()
        self.fields["language"].choices = [
            ("", gettext("As each request asks (Accept-Language)")),
            *Language.choices,
        ]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        expires_on = data.get("expires_on")
        expires_at = None
        if expires_on:
            expires_at = timezone.make_aware(datetime.combine(expires_on, time.min))
        return {
            "name": data["name"],
            "scopes": data["scopes"],
            "expires_at": expires_at,
            "language": data.get("language", ""),
        }
