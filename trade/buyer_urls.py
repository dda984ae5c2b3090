"""A buyer's registration under /buyers/ (names in the `public` namespace)."""

from django.urls import path

from .pages import register

urlpatterns = [
    path("register/", register.BuyerRegisterPage.as_view(), name="buyer-register"),
    path("register/done/", register.BuyerRegisteredPage.as_view(), name="buyer-registered"),
]
