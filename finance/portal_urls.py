from django.urls import path

from . import pages

urlpatterns = [
    path("finance/", pages.RequestListPage.as_view(), name="finance"),
    path("finance/new/", pages.NewRequestPage.as_view(), name="finance-new"),
    path("finance/<int:pk>/", pages.RequestPage.as_view(), name="finance-request"),
    path("finance/<int:pk>/submit/", pages.SubmitRequestPage.as_view(), name="finance-submit"),
    path(
        "finance/<int:pk>/withdraw/", pages.WithdrawRequestPage.as_view(), name="finance-withdraw"
    ),
    path(
        "finance/offers/<int:pk>/accept/",
        pages.AcceptOfferPage.as_view(),
        name="finance-offer-accept",
    ),
]
