"""The market readiness page: a destination and products, what is held, missing and expiring, with
links to apply (pre-filled) or to the certificate; the answer is the `cert-readiness` selector's."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import catalogue
from certification.models import Scheme
from tests import factories
from tests.certification.factories import ApplicationFactory, CertificateFactory

pytestmark = pytest.mark.django_db

URL = "/portal/readiness/"


@pytest.fixture(autouse=True)
def rules(db):
    catalogue.load()


@pytest.fixture
def germany():
    return factories.country("DE", "Germany", ("EU",))


@pytest.fixture
def client(client, enterprise_user):
    enterprise_user.language = "en"
    enterprise_user.save(update_fields=["language"])
    client.force_login(enterprise_user)
    return client


def ask(client, product, country, *, htmx=False, **extra):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(
        URL, {"destination": country.code, "products": [product.pk], **extra}, headers=headers
    )


def test_the_page_without_a_question_shows_the_form(client, product, germany):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["readiness"] is None
    assert "Germany" in response.content.decode()


def test_missing_globalgap_links_to_a_prefilled_application(client, product, germany):
    response = ask(client, product, germany)
    rows = {row.check.code: row for row in response.context["rows"]}
    assert rows["GLOBALGAP"].state == "missing"
    link = urlparse(rows["GLOBALGAP"].action_url)
    assert link.path == reverse("portal:application-new")
    assert parse_qs(link.query) == {"scheme": ["GLOBALGAP"], "product": [str(product.pk)]}
    assert rows["phytosanitary"].action_url == reverse("portal:shipments")
    html = response.content.decode()
    assert "Not ready" in html
    assert "not legal advice" in html


def test_an_open_application_is_continued_and_a_held_certificate_shown(
    client, enterprise, product, germany
):
    scheme = Scheme.objects.get(code="GLOBALGAP")
    application = ApplicationFactory(enterprise=enterprise, scheme=scheme)
    rows = {row.check.code: row for row in ask(client, product, germany).context["rows"]}
    assert rows["GLOBALGAP"].action_url == reverse(
        "portal:application", kwargs={"pk": application.pk}
    )

    certificate = CertificateFactory(
        enterprise=enterprise,
        scheme=scheme,
        expiry_date=timezone.localdate() + timedelta(days=10),
    )
    shipping = timezone.localdate() + timedelta(days=30)
    response = ask(client, product, germany, date=shipping.isoformat())
    rows = {row.check.code: row for row in response.context["rows"]}
    assert rows["GLOBALGAP"].state == "expiring"
    assert rows["GLOBALGAP"].action_url == reverse(
        "portal:certificate", kwargs={"pk": certificate.pk}
    )
    assert certificate.number in response.content.decode()


def test_an_htmx_request_answers_the_form_and_results_only(client, product, germany):
    response = ask(client, product, germany, htmx=True)
    html = response.content.decode()
    assert html.startswith('<div id="readiness">')
    assert "<html" not in html


def test_no_product_chosen_is_an_error_at_the_products(client, product, germany):
    response = client.get(URL, {"destination": germany.code})
    assert response.context["form"].errors["products"] == ["Choose at least one product."]
    assert response.context["readiness"] is None


def test_another_enterprises_product_is_not_a_choice(client, product, germany):
    theirs = factories.ProductFactory()
    response = client.get(URL, {"destination": germany.code, "products": [theirs.pk]})
    assert "products" in response.context["form"].errors
