from pathlib import Path

import pytest
from django.db import transaction

from agri_platform.events import catalogue
from agri_platform.events.models import Event
from agri_platform.events.services import record
from tests.events.factories import payload_for

ROOT = Path(__file__).resolve().parents[2]

REQUIRED = [
    "enterprise.registered",
    "enterprise.verified",
    "certification.application.submitted",
    "certification.application.approved",
    "certificate.issued",
    "certificate.expiring",
    "certificate.expired",
    "certificate.suspended",
    "certificate.revoked",
    "shipment.booked",
    "shipment.dispatched",
    "shipment.status_changed",
    "shipment.delivered",
    "shipment.temperature_excursion.started",
    "shipment.temperature_excursion.ended",
    "finance.request.submitted",
    "finance.offer.received",
    "legal.request.assigned",
    "legal.message.posted",
]


def test_catalogue_covers_every_area_the_issue_names():
    missing = [kind for kind in REQUIRED if kind not in catalogue.CATALOGUE]
    assert missing == []


@pytest.mark.parametrize("entry", catalogue.CATALOGUE_ENTRIES, ids=lambda e: e.kind)
def test_every_entry_is_complete(entry):
    assert entry.description and entry.fields and entry.title_en and entry.title_zh
    assert entry.partners in (catalogue.ROUTED, catalogue.ALL_PARTNERS)
    assert set(entry.notify) <= set(catalogue.AUDIENCES)
    # titles only use payload fields the entry promises
    for title in (entry.title_en, entry.title_zh):
        rendered = title.format_map({field: "X" for field in entry.fields})
        assert "{" not in rendered


def test_public_facts_reach_all_partners_and_the_rest_is_routed():
    assert catalogue.get("enterprise.verified").partners == catalogue.ALL_PARTNERS
    assert catalogue.get("certificate.revoked").partners == catalogue.ALL_PARTNERS
    assert catalogue.get("finance.offer.received").partners == catalogue.ROUTED
    assert catalogue.get("shipment.temperature_excursion.started").partners == catalogue.ROUTED


def test_unknown_kind_fails_loudly_and_writes_nothing(db):
    with (
        pytest.raises(ValueError, match=r"Unknown event kind 'shipment\.teleported'"),
        transaction.atomic(),
    ):
        record("shipment.teleported", payload={})
    assert not Event.objects.exists()


def test_docs_list_every_kind():
    text = (ROOT / "docs" / "events.md").read_text()
    undocumented = [kind for kind in catalogue.KINDS if f"`{kind}`" not in text]
    assert undocumented == []


def test_titles_follow_the_recipients_language():
    payload = {"name_en": "Runzhao Caviar", "name_zh": "润兆鲟鱼"}
    assert catalogue.title_for("enterprise.verified", payload, "en") == (
        "Enterprise verified: Runzhao Caviar"
    )
    assert (
        catalogue.title_for("enterprise.verified", payload, "zh-hans") == "企业已通过审核：润兆鲟鱼"
    )
    # a missing field never breaks the title
    assert catalogue.title_for("enterprise.verified", {}, "en") == "Enterprise verified: —"


def test_patterns():
    assert catalogue.kind_matches("*", "shipment.dispatched")
    assert catalogue.kind_matches("shipment.*", "shipment.temperature_excursion.started")
    assert not catalogue.kind_matches("shipment.*", "finance.offer.received")
    assert not catalogue.kind_matches("shipment", "shipment.dispatched")
    assert catalogue.pattern_is_known("certificate.*")
    assert not catalogue.pattern_is_known("spaceship.*")


def test_docs_list_each_kinds_payload_fields_as_the_catalogue_does():
    rows = {}
    for line in (ROOT / "docs" / "events.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].strip("`") in catalogue.KINDS:
            rows[cells[0].strip("`")] = cells[2]
    wrong = {
        kind: rows.get(kind)
        for kind in catalogue.KINDS
        if rows.get(kind) != ", ".join(catalogue.get(kind).fields)
    }
    assert wrong == {}


def test_a_cut_down_payload_fails_even_from_an_app_that_imported_record_by_name(
    db, monkeypatch, reviewer
):
    """enterprises/services/verification.py does `from agri_platform.events.services import
    record`: a check patched onto the module attribute never saw its calls. record() checks the
    payload itself."""
    from enterprises.choices import VerificationStatus
    from enterprises.services import verification as enterprise_services
    from tests.factories import EnterpriseFactory

    assert enterprise_services.record is record  # imported by name, as the issue describes
    enterprise = EnterpriseFactory(status=VerificationStatus.PENDING)
    monkeypatch.setattr(
        enterprise_services, "event_payload", lambda enterprise, **extra: {"uscc": enterprise.uscc}
    )

    with pytest.raises(ValueError, match=r"enterprise\.verified payload") as refused:
        enterprise_services.enterprise_verify(enterprise=enterprise, reviewer=reviewer)

    assert "missing enterprise_id" in str(refused.value)
    assert not Event.objects.exists()
    enterprise.refresh_from_db()
    assert enterprise.status == VerificationStatus.PENDING


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"enterprise_id": "7"}, "enterprise_id should be integer"),
        ({"enterprise_id": True}, "enterprise_id should be integer"),
        ({"name_en": None}, "name_en should be string"),
        ({"colour": "red"}, "colour is not in the catalogue"),
    ],
)
def test_record_refuses_a_payload_of_the_wrong_shape(db, change, problem):
    payload = {"enterprise_id": 7, "uscc": "x", "name_zh": "x", "name_en": "x", "status": "x"}
    with pytest.raises(ValueError, match=problem):
        record("enterprise.verified", payload={**payload, **change})
    assert not Event.objects.exists()


def test_typed_fields_are_catalogue_fields_and_nullable_ones_may_be_null():
    fields = {name for entry in catalogue.CATALOGUE_ENTRIES for name in entry.fields}
    assert set(catalogue.FIELD_TYPES) <= fields
    assert fields >= catalogue.NULLABLE
    payload = payload_for("legal.request.submitted", deadline=None, assigned_firm_id=None)
    assert catalogue.payload_problems("legal.request.submitted", payload) == []
    payload["title"] = None
    assert catalogue.payload_problems("legal.request.submitted", payload) == [
        "title should be string"
    ]
