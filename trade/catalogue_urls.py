"""The public catalogue under /catalogue/ (names in the `public` namespace)."""

from django.urls import path

from .pages import catalogue

urlpatterns = [
    path("", catalogue.CataloguePage.as_view(), name="catalogue"),
    path("<int:pk>/", catalogue.CatalogueProductPage.as_view(), name="catalogue-product"),
]
