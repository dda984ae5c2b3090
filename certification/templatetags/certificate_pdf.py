"""`{% current_certificate_pdf certificate as pdf %}`: the certificate's current PDF (its SHA-256
for the public certificate page), issued now for a certificate that has none yet."""

from django import template

from certification import services

register = template.Library()


@register.simple_tag
def current_certificate_pdf(certificate):
    return certificate.current_document or services.certificate_pdf_issue(certificate)
