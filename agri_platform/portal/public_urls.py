"""Pages anyone may open without an account, URL names in the `public` namespace: certificate
check and certificate PDFs under /verify/, exporter profiles under /exporters/, the catalogue
under /catalogue/, promotion events under /promotions/, buyers' registration under /buyers/. (The tracking page
keeps its address, /track/<token>/, in logistics/page_urls.py.)

Each app serves its public pages from `<app>/public_urls.py`, included here by name.
"""

from django.urls import include, path

app_name = "public"

urlpatterns = [
    path("verify/", include("certification.public_urls")),
    path("exporters/", include("enterprises.public_urls")),
    path("catalogue/", include("trade.catalogue_urls")),
    path("promotions/", include("trade.promotion_urls")),
    path("buyers/", include("trade.buyer_urls")),
]
