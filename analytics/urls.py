from django.urls import path

from . import views

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="analytics-overview"),
    path("exports/", views.ExportsView.as_view(), name="analytics-exports"),
    path("inquiries/", views.InquiriesView.as_view(), name="analytics-inquiries"),
]
