"""The portal's base views and its own pages: sign-in, sign-out, the language switch, choosing the
enterprise one acts for.

Every page of the portal derives from `PortalPage` (signed-in people) or `EnterprisePage` (a member
acting for its enterprise); a page that shows one object by its id in the address sets
`isolation_model` to that object's model and reads it through the app's scoped selector, so that
another enterprise's object is a 404 (tests/security/test_portal_isolation.py walks them all).
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from agri_platform.accounts import language as languages
from agri_platform.accounts import services as account_services

from . import enterprise as enterprises
from .forms import ServiceRefused

PAGE_SIZE = 20


class PortalPage(LoginRequiredMixin, TemplateView):
    """A page for a signed-in person; others go to the sign-in page and come back after."""

    login_url = reverse_lazy("portal:login")
    isolation_model = None
    title = ""
    # The navigation entry this page belongs to (its URL name: "shipments", "finance", …).
    section = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context["section"] = self.section
        return context


class EnterprisePage(PortalPage):
    """A page of the enterprise the person acts for (`self.enterprise`). Someone who belongs to
    no enterprise yet is sent to register one; a partner's or staff member's account has no
    exporter pages (403 with a page saying where to go)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.enterprise = enterprises.current_enterprise(request)
        self.role = enterprises.current_role(request)
        if self.enterprise is None:
            if request.user.partner_id or request.user.is_platform_staff:
                return render(request, "portal/not_an_exporter.html", status=403)
            return redirect("portal:enterprise-register")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enterprise"] = self.enterprise
        context["role"] = self.role
        return context


class PortalFormView(FormView):
    """Put it first: `class BookingPage(PortalFormView, EnterprisePage)`. `perform(form)` calls the service through
    `form.call(...)` and returns where to go next (a URL or a response); when the service refuses,
    the form shows again with the reasons at the fields and in the summary."""

    template_name = "portal/form_page.html"
    submit_label = _("Continue")
    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            outcome = self.perform(form)
        except ServiceRefused:
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        if isinstance(outcome, str):
            return HttpResponseRedirect(outcome)
        return outcome

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("submit_label", self.submit_label)
        return context


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The page of `queryset` the query string's `page` asks for (the last one when too high)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def next_url(request, default: str) -> str:
    """`next` from the form or the address when it stays on this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class LoginPage(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # A partner's people work in their desk; everyone else in the portal.
        return reverse("desk:home" if self.request.user.partner_id else "portal:home")


class LogoutPage(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")


@require_POST
def choose_language(request):
    """The language switch in the page header: remembered in a cookie and, for a signed-in
    person, in their account (so e-mails and the API follow it too)."""
    code = languages.supported_language(request.POST.get("language", ""))
    response = redirect(next_url(request, reverse("portal:home")))
    if code is None:
        return response
    if request.user.is_authenticated:
        account_services.profile_update(user=request.user, language=code)
    languages.remember(response, code)
    return response


@require_POST
def choose_enterprise(request):
    """A member of several enterprises picks the one it acts for."""
    if not request.user.is_authenticated:
        return redirect("portal:login")
    try:
        chosen = int(request.POST.get("enterprise", ""))
    except ValueError:
        chosen = None
    if chosen is None or not enterprises.choose_enterprise(request, chosen):
        messages.error(request, gettext("You are not a member of that enterprise."))
    return redirect(next_url(request, reverse("portal:home")))
