"""The enterprise's production bases and the products they grow: create, update, delete."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from agri_platform.accounts.models import User
from agri_platform.api.errors import ValidationFailed
from agri_platform.api.serializers import unknown_id
from agri_platform.events.services import record
from agri_platform.reference.choices import ExportCategory, Incoterm, QuantityUnit
from agri_platform.reference.models import HSCode
from agri_platform.reference.selectors import cold_chain_profile_for, hs_code_lookup

from ..models import M2_PER_MU_DENOMINATOR, M2_PER_MU_NUMERATOR, Enterprise, Product, ProductionBase
from ._common import event_payload, require_member

TEMPERATURE_LIMITS = (Decimal("-60"), Decimal("60"))
# "%(limit)s" is the largest value either side of 0.
COORDINATE_MESSAGES = {
    "latitude": lambda: _("The latitude must be between -%(limit)s and %(limit)s."),
    "longitude": lambda: _("The longitude must be between -%(limit)s and %(limit)s."),
}


def _decimal(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("A number is required."), field=field) from exc


# --- production bases -----------------------------------------------------------------------------


def mu_to_m2(area_mu: Decimal) -> Decimal:
    return (area_mu * M2_PER_MU_NUMERATOR / M2_PER_MU_DENOMINATOR).quantize(Decimal("0.01"))


def _base_values(values: dict) -> dict:
    """Validate and convert production-base input (area in mu or m², ranges, signs)."""
    values = dict(values)
    area_m2 = _decimal(values.pop("area_m2", None), "area_m2") if "area_m2" in values else None
    area_mu = _decimal(values.pop("area_mu", None), "area_mu") if "area_mu" in values else None
    if area_m2 is not None and area_mu is not None:
        raise ValidationFailed(_("Give the area in m² or in mu, not both."), field="area_mu")
    for name, value in (("area_m2", area_m2), ("area_mu", area_mu)):
        if value is not None and value < 0:
            raise ValidationFailed(_("The area cannot be negative."), field=name, code="negative")
    if area_mu is not None:
        values["area_m2"] = mu_to_m2(area_mu)
    elif area_m2 is not None:
        values["area_m2"] = area_m2.quantize(Decimal("0.01"))
    if "annual_capacity_t" in values:
        capacity = _decimal(values["annual_capacity_t"], "annual_capacity_t")
        if capacity is not None and capacity < 0:
            raise ValidationFailed(
                _("The annual capacity cannot be negative."),
                field="annual_capacity_t",
                code="negative",
            )
        values["annual_capacity_t"] = capacity
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if name in values:
            value = _decimal(values[name], name)
            if value is not None and not -limit <= value <= limit:
                raise ValidationFailed(COORDINATE_MESSAGES[name]() % {"limit": limit}, field=name)
            values[name] = value
    return values


def _same_enterprise(objects, enterprise: Enterprise, field: str) -> list:
    """An object of another enterprise (even one the caller belongs to) answers like a missing id."""
    objects = list(objects or [])
    foreign = [obj.pk for obj in objects if obj.enterprise_id != enterprise.pk]
    if foreign:
        raise unknown_id(field, foreign[0])
    return objects


BASE_FIELDS = {
    "name",
    "kind",
    "prefecture",
    "county",
    "latitude",
    "longitude",
    "area_m2",
    "area_mu",
    "annual_capacity_t",
}


def production_base_create(
    *, enterprise: Enterprise, user: User, products: Iterable[Product] = (), **values
) -> ProductionBase:
    require_member(user, enterprise)
    unknown = set(values) - BASE_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    values = _base_values(values)
    products = _same_enterprise(products, enterprise, "products")
    with transaction.atomic():
        base = ProductionBase.objects.create(enterprise=enterprise, **values)
        base.products.set(products)
        record(
            "enterprise.production_base_added",
            payload=event_payload(enterprise, production_base_id=base.pk, name=base.name),
            enterprise=enterprise,
            actor=user,
            subject=base,
        )
    return base


def production_base_update(
    *, base: ProductionBase, user: User, products: Iterable[Product] | None = None, **values
) -> ProductionBase:
    require_member(user, base.enterprise)
    unknown = set(values) - BASE_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    values = _base_values(values)
    if products is not None:
        products = _same_enterprise(products, base.enterprise, "products")
    with transaction.atomic():
        locked = ProductionBase.objects.select_for_update().get(pk=base.pk)
        for name, value in values.items():
            setattr(locked, name, value)
        if values:
            locked.save(update_fields=[*values, "updated_at"])
        if products is not None:
            locked.products.set(products)
        record(
            "enterprise.production_base_updated",
            payload=event_payload(
                locked.enterprise, production_base_id=locked.pk, name=locked.name
            ),
            enterprise=locked.enterprise,
            actor=user,
            subject=locked,
        )
    return locked


def production_base_delete(*, base: ProductionBase, user: User) -> None:
    require_member(user, base.enterprise)
    with transaction.atomic():
        record(
            "enterprise.production_base_removed",
            payload=event_payload(base.enterprise, production_base_id=base.pk, name=base.name),
            enterprise=base.enterprise,
            actor=user,
            subject=base.enterprise,
        )
        base.delete()


# --- products -----------------------------------------------------------------------------------

PRODUCT_FIELDS = {
    "name_zh",
    "name_en",
    "variety",
    "category",
    "hs_code",
    "temp_min_c",
    "temp_max_c",
    "humidity_max_pct",
    "shelf_life_days",
    "harvest_months",
    "packaging",
    "min_order_quantity",
    "min_order_unit",
    "incoterms",
    "listed_in_catalogue",
}
MONTHS = range(1, 13)


def harvest_months(value) -> list[int]:
    """The months a product is harvested in, as sorted unique numbers 1–12 (empty: not given)."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationFailed(
            _("Give the harvest months as a list of month numbers 1–12."), field="harvest_months"
        )
    months = set()
    for month in value:
        if isinstance(month, bool) or not isinstance(month, int) or month not in MONTHS:
            raise ValidationFailed(
                _("“%(month)s” is not a month: give month numbers 1–12.") % {"month": month},
                field="harvest_months",
                code="invalid_month",
            )
        months.add(month)
    return sorted(months)


def incoterms(value) -> list[str]:
    """The Incoterms a product is offered on, as unique codes in the order Incoterms 2020 lists
    them (empty: not given)."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationFailed(
            _("Give the Incoterms as a list of codes, e.g. FOB, CIF."), field="incoterms"
        )
    codes = set()
    for code in value:
        if not isinstance(code, str) or code.upper() not in Incoterm.values:
            raise ValidationFailed(
                _("“%(code)s” is not an Incoterm: give one of %(codes)s.")
                % {"code": code, "codes": ", ".join(Incoterm.values)},
                field="incoterms",
                code="invalid_incoterm",
            )
        codes.add(code.upper())
    return [code for code in Incoterm.values if code in codes]


def _check_minimum_order(quantity, unit) -> None:
    """A minimum order is a quantity above zero with its unit, or nothing at all."""
    if quantity is not None and quantity <= 0:
        raise ValidationFailed(
            _("The minimum order must be above zero."), field="min_order_quantity"
        )
    if unit and unit not in QuantityUnit.values:
        raise ValidationFailed(
            _("The unit must be one of %(units)s.") % {"units": ", ".join(QuantityUnit.values)},
            field="min_order_unit",
        )
    if quantity is not None and not unit:
        raise ValidationFailed(_("Give the unit of the minimum order."), field="min_order_unit")
    if unit and quantity is None:
        raise ValidationFailed(
            _("Give the quantity of the minimum order."), field="min_order_quantity"
        )


def _resolve_hs_code(value) -> HSCode:
    if isinstance(value, HSCode):
        return value
    found = hs_code_lookup(str(value or ""))
    if found is None:
        raise ValidationFailed(
            _("HS code “%(code)s” is not in the reference list (see reference/hs-codes/).")
            % {"code": value},
            field="hs_code",
            code="unknown_hs_code",
        )
    return found


def _band(values: dict, current: Product | None, hs_code: HSCode) -> dict:
    """Work out temp_min_c, temp_max_c, humidity_max_pct and the profile the band came from."""
    given = {
        name: _decimal(values[name], name)
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct")
        if name in values
    }
    band = {
        name: given.get(name, getattr(current, name) if current else None)
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct")
    }
    profile = current.cold_chain_profile if current else None
    if current is None and band["temp_min_c"] is None and band["temp_max_c"] is None:
        profile = cold_chain_profile_for(hs_code.code)
        if profile is not None:
            band["temp_min_c"] = profile.temp_min_c
            band["temp_max_c"] = profile.temp_max_c
            if band["humidity_max_pct"] is None:
                band["humidity_max_pct"] = profile.humidity_max_pct
    elif {"temp_min_c", "temp_max_c"} & set(given):
        profile = None  # a band of the enterprise's own
    low, high = band["temp_min_c"], band["temp_max_c"]
    if (low is None) != (high is None):
        missing = "temp_max_c" if high is None else "temp_min_c"
        raise ValidationFailed(
            _("Give both ends of the storage band (or neither, to take the product family's)."),
            field=missing,
        )
    for name in ("temp_min_c", "temp_max_c"):
        value = band[name]
        if value is not None and not TEMPERATURE_LIMITS[0] <= value <= TEMPERATURE_LIMITS[1]:
            raise ValidationFailed(
                _("Storage temperatures lie between %(low)s and %(high)s °C.")
                % {"low": TEMPERATURE_LIMITS[0], "high": TEMPERATURE_LIMITS[1]},
                field=name,
            )
    if low is not None and low >= high:
        raise ValidationFailed(
            _(
                "The band is inverted: the minimum temperature (%(low)s °C) must be below the "
                "maximum (%(high)s °C)."
            )
            % {"low": low, "high": high},
            field="temp_min_c",
            code="inverted_band",
        )
    humidity = band["humidity_max_pct"]
    if humidity is not None and not 0 < humidity <= 100:
        raise ValidationFailed(
            _("The humidity limit is a percentage above 0 and at most 100."),
            field="humidity_max_pct",
        )
    band["cold_chain_profile"] = profile
    return band


def product_create(
    *,
    enterprise: Enterprise,
    user: User,
    production_bases: Iterable[ProductionBase] = (),
    **values,
) -> Product:
    require_member(user, enterprise)
    unknown = set(values) - PRODUCT_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if values.get("category") not in ExportCategory.values:
        raise ValidationFailed(
            _("Category must be one of %(categories)s.")
            % {"categories": ", ".join(ExportCategory.values)},
            field="category",
        )
    hs_code = _resolve_hs_code(values.pop("hs_code", None))
    values["harvest_months"] = harvest_months(values.get("harvest_months"))
    values["incoterms"] = incoterms(values.get("incoterms"))
    values["min_order_unit"] = values.get("min_order_unit") or ""
    _check_minimum_order(values.get("min_order_quantity"), values["min_order_unit"])
    band = _band(values, None, hs_code)
    for name in ("temp_min_c", "temp_max_c", "humidity_max_pct"):
        values.pop(name, None)
    bases = _same_enterprise(production_bases, enterprise, "production_bases")
    with transaction.atomic():
        product = Product.objects.create(enterprise=enterprise, hs_code=hs_code, **values, **band)
        for base in bases:
            base.products.add(product)
        record(
            "enterprise.product_added",
            payload=event_payload(
                enterprise,
                product_id=product.pk,
                product_name_zh=product.name_zh,
                hs_code=hs_code.code,
            ),
            enterprise=enterprise,
            actor=user,
            subject=product,
        )
    return product


def product_update(
    *,
    product: Product,
    user: User,
    production_bases: Iterable[ProductionBase] | None = None,
    **values,
) -> Product:
    require_member(user, product.enterprise)
    unknown = set(values) - PRODUCT_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if "category" in values and values["category"] not in ExportCategory.values:
        raise ValidationFailed(
            _("Category must be one of %(categories)s.")
            % {"categories": ", ".join(ExportCategory.values)},
            field="category",
        )
    if production_bases is not None:
        production_bases = _same_enterprise(
            production_bases, product.enterprise, "production_bases"
        )
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if "hs_code" in values:
            values["hs_code"] = _resolve_hs_code(values["hs_code"])
        if "harvest_months" in values:
            values["harvest_months"] = harvest_months(values["harvest_months"])
        if "incoterms" in values:
            values["incoterms"] = incoterms(values["incoterms"])
        if "min_order_unit" in values:
            values["min_order_unit"] = values["min_order_unit"] or ""
        _check_minimum_order(
            values.get("min_order_quantity", locked.min_order_quantity),
            values.get("min_order_unit", locked.min_order_unit),
        )
        band = _band(values, locked, values.get("hs_code", locked.hs_code))
        for name in ("temp_min_c", "temp_max_c", "humidity_max_pct"):
            values.pop(name, None)
        changes = {**values, **band}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
        if production_bases is not None:
            locked.production_bases.set(production_bases)
        record(
            "enterprise.product_updated",
            payload=event_payload(locked.enterprise, product_id=locked.pk),
            enterprise=locked.enterprise,
            actor=user,
            subject=locked,
        )
    return locked


def product_delete(*, product: Product, user: User) -> None:
    require_member(user, product.enterprise)
    with transaction.atomic():
        record(
            "enterprise.product_removed",
            payload=event_payload(product.enterprise, product_id=product.pk),
            enterprise=product.enterprise,
            actor=user,
            subject=product.enterprise,
        )
        product.delete()
