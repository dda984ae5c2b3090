"""The certification body's desk: the applications of the schemes it certifies (its queue), one
application with the actions the workflow allows the person now, and the certificates it issued.

Reads go through the selectors (routed to the body: another body's application is a 404, a draft
is never shown); every action calls the service the API calls, through the page's form.
"""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.documents import document_label, document_response
from agri_platform.portal.desk import DeskPage
from agri_platform.portal.forms import ServiceRefused
from agri_platform.portal.views import paginate

from . import selectors, services
from .choices import AWAITING_STAFF_STATUSES, ApplicationAction, ApplicationStatus
from .forms import (
    ApproveForm,
    ClaimForm,
    NoteForm,
    QueueFilterForm,
    RejectForm,
    RequestChangesForm,
)
from .models import Application, ApplicationDocument, Scheme

S = ApplicationStatus
DUE_SOON = timedelta(days=7)


def desk_application_url(application) -> str:
    return reverse("desk:application", kwargs={"pk": application.pk})


def queue_crumbs(*tail) -> list:
    return [(gettext("Certification applications"), reverse("desk:applications")), *tail]


def is_overdue(application, now) -> bool:
    return bool(
        application.status in AWAITING_STAFF_STATUSES
        and application.sla_due_at
        and application.sla_due_at < now
    )


class CertificationDesk(DeskPage):
    section = "desk:applications"


# --- the queue ---------------------------------------------------------------------------------


class ApplicationQueuePage(CertificationDesk):
    """Oldest submission first; by default what waits for the body (submitted, under review)."""

    template_name = "certification/desk/queue.html"
    title = _("Certification applications")

    def filtered(self, queue, form, now):
        data = form.cleaned_data if form.is_valid() else {"status": QueueFilterForm.WAITING}
        status = data.get("status")
        if status == QueueFilterForm.WAITING:
            queue = queue.filter(status__in=AWAITING_STAFF_STATUSES)
        elif status:
            queue = queue.filter(status=status)
        if data.get("scheme"):
            queue = queue.filter(scheme__code=data["scheme"])
        waiting_and_due = Q(status__in=AWAITING_STAFF_STATUSES, sla_due_at__isnull=False)
        if data.get("due") == QueueFilterForm.OVERDUE:
            queue = queue.filter(waiting_and_due, sla_due_at__lt=now)
        elif data.get("due") == QueueFilterForm.DUE_THIS_WEEK:
            queue = queue.filter(
                waiting_and_due, sla_due_at__gte=now, sla_due_at__lt=now + DUE_SOON
            )
        return queue

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        routed = selectors.review_queue_for(self.request.user)
        form = QueueFilterForm(
            self.request.GET or {"status": QueueFilterForm.WAITING},
            statuses=[(value, label) for value, label in S.choices if value != S.DRAFT],
            schemes=Scheme.objects.filter(pk__in=routed.values("scheme")).order_by("code"),
        )
        page = paginate(self.request, self.filtered(routed, form, now))
        for application in page:
            application.awaiting = application.status in AWAITING_STAFF_STATUSES
            application.overdue = is_overdue(application, now)
        context.update(
            form=form,
            page_obj=page,
            applications=page,
            counts=routed.aggregate(
                submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
                under_review=Count("pk", filter=Q(status=S.UNDER_REVIEW)),
                overdue=Count(
                    "pk", filter=Q(status__in=AWAITING_STAFF_STATUSES, sla_due_at__lt=now)
                ),
            ),
            filtered=bool(self.request.GET),
            breadcrumbs=[(gettext("Certification applications"), None)],
        )
        return context


# --- one application ---------------------------------------------------------------------------


class ApplicationDeskPage(CertificationDesk):
    """Enterprise, scheme, scope, documents, the timeline (internal notes marked) and the actions
    the workflow allows this person now."""

    template_name = "certification/desk/application.html"
    isolation_model = Application

    def get_application(self) -> Application:
        return get_object_or_404(
            selectors.applications_for(self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        self.application = self.get_application()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        user = self.request.user
        permitted = services.APPLICATION_WORKFLOW.permitted(user, application)
        today = timezone.localdate()
        kwargs.setdefault("claim_form", ClaimForm())
        kwargs.setdefault("changes_form", RequestChangesForm())
        kwargs.setdefault("approve_form", ApproveForm(initial={"issue_date": today}))
        kwargs.setdefault("reject_form", RejectForm())
        kwargs.setdefault("note_form", NoteForm())
        context.update(kwargs)
        context.update(
            application=application,
            title=gettext("Application #%(id)s") % {"id": application.pk},
            breadcrumbs=queue_crumbs(
                (gettext("Application #%(id)s") % {"id": application.pk}, None)
            ),
            can_claim=ApplicationAction.CLAIM in permitted,
            can_request_changes=ApplicationAction.REQUEST_CHANGES in permitted,
            can_approve=ApplicationAction.APPROVE in permitted,
            can_reject=ApplicationAction.REJECT in permitted,
            can_note=selectors.sees_internal_notes(user, application),
            awaiting=application.status in AWAITING_STAFF_STATUSES,
            overdue=is_overdue(application, timezone.now()),
            documents=selectors.documents_for(user, application.pk).order_by("id"),
            timeline=list(reversed(selectors.timeline_for(application, user))),
            certificate=getattr(application, "certificate", None),
        )
        return context


class ApplicationActionPage(ApplicationDeskPage):
    """A form posted from the application's page: on success back to it with a message; a
    refusal shows the page again with the reasons at the form. A GET is the page itself."""

    form_class = ClaimForm
    form_name = "claim_form"
    success_message = ""

    def get(self, request, *args, **kwargs):
        return redirect(desk_application_url(self.get_application()))

    def perform(self, form) -> None:
        raise NotImplementedError

    def needs_confirmation(self, form) -> bool:
        return False

    def post(self, request, *args, **kwargs):
        self.application = self.get_application()
        form = self.form_class(request.POST)
        if form.is_valid():
            if self.needs_confirmation(form):
                return self.confirm(form)
            try:
                self.perform(form)
            except ServiceRefused:
                pass
            else:
                messages.success(request, self.success_message)
                return redirect(desk_application_url(self.application))
        self.application = self.get_application()
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))

    def confirm(self, form):
        """The "check your answers" page of a decision that is hard to undo."""
        self.template_name = "certification/desk/confirm.html"
        answers = [
            (form[name].label, value)
            for name, value in form.cleaned_data.items()
            if name != "confirmed" and value not in ("", None)
        ]
        context = self.get_context_data(form=form, answers=answers, action=self.confirm_action)
        context["title"] = str(self.confirm_title)
        return self.render_to_response(context)


class ClaimPage(ApplicationActionPage):
    success_message = _("You have claimed the application. It is under review.")

    def perform(self, form):
        form.call(
            services.application_claim,
            actor=self.request.user,
            application=self.application,
            note=form.cleaned_data["note"],
        )


class RequestChangesPage(ApplicationActionPage):
    form_class = RequestChangesForm
    form_name = "changes_form"
    success_message = _("The application is sent back to the enterprise with your comment.")

    def perform(self, form):
        form.call(
            services.application_request_changes,
            actor=self.request.user,
            application=self.application,
            comment=form.cleaned_data["comment"],
            note=form.cleaned_data["note"],
        )


class ApprovePage(ApplicationActionPage):
    form_class = ApproveForm
    form_name = "approve_form"
    success_message = _("The application is approved and the certificate is issued.")
    confirm_title = _("Check your answers before you approve")
    confirm_action = "desk:application-approve"

    def needs_confirmation(self, form):
        return not form.cleaned_data["confirmed"]

    def perform(self, form):
        data = form.cleaned_data
        form.call(
            services.application_approve,
            actor=self.request.user,
            application=self.application,
            issue_date=data["issue_date"],
            comment=data["comment"],
            note=data["note"],
        )


class RejectPage(ApplicationActionPage):
    form_class = RejectForm
    form_name = "reject_form"
    success_message = _("The application is rejected. The enterprise sees your reason.")
    confirm_title = _("Check your answers before you reject")
    confirm_action = "desk:application-reject"

    def needs_confirmation(self, form):
        return not form.cleaned_data["confirmed"]

    def perform(self, form):
        form.call(
            services.application_reject,
            actor=self.request.user,
            application=self.application,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )


class NotePage(ApplicationActionPage):
    form_class = NoteForm
    form_name = "note_form"
    success_message = _("Your internal note is added.")

    def perform(self, form):
        form.call(
            services.application_add_note,
            actor=self.request.user,
            application=self.application,
            comment=form.cleaned_data["comment"],
        )


class DocumentDownloadPage(CertificationDesk):
    """A document of a routed application, as uploaded, as an attachment."""

    isolation_model = ApplicationDocument

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(
            selectors.documents_for(request.user, kwargs["application_pk"]), pk=kwargs["pk"]
        )
        return document_response(document, name=document_label(document))


# --- certificates ------------------------------------------------------------------------------


class CertificatesPage(CertificationDesk):
    """The certificates issued for the schemes the body certifies, newest first."""

    template_name = "certification/desk/certificates.html"
    title = _("Certificates you issued")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(
            self.request,
            selectors.certificates_for(self.request.user).order_by("-issue_date", "-id"),
        )
        context.update(
            page_obj=page,
            certificates=page,
            breadcrumbs=queue_crumbs((gettext("Certificates you issued"), None)),
        )
        return context
