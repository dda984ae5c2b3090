"""Base classes every API view uses, so that shared rules cannot be forgotten by a subclass.

- The API-key scope check (HasRequiredScope) is always applied, even when a view sets its own
  `permission_classes`.
- Querysets come from `get_queryset()`, which each view implements with a tenant-scoped selector
  (see agri_platform/api/tenancy.py); the route-walking isolation test checks the result.
"""

from rest_framework import generics, mixins, viewsets
from rest_framework.views import APIView

from .permissions import HasRequiredScope


class ScopeCheckedMixin:
    def get_permissions(self):
        permissions = super().get_permissions()
        if not any(isinstance(permission, HasRequiredScope) for permission in permissions):
            permissions.append(HasRequiredScope())
        return permissions


class ApiView(ScopeCheckedMixin, APIView):
    pass


class ApiGenericView(ScopeCheckedMixin, generics.GenericAPIView):
    pass


class ApiViewSet(ScopeCheckedMixin, viewsets.GenericViewSet):
    pass


class ApiReadOnlyViewSet(ScopeCheckedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ApiModelViewSet(ScopeCheckedMixin, viewsets.ModelViewSet):
    """Create, read, update, delete. Subclasses usually route writes through services."""


__all__ = [
    "ApiGenericView",
    "ApiModelViewSet",
    "ApiReadOnlyViewSet",
    "ApiView",
    "ApiViewSet",
    "mixins",
]
