import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agri_platform.api.uploads import PayloadTooLarge, UnsupportedMediaType, check_document

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_pdf_is_recognised_from_content_and_hashed():
    checked = check_document(SimpleUploadedFile("scan.png", PDF))
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF)
    assert checked.sha256 == __import__("hashlib").sha256(PDF).hexdigest()


def test_png_named_pdf_is_png():
    assert check_document(SimpleUploadedFile("x.pdf", PNG)).content_type == "image/png"


def test_executable_renamed_to_pdf_is_415():
    with pytest.raises(UnsupportedMediaType) as caught:
        check_document(SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf"))
    assert caught.value.status_code == 415


def test_too_large_is_413_with_the_limit():
    with pytest.raises(PayloadTooLarge) as caught:
        check_document(SimpleUploadedFile("big.pdf", PDF + b"0" * 100), max_bytes=50)
    assert caught.value.status_code == 413
    assert caught.value.extra["limit_bytes"] == 50
