"""The public certificate pages: the search at /verify/ and a certificate's page at
/verify/<number>/ (no login; what a buyer may know, never the reason for a suspension)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agri_platform.api.throttling import PublicLookupThrottle
from certification import numbers, services
from certification.choices import CertificateStatus
from enterprises.choices import VerificationStatus
from tests import factories
from tests.certification.factories import CertificateFactory

pytestmark = pytest.mark.django_db

SECRET_REASON = "Residue test failed at the packhouse on 3 March"
SUSPENDED_ON = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english_unless_asked(client):
    """An anonymous visitor's browser asks for English unless a test says otherwise (the site's
    default language is Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def make_certificate(scheme, serial: int, **fields):
    fields.setdefault("number", numbers.format_number(scheme.certificate_prefix, 2026, serial))
    return CertificateFactory(scheme=scheme, **fields)


@pytest.fixture
def certificate(scheme, product, base):
    enterprise = product.enterprise
    enterprise.name_zh, enterprise.name_en = "润兆渔业", "Runzhao Fishery"
    enterprise.status = VerificationStatus.VERIFIED
    enterprise.save()
    scheme.issuer = "China Quality Certification Centre"
    scheme.save()
    certificate = make_certificate(
        scheme, 42, enterprise=enterprise, scope_summary="Caviar processing and packing"
    )
    certificate.scope_products.set([product])
    certificate.scope_bases.set([base])
    return certificate


def certificate_page(client, number: str, **headers):
    return client.get(f"/verify/{number}/", **headers)


def compact(response) -> str:
    """The page's HTML without the white space between tags."""
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", response.content.decode()))


def test_a_valid_certificate_shows_holder_scheme_scope_products_and_dates(client, certificate):
    product, base = certificate.scope_products.get(), certificate.scope_bases.get()
    response = certificate_page(client, certificate.number, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'badge--success">Valid<' in compact(response)
    assert "in force today" in html
    for text in (
        "润兆渔业",
        "Runzhao Fishery",
        certificate.scheme.name_en,
        certificate.scheme.issuer,
        "Caviar processing and packing",
        f"(HS {product.hs_code_id})",
        base.name,
        date_filter(certificate.issue_date, "DATE_FORMAT"),
        date_filter(certificate.expiry_date, "DATE_FORMAT"),
        f'action="{reverse("public:verify")}"',
        reverse("public:enterprise", kwargs={"pk": certificate.enterprise.pk}),
    ):
        assert text in html, text
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    assert response["Content-Language"] == "en"


def test_an_unverified_holder_is_not_linked_to_a_profile(client, certificate):
    certificate.enterprise.status = VerificationStatus.PENDING
    certificate.enterprise.save()
    html = certificate_page(client, certificate.number).content.decode()
    assert "Runzhao Fishery" in html
    assert reverse("public:enterprise", kwargs={"pk": certificate.enterprise.pk}) not in html


@pytest.mark.parametrize(
    ("status", "tone", "word", "sentence"),
    [
        (CertificateStatus.SUSPENDED, "attention", "Suspended", "suspended since March 4, 2026"),
        (CertificateStatus.REVOKED, "danger", "Revoked", "revoked on March 4, 2026"),
        (CertificateStatus.EXPIRED, "danger", "Expired", "ended on"),
    ],
)
def test_each_status_in_one_word_and_one_colour_and_never_the_reason(
    client, certificate, status, tone, word, sentence
):
    certificate.status = status
    certificate.status_reason = SECRET_REASON
    certificate.status_changed_at = SUSPENDED_ON
    certificate.save()
    response = certificate_page(client, certificate.number, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert f'badge--{tone}">{word}<' in compact(response)
    assert sentence in html
    assert SECRET_REASON not in html
    assert "Residue" not in html


def test_an_active_certificate_past_its_last_day_reads_expired(client, certificate):
    certificate.issue_date = timezone.localdate() - timedelta(days=400)
    certificate.expiry_date = timezone.localdate() - timedelta(days=1)
    certificate.save()
    html = compact(certificate_page(client, certificate.number, HTTP_ACCEPT_LANGUAGE="en"))
    assert 'badge--danger">Expired<' in html
    assert ">Valid<" not in html


def test_the_page_is_chinese_or_english_as_the_browser_asks(client, certificate):
    chinese = certificate_page(client, certificate.number, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert chinese["Content-Language"] == "zh-hans"
    html = compact(chinese)
    assert '<html lang="zh-Hans">' in html
    assert 'badge--success">有效<' in html
    assert "此证书今日有效" in html and ">持证企业<" in html and "测试认证" in html
    english = certificate_page(client, certificate.number, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert english["Content-Language"] == "en"
    assert 'badge--success">Valid<' in compact(english)
    assert ">Holder<" in compact(english)


def unknown_number(scheme) -> str:
    return numbers.format_number(scheme.certificate_prefix, 2026, 999)


def wrong_check(number: str) -> str:
    last = numbers.ALPHABET[(numbers.ALPHABET.index(number[-1]) + 1) % numbers.N]
    return number[:-1] + last


def without_echo(response) -> str:
    """The page without what differs by request: the echoed input, the form values (the typed
    number, the language switch's `next`, the CSRF token) and the CSRF header."""
    html = response.content.decode()
    html = re.sub(r'<code class="certificate-echo">.*?</code>', "", html)
    html = re.sub(r'value="[^"]*"', 'value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def test_unknown_wrong_check_malformed_nul_and_long_numbers_get_the_same_not_found(
    client, certificate, scheme
):
    inputs = {
        "unknown": unknown_number(scheme),
        "wrong check": wrong_check(certificate.number),
        "malformed": "hello-world",
        "nul": "QMS-2026%00-000042",
        "long": "Q" * 500,
    }
    responses = {name: certificate_page(client, typed) for name, typed in inputs.items()}
    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(
        inputs, 404
    )
    pages = {name: without_echo(response) for name, response in responses.items()}
    assert len(set(pages.values())) == 1, pages.keys()
    html = responses["unknown"].content.decode()
    assert "No certificate has this number" in html
    assert 'name="number"' in html
    assert f'<code class="certificate-echo">{inputs["unknown"]}</code>' in html
    assert responses["long"]["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    "as_typed",
    [
        "{number_lower}",
        "  {number_lower}  ",
        "{spaced}",
        "{en_dashes}",
        "{full_width}",
    ],
)
def test_the_search_takes_a_number_as_printed_and_leads_to_its_page(client, certificate, as_typed):
    number = certificate.number
    typed = as_typed.format(
        number_lower=number.lower(),
        spaced=" ".join(number.lower().split("-")),
        en_dashes=number.replace("-", "–", 2).replace("-", "—"),
        full_width="".join(
            chr(ord(char) + 0xFEE0) if char.isalnum() or char == "-" else char for char in number
        ).replace("\uff0d", "－"),
    )
    response = client.get(reverse("public:verify"), {"number": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("public:certificate", kwargs={"number": number})


def test_the_certificate_page_itself_takes_a_lower_case_number(client, certificate):
    assert certificate_page(client, certificate.number.lower()).status_code == 200


def test_the_search_page_explains_the_number_and_an_empty_search_asks_for_one(client):
    html = client.get(reverse("public:verify"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What a certificate number looks like" in html
    assert "QMS-2026-000042-" in html
    empty = client.get(reverse("public:verify"), {"number": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 200
    assert "error-summary" in empty.content.decode()
    assert "Type the number printed on the certificate." in empty.content.decode()


def test_a_search_that_cannot_be_an_address_answers_not_found_in_place(client, certificate):
    for typed in ("a/b", "x" * 300, "QMS\x00"):
        response = client.get(reverse("public:verify"), {"number": typed})
        assert response.status_code == 404, typed
        assert "No certificate has this number" in response.content.decode()


def test_a_search_for_a_mistyped_number_leads_to_the_not_found_page(client, certificate):
    mistyped = wrong_check(certificate.number)
    response = client.get(reverse("public:verify"), {"number": mistyped}, follow=True)
    assert response.redirect_chain[-1][0] == f"/verify/{mistyped}/"
    assert response.status_code == 404


@pytest.fixture
def lookup_rate(settings):
    """Three lookups a minute per address, from an empty throttle cache."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    original = PublicLookupThrottle.THROTTLE_RATES
    PublicLookupThrottle.THROTTLE_RATES = rates
    cache.clear()
    yield
    PublicLookupThrottle.THROTTLE_RATES = original
    cache.clear()


def test_lookups_are_throttled_per_address(client, certificate, scheme, lookup_rate):
    codes = [
        certificate_page(client, certificate.number).status_code,
        certificate_page(client, unknown_number(scheme)).status_code,
        client.get(reverse("public:verify")).status_code,
        certificate_page(client, certificate.number).status_code,
    ]
    assert codes == [200, 404, 200, 429]
    assert "Too many lookups" in certificate_page(client, certificate.number).content.decode()
    other_address = certificate_page(client, certificate.number, REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 200


def test_the_certificate_page_reads_a_constant_number_of_queries(client, certificate, scheme):
    def queries_for(number: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert certificate_page(client, number).status_code == 200
        return len(captured)

    # The first reading of a certificate without a PDF issues it (certificate_pdf_issue): counted
    # here are the readings after that, what every later visitor costs.
    services.certificate_pdf_issue(certificate)
    one_product = queries_for(certificate.number)
    many = make_certificate(scheme, 43, enterprise=certificate.enterprise)
    many.scope_products.set(
        [factories.ProductFactory(enterprise=certificate.enterprise) for _ in range(6)]
    )
    many.scope_bases.set(
        [factories.ProductionBaseFactory(enterprise=certificate.enterprise) for _ in range(3)]
    )
    services.certificate_pdf_issue(many)
    assert queries_for(many.number) == one_product <= 5
