from django.urls import path

from . import views

urlpatterns = [path("<str:token>/", views.tracking_page, name="tracking-page")]
