"""Promotion events: staff create, publish and cancel them; enterprises sign up with their
products and withdraw; anyone reads the published ones (API and pages)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agri_platform.accounts.choices import StaffRole
from agri_platform.api.errors import Conflict, PermissionDenied, ValidationFailed
from agri_platform.events.models import Event
from agri_platform.reference.choices import ExportCategory
from tests import factories
from tests.conftest import client_for
from tests.trade.factories import PromotionEventFactory, PromotionParticipantFactory
from trade.choices import ParticipantStatus, PromotionStatus
from trade.services import promotions as services

pytestmark = pytest.mark.django_db

API = "/api/v1/promotions/"


@pytest.fixture
def officer():
    return factories.StaffUserFactory(staff_role=StaffRole.OFFICER)


@pytest.fixture
def member():
    return factories.MembershipFactory()


def _day(days: int):
    return timezone.localdate() + timedelta(days=days)


def _draft(**fields):
    return PromotionEventFactory(status=PromotionStatus.DRAFT, published_at=None, **fields)


# --- services -------------------------------------------------------------------------------------


def test_staff_create_a_draft_and_publish_it(officer):
    event = services.promotion_create(
        actor=officer,
        title_zh="吉隆坡买家见面会",
        title_en="Buyer meeting, Kuala Lumpur",
        kind="buyer_meeting",
        city="Kuala Lumpur",
        country=factories.country("MY"),
        starts_on=_day(20),
        ends_on=_day(21),
        markets=[factories.country("MY"), factories.country("SG", "Singapore")],
    )
    assert event.status == PromotionStatus.DRAFT
    assert not Event.objects.filter(kind="promotion.published").exists()

    services.promotion_publish(actor=officer, event=event)

    event.refresh_from_db()
    assert event.status == PromotionStatus.PUBLISHED and event.published_at is not None
    published = Event.objects.get(kind="promotion.published")
    assert published.payload["promotion_id"] == event.pk
    assert published.payload["country"] == "MY"
    assert published.for_all_partners


def test_only_officers_and_admins_manage_events(member):
    reviewer = factories.StaffUserFactory(staff_role=StaffRole.REVIEWER)
    for actor in (member.user, reviewer):
        with pytest.raises(PermissionDenied):
            services.promotion_publish(actor=actor, event=_draft())


def test_an_event_must_not_end_before_it_starts(officer):
    with pytest.raises(ValidationFailed) as refused:
        services.promotion_update(actor=officer, event=_draft(), ends_on=_day(-400))
    assert refused.value.field == "ends_on"


def test_cancel_needs_a_reason_and_announces_a_published_event(officer):
    event = PromotionEventFactory()
    with pytest.raises(ValidationFailed):
        services.promotion_cancel(actor=officer, event=event, reason="  ")

    services.promotion_cancel(actor=officer, event=event, reason="The venue closed.")

    event.refresh_from_db()
    assert event.status == PromotionStatus.CANCELLED
    assert Event.objects.get(kind="promotion.cancelled").payload["reason"] == "The venue closed."
    with pytest.raises(Conflict):
        services.promotion_publish(actor=officer, event=event)


def test_an_enterprise_signs_up_with_its_products_withdraws_and_signs_up_again(member):
    event = PromotionEventFactory()
    citrus = factories.ProductFactory(enterprise=member.enterprise)

    participant = services.promotion_sign_up(
        actor=member.user, event=event, enterprise=member.enterprise, products=[citrus]
    )
    assert list(participant.products.all()) == [citrus]
    signed_up = Event.objects.get(kind="promotion.signed_up")
    assert signed_up.payload["product_ids"] == [citrus.pk]
    with pytest.raises(Conflict):
        services.promotion_sign_up(
            actor=member.user, event=event, enterprise=member.enterprise, products=[citrus]
        )

    services.promotion_withdraw(actor=member.user, participant=participant)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.WITHDRAWN
    assert Event.objects.filter(kind="promotion.withdrawn").count() == 1

    again = services.promotion_sign_up(
        actor=member.user, event=event, enterprise=member.enterprise, products=[citrus]
    )
    assert again.pk == participant.pk and again.status == ParticipantStatus.SIGNED_UP


def test_sign_up_refuses_another_enterprises_product(member):
    theirs = factories.ProductFactory()
    with pytest.raises(ValidationFailed) as refused:
        services.promotion_sign_up(
            actor=member.user,
            event=PromotionEventFactory(),
            enterprise=member.enterprise,
            products=[theirs],
        )
    assert refused.value.field == "products"


def test_sign_up_closes_on_the_day_set(member):
    event = PromotionEventFactory(signup_closes_on=_day(-1))
    product = factories.ProductFactory(enterprise=member.enterprise)
    with pytest.raises(Conflict) as refused:
        services.promotion_sign_up(
            actor=member.user, event=event, enterprise=member.enterprise, products=[product]
        )
    assert refused.value.code == "signup_closed"


def test_a_draft_takes_no_sign_ups(member):
    product = factories.ProductFactory(enterprise=member.enterprise)
    with pytest.raises(Conflict):
        services.promotion_sign_up(
            actor=member.user, event=_draft(), enterprise=member.enterprise, products=[product]
        )


def test_only_the_enterprises_members_withdraw(member):
    participant = PromotionParticipantFactory()
    with pytest.raises((PermissionDenied, Exception)) as refused:
        services.promotion_withdraw(actor=member.user, participant=participant)
    assert getattr(refused.value, "status_code", None) in (403, 404)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.SIGNED_UP


# --- API --------------------------------------------------------------------------------------


def test_anyone_lists_published_events_but_not_drafts():
    published, draft = PromotionEventFactory(), _draft()
    response = APIClient().get(API)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert published.pk in ids and draft.pk not in ids
    assert APIClient().get(f"{API}{draft.pk}/").status_code == 404


def test_staff_see_drafts(officer):
    draft = _draft()
    response = client_for(officer).get(f"{API}{draft.pk}/")
    assert response.status_code == 200
    assert response.json()["allowed_actions"] == ["update", "publish", "cancel"]


def test_the_list_filters_upcoming_and_past_and_by_market():
    upcoming = PromotionEventFactory()
    past = PromotionEventFactory(starts_on=_day(-10), ends_on=_day(-9))
    client = APIClient()

    assert [r["id"] for r in client.get(API, {"when": "upcoming"}).json()["results"]] == [
        upcoming.pk
    ]
    assert [r["id"] for r in client.get(API, {"when": "past"}).json()["results"]] == [past.pk]
    assert client.get(API, {"market": "AE"}).json()["count"] == 0
    assert client.get(API, {"market": "sg"}).json()["count"] == 2
    assert client.get(API, {"when": "soon"}).status_code == 400


def test_the_list_filters_by_category_and_keeps_events_for_every_category():
    fruits = PromotionEventFactory(categories=[ExportCategory.FRUITS])
    PromotionEventFactory(categories=[ExportCategory.AQUATIC])
    every = PromotionEventFactory(categories=[])
    client = APIClient()

    response = client.get(API, {"category": ExportCategory.FRUITS})

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {fruits.pk, every.pk}
    assert client.get(API, {"category": "gems"}).status_code == 400


def test_the_event_shows_who_takes_part_with_their_products():
    participant = PromotionParticipantFactory()
    PromotionParticipantFactory(event=participant.event, status=ParticipantStatus.WITHDRAWN)
    body = APIClient().get(f"{API}{participant.event.pk}/").json()
    assert body["participant_count"] == 1
    [shown] = body["participants"]
    assert shown["enterprise"] == participant.enterprise_id
    assert shown["products"][0]["page_url"].endswith(
        reverse("public:catalogue-product", args=[participant.products.get().pk])
    )


def test_the_list_query_count_does_not_grow_with_events():
    for _ in range(2):
        PromotionParticipantFactory()
    client = APIClient()
    with CaptureQueriesContext(connection) as few:
        client.get(API)
    for _ in range(4):
        PromotionParticipantFactory()
    with CaptureQueriesContext(connection) as many:
        client.get(API)
    assert len(many) == len(few)


def test_staff_create_publish_and_cancel_over_the_api(officer):
    client = client_for(officer)
    created = client.post(
        API,
        {
            "title_zh": "迪拜四川美食推介会",
            "title_en": "Sichuan food showcase, Dubai",
            "kind": "trade_fair",
            "city": "Dubai",
            "country": factories.country("AE", "United Arab Emirates").code,
            "starts_on": _day(40).isoformat(),
            "ends_on": _day(42).isoformat(),
            "markets": ["ae"],
            "categories": ["fruits"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    assert created.json()["markets"] == ["AE"]

    patched = client.patch(f"{API}{event_id}/", {"venue": "Dubai World Trade Centre"})
    assert patched.status_code == 200 and patched.json()["venue"] == "Dubai World Trade Centre"
    assert client.post(f"{API}{event_id}/publish/").json()["status"] == "published"
    assert client.post(f"{API}{event_id}/publish/").status_code == 409
    cancelled = client.post(f"{API}{event_id}/cancel/", {"reason": "Postponed."})
    assert cancelled.json()["status"] == "cancelled"


def test_a_member_may_not_create_events(member):
    response = client_for(member.user).post(API, {}, format="json")
    assert response.status_code in (400, 403)
    anonymous = APIClient().post(API, {}, format="json")
    assert anonymous.status_code == 401


def test_an_enterprise_signs_up_and_withdraws_over_the_api(member):
    event = PromotionEventFactory()
    product = factories.ProductFactory(enterprise=member.enterprise)
    client = client_for(member.user)

    signed = client.post(
        f"{API}{event.pk}/participants/",
        {"products": [product.pk], "note": "Tasting samples"},
        format="json",
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["allowed_actions"] == ["withdraw"]
    listed = APIClient().get(f"{API}{event.pk}/participants/").json()
    assert [row["id"] for row in listed["results"]] == [signed.json()["id"]]

    withdrawn = client.post(f"/api/v1/promotion-participants/{signed.json()['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/promotion-participants/{signed.json()['id']}/withdraw/")
    assert again.status_code == 409


def test_sign_up_with_someone_elses_product_is_a_400_naming_products(member):
    event = PromotionEventFactory()
    theirs = factories.ProductFactory()
    response = client_for(member.user).post(
        f"{API}{event.pk}/participants/", {"products": [theirs.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("products")


# --- pages ------------------------------------------------------------------------------------


def test_the_public_list_shows_upcoming_events_then_past_ones(client):
    upcoming = PromotionEventFactory(title_en="Citrus tasting, Singapore")
    PromotionEventFactory(title_en="Old fair", starts_on=_day(-30), ends_on=_day(-29))
    _draft(title_en="Secret draft")
    PromotionParticipantFactory(event=upcoming)

    html = client.get(reverse("public:promotions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert html.index("Citrus tasting, Singapore") < html.index("Old fair")
    assert "Secret draft" not in html
    assert "1 upcoming event" in html and "1 exporter taking part" in html


def test_the_public_list_filters_by_category(client):
    PromotionEventFactory(title_en="Citrus tasting", categories=[ExportCategory.FRUITS])
    PromotionEventFactory(title_en="Caviar evening", categories=[ExportCategory.AQUATIC])
    PromotionEventFactory(title_en="Open fair", categories=[])

    html = client.get(
        reverse("public:promotions"),
        {"category": ExportCategory.FRUITS},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "Citrus tasting" in html and "Open fair" in html
    assert "Caviar evening" not in html


def test_the_public_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(5):
        PromotionParticipantFactory()
    with django_assert_max_num_queries(8):
        client.get(reverse("public:promotions"))


def test_the_event_page_links_products_and_inquiries(client):
    participant = PromotionParticipantFactory()
    product = participant.products.get()
    html = client.get(reverse("public:promotion", args=[participant.event.pk])).content.decode()
    assert reverse("public:catalogue-product", args=[product.pk]) in html
    inquiry = f"{reverse('desk:inquiry-new')}?product={product.pk}&amp;event={participant.event.pk}"
    assert inquiry in html
    assert client.get(reverse("public:promotion", args=[_draft().pk])).status_code == 404


def test_an_exporter_signs_up_after_checking_its_answers_and_withdraws_when_asked_once(
    client, member
):
    event = PromotionEventFactory()
    citrus = factories.ProductFactory(enterprise=member.enterprise)
    client.force_login(member.user)
    page = reverse("portal:promotion-signup", args=[event.pk])
    assert event.title_zh in client.get(reverse("portal:promotions")).content.decode()

    checking = client.post(page, {"products": [citrus.pk], "note": "Samples"})
    assert checking.status_code == 200 and "confirmed" in checking.content.decode()
    assert not event.participants.exists()
    done = client.post(page, {"products": [citrus.pk], "note": "Samples", "confirmed": "on"})
    assert done.status_code == 302
    participant = event.participants.get()
    assert list(participant.products.all()) == [citrus]

    asking = client.post(page, {"action": "withdraw"})
    assert asking.status_code == 200
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.SIGNED_UP
    client.post(page, {"action": "withdraw", "confirmed": "on"})
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.WITHDRAWN


def test_signing_up_without_a_product_names_the_field(client, member):
    event = PromotionEventFactory()
    factories.ProductFactory(enterprise=member.enterprise)
    client.force_login(member.user)
    response = client.post(reverse("portal:promotion-signup", args=[event.pk]), {"note": "x"})
    assert response.status_code == 200
    assert "products" in response.context["form"].errors


def test_the_public_list_filters_by_host_country_and_market():
    in_singapore = PromotionEventFactory()
    PromotionEventFactory(country=factories.country("AE", "United Arab Emirates"), city="Dubai")

    by_country = APIClient().get("/api/v1/promotions/", {"country": "sg"})
    by_market = APIClient().get("/api/v1/promotions/", {"market": "SG"})

    assert by_country.status_code == by_market.status_code == 200
    assert [row["id"] for row in by_country.json()["results"]] == [in_singapore.pk]
    assert in_singapore.pk in [row["id"] for row in by_market.json()["results"]]
