from django.urls import path

from . import pages

urlpatterns = [
    path("inbox/", pages.InboxPage.as_view(), name="inbox"),
    path("inbox/read-all/", pages.MarkAllRead.as_view(), name="inbox-read-all"),
    path("inbox/<int:pk>/open/", pages.OpenNotification.as_view(), name="inbox-open"),
    path("inbox/<int:pk>/read/", pages.MarkNotificationRead.as_view(), name="inbox-read"),
]
