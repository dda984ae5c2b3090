"""A portal form calls the service and shows its refusal at the field the service names."""

import pytest
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError as DrfValidationError

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.portal.badges import tone_of
from agri_platform.portal.forms import PortalForm, ServiceRefused


class BookingForm(PortalForm):
    port = forms.CharField(help_text="UN/LOCODE")
    note = forms.CharField(required=False)
    error_fields = {"destination_code": "port"}


def refusing(error):
    def service(**kwargs):
        raise error

    return service


def bound_form():
    form = BookingForm(data={"port": "MYKUL"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_service_field_lands_on_the_form_field_that_stands_for_it():
    form = bound_form()
    with pytest.raises(ServiceRefused):
        form.call(refusing(ValidationFailed("Unknown port.", field="destination_code")))
    assert form.errors == {"port": ["Unknown port."]}
    widget = form.fields["port"].widget
    assert widget.attrs["aria-invalid"] == "true"
    assert widget.attrs["aria-describedby"] == "id_port_error id_port_helptext"


def test_a_refusal_naming_no_field_of_the_form_is_an_error_of_the_whole_form():
    form = bound_form()
    with pytest.raises(ServiceRefused):
        form.call(refusing(Conflict("Already dispatched.", field="status")))
    assert form.non_field_errors() == ["Already dispatched."]


def test_django_and_drf_validation_errors_are_spread_over_their_fields():
    form = bound_form()
    with pytest.raises(ServiceRefused):
        form.call(refusing(DjangoValidationError({"note": ["Too long."], "other": ["No."]})))
    assert form.errors["note"] == ["Too long."]
    assert form.non_field_errors() == ["No."]

    form = bound_form()
    with pytest.raises(ServiceRefused):
        form.call(refusing(DrfValidationError({"destination_code": ["Bad."], "x": ["Worse."]})))
    assert form.errors["port"] == ["Bad."]
    assert form.non_field_errors() == ["Worse."]


def test_a_service_that_agrees_returns_its_result():
    assert bound_form().call(lambda **kwargs: kwargs, value=3) == {"value": 3}


@pytest.mark.parametrize(
    ("state", "tone"),
    [
        ("verified", "success"),
        ("changes_requested", "attention"),
        ("revoked", "danger"),
        ("submitted", "pending"),
        ("in_transit", "info"),
        ("withdrawn", "neutral"),
        ("something-new", "neutral"),
    ],
)
def test_every_state_has_one_colour(state, tone):
    assert tone_of(state) == tone
