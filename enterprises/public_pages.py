"""The public exporter profiles (no login): the list of verified exporters and one exporter's
profile. Both read the public directory's selector, so they show what the API's directory
shows (/api/v1/directory/) and nothing of an enterprise that is not verified."""

from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.public import PublicPage
from agri_platform.portal.views import paginate
from agri_platform.reference import l10n
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Prefecture

from . import markets, selectors
from .choices import Month
from .filters import DirectoryFilter


class ExporterSearchForm(forms.Form):
    """The list's filter bar, read from the query string (a filtered list is a link to share)."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    category = forms.ChoiceField(
        label=_("Product category"),
        required=False,
        choices=[("", _("All categories")), *ExportCategory.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prefectures = sorted(
            ((p.code, l10n.prefecture_name(p.code)) for p in Prefecture.objects.all()),
            key=lambda choice: choice[0],
        )
        self.fields["prefecture"].choices = [("", _("All prefectures")), *prefectures]


def verified_exporters(*, search: str = "", prefecture: str = "", category: str = ""):
    """The directory's exporters, as the API filters them (prefecture, category), with the
    name search of the page (either name, any case)."""
    wanted = {"prefecture": prefecture, "category": category}
    exporters = DirectoryFilter(wanted, queryset=selectors.directory()).qs
    if search:
        exporters = exporters.filter(Q(name_zh__icontains=search) | Q(name_en__icontains=search))
    return exporters.order_by("name_zh", "pk")


class ExporterListPage(PublicPage):
    template_name = "enterprises/public/exporters.html"
    title = _("Verified exporters")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ExporterSearchForm(self.request.GET)
        form.is_valid()  # a value that is not a choice is reported at its field and ignored
        wanted = {
            "search": form.cleaned_data.get("q", "").strip(),
            "prefecture": form.cleaned_data.get("prefecture", ""),
            "category": form.cleaned_data.get("category", ""),
        }
        page = paginate(self.request, verified_exporters(**wanted))
        context.update(
            form=form,
            page_obj=page,
            exporters=page.object_list,
            filtered=any(wanted.values()),
        )
        return context


def harvest_strip(product) -> list[dict]:
    """The twelve months of the year, each named and marked when the product is harvested."""
    harvested = set(product.harvest_months or [])
    return [{"label": month.label, "harvested": month.value in harvested} for month in Month]


class ExporterProfilePage(PublicPage):
    """A verified exporter's profile; any other enterprise is a 404 like an unknown id."""

    template_name = "enterprises/public/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = get_object_or_404(selectors.directory(), pk=self.kwargs["pk"])
        products = [
            {"product": product, "months": harvest_strip(product)}
            for product in enterprise.products.all()
        ]
        title = l10n.in_reading_language(enterprise.name_zh, enterprise.name_en)
        context.update(
            title=title,
            enterprise=enterprise,
            products=products,
            certificates=enterprise.valid_certificates,
            markets=markets.served_by(enterprise.pk),
            catalogue_query=urlencode({"q": enterprise.name_en or enterprise.name_zh}),
            categories=category_labels(enterprise.export_categories),
            breadcrumbs=[(_("Verified exporters"), reverse("public:exporters")), (title, None)],
        )
        return context


def category_labels(values) -> list[str]:
    """The export categories' names in the reader's language (a value no longer known is left out)."""
    labels = dict(ExportCategory.choices)
    return [labels[value] for value in values or [] if value in labels]
