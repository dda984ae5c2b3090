"""Forms of the portal: Django forms whose submission calls the service the API calls.

A page's form never writes a model itself. It validates what a person typed (types, required
fields, choices), then `call`s the service; a refusal from the service (a domain error naming its
API field, a Django ValidationError, a DRF one) becomes an error on the form's field of that name,
or on the whole form, in the reader's language, and `ServiceRefused` lets the page show the form
again. `PortalFormView.perform` is where a page calls it.
"""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError as DrfValidationError

from agri_platform.api.errors import ApplicationError


class ServiceRefused(Exception):
    """The service said no; the form now carries its reasons."""


class ServiceFormMixin:
    """`error_fields` maps a service's field name to the form's ({"destination_code": "port"})."""

    error_fields: dict[str, str] = {}

    def call(self, service, /, *args, **kwargs):
        try:
            return service(*args, **kwargs)
        except ApplicationError as error:
            self.refuse(error.field, error.detail)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    self.refuse(field, messages, stop=False)
                raise ServiceRefused from error
            self.refuse(None, error.messages)
        except DrfValidationError as error:
            self._refuse_drf(error.detail)
            raise ServiceRefused from error

    def refuse(self, field: str | None, message, *, stop: bool = True) -> None:
        """Put `message` on the form field that stands for the service's `field` (or on the
        whole form), then stop the submission unless `stop` is False."""
        name = self.error_fields.get(field, field) if field else None
        self.add_error(name if name in self.fields else None, message)
        if stop:
            raise ServiceRefused(message)

    def _refuse_drf(self, detail, field: str | None = None) -> None:
        if isinstance(detail, dict):
            for name, inner in detail.items():
                self._refuse_drf(inner, None if name == "non_field_errors" else name)
        elif isinstance(detail, list):
            for inner in detail:
                self._refuse_drf(inner, field)
        else:
            self.refuse(field, str(detail), stop=False)

    def add_error(self, field, error):
        super().add_error(field, error)
        self.describe_errors()

    def describe_errors(self) -> None:
        """Tie every field in error to its message for screen readers."""
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(described)


class PortalForm(ServiceFormMixin, forms.Form):
    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            self.describe_errors()


class PortalModelForm(ServiceFormMixin, forms.ModelForm):
    """A ModelForm for its fields and labels only: `perform` calls a service, never `save()`."""

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            self.describe_errors()
