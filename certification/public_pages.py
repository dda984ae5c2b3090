"""The public certificate pages: the search (`/verify/`) and a certificate's page
(`/verify/<number>/`), for anyone, without an account.

Certificate numbers are not to be enumerated: an unknown number, a wrong check character and any
input that cannot be a number all get the same "not found" page, and every lookup counts against
the address's public-lookup rate (`PublicPage.throttled`). What a certificate's page shows is what
the API's verification shows, plus its scope; the reason for a suspension or revocation never.
"""

from django.shortcuts import redirect
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.public import PublicPage

from . import numbers, selectors
from .choices import CertificateStatus
from .forms import CertificateSearchForm
from .models import Certificate

# Longer than any number the platform issues, short enough to echo back.
LONGEST_NUMBER = 40
EXAMPLE_NUMBER = numbers.format_number("QMS", 2026, 42)

STATUS_WORDS = {
    CertificateStatus.ACTIVE: ("valid", _("Valid")),
    CertificateStatus.SUSPENDED: ("suspended", _("Suspended")),
    CertificateStatus.REVOKED: ("revoked", _("Revoked")),
    CertificateStatus.EXPIRED: ("expired", _("Expired")),
}


def echo_of(typed: str) -> str:
    """What the visitor typed, as the not-found page repeats it: normalised, printable, short."""
    printable = "".join(char for char in numbers.normalise(typed) if char.isprintable())
    return printable[:LONGEST_NUMBER]


def can_be_addressed(number: str) -> bool:
    """Whether the number can stand in a certificate page's address (`/verify/<number>/`)."""
    return 0 < len(number) <= LONGEST_NUMBER and "/" not in number and number.isprintable()


def find_certificate(typed: str) -> Certificate | None:
    """The certificate with this number as printed; None for anything else. A malformed number
    or a wrong check character is refused before the database is asked."""
    number = numbers.normalise(typed)
    if len(number) > LONGEST_NUMBER or not numbers.is_well_formed(number):
        return None
    return selectors.certificate_by_number(number)


def status_meaning(certificate: Certificate, status: str) -> str:
    """What the status means for a buyer, in one sentence (never the reason behind it)."""
    changed_on = certificate.status_changed_at
    if status == CertificateStatus.ACTIVE:
        return gettext(
            "This certificate is in force today: it covers the products in its scope, made by the "
            "holder at the places named."
        )
    if status == CertificateStatus.EXPIRED:
        return gettext(
            "This certificate ended on %(date)s: it does not cover goods made or shipped after "
            "that day."
        ) % {"date": formatted(certificate.expiry_date)}
    if status == CertificateStatus.SUSPENDED and changed_on:
        return gettext(
            "This certificate is suspended since %(date)s: do not accept it until the platform "
            "shows it valid again."
        ) % {"date": formatted(changed_on)}
    if status == CertificateStatus.SUSPENDED:
        return gettext(
            "This certificate is suspended: do not accept it until the platform shows it valid "
            "again."
        )
    if changed_on:
        return gettext(
            "This certificate was revoked on %(date)s: it no longer covers any goods."
        ) % {"date": formatted(changed_on)}
    return gettext("This certificate was revoked: it no longer covers any goods.")


def formatted(day) -> str:
    return date_filter(day, "DATE_FORMAT")


def not_for_robots(response):
    response["X-Robots-Tag"] = "noindex"
    response["Content-Language"] = translation.get_language()
    return response


class CertificateLookupPage(PublicPage):
    """What both pages share: the lookup throttle, the search box, the not-found answer."""

    throttled = True

    def get_context_data(self, **kwargs):
        kwargs.setdefault("search_form", CertificateSearchForm())
        kwargs.setdefault("example_number", EXAMPLE_NUMBER)
        return super().get_context_data(**kwargs)

    def not_found(self, typed: str):
        """The one answer for every number that leads to no certificate, whatever the reason."""
        echo = echo_of(typed)
        self.template_name = "certification/public/not_found.html"
        context = self.get_context_data(
            title=gettext("No certificate has this number"),
            echo=echo,
            search_form=CertificateSearchForm(initial={"number": echo}),
        )
        return not_for_robots(self.render_to_response(context, status=404))


class VerifyPage(CertificateLookupPage):
    """`/verify/`: the search box, what a number looks like and what the check tells; with
    `?number=` it leads to the number's page."""

    template_name = "certification/public/verify.html"
    title = _("Check a certificate")

    def get(self, request, *args, **kwargs):
        if "number" not in request.GET:
            return self.render_to_response(self.get_context_data())
        form = CertificateSearchForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(search_form=form))
        number = form.cleaned_data["number"]
        if can_be_addressed(number):
            return redirect("public:certificate", number=number)
        return self.not_found(number)


class CertificatePublicPage(CertificateLookupPage):
    """`/verify/<number>/`: the certificate's holder, scheme, scope, validity and live status."""

    template_name = "certification/public/certificate.html"

    def get(self, request, *args, **kwargs):
        certificate = find_certificate(kwargs["number"])
        if certificate is None:
            return self.not_found(kwargs["number"])
        status = selectors.live_status(certificate)
        tone, label = STATUS_WORDS[status]
        context = self.get_context_data(
            certificate=certificate,
            title=gettext("Certificate %(number)s") % {"number": certificate.number},
            status_tone=tone,
            status_label=label,
            status_meaning=status_meaning(certificate, status),
            products=certificate.scope_products.all(),
            bases=certificate.scope_bases.all(),
        )
        return not_for_robots(self.render_to_response(context))
