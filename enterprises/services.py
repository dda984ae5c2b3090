"""State changes for enterprises. Later services call `require_verified` before acting."""

from agri_platform.api.errors import PermissionDenied

from .models import Enterprise


def require_verified(enterprise: Enterprise) -> None:
    """The single gate for 'only a verified enterprise may do this' (apply, book, finance)."""
    if not enterprise.is_verified:
        raise PermissionDenied(
            f"The enterprise must be verified first (current status: {enterprise.status}).",
            code="enterprise_not_verified",
            enterprise_status=enterprise.status,
        )
