"""The buyer's organisation on its desk: the profile exporters read, its verification, and the
form that changes what the buyer may change (kind, city, website, about)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import PortalFormView

from ..forms_buyers import BuyerProfileForm
from ..services import buyers as services
from .frame import BuyerPage


class BuyerProfileDesk(PortalFormView, BuyerPage):
    template_name = "trade/buyers/profile.html"
    section = "desk:buyer-profile"
    title = _("Your organisation")
    form_class = BuyerProfileForm
    submit_label = _("Save the profile")
    success_message = _("Your organisation's profile is saved.")

    def get_initial(self):
        return {name: getattr(self.buyer, name) for name in services.PROFILE_FIELDS}

    def perform(self, form):
        form.call(
            services.buyer_profile_update,
            actor=self.request.user,
            buyer=self.buyer,
            **form.cleaned_data,
        )
        return reverse("desk:buyer-profile")
