from django.core.files.uploadedfile import SimpleUploadedFile

from tests.certification.factories import PDF

API = "/api/v1/certification"


def create_application(client, scheme, products=(), bases=()):
    response = client.post(
        f"{API}/applications/",
        {
            "scheme": scheme.code,
            "scope_products": [p.pk for p in products],
            "scope_bases": [b.pk for b in bases],
            "scope_note": "Citrus packing",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def upload(client, application_id, kind, content=PDF, name="scan.pdf"):
    return client.post(
        f"{API}/applications/{application_id}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def submitted_application(client, scheme, products=(), bases=()):
    application = create_application(client, scheme, products, bases)
    for kind in scheme.required_documents:
        assert upload(client, application["id"], kind).status_code == 201
    response = client.post(f"{API}/applications/{application['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()
