"""The portal inbox (journey 9): the signed-in person's notifications, each leading to its page.

Reads go through the selectors and writes through the services the notifications API uses
(`NotificationViewSet`: `notification_mark_read`, `notifications_mark_all_read`). The page a
notification leads to comes from `email_content.page_path_for` (portal or desk), the maps the
e-mails use too.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import PortalPage, next_url, paginate

from . import email_content, selectors, services
from .models import Notification

SHOW_UNREAD = "unread"
SHOW_ALL = "all"


@dataclass(frozen=True)
class InboxRow:
    notification: Notification
    title: str
    # Where "open" leads (through `inbox-open`, which marks it read); '' when there is no page.
    page: str

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


def row_of(notification: Notification) -> InboxRow:
    event = notification.event
    return InboxRow(
        notification=notification,
        title=email_content.title_in_active_language(notification),
        page=email_content.page_path_for(notification.user, event.kind, event.payload or {}),
    )


class InboxPage(PortalPage):
    template_name = "events/portal/inbox.html"
    section = "inbox"
    title = _("Inbox")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        show = SHOW_UNREAD if self.request.GET.get("show") == SHOW_UNREAD else SHOW_ALL
        page_obj = paginate(
            self.request, selectors.inbox_for(user, unread_only=show == SHOW_UNREAD)
        )
        context.update(
            show=show,
            page_obj=page_obj,
            rows=[row_of(notification) for notification in page_obj],
            unread=selectors.unread_count(user),
            breadcrumbs=[(gettext("Home"), reverse("portal:home")), (self.title, None)],
        )
        return context


class NotificationPage(PortalPage):
    """A page acting on one notification of the signed-in person's inbox (anyone else's: 404)."""

    isolation_model = Notification

    def notification(self) -> Notification:
        return get_object_or_404(selectors.inbox_for(self.request.user), pk=self.kwargs["pk"])


class OpenNotification(NotificationPage):
    """Following a notification's link marks it read, then leads to its page."""

    def get(self, request, *args, **kwargs):
        notification = services.notification_mark_read(notification=self.notification())
        event = notification.event
        page = email_content.page_path_for(request.user, event.kind, event.payload or {})
        return redirect(page or reverse("portal:inbox"))


class MarkNotificationRead(NotificationPage):
    """Mark one read: htmx swaps the row (and the unread count); without JavaScript, back to the
    inbox."""

    def get(self, request, *args, **kwargs):
        self.notification()
        return redirect("portal:inbox")

    def post(self, request, *args, **kwargs):
        notification = services.notification_mark_read(notification=self.notification())
        if request.htmx:
            context = {
                "row": row_of(notification),
                "unread": selectors.unread_count(request.user),
                "oob": True,
            }
            return render(request, "events/portal/inbox_row.html", context)
        return redirect(next_url(request, reverse("portal:inbox")))


class MarkAllRead(PortalPage):
    def get(self, request, *args, **kwargs):
        return redirect("portal:inbox")

    def post(self, request, *args, **kwargs):
        marked = services.notifications_mark_all_read(user=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                marked,
            )
            % {"count": marked},
        )
        return redirect(next_url(request, reverse("portal:inbox")))
