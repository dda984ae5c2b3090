"""The portal's home page (journey 10): what needs the exporter's attention now, and the
enterprise's own export figures (the same selectors as the member overview of the API)."""

from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.views import EnterprisePage

from . import charts, labels
from .choices import GroupBy
from .selectors import windows
from .selectors.attention import attention_for
from .selectors.overview import own_exports
from .selectors.windows import Window

# The inquiries waiting for the exporter's answer (the home's card), named by its dotted path like
# the other apps' reads in selectors/attention.py, so that analytics does not import trade.
INQUIRIES_WAITING = "trade.selectors.inbox.waiting_count"


def monthly_chart(monthly: list[dict]):
    return charts.line_chart(
        [(row["key"], row["value_cny"], row["value_cny_prev"]) for row in monthly],
        title=gettext("Your export value by month (CNY): the last 12 months and a year before"),
    )


class HomePage(EnterprisePage):
    template_name = "analytics/portal/home.html"
    section = "home"
    title = _("Home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        window = Window.default(windows.today()).snapped()
        figures = own_exports([self.enterprise.pk], window)
        figures["by_category"] = labels.relabelled_rows(GroupBy.CATEGORY, figures["by_category"])
        attention = attention_for(self.request.user, self.enterprise)
        context.update(
            attention=attention,
            inquiries_waiting=import_string(INQUIRIES_WAITING)(self.request.user, self.enterprise),
            figures=figures,
            window=window,
            has_exports=figures["totals"]["shipments"] > 0 or figures["totals"]["value_cny_prev"],
            chart=monthly_chart(figures["monthly"]),
            breadcrumbs=[],
        )
        return context
