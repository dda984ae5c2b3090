"""Pages anyone may open without an account, URL names in the `public` namespace: certificate
check and certificate PDFs under /verify/, exporter profiles under /exporters/. (The tracking page
keeps its address, /track/<token>/, in logistics/page_urls.py.)

Each app serves its public pages from `<app>/public_urls.py`, included here by name.
"""

from django.urls import include, path

app_name = "public"

urlpatterns = [
    path("verify/", include("certification.public_urls")),
    path("exporters/", include("enterprises.public_urls")),
]
