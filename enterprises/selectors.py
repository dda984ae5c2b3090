from agri_platform.api.tenancy import scope_queryset

from .models import Enterprise, Product, ProductionBase


def enterprises_for(user):
    return scope_queryset(
        Enterprise.objects.select_related("prefecture"), user, enterprise_field=""
    )


def products_for(user):
    return scope_queryset(Product.objects.select_related("hs_code"), user)


def production_bases_for(user):
    return scope_queryset(ProductionBase.objects.select_related("prefecture"), user)
