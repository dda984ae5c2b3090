"""Account pages: the ones the account e-mails link to (set a new password, confirm the e-mail
address) and the portal's (sign up, a forgotten password, change it, settings).

The API does the same with `POST /api/v1/auth/signup/`, `…/password-reset/`,
`…/password-reset/confirm/`, `…/password/`, `…/email-confirmation/` and `PATCH /api/v1/auth/me/`;
the pages call the same services.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.portal.views import PortalFormView, PortalPage

from . import forms, serializers, services
from . import language as languages
from .tokens import email_confirmation_tokens, user_of


class PasswordResetPage(auth_views.PasswordResetConfirmView):
    """Django's reset view (the token leaves the URL before the form shows); on success every
    token and session of the account ends, as through the API."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("account-password-reset-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_out_everywhere(user=form.user)
        return response


class PasswordResetDonePage(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"


@never_cache
@sensitive_post_parameters()
def email_confirmation_page(request, uidb64: str, token: str):
    """GET shows a button (mail scanners fetch links; they do not press buttons); POST confirms."""
    user = user_of(uidb64)
    context = {
        "validlink": user is not None and email_confirmation_tokens.check_token(user, token),
        "email": user.email if user is not None else "",
        "confirmed": False,
    }
    if request.method == "POST" and context["validlink"]:
        try:
            services.email_confirm(uid=uidb64, token=token)
            context["confirmed"] = True
        except ValidationFailed:
            context["validlink"] = False
    status = 200 if context["validlink"] or context["confirmed"] else 400
    return render(request, "accounts/email_confirmation.html", context, status=status)


# --- The portal's account pages (/portal/signup/, /portal/password/…, /portal/settings/) ---------

SIGNED_UP_EMAIL = "portal_signed_up_email"  # the session key the "check your e-mail" page reads


class PublicPage(TemplateView):
    """A portal page for people not signed in yet (sign up, a forgotten password)."""

    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        return context


@method_decorator(sensitive_post_parameters(), name="dispatch")
class SignUpPage(PublicPage, PortalFormView):
    form_class = forms.SignUpForm
    template_name = "accounts/portal/signup.html"
    title = _("Create an account")
    submit_label = _("Create the account")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:home")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"language": translation.get_language()}

    def perform(self, form):
        data = form.cleaned_data
        email = data["email"].strip().lower()
        form.call(
            serializers.validate_new_password,
            data["password"],
            email=email,
            full_name=data["full_name"],
        )
        form.call(
            services.sign_up,
            email=email,
            password=data["password"],
            full_name=data["full_name"],
            language=data["language"],
        )
        self.request.session[SIGNED_UP_EMAIL] = email
        response = redirect("portal:signup-sent")
        languages.remember(response, data["language"])
        return response


class SignUpSentPage(PublicPage):
    template_name = "accounts/portal/signup_sent.html"
    title = _("Check your e-mail")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.session.get(SIGNED_UP_EMAIL, "")
        return context


class PasswordResetRequestPage(PublicPage, PortalFormView):
    form_class = forms.PasswordResetRequestForm
    template_name = "accounts/portal/password_reset_request.html"
    title = _("Forgotten password")
    submit_label = _("Send me a link")

    def perform(self, form):
        form.call(services.password_reset_request, email=form.cleaned_data["email"])
        return reverse("portal:password-reset-sent")


class PasswordResetSentPage(PublicPage):
    template_name = "accounts/portal/password_reset_sent.html"
    title = _("Check your e-mail")


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordChangePage(PortalPage, PortalFormView):
    form_class = forms.PasswordChangeForm
    title = _("Change your password")
    section = "preferences"
    submit_label = _("Change the password")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [
            (gettext("Settings"), reverse("portal:preferences")),
            (self.title, None),
        ]
        context["intro"] = gettext(
            "You stay signed in here; every other device and API token is signed out."
        )
        context["cancel_url"] = reverse("portal:preferences")
        return context

    def perform(self, form):
        form.call(
            services.password_change,
            user=self.request.user,
            current_password=form.cleaned_data["current_password"],
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, gettext("Your password is changed."))
        return reverse("portal:preferences")


class PreferencesPage(PortalPage, PortalFormView):
    form_class = forms.PreferencesForm
    template_name = "accounts/portal/preferences.html"
    title = _("Settings")
    section = "preferences"
    submit_label = _("Save")

    def get_initial(self):
        user = self.request.user
        return {
            "full_name": user.full_name,
            "language": user.language or translation.get_language(),
            "timezone": user.timezone,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.title, None)]
        context["account"] = self.request.user
        return context

    def perform(self, form):
        user = form.call(services.profile_update, user=self.request.user, **form.cleaned_data)
        # The next page and this message speak the language just chosen.
        languages.activate(self.request, user.language)
        messages.success(self.request, gettext("Your settings are saved."))
        response = redirect("portal:preferences")
        languages.remember(response, user.language)
        return response


@require_POST
def resend_confirmation(request):
    """The settings page's button: e-mail the confirmation link again."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("portal:preferences"))
    try:
        services.email_confirmation_send(user=request.user)
    except Conflict as refused:
        messages.info(request, refused.detail)
    else:
        messages.success(
            request,
            gettext("A confirmation link is on its way to %(email)s.")
            % {"email": request.user.email},
        )
    return redirect("portal:preferences")
