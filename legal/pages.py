"""The portal's legal pages (docs/portal.md, journey 8): the enterprise's cases, a new case in two
steps (the kind, then the case), and one case: its facts, the Madrid designations per country,
the thread with the law firm (posted with htmx or as a plain form), documents, close and withdraw.
Every write calls the service the API calls; every read goes through `legal.selectors`."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.documents import document_label, document_response
from agri_platform.api.errors import ApplicationError
from agri_platform.portal.views import EnterprisePage, PortalFormView, paginate
from agri_platform.reference import l10n
from enterprises.services import require_verified

from . import selectors, services
from .choices import LegalKind, LegalStatus
from .forms import (
    KIND_HINTS,
    CloseForm,
    DocumentForm,
    KindForm,
    MessageForm,
    NewCaseForm,
    WithdrawForm,
)
from .models import LegalAttachment, LegalRequest

S = LegalStatus
# The case's way as the person follows it; withdrawn cases leave it.
STEPS = [
    (S.SUBMITTED, _("Submitted")),
    (S.ASSIGNED, _("Law firm assigned")),
    (S.IN_PROGRESS, _("Being worked on")),
    (S.RESOLVED, _("Resolved")),
    (S.CLOSED, _("Closed")),
]
STEP_OF = {S.AWAITING_CLIENT: S.IN_PROGRESS}
STATUS_FILTERS = {
    "open": [S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_CLIENT],
    "resolved": [S.RESOLVED],
    "done": [S.CLOSED, S.WITHDRAWN],
}


def list_url() -> str:
    return reverse("portal:legal")


def case_url(case: LegalRequest) -> str:
    return reverse("portal:legal-case", kwargs={"pk": case.pk})


def firm_name(firm) -> str:
    """A law firm's name in the reader's language (a partner keeps `name` and `name_zh`)."""
    return l10n.in_reading_language(firm.name_zh, firm.name) if firm else ""


def steps_of(case: LegalRequest) -> list[dict]:
    current = STEP_OF.get(case.status, case.status)
    codes = [code for code, _label in STEPS]
    position = codes.index(current) if current in codes else -1
    return [
        {"label": label, "done": index < position, "current": index == position}
        for index, (_code, label) in enumerate(STEPS)
    ]


class LegalPage(EnterprisePage):
    section = "legal"

    def cases(self):
        return selectors.legal_requests_for(self.request.user).filter(enterprise=self.enterprise)


class CaseListPage(LegalPage):
    template_name = "legal/portal/list.html"
    title = _("Legal services")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen_status = self.request.GET.get("status", "")
        chosen_kind = self.request.GET.get("kind", "")
        search = self.request.GET.get("q", "").strip()
        cases = self.cases()
        if chosen_status in STATUS_FILTERS:
            cases = cases.filter(status__in=STATUS_FILTERS[chosen_status])
        if chosen_kind in LegalKind.values:
            cases = cases.filter(kind=chosen_kind)
        if search:
            cases = cases.filter(
                Q(title__icontains=search)
                | Q(description__icontains=search)
                | Q(trademark__icontains=search)
            )
        page_obj = paginate(self.request, cases)
        for case in page_obj:
            case.firm_name = firm_name(case.assigned_firm)
        context.update(
            page_obj=page_obj,
            filtered=bool(chosen_status or chosen_kind or search),
            has_cases=self.cases().exists(),
            chosen_status=chosen_status,
            chosen_kind=chosen_kind,
            search=search,
            status_filters=[
                ("open", gettext("Open")),
                ("resolved", gettext("Resolved, to close")),
                ("done", gettext("Closed or withdrawn")),
            ],
            kinds=LegalKind.choices,
            breadcrumbs=[(self.title, None)],
        )
        return context


class NewCasePage(LegalPage, PortalFormView):
    """Step one (no `kind` in the address) asks what kind of help; step two is the case."""

    template_name = "legal/portal/new.html"
    title = _("Ask for legal help")

    def kind(self) -> str | None:
        kind = self.request.POST.get("kind") or self.request.GET.get("kind")
        return kind if kind in LegalKind.values else None

    def get_form_class(self):
        return NewCaseForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kind"] = self.kind()
        return kwargs

    def get(self, request, *args, **kwargs):
        if self.kind() is None:
            return self.render_kind_step()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.kind() is None:
            return self.render_kind_step()
        return super().post(request, *args, **kwargs)

    def render_kind_step(self):
        form = KindForm(self.request.GET or None)
        if form.is_bound:
            form.is_valid()
        context = self.get_context_data(form=form, step=1)
        context["kind_hints"] = KIND_HINTS
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.kind()
        context.setdefault("step", 2)
        context.update(
            kind=kind,
            kind_label=LegalKind(kind).label if kind else "",
            verification_problem=self.verification_problem(),
            breadcrumbs=[(gettext("Legal services"), list_url()), (self.title, None)],
        )
        return context

    def verification_problem(self) -> str:
        """Why the enterprise cannot file yet (the service's own refusal), or nothing."""
        try:
            require_verified(self.enterprise)
        except ApplicationError as refusal:
            return refusal.detail
        return ""

    def perform(self, form):
        document = form.cleaned_data.get("document")
        with transaction.atomic():  # a refused document leaves no case behind
            case = form.call(
                services.request_create,
                actor=self.request.user,
                enterprise=self.enterprise,
                **form.service_arguments(),
            )
            if document:
                form.call(
                    services.document_add, actor=self.request.user, case=case, upload=document
                )
        messages.success(
            self.request,
            gettext("Your request was sent. A platform officer will assign a law firm."),
        )
        return case_url(case)


class OneCase:
    """A page of the case in its address, read through the page's `cases()` (the reader's scoped
    selector: a case not theirs is a 404), and the actions the workflow allows the reader on it.
    The exporter's case page and the law firm's desk share it."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._case = None

    @property
    def case(self) -> LegalRequest:
        if self._case is None:
            self._case = get_object_or_404(self.cases(), pk=self.kwargs["pk"])
        return self._case

    def allowed(self) -> set[str]:
        return set(services.REQUEST_WORKFLOW.permitted(self.request.user, self.case))


class CasePage(OneCase, LegalPage):
    """One case. The action pages below share it: a refused form shows this page again, with the
    reasons at the form's fields."""

    template_name = "legal/portal/case.html"
    isolation_model = LegalRequest

    def thread_context(self, message_form=None) -> dict:
        allowed = self.allowed()
        thread = list(selectors.messages_of(self.case, self.request.user))
        for message in thread:
            message.firm_name = firm_name(message.author_partner)
        return {
            "case": self.case,
            "thread": thread,
            "can_write": "message" in allowed,
            "message_form": message_form or MessageForm(),
            "primary_is_send": "close" not in allowed,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        allowed = self.allowed()
        context.update(self.thread_context(kwargs.get("message_form")))
        context.update(
            title=case.title,
            firm_name=firm_name(case.assigned_firm),
            steps=steps_of(case),
            withdrawn=case.status == S.WITHDRAWN,
            designations=case.designations.select_related("country"),
            is_trademark=case.kind == LegalKind.TRADEMARK_REGISTRATION,
            documents=selectors.documents_of(case),
            can_add_document="add_document" in allowed,
            can_close="close" in allowed,
            can_withdraw="withdraw" in allowed,
            document_form=kwargs.get("document_form") or DocumentForm(),
            close_form=kwargs.get("close_form") or CloseForm(),
            breadcrumbs=[(gettext("Legal services"), list_url()), (case.title, None)],
        )
        return context


class CaseActionPage(CasePage, PortalFormView):
    """A form of the case page posted to its own address. GET goes back to the case page."""

    form_context_name = "form"

    def get(self, request, *args, **kwargs):
        return redirect(case_url(self.case))

    def form_invalid(self, form):
        context = self.get_context_data(**{self.form_context_name: form})
        return self.render_to_response(context)


class MessagePage(CaseActionPage):
    """The thread's form. With htmx the thread alone comes back (updated in place)."""

    form_class = MessageForm
    form_context_name = "message_form"

    def get_template_names(self):
        if self.request.htmx:
            return ["legal/portal/_thread.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        if self.request.htmx:  # the thread's partial needs nothing else
            return self.thread_context(kwargs.get("message_form"))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        form.call(
            services.message_post,
            actor=self.request.user,
            case=self.case,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
        )
        if self.request.htmx:
            return self.render_to_response(self.thread_context())
        messages.success(self.request, gettext("Your message was sent to the law firm."))
        return case_url(self.case) + "#thread"


class DocumentPage(CaseActionPage):
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
        messages.success(self.request, gettext("The document was added to the case."))
        return case_url(self.case) + "#documents"


class ClosePage(CaseActionPage):
    form_class = CloseForm
    form_context_name = "close_form"

    def perform(self, form):
        form.call(services.request_close, actor=self.request.user, case=self.case)
        messages.success(self.request, gettext("The case is closed."))
        return case_url(self.case)


class WithdrawPage(CasePage, PortalFormView):
    """Withdrawing asks once, on a page of its own (it cannot be undone)."""

    template_name = "legal/portal/withdraw.html"
    form_class = WithdrawForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Withdraw the case")
        context["breadcrumbs"] = [
            (gettext("Legal services"), list_url()),
            (self.case.title, case_url(self.case)),
            (context["title"], None),
        ]
        return context

    def perform(self, form):
        form.call(
            services.request_withdraw,
            actor=self.request.user,
            case=self.case,
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, gettext("The case was withdrawn."))
        return case_url(self.case)


class DocumentDownload(LegalPage):
    """A document of a case or an attachment of the thread, for whoever may read it (an internal
    note's attachment is never among them for the enterprise)."""

    isolation_model = LegalAttachment

    def get(self, request, request_pk: int, pk: int):
        attachments = selectors.attachments_for(request.user, request_pk).filter(
            request__enterprise=self.enterprise
        )
        document = get_object_or_404(attachments, pk=pk)
        return document_response(document, name=document_label(document))
