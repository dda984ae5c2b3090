"""A buyer's registration (public): the person's account and the organisation in one form."""

from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agri_platform.accounts.choices import Language
from agri_platform.portal.public import PublicPage
from agri_platform.portal.views import PortalFormView

from ..forms_buyers import BuyerRegisterForm
from ..services import buyers as services


def reading_language() -> str:
    """The language the person registered in: pages and e-mails keep speaking it."""
    language = translation.get_language() or ""
    return language if language in Language.values else ""


REGISTERED_EMAIL = "trade:buyer-registered-email"


class BuyerRegisterPage(PublicPage, PortalFormView):
    form_class = BuyerRegisterForm
    template_name = "trade/buyers/register.html"
    title = _("Register as a buyer")
    submit_label = _("Register as a buyer")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("desk:home" if request.user.partner_id else "portal:home")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        buyer = form.call(
            services.buyer_register,
            email=data["email"],
            password=data["password"],
            full_name=data["full_name"],
            company=data["company"],
            country=data["country"],
            kind=data["kind"],
            website=data["website"],
            city=data["city"],
            description=data["description"],
            language=reading_language(),
        )
        self.request.session[REGISTERED_EMAIL] = buyer.partner.contact_email
        return redirect("public:buyer-registered")


class BuyerRegisteredPage(PublicPage):
    template_name = "trade/buyers/registered.html"
    title = _("Check your e-mail")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.session.get(REGISTERED_EMAIL, "")
        return context
