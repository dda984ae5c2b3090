"""The public catalogue: listed products of verified exporters, their seasons against the northern
provinces, the certificates they hold and their readiness for a buyer's market.

`catalogue_products` is a QuerySet when no market is asked for; with a market it is a list, the
products whose readiness for that market is complete first (each carrying `.readiness`).
`with_catalogue_facts` adds what a card or an answer shows (`.calendar`, `.certificates_held`) to a
page of products in a constant number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import ValidationFailed
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, SupplySeason
from agri_platform.reference.selectors import supply_season_for
from certification.models import MarketRequirement, Scheme
from certification.readiness import ReadinessInputs, check_readiness
from certification.selectors import valid_certificates
from enterprises import markets
from enterprises.choices import VerificationStatus
from enterprises.models import Product

from .lists import holding

MONTHS = range(1, 13)


@dataclass(frozen=True)
class MonthCell:
    """One month of a product's calendar: offered then, and off-season against the northern
    provinces' main supply of its group (offered while they are not)."""

    month: int
    available: bool
    off_season: bool


@dataclass(frozen=True)
class MarketReadiness:
    """Whether a product meets the certificate requirements of a market today. Shipment documents
    are listed apart: every shipment brings its own, so they do not make a product unready."""

    market: str
    ready: bool
    held: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def _catalogue() -> QuerySet[Product]:
    certificates = (
        valid_certificates()
        .select_related("scheme")
        .prefetch_related("scope_products")
        .order_by("scheme__code", "number")
    )
    return (
        Product.objects.filter(
            listed_in_catalogue=True, enterprise__status=VerificationStatus.VERIFIED
        )
        .select_related("enterprise", "hs_code")
        .prefetch_related(
            Prefetch(
                "enterprise__certificates", queryset=certificates, to_attr="valid_certificates"
            )
        )
        .order_by("name_en", "name_zh", "pk")
    )


def _check_month(month) -> int | None:
    if month in (None, ""):
        return None
    if isinstance(month, bool) or str(month).strip() not in {str(m) for m in MONTHS}:
        raise ValidationFailed(_("Give a month number 1–12."), field="month")
    return int(month)


def _with_month(products: QuerySet[Product], month: int) -> QuerySet[Product]:
    return holding(products, "harvest_months", month)


def _with_certificate(products: QuerySet[Product], code: str) -> QuerySet[Product]:
    scheme = Scheme.objects.filter(code__iexact=code).first()
    if scheme is None:
        raise ValidationFailed(
            _("“%(code)s” is not a certification scheme the platform knows.") % {"code": code},
            field="certificate",
        )
    held = valid_certificates().filter(scheme=scheme)
    # a certificate naming products covers those only; one naming none covers all the holder's
    return products.filter(
        Q(enterprise__in=held.filter(scope_products__isnull=True).values("enterprise_id"))
        | Q(pk__in=held.values("scope_products"))
    )


def _search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    return products.filter(
        Q(name_zh__icontains=text)
        | Q(name_en__icontains=text)
        | Q(variety__icontains=text)
        | Q(enterprise__name_zh__icontains=text)
        | Q(enterprise__name_en__icontains=text)
    )


def market_country(code: str) -> Country | None:
    """The destination market a buyer named (ISO alpha-2), None when none; unknown → 400."""
    code = (code or "").strip().upper()
    if not code:
        return None
    well_formed = len(code) == 2 and code.isascii() and code.isalpha()
    country = Country.objects.filter(code=code).first() if well_formed else None
    if country is None:
        raise ValidationFailed(
            _("“%(code)s” is not a country code the platform knows (ISO 3166-1 alpha-2).")
            % {"code": code},
            field="market",
        )
    return country


def catalogue_products(
    *,
    category: str = "",
    month: int | None = None,
    certificate: str = "",
    market: str = "",
    search: str = "",
) -> QuerySet[Product] | list[Product]:
    """Listed products of verified enterprises, filtered. A filter value that is not one the
    catalogue knows is a 400 naming it. With a market, a list: ready products first."""
    products = _catalogue()
    if category:
        if category not in ExportCategory.values:
            raise ValidationFailed(
                _("Category must be one of %(categories)s.")
                % {"categories": ", ".join(ExportCategory.values)},
                field="category",
            )
        products = products.filter(category=category)
    month = _check_month(month)
    if month is not None:
        products = _with_month(products, month)
    if certificate.strip():
        products = _with_certificate(products, certificate.strip())
    if search.strip():
        products = _search(products, search.strip())
    country = market_country(market)
    if country is None:
        return products
    return ready_first(products, country)


def ready_first(products, country: Country) -> list[Product]:
    """The products, each with `.readiness` for `country`, ready ones first (otherwise in the
    order given)."""
    products = list(products)
    attach_readiness(products, country)
    return sorted(products, key=lambda product: not product.readiness.ready)


def attach_readiness(products: list[Product], country: Country) -> None:
    """Sets `.readiness` (a MarketReadiness for `country`) on each product. The requirements are
    read once; certificates come from the products' prefetched `valid_certificates`."""
    requirements = list(MarketRequirement.objects.filter(is_active=True).select_related("scheme"))
    today = timezone.localdate()
    for product in products:
        certificates = getattr(product.enterprise, "valid_certificates", None)
        if certificates is None:
            certificates = list(
                valid_certificates()
                .filter(enterprise=product.enterprise)
                .prefetch_related("scope_products")
            )
        checks = check_readiness(
            enterprise=product.enterprise,
            products=[product],
            destination=country,
            on_date=today,
            documents_on_hand=None,
            inputs=ReadinessInputs(requirements=requirements, certificates=certificates),
        )
        schemes = [check for check in checks if check.kind == "scheme"]
        product.readiness = MarketReadiness(
            market=country.code,
            ready=not any(check.blocks_dispatch for check in schemes),
            held=[check.name for check in schemes if check.is_met],
            missing=[check.name for check in schemes if not check.is_met],
            documents=[check.name for check in checks if check.kind == "document"],
        )


def markets_served(enterprise) -> list[dict]:
    """The countries the exporter shipped to through the platform (most shipments first), then
    the export markets it declares but has not shipped to here yet (0 shipments)."""
    served = markets.served_by(enterprise.pk)
    shipped = {market["country"] for market in served}
    declared = enterprise.export_markets.exclude(code__in=shipped).values_list("code", flat=True)
    return [*served, *({"country": code, "shipments": 0} for code in declared)]


def catalogue_product(pk) -> Product:
    """One product of the catalogue: 404 unless listed and its enterprise verified."""
    return get_object_or_404(_catalogue(), pk=pk)


def _certificates_held(product: Product) -> list:
    """The enterprise's certificates in force that cover this product (scope empty or naming it)."""
    held = []
    for certificate in getattr(product.enterprise, "valid_certificates", []):
        scope = {p.pk for p in certificate.scope_products.all()}
        if not scope or product.pk in scope:
            held.append(certificate)
    return held


def product_calendar(
    product: Product, seasons: list[SupplySeason] | None = None
) -> list[MonthCell]:
    """Twelve months: when the product is offered, and which of those months the northern
    provinces do not supply its group (off-season). Without a season for its group no month is
    off-season. `seasons`: the rows already read, for many products."""
    season = supply_season_for(product.hs_code_id or "", product.category, seasons)
    northern = set(season.months) if season else set(MONTHS)
    offered = set(product.harvest_months or [])
    return [
        MonthCell(month=month, available=month in offered, off_season=month in offered - northern)
        for month in MONTHS
    ]


def with_catalogue_facts(products) -> list[Product]:
    """Sets `.calendar`, `.season` and `.certificates_held` on each product (a page of the list
    or one product): the seasons are read once."""
    products = list(products)
    seasons = list(SupplySeason.objects.all())
    for product in products:
        product.season = supply_season_for(product.hs_code_id or "", product.category, seasons)
        product.calendar = product_calendar(product, seasons)
        product.certificates_held = _certificates_held(product)
    return products
