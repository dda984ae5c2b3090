"""The portal's certification forms. Each validates what a person typed; the page then calls the
service the API calls (`form.call(services.…)`), whose refusals land on the field they name."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.forms import PortalForm
from agri_platform.reference import l10n
from agri_platform.reference.models import Country

from . import numbers
from .choices import ApplicationDocumentKind


class ProductChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, product):
        name = l10n.in_reading_language(product.name_zh, product.name_en)
        return gettext("%(product)s (HS %(code)s)") % {"product": name, "code": product.hs_code_id}


class SchemeRadioSelect(forms.RadioSelect):
    """Each scheme with the documents it asks for and how long its certificate is valid."""

    option_template_name = "certification/portal/widgets/scheme_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        scheme = getattr(value, "instance", None)
        if scheme is not None:
            option["documents"] = gettext(", ").join(
                str(ApplicationDocumentKind(kind).label)
                for kind in scheme.required_documents
                if kind in ApplicationDocumentKind.values
            )
            option["validity"] = scheme.validity_label
        return option


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, scheme):
        return gettext("%(name)s (%(code)s)") % {"name": scheme.name, "code": scheme.code}


class ApplicationForm(PortalForm):
    """A new application: the scheme and what it covers (`services.application_create`)."""

    scheme = SchemeChoiceField(
        label=_("Certification scheme"),
        queryset=None,
        to_field_name="code",
        widget=SchemeRadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the scheme you apply for.")},
    )
    products = ProductChoiceField(
        label=_("Products in scope"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The products the certificate should cover."),
    )
    bases = forms.ModelMultipleChoiceField(
        label=_("Production bases in scope"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope_note = forms.CharField(
        label=_("Scope note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the reviewer should know about the scope, e.g. the packhouse line."),
    )
    error_fields = {"scope_products": "products", "scope_bases": "bases"}

    def __init__(self, *args, schemes, products, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["products"].queryset = products
        self.fields["bases"].queryset = bases


class ScopeForm(PortalForm):
    """The scope of an application the enterprise may still edit (`services.application_update`)."""

    products = ApplicationForm.base_fields["products"]
    bases = ApplicationForm.base_fields["bases"]
    scope_note = ApplicationForm.base_fields["scope_note"]
    error_fields = ApplicationForm.error_fields

    def __init__(self, *args, products, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["bases"].queryset = bases


class DocumentForm(PortalForm):
    """One document for an application (`services.document_add`)."""

    kind = forms.ChoiceField(
        label=_("Which document"),
        choices=ApplicationDocumentKind.choices,
        error_messages={"required": _("Choose which document this is.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 20 MB."),
        error_messages={"required": _("Choose the file to upload.")},
    )


class SubmitForm(PortalForm):
    """Nothing to type: the service checks the documents, the scope and the verification."""


class WithdrawForm(PortalForm):
    comment = forms.CharField(
        label=_("Why are you withdrawing?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, country):
        return l10n.in_reading_language(country.name_zh, country.name_en)


class ReadinessForm(PortalForm):
    """Where to, which products, when: the question `selectors.readiness_for` answers."""

    destination = CountryChoiceField(
        label=_("Destination country"),
        queryset=Country.objects.none(),
        empty_label=_("Choose a country"),
        error_messages={"required": _("Choose the country you ship to.")},
    )
    products = ProductChoiceField(
        label=_("Products"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one product.")},
    )
    date = forms.DateField(
        label=_("Shipping date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Certificates must still be valid on this day. Empty: today."),
    )
    error_fields = {"product": "products"}

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        countries = sorted(
            Country.objects.all(), key=lambda c: l10n.in_reading_language(c.name_zh, c.name_en)
        )
        self.fields["destination"].queryset = Country.objects.all()
        self.fields["destination"].choices = [("", self.fields["destination"].empty_label)] + [
            (country.code, self.fields["destination"].label_from_instance(country))
            for country in countries
        ]


class CertificateNumberField(forms.CharField):
    """A certificate number as a person types it, normalised to the number as stored."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # A NUL byte is one more number that matches no certificate: the page says "not found".
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        return numbers.normalise(super().to_python(value))


class CertificateSearchForm(PortalForm):
    """The search box of the public certificate pages (a GET form: the address can be shared)."""

    number = CertificateNumberField(
        label=_("Certificate number"),
        help_text=_("As printed on the certificate. Capitals, spaces and dashes do not matter."),
        error_messages={"required": _("Type the number printed on the certificate.")},
    )


class DocumentCheckForm(PortalForm):
    """The public document check (`document_check.check_document_upload`); nothing is stored."""

    error_fields = {"tracking_token": "tracking"}  # nosec B105: a field name, not a secret

    file = forms.FileField(
        label=_("The PDF to check"),
        help_text=_("A PDF of at most 20 MB. It is compared, never kept."),
        error_messages={"required": _("Choose the PDF to check.")},
    )
    tracking = forms.CharField(
        label=_("Tracking link"),
        required=False,
        max_length=300,
        help_text=_(
            "To check a shipment's document: the tracking link you were given, or its last part."
        ),
    )


# --- the certification body's desk -----------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The desk queue's filters (a GET form: unknown values are ignored, never an error)."""

    WAITING = "waiting"
    OVERDUE = "overdue"
    DUE_THIS_WEEK = "week"

    status = forms.ChoiceField(label=_("Status"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    due = forms.ChoiceField(
        label=_("Review due"),
        required=False,
        choices=[
            ("", _("Any time")),
            (OVERDUE, _("Overdue")),
            (DUE_THIS_WEEK, _("Due within 7 days")),
        ],
    )

    def __init__(self, *args, statuses, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (self.WAITING, _("Waiting for you (submitted or under review)")),
            ("", _("All")),
            *statuses,
        ]
        self.fields["scheme"].choices = [
            ("", _("All")),
            *[
                (
                    scheme.code,
                    gettext("%(name)s (%(code)s)") % {"name": scheme.name, "code": scheme.code},
                )
                for scheme in schemes
            ],
        ]


class ClaimForm(PortalForm):
    """Take the application on (`services.application_claim`). Every form of the application's
    page has its own prefix: their fields share names, their ids must not."""

    prefix = "claim"
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only your organisation and platform staff see it, never the enterprise."),
    )


class RequestChangesForm(ClaimForm):
    """Send the application back to the enterprise (`services.application_request_changes`)."""

    prefix = "changes"

    comment = forms.CharField(
        label=_("What must change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The enterprise sees this."),
        error_messages={"required": _("Say what needs to change.")},
    )
    field_order = ["comment", "note"]


class ApproveForm(ClaimForm):
    """Approve and issue the certificate (`services.application_approve`); confirmed on a second
    page before anything happens."""

    prefix = "approve"
    issue_date = forms.DateField(
        label=_("Issue date"),
        # ISO whatever the reader's language: a date input takes no other format
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Today or earlier, not before the application was last submitted."),
        error_messages={
            "required": _("Enter the issue date."),
            "invalid": _("Enter a valid date."),
        },
    )
    comment = forms.CharField(
        label=_("Comment for the enterprise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    field_order = ["issue_date", "comment", "note"]


class RejectForm(ClaimForm):
    """Reject the application with a reason (`services.application_reject`); confirmed on a second
    page before anything happens."""

    prefix = "reject"
    reason = forms.CharField(
        label=_("Why the application is rejected"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The enterprise sees this."),
        error_messages={"required": _("A rejection needs a reason.")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    field_order = ["reason", "note"]


class NoteForm(PortalForm):
    """An internal note (`services.application_add_note`)."""

    prefix = "note"

    comment = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only your organisation and platform staff see it, never the enterprise."),
        error_messages={"required": _("The note is empty.")},
    )
