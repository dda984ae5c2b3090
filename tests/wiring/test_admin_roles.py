"""One StaffRoleAdminMixin (agri_platform/api/admin.py) for every admin; each keeps its roles."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from agri_platform.reference.models import ColdChainProfile, Country
from certification.models import Application, MarketRequirement, Scheme
from enterprises.models import Enterprise, Product
from tests import factories

pytestmark = pytest.mark.django_db


def perms(model, user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    return "".join(
        letter if allowed else "-"
        for letter, allowed in (
            ("v", model_admin.has_view_permission(request)),
            ("a", model_admin.has_add_permission(request)),
            ("c", model_admin.has_change_permission(request)),
            ("d", model_admin.has_delete_permission(request)),
        )
    )


@pytest.fixture
def users(db):
    return {
        "reviewer": factories.StaffUserFactory(staff_role="reviewer"),
        "officer": factories.StaffUserFactory(staff_role="officer"),
        "admin": factories.StaffUserFactory(staff_role="platform_admin"),
        "superuser": factories.StaffUserFactory(staff_role="", is_superuser=True),
        "member": factories.UserFactory(is_staff=False),
    }


EXPECTED = {
    # model: reviewer, officer, platform admin, superuser
    Country: ("v---", "vac-", "vacd", "vacd"),
    ColdChainProfile: ("vac-", "vac-", "vacd", "vacd"),
    Enterprise: ("v-c-", "v-c-", "v-cd", "v-cd"),  # add is closed by EnterpriseAdmin itself
    Product: ("v---", "v---", "vacd", "vacd"),
    Scheme: ("v---", "vac-", "vac-", "vac-"),
    MarketRequirement: ("vac-", "vac-", "vac-", "vac-"),
    Application: ("v---", "v---", "v---", "v---"),  # only through the review actions
}


@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m.__name__)
def test_each_admin_keeps_its_roles(model, users):
    got = tuple(perms(model, users[name]) for name in ("reviewer", "officer", "admin", "superuser"))
    assert got == EXPECTED[model]
    assert perms(model, users["member"]) == "----"
    assert perms(model, AnonymousUser()) == "----"
