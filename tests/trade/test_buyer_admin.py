"""Staff review buyers through the Django admin with the same services as the API, one buyer at a
time: a buyer the action cannot apply to is named in an error, the others go through."""

from django.urls import reverse

from agri_platform.events.models import Event
from tests.trade.factories import BuyerFactory

CHANGELIST = reverse("admin:trade_buyer_changelist")


def test_suspend_asks_for_a_reason_then_suspends(admin_reviewer_client, reviewer):
    buyer = BuyerFactory()
    form = admin_reviewer_client.post(
        CHANGELIST, {"action": "suspend", "_selected_action": [buyer.pk]}
    )
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    assert buyer.partner.name in form.content.decode()

    response = admin_reviewer_client.post(
        CHANGELIST,
        {
            "action": "suspend",
            "_selected_action": [buyer.pk],
            "apply": "1",
            "reason": "Website offline",
        },
        follow=True,
    )

    buyer.refresh_from_db()
    assert buyer.status == "suspended"
    assert buyer.status_reason == "Website offline"
    assert Event.objects.get(kind="buyer.suspended").actor == reviewer
    assert "Suspended 1 buyer." in response.content.decode()


def test_a_buyer_the_action_cannot_apply_to_is_named_and_the_others_go_through(
    admin_reviewer_client,
):
    suspended = BuyerFactory(status="suspended")
    verified = BuyerFactory()

    response = admin_reviewer_client.post(
        CHANGELIST,
        {"action": "reinstate", "_selected_action": [suspended.pk, verified.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert f"{verified.partner.name}: " in page
    assert "Reinstated 1 buyer." in page
    suspended.refresh_from_db()
    assert suspended.status == "verified"
