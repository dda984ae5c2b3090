"""Certificate numbers (prefix, year, sequence, check character) and public verification."""

import itertools
from datetime import date

import pytest

from agri_platform.api.throttling import PublicLookupThrottle
from certification import numbers, services
from tests import factories
from tests.certification.factories import SchemeFactory
from tests.certification.helpers import API


def test_format_and_check_character():
    number = numbers.format_number("QMS", 2026, 42)
    assert number[:-1] == "QMS-2026-000042-"
    assert numbers.is_well_formed(number)
    assert numbers.is_well_formed(number.lower())


def test_every_single_character_typo_is_detected():
    number = numbers.format_number("GGAP", 2026, 1234)
    for index, char in enumerate(number):
        if char == "-":
            continue
        for other in numbers.ALPHABET:
            if other != char:
                typo = number[:index] + other + number[index + 1 :]
                assert not numbers.is_well_formed(typo), typo


def test_neighbour_swaps_are_detected():
    number = numbers.format_number("QMS", 2026, 123456)
    digits = [i for i, c in enumerate(number) if c != "-"]
    for left, right in itertools.pairwise(digits):
        if right != left + 1 or number[left] == number[right]:
            continue
        swapped = list(number)
        swapped[left], swapped[right] = swapped[right], swapped[left]
        assert not numbers.is_well_formed("".join(swapped))


@pytest.mark.django_db
def test_sequence_per_scheme_and_year():
    a, b = SchemeFactory(certificate_prefix="AAA"), SchemeFactory(certificate_prefix="BBB")
    drawn = [services.next_certificate_number(scheme=a, year=2026) for _ in range(3)]
    assert [n.split("-")[2] for n in drawn] == ["000001", "000002", "000003"]
    assert services.next_certificate_number(scheme=b, year=2026).startswith("BBB-2026-000001-")
    assert services.next_certificate_number(scheme=a, year=2027).startswith("AAA-2027-000001-")


@pytest.mark.django_db
def test_expiry_from_validity():
    yearly = SchemeFactory(validity_months=12)
    assert services.expiry_for(yearly, date(2026, 1, 15)) == date(2027, 1, 14)
    assert services.expiry_for(yearly, date(2024, 2, 29)) == date(2025, 2, 27)
    permit = SchemeFactory(validity_months=None, validity_days=180)
    assert services.expiry_for(permit, date(2026, 1, 1)) == date(2026, 6, 29)


@pytest.mark.django_db
def test_verify_unknown_or_malformed_is_404(api_client):
    for number in ("QMS-2026-000001-0", "nonsense", "QMS-2026-000001"):
        response = api_client.get(f"{API}/certificates/verify/{number}/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_verify_is_throttled(api_client, monkeypatch):
    monkeypatch.setattr(PublicLookupThrottle, "THROTTLE_RATES", {"public_lookup": "3/min"})
    enterprise = factories.EnterpriseFactory()
    certificate = services.certificate_record(
        actor=None,
        enterprise=enterprise,
        scheme=SchemeFactory(),
        issue_date=date(2026, 1, 1),
    )
    codes = [
        api_client.get(f"{API}/certificates/verify/{certificate.number}/").status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


@pytest.mark.django_db
def test_verify_reports_lapsed_certificate_as_expired_before_the_task_runs(api_client):
    certificate = services.certificate_record(
        actor=None,
        enterprise=factories.EnterpriseFactory(),
        scheme=SchemeFactory(),
        issue_date=date(2020, 1, 1),
    )
    body = api_client.get(f"{API}/certificates/verify/{certificate.number}/").json()
    assert (body["status"], body["valid_until"]) == ("expired", "2020-12-31")


def test_a_number_is_read_as_printed_or_typed():
    number = numbers.format_number("QMS", 2026, 42)
    typed = [
        number.lower(),
        f"  {number}  ",
        " ".join(number.split("-")),
        number.replace("-", " - "),
        number.replace("-", "\u2013", 2).replace("-", "\u2014"),
        "".join(chr(ord(char) + 0xFEE0) for char in number),  # full width, dashes included
        number.replace("-", "\u3000"),  # the ideographic space
    ]
    assert {numbers.normalise(value) for value in typed} == {number}
    assert numbers.normalise("QMS20260000420") == "QMS20260000420"


@pytest.mark.django_db
def test_verify_takes_a_number_as_printed(api_client):
    certificate = services.certificate_record(
        actor=None,
        enterprise=factories.EnterpriseFactory(),
        scheme=SchemeFactory(),
        issue_date=date(2026, 1, 1),
    )
    typed = certificate.number.lower().replace("-", "\u2013")
    response = api_client.get(f"{API}/certificates/verify/{typed}/")
    assert response.status_code == 200
    assert response.json()["number"] == certificate.number
