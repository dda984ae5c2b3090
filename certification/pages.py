"""The exporter's certification pages (journey 4) and market readiness (journey 5).

Reads go through the selectors (scoped to the person's enterprises: another enterprise's object is
a 404); every change calls the service the API calls, through the page's form (`form.call`).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.api.documents import document_label, document_response
from agri_platform.portal.forms import ServiceRefused
from agri_platform.portal.views import EnterprisePage, PortalFormView, paginate
from enterprises import selectors as enterprise_selectors

from . import selectors, services
from .choices import (
    OPEN_APPLICATION_STATUSES,
    REMINDER_THRESHOLDS_DAYS,
    ApplicationAction,
    ApplicationDocumentKind,
    ApplicationStatus,
    CertificateStatus,
)
from .forms import (
    ApplicationForm,
    DocumentForm,
    ReadinessForm,
    ScopeForm,
    SubmitForm,
    WithdrawForm,
)
from .models import Application, ApplicationDocument, Certificate

S = ApplicationStatus
# A certificate this close to its last day reads as "expiring" (the first reminder goes out then).
EXPIRING_WITHIN_DAYS = max(REMINDER_THRESHOLDS_DAYS)

NEXT_STEPS = {
    S.DRAFT: _("Upload the required documents, then submit."),
    S.SUBMITTED: _("Waiting for a reviewer."),
    S.UNDER_REVIEW: _("A reviewer is checking it."),
    S.CHANGES_REQUESTED: _("The reviewer asked for changes: answer them and resubmit."),
    S.APPROVED: _("Approved: the certificate is issued."),
    S.REJECTED: _("Rejected: see the reviewer's reason."),
    S.WITHDRAWN: _("Withdrawn."),
}


def certification_crumbs(*tail) -> list:
    return [(gettext("Certification"), reverse("portal:certification")), *tail]


def application_url(application) -> str:
    return reverse("portal:application", kwargs={"pk": application.pk})


def certificate_url(certificate) -> str:
    return reverse("portal:certificate", kwargs={"pk": certificate.pk})


def days_left(certificate, today) -> int:
    return (certificate.expiry_date - today).days


def validity_state(certificate, today) -> str:
    """The certificate's state as a person reads it: its status, or "expiring" when it is active
    and ends within the first reminder's distance, or "expired" once past its last day."""
    if certificate.status != CertificateStatus.ACTIVE:
        return certificate.status
    left = days_left(certificate, today)
    if left < 0:
        return CertificateStatus.EXPIRED
    return "expiring" if left <= EXPIRING_WITHIN_DAYS else certificate.status


class CertificationSection:
    section = "certification"


# --- the list -----------------------------------------------------------------------------------


class CertificationPage(CertificationSection, EnterprisePage):
    """Applications and certificates of the enterprise, expiring certificates first."""

    template_name = "certification/portal/index.html"
    title = _("Certification")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        certificates = list(
            selectors.member_certificates(self.request.user)
            .filter(enterprise=self.enterprise)
            .order_by("expiry_date", "id")
        )
        for certificate in certificates:
            certificate.days_left = days_left(certificate, today)
            certificate.state = validity_state(certificate, today)
        applications = paginate(
            self.request,
            selectors.member_applications(self.request.user)
            .filter(enterprise=self.enterprise)
            .order_by("-id"),
        )
        for application in applications:
            application.next_step = NEXT_STEPS.get(application.status, "")
        context.update(
            certificates=certificates,
            page_obj=applications,
            applications=applications,
            breadcrumbs=[(gettext("Certification"), None)],
        )
        return context


# --- a new application -------------------------------------------------------------------------


class ApplicationNewPage(CertificationSection, EnterprisePage, PortalFormView):
    """Choose a scheme and the scope; the draft's page then lists the documents to upload.
    `?scheme=GLOBALGAP&product=3` pre-fills it (the readiness page links here)."""

    template_name = "certification/portal/application_new.html"
    form_class = ApplicationForm
    title = _("Apply for a certificate")
    submit_label = _("Create the application")
    success_message = _("Your application is a draft: upload the documents it needs, then submit.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(
            schemes=selectors.schemes_for(user).filter(is_active=True),
            products=enterprise_selectors.products_for(user).filter(enterprise=self.enterprise),
            bases=enterprise_selectors.production_bases_for(user).filter(
                enterprise=self.enterprise
            ),
        )
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if scheme := self.request.GET.get("scheme"):
            initial["scheme"] = scheme
        products = [value for value in self.request.GET.getlist("product") if value.isdigit()]
        if products:
            initial["products"] = products
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = certification_crumbs((self.title, None))
        context["cancel_url"] = reverse("portal:certification")
        return context

    def perform(self, form):
        data = form.cleaned_data
        application = form.call(
            services.application_create,
            actor=self.request.user,
            enterprise=self.enterprise,
            scheme=data["scheme"],
            product_ids=[product.pk for product in data["products"]],
            base_ids=[base.pk for base in data["bases"]],
            scope_note=data["scope_note"],
        )
        return application_url(application)


# --- one application ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    documents: list
    required: bool

    @property
    def done(self) -> bool:
        return bool(self.documents)


def checklist(application) -> list[ChecklistItem]:
    """The scheme's required documents, each with what is uploaded for it, then any other kind
    uploaded."""
    by_kind: dict[str, list] = {}
    for document in application.documents.all():
        by_kind.setdefault(document.kind, []).append(document)
    required = list(application.scheme.required_documents)
    items = [
        ChecklistItem(kind, str(ApplicationDocumentKind(kind).label), by_kind.get(kind, []), True)
        for kind in required
        if kind in ApplicationDocumentKind.values
    ]
    items += [
        ChecklistItem(kind, str(ApplicationDocumentKind(kind).label), documents, False)
        for kind, documents in by_kind.items()
        if kind not in required
    ]
    return items


STEP_OF_STATUS = {
    S.DRAFT: 0,
    S.CHANGES_REQUESTED: 0,
    S.SUBMITTED: 1,
    S.UNDER_REVIEW: 2,
    S.APPROVED: 3,
    S.REJECTED: 3,
}


def steps(application) -> list[dict]:
    """The application's stages for the `.steps` component: done, current, still to come."""
    decision = {
        S.APPROVED: gettext("Approved"),
        S.REJECTED: gettext("Rejected"),
    }.get(application.status, gettext("Decision"))
    preparing = (
        gettext("Changes requested")
        if application.status == S.CHANGES_REQUESTED
        else gettext("Prepare")
    )
    labels = [preparing, gettext("Submitted"), gettext("Under review"), decision]
    current = STEP_OF_STATUS.get(application.status)
    return [
        {
            "label": label,
            "done": current is not None and index < current,
            "current": index == current,
        }
        for index, label in enumerate(labels)
    ]


class ApplicationPage(CertificationSection, EnterprisePage):
    """The checklist of documents, the scope, submit or withdraw, and the timeline."""

    template_name = "certification/portal/application.html"
    isolation_model = Application

    def get_application(self) -> Application:
        return get_object_or_404(
            selectors.member_applications(self.request.user), pk=self.kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        self.application = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.application = self.get_application()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        permitted = services.APPLICATION_WORKFLOW.permitted(self.request.user, application)
        items = checklist(application)
        missing = [item.kind for item in items if item.required and not item.done]
        timeline = list(selectors.timeline_for(application, self.request.user))
        change_request = next(
            (e for e in reversed(timeline) if e.action == ApplicationAction.REQUEST_CHANGES), None
        )
        kwargs.setdefault("document_form", DocumentForm(initial={"kind": (missing or [""])[0]}))
        kwargs.setdefault("submit_form", SubmitForm())
        kwargs.setdefault("withdraw_form", WithdrawForm())
        context.update(kwargs)
        context.update(
            application=application,
            title=gettext("Application for %(scheme)s") % {"scheme": application.scheme.name},
            breadcrumbs=certification_crumbs(
                (gettext("Application #%(id)s") % {"id": application.pk}, None)
            ),
            steps=steps(application),
            checklist=items,
            missing_count=len(missing),
            editable="edit" in permitted,
            can_submit="submit" in permitted,
            can_withdraw="withdraw" in permitted,
            resubmission=application.status == S.CHANGES_REQUESTED,
            change_request=change_request,
            timeline=list(reversed(timeline)),
            certificate=getattr(application, "certificate", None),
            next_step=NEXT_STEPS.get(application.status, ""),
        )
        return context


class ApplicationActionPage(ApplicationPage):
    """A form posted from the application's page: on success back to the page with a message; a
    refusal shows the page again with the reasons at the form. A GET is the page itself."""

    form_class = SubmitForm
    form_name = "submit_form"
    success_message = ""

    def get(self, request, *args, **kwargs):
        return redirect(application_url(self.get_application()))

    def build_form(self):
        return self.form_class(self.request.POST, self.request.FILES)

    def perform(self, form) -> str | None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.application = self.get_application()
        form = self.build_form()
        if form.is_valid():
            try:
                destination = self.perform(form)
            except ServiceRefused:
                pass
            else:
                messages.success(request, self.success_message)
                return redirect(destination or application_url(self.application))
        # the page as it is now (an upload may have changed it), the form with its reasons
        self.application = self.get_application()
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))


class DocumentUploadPage(ApplicationActionPage):
    form_class = DocumentForm
    form_name = "document_form"
    success_message = _("The document is uploaded.")

    def perform(self, form):
        form.call(
            services.document_add,
            actor=self.request.user,
            application=self.application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        return application_url(self.application) + "#documents"


class SubmitPage(ApplicationActionPage):
    form_class = SubmitForm
    form_name = "submit_form"
    success_message = _("Your application is submitted. A reviewer will check it.")

    def perform(self, form):
        form.call(
            services.application_submit, actor=self.request.user, application=self.application
        )


class WithdrawPage(ApplicationActionPage):
    form_class = WithdrawForm
    form_name = "withdraw_form"
    success_message = _("Your application is withdrawn.")

    def perform(self, form):
        form.call(
            services.application_withdraw,
            actor=self.request.user,
            application=self.application,
            comment=form.cleaned_data["comment"],
        )


class ScopePage(CertificationSection, EnterprisePage, PortalFormView):
    """Change the products, bases and note while the application is in the enterprise's hands."""

    form_class = ScopeForm
    isolation_model = Application
    title = _("Change the scope")
    submit_label = _("Save the scope")
    success_message = _("The scope is saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = get_object_or_404(
                selectors.member_applications(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user, enterprise = self.request.user, self.application.enterprise
        kwargs.update(
            products=enterprise_selectors.products_for(user).filter(enterprise=enterprise),
            bases=enterprise_selectors.production_bases_for(user).filter(enterprise=enterprise),
        )
        return kwargs

    def get_initial(self):
        return {
            "products": list(self.application.scope_products.all()),
            "bases": list(self.application.scope_bases.all()),
            "scope_note": self.application.scope_note,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = certification_crumbs(
            (
                gettext("Application #%(id)s") % {"id": self.application.pk},
                application_url(self.application),
            ),
            (self.title, None),
        )
        context["cancel_url"] = application_url(self.application)
        return context

    def perform(self, form):
        data = form.cleaned_data
        form.call(
            services.application_update,
            actor=self.request.user,
            application=self.application,
            product_ids=[product.pk for product in data["products"]],
            base_ids=[base.pk for base in data["bases"]],
            scope_note=data["scope_note"],
        )
        return application_url(self.application)


class DocumentPage(CertificationSection, EnterprisePage):
    """A document of one of the enterprise's applications."""

    isolation_model = ApplicationDocument

    def get_document(self) -> ApplicationDocument:
        application = get_object_or_404(
            selectors.member_applications(self.request.user), pk=self.kwargs["application_pk"]
        )
        return get_object_or_404(application.documents.all(), pk=self.kwargs["pk"])


class DocumentDownloadPage(DocumentPage):
    """The file as uploaded, as an attachment."""

    def get(self, request, *args, **kwargs):
        document = self.get_document()
        return document_response(document, name=document_label(document))


class DocumentRemovePage(DocumentPage):
    def get(self, request, *args, **kwargs):
        return redirect(application_url(self.get_document().application))

    def post(self, request, *args, **kwargs):
        document = self.get_document()
        form = SubmitForm(data={})
        form.is_valid()
        try:
            form.call(services.document_remove, actor=request.user, document=document)
        except ServiceRefused:
            for error in form.non_field_errors():
                messages.error(request, error)
        else:
            messages.success(
                request,
                gettext("%(name)s is removed.") % {"name": document.original_name},
            )
        return redirect(application_url(document.application) + "#documents")


# --- certificates --------------------------------------------------------------------------------


class CertificatePage(CertificationSection, EnterprisePage):
    """A certificate's facts, how long it is valid, its history, renewal and the printable copy.
    Expiry reminders (e-mail and inbox) lead here."""

    template_name = "certification/portal/certificate.html"
    isolation_model = Certificate

    def get_certificate(self) -> Certificate:
        return get_object_or_404(
            selectors.member_certificates(self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        self.certificate = self.get_certificate()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.certificate
        today = timezone.localdate()
        permitted = services.CERTIFICATE_WORKFLOW.permitted(self.request.user, certificate)
        renewal = (
            certificate.renewal_applications.filter(status__in=OPEN_APPLICATION_STATUSES)
            .order_by("-id")
            .first()
        )
        public_path = reverse("public:certificate", kwargs={"number": certificate.number})
        kwargs.setdefault("renew_form", SubmitForm())
        context.update(kwargs)
        context.update(
            certificate=certificate,
            title=gettext("Certificate %(number)s") % {"number": certificate.number},
            breadcrumbs=certification_crumbs((certificate.number, None)),
            days_left=days_left(certificate, today),
            state=validity_state(certificate, today),
            can_renew="renew" in permitted and renewal is None,
            renewal=renewal,
            events=certificate.events.select_related("actor").order_by("-id"),
            documents=certificate.application.documents.all() if certificate.application else [],
            verify_url=self.request.build_absolute_uri(public_path),
            products=certificate.scope_products.all(),
            bases=certificate.scope_bases.all(),
        )
        return context


class CertificatePrintPage(CertificatePage):
    """The certificate on one sheet, for the browser's print (or "save as PDF")."""

    template_name = "certification/portal/certificate_print.html"


class CertificateRenewPage(CertificatePage):
    """Start the renewal: a draft application for the same scheme and scope."""

    def get(self, request, *args, **kwargs):
        return redirect(certificate_url(self.get_certificate()))

    def post(self, request, *args, **kwargs):
        self.certificate = self.get_certificate()
        form = SubmitForm(data={})
        form.is_valid()
        try:
            application = form.call(
                services.certificate_renew, actor=request.user, certificate=self.certificate
            )
        except ServiceRefused:
            return self.render_to_response(self.get_context_data(renew_form=form))
        messages.success(
            request,
            gettext("The renewal is a draft: upload the documents it needs, then submit."),
        )
        return redirect(application_url(application))


# --- market readiness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessRow:
    check: object
    state: str  # the badge's state: held, expiring, missing
    label: str
    action_label: str
    action_url: str


def readiness_rows(checks, enterprise, product_ids) -> list[ReadinessRow]:
    """Each check with what to do about it: apply (pre-filled), continue the open application,
    renew, look at the certificate, or add the document to the shipment."""
    open_by_code = {
        application.scheme.code: application
        for application in selectors.open_applications_by_scheme(enterprise).values()
    }
    rows = []
    for check in checks:
        state = {"met": "held", "expiring": "expiring"}.get(check.status, "missing")
        label = {
            "held": gettext("Held"),
            "expiring": gettext("Expiring"),
            "missing": gettext("Missing"),
        }[state]
        action_label, action_url = "", ""
        if check.kind == "document":
            if state == "missing":
                action_label = gettext("Upload it with the shipment")
                action_url = reverse("portal:shipments")
        elif state == "held" and check.certificate_id:
            action_label = gettext("View the certificate")
            action_url = reverse("portal:certificate", kwargs={"pk": check.certificate_id})
        elif state == "expiring" and check.certificate_id:
            action_label = gettext("Renew the certificate")
            action_url = reverse("portal:certificate", kwargs={"pk": check.certificate_id})
        else:
            codes = check.alternatives or (check.code,)
            application = next((open_by_code[c] for c in codes if c in open_by_code), None)
            if application is not None:
                action_label = gettext("Continue application #%(id)s") % {"id": application.pk}
                action_url = application_url(application)
            else:
                query = urlencode(
                    {"scheme": codes[0], "product": list(check.product_ids or product_ids)},
                    doseq=True,
                )
                action_label = gettext("Apply for %(name)s") % {"name": check.name}
                action_url = f"{reverse('portal:application-new')}?{query}"
        rows.append(ReadinessRow(check, state, label, action_label, action_url))
    return rows


class ReadinessPage(EnterprisePage):
    """Pick a destination and products: what is held, missing and expiring, and what to do."""

    template_name = "certification/portal/readiness.html"
    section = "readiness"
    title = _("Market readiness")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        products = enterprise_selectors.products_for(user).filter(enterprise=self.enterprise)
        asked = any(key in self.request.GET for key in ("destination", "products"))
        form = ReadinessForm(self.request.GET if asked else None, products=products)
        readiness = None
        if asked and form.is_valid():
            readiness = self.answer(form)
        context.update(
            form=form,
            readiness=readiness,
            rows=readiness_rows(readiness.checks, self.enterprise, readiness.product_ids)
            if readiness
            else [],
            has_products=products.exists(),
            breadcrumbs=[(gettext("Market readiness"), None)],
        )
        return context

    def answer(self, form):
        data = form.cleaned_data
        try:
            return form.call(
                selectors.readiness_for,
                enterprise=self.enterprise,
                product_ids=[product.pk for product in data["products"]],
                destination_code=data["destination"].code,
                on_date=data["date"] or timezone.localdate(),
            )
        except ServiceRefused:
            return None

    def get_template_names(self):
        if self.request.htmx:
            return ["certification/portal/_readiness.html"]
        return [self.template_name]
