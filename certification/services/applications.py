"""The enterprise side of an application: create, edit its scope, submit, withdraw.

Each service locks the row it changes (`select_for_update`), checks the transition against the
workflow tables, stamps who and when, writes a timeline row and records the domain event in the
same transaction. The API views, the Django admin and the Celery tasks all call these.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import require_membership
from agri_platform.reference.choices import ExportCategory
from enterprises.models import Enterprise, Product, ProductionBase

from .. import facts
from ..choices import ApplicationDocumentKind
from ..models import Application, Certificate, Scheme
from ._common import lock_application, record_application, timeline
from .workflows import APPLICATION_WORKFLOW, EDIT_ACTION, A, S


def _resolve_scope(
    *,
    enterprise: Enterprise,
    scheme: Scheme,
    product_ids: Iterable[int],
    base_ids: Iterable[int],
) -> tuple[list[Product], list[ProductionBase]]:
    """Products and bases of `enterprise`; an id that is not theirs reads as unknown (400), with the
    same message whether it belongs to someone else or to nobody."""
    product_ids = sorted(set(product_ids))
    base_ids = sorted(set(base_ids))
    products = list(Product.objects.filter(enterprise=enterprise, pk__in=product_ids))
    unknown = sorted(set(product_ids) - {p.pk for p in products})
    if unknown:
        raise unknown_id("scope_products", unknown[0])
    bases = list(ProductionBase.objects.filter(enterprise=enterprise, pk__in=base_ids))
    unknown = sorted(set(base_ids) - {b.pk for b in bases})
    if unknown:
        raise unknown_id("scope_bases", unknown[0])
    if scheme.product_categories:
        outside = [p.pk for p in products if p.category not in scheme.product_categories]
        if outside:
            categories = _(", ").join(
                str(ExportCategory(category).label) for category in scheme.product_categories
            )
            raise ValidationFailed(
                ngettext(
                    "Product %(ids)s is outside the categories %(scheme)s applies to "
                    "(%(categories)s).",
                    "Products %(ids)s are outside the categories %(scheme)s applies to "
                    "(%(categories)s).",
                    len(outside),
                )
                % {
                    "ids": ", ".join(map(str, outside)),
                    "scheme": scheme.code,
                    "categories": categories,
                },
                field="scope_products",
            )
    return products, bases


@transaction.atomic
def application_create(
    *,
    actor,
    enterprise: Enterprise,
    scheme: Scheme,
    product_ids: Iterable[int] = (),
    base_ids: Iterable[int] = (),
    scope_note: str = "",
    renewal_of: Certificate | None = None,
) -> Application:
    require_membership(actor, enterprise.pk)
    if not scheme.is_active:
        raise ValidationFailed(
            _("The scheme %(scheme)s is not open for applications.") % {"scheme": scheme.code},
            field="scheme",
        )
    products, bases = _resolve_scope(
        enterprise=enterprise, scheme=scheme, product_ids=product_ids, base_ids=base_ids
    )
    application = Application.objects.create(
        enterprise=enterprise,
        scheme=scheme,
        scope_note=scope_note,
        created_by=actor,
        renewal_of=renewal_of,
    )
    application.scope_products.set(products)
    application.scope_bases.set(bases)
    comment = (
        _("Renewal of certificate %(number)s") % {"number": renewal_of.number} if renewal_of else ""
    )
    timeline(application, action=A.CREATE, actor=actor, to_status=S.DRAFT, comment=comment)
    facts.queue_application_refresh(application.pk)
    return application


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    product_ids: Iterable[int] | None = None,
    base_ids: Iterable[int] | None = None,
    scope_note: str | None = None,
) -> Application:
    application = lock_application(application)
    APPLICATION_WORKFLOW.check(EDIT_ACTION, actor=actor, obj=application)
    products, bases = _resolve_scope(
        enterprise=application.enterprise,
        scheme=application.scheme,
        product_ids=product_ids
        if product_ids is not None
        else application.scope_products.values_list("pk", flat=True),
        base_ids=base_ids
        if base_ids is not None
        else application.scope_bases.values_list("pk", flat=True),
    )
    if product_ids is not None:
        application.scope_products.set(products)
    if base_ids is not None:
        application.scope_bases.set(bases)
    if scope_note is not None:
        application.scope_note = scope_note
    application.save(update_fields=["scope_note", "updated_at"])
    return application


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    application = lock_application(application)
    from_status = application.status
    to_status = APPLICATION_WORKFLOW.check(A.SUBMIT, actor=actor, obj=application)
    present = set(application.documents.values_list("kind", flat=True))
    missing = [kind for kind in application.scheme.required_documents if kind not in present]
    if missing:
        names = _(", ").join(str(ApplicationDocumentKind(kind).label) for kind in missing)
        raise ValidationFailed(
            ngettext(
                "A document required by %(scheme)s is missing: %(documents)s.",
                "Documents required by %(scheme)s are missing: %(documents)s.",
                len(missing),
            )
            % {"scheme": application.scheme.code, "documents": names},
            field="documents",
            code="documents_missing",
            missing_documents=missing,
        )
    if not application.scope_products.exists() and not application.scope_bases.exists():
        raise ValidationFailed(
            _("Name at least one product or production base in the scope."),
            field="scope_products",
        )
    now = timezone.now()
    resubmission = from_status == S.CHANGES_REQUESTED
    application.status = to_status
    application.submitted_at = application.submitted_at or now
    application.last_submitted_at = now
    application.sla_due_at = now + timedelta(days=application.scheme.review_sla_days)
    application.save(
        update_fields=["status", "submitted_at", "last_submitted_at", "sla_due_at", "updated_at"]
    )
    timeline(
        application,
        action=A.RESUBMIT if resubmission else A.SUBMIT,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
    )
    record_application(
        "resubmitted" if resubmission else "submitted",
        application,
        actor,
        sla_due_at=application.sla_due_at.isoformat(),
    )
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, comment: str = "") -> Application:
    application = lock_application(application)
    from_status = application.status
    APPLICATION_WORKFLOW.apply(A.WITHDRAW, actor=actor, obj=application)
    application.save(update_fields=["status", "updated_at"])
    timeline(
        application,
        action=A.WITHDRAW,
        actor=actor,
        from_status=from_status,
        to_status=application.status,
        comment=comment,
    )
    record_application("withdrawn", application, actor)
    return application
