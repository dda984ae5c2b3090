"""Helpers the use-case modules share: staff checks, row locks, timeline entries, domain events."""

from django.utils.translation import gettext as _

from agri_platform.accounts.choices import StaffRole
from agri_platform.api.errors import PermissionDenied
from agri_platform.events import services as events

from .. import facts
from ..models import Application, Certificate, TimelineEntry


def require_staff(user, roles: tuple[str, ...]) -> None:
    if not user.has_staff_role(*roles):
        names = _(" or ").join(str(StaffRole(role).label) for role in roles)
        raise PermissionDenied(
            _("Only platform staff with the role %(roles)s may do this.") % {"roles": names},
            code="staff_role_required",
        )


def lock_application(application: Application | int) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    return Application.objects.select_for_update().select_related("scheme", "enterprise").get(pk=pk)


def timeline(
    application: Application,
    *,
    action: str,
    actor,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    internal: bool = False,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        application=application,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        internal=internal,
    )


def routed_partners(scheme) -> list:
    """The certification body a scheme's applications and certificates are routed to, if any."""
    body = scheme.certification_body
    return [body] if body is not None else []


def _application_payload(application: Application, **extra) -> dict:
    return {
        "application_id": application.pk,
        "enterprise_id": application.enterprise_id,
        "scheme": application.scheme.code,
        "status": application.status,
        **extra,
    }


def record_application(kind: str, application: Application, actor, **extra) -> None:
    events.record(
        f"certification.application.{kind}",
        payload=_application_payload(application, **extra),
        enterprise=application.enterprise,
        actor=actor,
        subject=application,
        partners=routed_partners(application.scheme),
    )
    facts.queue_application_refresh(application.pk)


def record_certificate(kind: str, certificate: Certificate, actor, **extra) -> None:
    events.record(
        f"certificate.{kind}",
        payload={
            "certificate_id": certificate.pk,
            "number": certificate.number,
            "enterprise_id": certificate.enterprise_id,
            "scheme": certificate.scheme.code,
            "status": certificate.status,
            "issue_date": certificate.issue_date.isoformat(),
            "expiry_date": certificate.expiry_date.isoformat(),
            **extra,
        },
        enterprise=certificate.enterprise,
        actor=actor,
        subject=certificate,
        partners=routed_partners(certificate.scheme),
    )
    facts.queue_certificate_refresh(certificate.pk)
