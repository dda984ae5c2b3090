"""Public pages: a certificate's PDF (`/verify/<number>/pdf/`) and the document check
(`/verify/document/`). No login; both look things up by what a visitor gives, so both are throttled
per address."""

import logging

from django.http import FileResponse, Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.public import PublicPage
from agri_platform.portal.views import PortalFormView

from . import numbers, selectors, services
from .choices import CertificateStatus
from .document_check import check_document_upload
from .forms import DocumentCheckForm
from .models import Certificate, CertificateDocument

logger = logging.getLogger(__name__)


def public_certificate(number: str) -> Certificate:
    """The certificate a number as printed names; a malformed or unknown number is the same 404."""
    number = numbers.normalise(number)
    certificate = (
        selectors.certificate_by_number(number) if numbers.is_well_formed(number) else None
    )
    if certificate is None:
        raise Http404(gettext("No certificate with this number."))
    return certificate


def pdf_response(certificate: Certificate, document: CertificateDocument) -> FileResponse:
    """The certificate's PDF, shown in the browser (`inline`) and saved as `<number>.pdf`."""
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "certificate %s: PDF %s is missing from storage", certificate.pk, document.file
        )
        raise Http404(gettext("The file of this document is missing.")) from None
    response = FileResponse(
        stream,
        as_attachment=False,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CertificatePdfPage(PublicPage):
    """The current PDF of the certificate, issued now if it has none yet (older certificates)."""

    throttled = True

    def get(self, request, number: str):
        certificate = public_certificate(number)
        return pdf_response(certificate, services.certificate_pdf_issue(certificate))


class DocumentCheckPage(PortalFormView, PublicPage):
    """Upload a PDF: is it exactly one the platform issued, and what is its status now? The answer
    is shown on the same page (nothing is stored, so sending it twice is harmless)."""

    template_name = "certification/public/document_check.html"
    form_class = DocumentCheckForm
    title = _("Check a document")
    submit_label = _("Check the document")
    throttled = True

    def get_initial(self):
        return {"tracking": self.request.GET.get("tracking", "")}

    def perform(self, form):
        result = form.call(
            check_document_upload,
            form.cleaned_data["file"],
            tracking_link=form.cleaned_data["tracking"],
        )
        return self.render_to_response(
            self.get_context_data(form=form, result=result, **self.result_context(result))
        )

    @staticmethod
    def result_context(result) -> dict:
        certificate_document = result.certificate_document
        if certificate_document is None:
            return {}
        certificate = certificate_document.certificate
        status = CertificateStatus(selectors.live_status(certificate))
        return {"certificate": certificate, "status": status, "status_label": status.label}
