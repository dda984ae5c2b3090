"""The law firm's desk (docs/desks.md, "Law firm"): the cases assigned to the firm, one case with
the enterprise's files, the thread with the client and the firm's internal notes, the firm's
actions on the case and the Madrid designations per country.

Reads go through `legal.selectors` (what is assigned to the firm, nothing else); every write
calls the service the API calls, whose guards decide what the firm may do."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.documents import document_label, document_response
from agri_platform.portal.desk import DeskPage
from agri_platform.portal.views import PortalFormView, paginate

from . import selectors, services
from .choices import LegalKind, LegalStatus, MessageSide
from .forms import (
    AwaitClientForm,
    DesignationForm,
    DeskMessageForm,
    DocumentForm,
    ResolveForm,
    StartForm,
)
from .models import LegalAttachment, LegalMessage, LegalRequest
from .pages import STATUS_FILTERS, OneCase

S = LegalStatus
DEADLINE_SOON_DAYS = 14
# A double click posts the same message twice within moments: the second is not posted again.
REPEAT_WINDOW = timedelta(seconds=30)
STATUS_FILTERS = {**STATUS_FILTERS, "awaiting": [S.AWAITING_CLIENT]}


def list_url() -> str:
    return reverse("desk:cases")


def case_url(case: LegalRequest) -> str:
    return reverse("desk:case", kwargs={"pk": case.pk})


def with_last_message(cases):
    """Each case with the time and side of its last message to or from the client (internal
    notes are the firm's own and are not "news")."""
    last = LegalMessage.objects.filter(request=OuterRef("pk"), is_internal=False).order_by(
        "-created_at", "-id"
    )
    return cases.annotate(
        last_message_at=Subquery(last.values("created_at")[:1]),
        last_message_side=Subquery(last.values("author_side")[:1]),
    )


class FirmPage(DeskPage):
    section = "desk:cases"

    def cases(self):
        return selectors.legal_requests_for(self.request.user)


class CaseListDesk(FirmPage):
    template_name = "legal/desk/list.html"
    title = _("Legal cases")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen_status = self.request.GET.get("status", "")
        chosen_kind = self.request.GET.get("kind", "")
        deadline_soon = self.request.GET.get("deadline") == "soon"
        soon = timezone.localdate() + timedelta(days=DEADLINE_SOON_DAYS)
        cases = self.cases()
        if chosen_status in STATUS_FILTERS:
            cases = cases.filter(status__in=STATUS_FILTERS[chosen_status])
        if chosen_kind in LegalKind.values:
            cases = cases.filter(kind=chosen_kind)
        if deadline_soon:
            cases = cases.filter(status__in=STATUS_FILTERS["open"], deadline__lte=soon)
            cases = cases.order_by("deadline", "id")
        page_obj = paginate(self.request, with_last_message(cases))
        context.update(
            page_obj=page_obj,
            counts=self.cases().aggregate(
                open=Count("pk", filter=Q(status__in=STATUS_FILTERS["open"])),
                awaiting_client=Count("pk", filter=Q(status=S.AWAITING_CLIENT)),
                deadline_soon=Count(
                    "pk", filter=Q(status__in=STATUS_FILTERS["open"], deadline__lte=soon)
                ),
            ),
            filtered=bool(chosen_status or chosen_kind or deadline_soon),
            has_cases=self.cases().exists(),
            chosen_status=chosen_status,
            chosen_kind=chosen_kind,
            deadline_soon=deadline_soon,
            deadline_soon_days=DEADLINE_SOON_DAYS,
            status_filters=[
                ("open", gettext("Open")),
                ("awaiting", gettext("Waiting for the client")),
                ("resolved", gettext("Resolved, to close")),
                ("done", gettext("Closed or withdrawn")),
            ],
            kinds=LegalKind.choices,
            client_side=MessageSide.ENTERPRISE,
            breadcrumbs=[(self.title, None)],
        )
        return context


class CaseDesk(OneCase, FirmPage):
    """One case assigned to the firm. The action pages below share it: a refused form shows this
    page again, with the reasons at the form's fields."""

    template_name = "legal/desk/case.html"
    isolation_model = LegalRequest

    def thread_context(self, message_form=None) -> dict:
        allowed = self.allowed()
        return {
            "case": self.case,
            "thread": list(selectors.messages_of(self.case, self.request.user)),
            "can_write": "message" in allowed,
            "message_form": message_form or DeskMessageForm(),
            "primary_is_send": "start" not in allowed,
        }

    def designation_rows(self, refused_form=None) -> list[dict]:
        refused_code = refused_form["country"].value() if refused_form else None
        return [
            {
                "designation": designation,
                "form": refused_form
                if designation.country_id == refused_code
                else DesignationForm(
                    country_code=designation.country_id,
                    initial={"status": designation.status, "note": designation.note},
                ),
            }
            for designation in self.case.designations.all()
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        allowed = self.allowed()
        refused_designation = kwargs.get("designation_form")
        rows = self.designation_rows(refused_designation)
        refused_placed = any(row["form"] is refused_designation for row in rows)
        context.update(self.thread_context(kwargs.get("message_form")))
        context.update(
            title=case.title,
            is_trademark=case.kind == LegalKind.TRADEMARK_REGISTRATION,
            designation_rows=rows,
            # A refusal about a country without a row (not designated) shows above the table.
            unplaced_designation_form=None if refused_placed else refused_designation,
            can_update_designations="update_designation" in allowed,
            documents=selectors.documents_of(case),
            can_add_document="add_document" in allowed,
            document_form=kwargs.get("document_form") or DocumentForm(),
            can_start="start" in allowed,
            can_await_client="await_client" in allowed,
            can_resolve="resolve" in allowed,
            start_form=kwargs.get("start_form") or StartForm(),
            await_form=kwargs.get("await_form") or AwaitClientForm(),
            resolve_form=kwargs.get("resolve_form") or ResolveForm(),
            breadcrumbs=[(gettext("Legal cases"), list_url()), (case.title, None)],
        )
        return context


class CaseActionDesk(PortalFormView, CaseDesk):
    """A form of the case page posted to its own address. GET goes back to the case page."""

    template_name = CaseDesk.template_name  # PortalFormView's own would come first
    form_context_name = "form"
    success_text = ""

    def get(self, request, *args, **kwargs):
        return redirect(case_url(self.case))

    def post(self, request, *args, **kwargs):
        self.case  # noqa: B018  (a case not assigned to the firm is a 404 before anything else)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(**{self.form_context_name: form}))

    def done(self, anchor: str = "") -> str:
        messages.success(self.request, self.success_text)
        return case_url(self.case) + anchor


class MessageDesk(CaseActionDesk):
    """The thread's form: a message to the client or an internal note. With htmx the thread
    alone comes back (updated in place)."""

    form_class = DeskMessageForm
    form_context_name = "message_form"

    def get_template_names(self):
        if self.request.htmx:
            return ["legal/desk/_thread.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        if self.request.htmx:  # the thread's partial needs nothing else
            return self.thread_context(kwargs.get("message_form"))
        return super().get_context_data(**kwargs)

    def already_posted(self, data) -> bool:
        last = (
            selectors.messages_of(self.case, self.request.user)
            .filter(author=self.request.user)
            .last()
        )
        return (
            last is not None
            and last.body == data["body"]
            and last.is_internal == data["is_internal"]
            and timezone.now() - last.created_at < REPEAT_WINDOW
        )

    def perform(self, form):
        data = form.cleaned_data
        if not self.already_posted(data):
            form.call(
                services.message_post,
                actor=self.request.user,
                case=self.case,
                body=data["body"],
                is_internal=data["is_internal"],
                attachments=data["attachments"],
            )
        if self.request.htmx:
            return self.render_to_response(self.thread_context())
        if data["is_internal"]:
            self.success_text = gettext("Your internal note was saved. The client does not see it.")
        else:
            self.success_text = gettext("Your message was sent to the client.")
        return self.done("#thread")


class StartDesk(CaseActionDesk):
    form_class = StartForm
    form_context_name = "start_form"

    def perform(self, form):
        if self.case.status != S.IN_PROGRESS:  # a second click finds the work started
            form.call(services.request_start, actor=self.request.user, case=self.case)
        self.success_text = gettext("You started work on the case.")
        return self.done()


class AwaitClientDesk(CaseActionDesk):
    form_class = AwaitClientForm
    form_context_name = "await_form"

    def perform(self, form):
        reason = form.cleaned_data["reason"]
        case = self.case
        if not (case.status == S.AWAITING_CLIENT and case.status_reason == reason):
            form.call(
                services.request_await_client, actor=self.request.user, case=case, reason=reason
            )
        self.success_text = gettext("The client is asked for what you need.")
        return self.done()


class ResolveDesk(CaseActionDesk):
    form_class = ResolveForm
    form_context_name = "resolve_form"

    def perform(self, form):
        resolution = form.cleaned_data["resolution"]
        case = self.case
        if not (case.status == S.RESOLVED and case.resolution == resolution):
            form.call(
                services.request_resolve, actor=self.request.user, case=case, resolution=resolution
            )
        self.success_text = gettext("The case is resolved. The client closes it.")
        return self.done()


class DocumentDesk(CaseActionDesk):
    form_class = DocumentForm
    form_context_name = "document_form"

    def perform(self, form):
        form.call(
            services.document_add,
            actor=self.request.user,
            case=self.case,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )
        self.success_text = gettext("The document was added to the case.")
        return self.done("#documents")


class DesignationDesk(CaseActionDesk):
    form_class = DesignationForm
    form_context_name = "designation_form"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        code = self.request.POST.get("country", "")
        kwargs["country_code"] = "".join(char for char in code if char.isalnum())[:2]
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        form.call(
            services.designation_update,
            actor=self.request.user,
            case=self.case,
            country_code=data["country"],
            status=data["status"],
            note=data["note"],
        )
        self.success_text = gettext("The designation was updated. The client sees it.")
        return self.done("#designations")


class FileDownloadDesk(FirmPage):
    """A document of a case or an attachment of its thread, for the firm the case is assigned to
    (another firm's internal notes are never among them)."""

    isolation_model = LegalAttachment

    def get(self, request, request_pk: int, pk: int):
        document = get_object_or_404(selectors.attachments_for(request.user, request_pk), pk=pk)
        return document_response(document, name=document_label(document))
