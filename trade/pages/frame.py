"""The buyer's desk: the pages a buyer organisation's people work in, under /desk/ (the partner
desk frame, agri_platform/portal/desk.py). `BuyerPage.buyer` is their organisation; a partner of
another kind gets a 403 page."""

from django.shortcuts import render

from agri_platform.portal.desk import DeskPage

from ..selectors.buyers import buyer_of


class BuyerPage(DeskPage):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.buyer = buyer_of(request.user)
        if self.buyer is None:
            return render(request, "trade/not_a_buyer.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["buyer"] = self.buyer
        return context
