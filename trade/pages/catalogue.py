"""The public catalogue: products of verified exporters, with seasons, certificates and markets.

Both pages read trade.selectors.catalogue, so they list what the API lists
(/api/v1/catalogue/products/) and nothing of an unlisted product or an unverified enterprise."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from agri_platform.api.errors import ValidationFailed
from agri_platform.portal.public import PublicPage
from agri_platform.portal.views import paginate
from agri_platform.reference import l10n
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country
from certification.models import Scheme
from enterprises.choices import Month

from ..selectors import catalogue as selectors


class CatalogueFilterForm(forms.Form):
    """The list's filter bar, read from the query string (a filtered list is a link to share)."""

    q = forms.CharField(label=_("Product or exporter"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ExportCategory.choices],
    )
    month = forms.TypedChoiceField(
        label=_("Available in"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any month")), *((m.value, m.label) for m in Month)],
    )
    certificate = forms.ChoiceField(label=_("Certificate held"), required=False)
    market = forms.ChoiceField(label=_("Destination market"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schemes = Scheme.objects.order_by("code").values_list("code", "name_en", "name_zh")
        self.fields["certificate"].choices = [
            ("", _("Any certificate")),
            *((code, l10n.in_reading_language(zh, en)) for code, en, zh in schemes),
        ]
        countries = sorted(
            (
                (code, l10n.country_name(code))
                for code in Country.objects.values_list("code", flat=True)
            ),
            key=lambda choice: choice[1],
        )
        self.fields["market"].choices = [("", _("Any market")), *countries]

    def wanted(self) -> dict:
        """The selector's filters from the valid fields (an invalid one is shown and ignored)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q", "").strip(),
            "category": data.get("category", ""),
            "month": data.get("month"),
            "certificate": data.get("certificate", ""),
            "market": data.get("market", ""),
        }


def month_cells(product) -> list[dict]:
    """The product's calendar with each month named, for the strip and its text alternative."""
    return [
        {
            "label": Month(cell.month).label,
            "available": cell.available,
            "off_season": cell.off_season,
        }
        for cell in product.calendar
    ]


def month_names(cells, key: str) -> str:
    separator = pgettext("list separator", ", ")
    return separator.join(str(cell["label"]) for cell in cells if cell[key])


def inquiry_url(product) -> str:
    """Where "Send an inquiry" goes: the buyer desk's new inquiry (sign-in first if needed)."""
    return f"{reverse('desk:inquiry-new')}?{urlencode({'product': product.pk})}"


class CataloguePage(PublicPage):
    template_name = "trade/catalogue/list.html"
    title = _("Catalogue of Sichuan products")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CatalogueFilterForm(self.request.GET)
        form.is_valid()
        wanted = form.wanted()
        try:
            products = selectors.catalogue_products(**wanted)
        except ValidationFailed as error:  # a scheme or market gone since the form was drawn
            form.add_error(error.field if error.field in form.fields else None, error.detail)
            products = selectors.catalogue_products()
        page = paginate(self.request, products)
        cards = [
            {
                "product": product,
                "months": month_cells(product),
                "off_season": any(cell.off_season for cell in product.calendar),
            }
            for product in selectors.with_catalogue_facts(page.object_list)
        ]
        context.update(
            form=form,
            page_obj=page,
            cards=cards,
            market=wanted["market"],
            filtered=any(value not in ("", None) for value in wanted.values()),
        )
        return context


class CatalogueProductPage(PublicPage):
    """One listed product; an unlisted one, or one of an enterprise not verified, is a 404."""

    template_name = "trade/catalogue/product.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = selectors.with_catalogue_facts([selectors.catalogue_product(self.kwargs["pk"])])[
            0
        ]
        market = self.market()
        if market is not None:
            selectors.attach_readiness([product], market)
        months = month_cells(product)
        title = l10n.in_reading_language(product.name_zh, product.name_en)
        context.update(
            title=title,
            product=product,
            months=months,
            available_months=month_names(months, "available"),
            off_season_months=month_names(months, "off_season"),
            season_months=pgettext("list separator", ", ").join(
                str(Month(month).label)
                for month in (product.season.months if product.season else [])
            ),
            market=market,
            markets_served=selectors.markets_served(product.enterprise),
            inquiry_url=inquiry_url(product),
            breadcrumbs=[(_("Catalogue"), reverse("public:catalogue")), (title, None)],
        )
        return context

    def market(self) -> Country | None:
        """The market the visitor came with (?market=MY); one the platform does not know is
        ignored here (the list reports it)."""
        try:
            return selectors.market_country(self.request.GET.get("market", ""))
        except ValidationFailed:
            return None
