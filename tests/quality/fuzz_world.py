"""Data and credentials for the API fuzzing run (`.ci/quality`, docs/quality.md).

Run against the fuzzing database (migrated) with the server's settings:

    python -m tests.quality.fuzz_world /tmp/credentials.json

It loads the demo data (`seed_demo`, idempotent), makes sure the demo exporter owns a *verified*
enterprise, and writes three credentials to the JSON file: a bearer token of that owner, an API key
of the demo carrier with every scope, and a bearer token of the platform admin. Running it again
issues fresh credentials and changes nothing else.
"""

import json
import os
import sys


def build() -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from agri_platform.accounts.choices import MembershipRole, PartnerKind
    from agri_platform.accounts.demo import ENTERPRISE_USERS, STAFF
    from agri_platform.accounts.models import Membership, Partner, User
    from agri_platform.accounts.services import api_key_create, token_issue
    from agri_platform.api.permissions import SCOPES
    from enterprises.choices import VerificationStatus
    from enterprises.models import Enterprise
    from tests import factories

    call_command("seed_demo", verbosity=0)
    with transaction.atomic():
        owner = User.objects.get(email=ENTERPRISE_USERS[0][0])
        membership = (
            Membership.objects.filter(user=owner, role=MembershipRole.OWNER)
            .select_related("enterprise")
            .first()
        )
        if membership is None:
            enterprise = factories.EnterpriseFactory(
                name_zh="模糊测试出口企业", name_en="Fuzzing Exporter Co."
            )
            membership = Membership.objects.create(
                user=owner, enterprise=enterprise, role=MembershipRole.OWNER
            )
        enterprise = membership.enterprise
        if enterprise.status != VerificationStatus.VERIFIED:
            Enterprise.objects.filter(pk=enterprise.pk).update(status=VerificationStatus.VERIFIED)
        carrier = Partner.objects.filter(kind=PartnerKind.CARRIER).order_by("pk").first()
        _, api_key = api_key_create(partner=carrier, name="schemathesis", scopes=sorted(SCOPES))
        _, enterprise_token = token_issue(user=owner, name="schemathesis")
        staff = User.objects.get(email=STAFF[0][0])
        _, staff_token = token_issue(user=staff, name="schemathesis")
    return {
        "enterprise": f"Bearer {enterprise_token}",
        "partner": f"Api-Key {api_key}",
        "staff": f"Bearer {staff_token}",
        "enterprise_id": enterprise.pk,
    }


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")
    import django

    django.setup()
    credentials = build()
    with open(path, "w") as fh:
        json.dump(credentials, fh)
    os.chmod(path, 0o600)


if __name__ == "__main__":
    main(sys.argv[1])
