"""The portal's forms for legal cases. Each one's submission calls the service the API calls
(`legal.services`); the limits come from there too."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.documents import MAX_TITLE_LENGTH as MAX_DOCUMENT_TITLE_LENGTH
from agri_platform.portal.forms import PortalForm
from agri_platform.reference import l10n
from agri_platform.reference.models import Country

from . import services
from .choices import DesignationStatus, LegalKind

KIND_HINTS = {
    LegalKind.CONTRACT_REVIEW: _("A lawyer reads a contract with a buyer or a partner abroad."),
    LegalKind.TRADE_DISPUTE: _("Unpaid goods, a rejected shipment, a broken agreement."),
    LegalKind.TRADEMARK_REGISTRATION: _(
        "Protect your mark in other countries through the Madrid System."
    ),
    LegalKind.COMPLIANCE_CONSULTATION: _("Rules of a market: labels, licences, sanctions."),
    LegalKind.IP_PROTECTION: _("Copies of your brand, packaging or varieties."),
}


def country_choices() -> list[tuple[str, str]]:
    """Every country of the reference table, named and sorted in the reader's language."""
    codes = Country.objects.values_list("code", flat=True)
    named = [(code, l10n.country_name(code)) for code in codes]
    return sorted(named, key=lambda choice: choice[1])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class KindForm(PortalForm):
    """Step one of a new case: what kind of help (a GET form: the choice goes in the address)."""

    kind = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=LegalKind.choices,
        widget=forms.RadioSelect,
    )


class NewCaseForm(PortalForm):
    """Step two: the case itself. Trademark registrations name the mark and the designated
    countries; the other kinds may name the country concerned."""

    error_fields = {"file": "document"}  # the service that stores the document names `file`

    kind = forms.ChoiceField(choices=LegalKind.choices, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Title"),
        max_length=services.MAX_TITLE_LENGTH,
        help_text=_("A few words the law firm and you will recognise the case by."),
    )
    description = forms.CharField(
        label=_("What happened, and what do you need?"),
        max_length=services.MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    trademark = forms.CharField(
        label=_("The mark to register"),
        max_length=services.MAX_TITLE_LENGTH,
        help_text=_("As registered in China, e.g. RUNZHAO 润兆."),
    )
    designations = forms.MultipleChoiceField(
        label=_("Countries where the mark should be protected"),
        widget=forms.CheckboxSelectMultiple,
    )
    nice_classes = forms.CharField(
        label=_("Nice classes"),
        required=False,
        help_text=_("Numbers from 1 to 45, separated by commas; e.g. 29 for caviar, 31 for fruit."),
    )
    country = forms.ChoiceField(label=_("Country concerned"), required=False)
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A date the law firm must know about: a hearing, a filing, a signature."),
    )
    document = forms.FileField(
        label=_("A document for the law firm"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 20 MB: the contract, an invoice, the mark's image."),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = kind
        countries = country_choices()
        if kind == LegalKind.TRADEMARK_REGISTRATION:
            self.fields["designations"].choices = countries
            del self.fields["country"]
        else:
            for name in ("trademark", "designations", "nice_classes"):
                del self.fields[name]
            self.fields["country"].choices = [("", gettext("None in particular")), *countries]

    def clean_nice_classes(self) -> list[int]:
        text = self.cleaned_data["nice_classes"].replace("，", ",")
        try:
            classes = [int(part) for part in text.replace(" ", ",").split(",") if part]
        except ValueError:
            raise forms.ValidationError(
                _("Write the classes as numbers separated by commas, e.g. 29, 31."),
                code="invalid",
            ) from None
        if any(not 1 <= number <= services.MAX_NICE_CLASS for number in classes):
            raise forms.ValidationError(
                _("Nice classes run from 1 to %(max)d."),
                code="invalid",
                params={"max": services.MAX_NICE_CLASS},
            )
        return classes

    def service_arguments(self) -> dict:
        """The keyword arguments of `services.request_create` (besides the actor and enterprise)."""
        data = self.cleaned_data
        arguments = {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "deadline": data.get("deadline"),
        }
        if "designations" in self.fields:
            countries = Country.objects.in_bulk(data["designations"])
            arguments["trademark"] = data["trademark"]
            arguments["designations"] = [
                {"country": countries[code], "nice_classes": data["nice_classes"]}
                for code in data["designations"]
            ]
        elif data.get("country"):
            arguments["countries"] = [Country.objects.get(pk=data["country"])]
        return arguments


class MessageForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=services.MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("Up to 10 files: PDF, JPEG or PNG, up to 20 MB each."),
    )


class DocumentForm(PortalForm):
    file = forms.FileField(label=_("Document"), help_text=_("PDF, JPEG or PNG, up to 20 MB."))
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=MAX_DOCUMENT_TITLE_LENGTH,
        help_text=_("Without a title the file's name is used."),
    )


class CloseForm(PortalForm):
    """Closing a resolved case takes no input; the form carries the service's refusal."""


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing the case?"),
        required=False,
        max_length=services.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The law firm reads this."),
    )


# The law firm's desk (legal/desk_pages.py): the same services, the firm's side of the case.


class DeskMessageForm(MessageForm):
    """A message to the client, or an internal note the client never sees."""

    body = forms.CharField(
        label=_("Message or note"),
        max_length=services.MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_internal = forms.BooleanField(
        label=_("Internal note: keep it within the firm, the client does not see it"),
        required=False,
    )
    field_order = ["body", "is_internal", "attachments"]


class StartForm(PortalForm):
    """Starting work takes no input; the form carries the service's refusal."""


class AwaitClientForm(PortalForm):
    reason = forms.CharField(
        label=_("What do you need from the client?"),
        max_length=services.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The client reads this on the case's page and is told by notification."),
    )


class ResolveForm(PortalForm):
    resolution = forms.CharField(
        label=_("How was the case resolved?"),
        max_length=services.MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The client reads this and then closes the case."),
    )


class DesignationForm(PortalForm):
    """The firm's update of one designated country (`services.designation_update`)."""

    # The service's refusal about the country is about the whole row.
    error_fields = {"country": "__all__"}

    country = forms.CharField(widget=forms.HiddenInput, max_length=2)
    status = forms.ChoiceField(label=_("Status"), choices=DesignationStatus.choices)
    note = forms.CharField(
        label=_("Note for the client"),
        required=False,
        max_length=services.MAX_REASON_LENGTH,
        help_text=_("E.g. the WIPO receipt number or the office's decision."),
    )

    def __init__(self, *args, country_code: str, **kwargs):
        # One form per row of the table: the ids name the country.
        kwargs.setdefault("auto_id", f"id_designation_{country_code.lower()}_%s")
        super().__init__(*args, **kwargs)
        self.fields["country"].initial = country_code
