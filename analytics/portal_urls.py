from django.urls import path

from . import pages

urlpatterns = [
    path("", pages.HomePage.as_view(), name="home"),
]
