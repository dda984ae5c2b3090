"""Pages the account e-mails link to: set a new password, confirm the e-mail address.

The API does the same with `POST /api/v1/auth/password-reset/confirm/` and
`POST /api/v1/auth/email-confirmation/` (the `uid` and `token` of the link).
"""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from agri_platform.api.errors import ValidationFailed

from . import services
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
