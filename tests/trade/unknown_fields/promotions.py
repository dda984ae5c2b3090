"""Unknown-field cases: promotions (see tests/security/test_unknown_fields.py)."""

from datetime import timedelta

from django.utils import timezone

from tests import factories
from tests.security.test_unknown_fields import Case, case
from tests.trade.factories import PromotionEventFactory, PromotionParticipantFactory

PROMOTIONS = "/api/v1/promotions"


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@case("POST /api/v1/promotions/")
def _promotion_create(kit):
    body = {
        "title_zh": "迪拜四川美食推介会",
        "title_en": "Sichuan food showcase, Dubai",
        "kind": "buyer_meeting",
        "city": "Dubai",
        "country": factories.country("AE", "United Arab Emirates").code,
        "starts_on": _day(40),
        "ends_on": _day(41),
    }
    return Case(kit.officer_client, f"{PROMOTIONS}/", body)


@case("PATCH /api/v1/promotions/{id}/")
def _promotion_update(kit):
    event = PromotionEventFactory(status="draft", published_at=None)
    return Case(kit.officer_client, f"{PROMOTIONS}/{event.pk}/", {"venue": "Suntec City"})


@case("POST /api/v1/promotions/{id}/publish/")
def _promotion_publish(kit):
    event = PromotionEventFactory(status="draft", published_at=None)
    return Case(kit.officer_client, f"{PROMOTIONS}/{event.pk}/publish/")


@case("POST /api/v1/promotions/{id}/cancel/")
def _promotion_cancel(kit):
    event = PromotionEventFactory()
    return Case(kit.officer_client, f"{PROMOTIONS}/{event.pk}/cancel/", {"reason": "Venue closed."})


@case("POST /api/v1/promotions/{id}/participants/")
def _promotion_sign_up(kit):
    event = PromotionEventFactory()
    product = factories.ProductFactory(enterprise=kit.enterprise)
    path = f"{PROMOTIONS}/{event.pk}/participants/"
    return Case(kit.owner_client, path, {"products": [product.pk]})


@case("POST /api/v1/promotion-participants/{id}/withdraw/")
def _promotion_withdraw(kit):
    participant = PromotionParticipantFactory(enterprise=kit.enterprise)
    return Case(kit.owner_client, f"/api/v1/promotion-participants/{participant.pk}/withdraw/")
