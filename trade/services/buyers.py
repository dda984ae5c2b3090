"""Every state change of buyer accounts: registration, the staff's verification, the profile, and
whether a buyer may send an inquiry now (`buyer_may_send`, called by the inquiries' services)."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agri_platform.accounts import services as accounts
from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import Partner, User
from agri_platform.api.errors import Conflict, PermissionDenied, ValidationFailed
from agri_platform.events import services as events
from agri_platform.reference.models import Country

from ..choices import BuyerKind, BuyerStatus, InquiryStatus
from ..models import Buyer, Inquiry
from ..selectors.buyers import buyer_of
from ..workflows_buyers import BUYER_WORKFLOW, require_buyer_reviewer

OPEN_INQUIRY_STATUSES = (InquiryStatus.SENT, InquiryStatus.QUOTED)
PROFILE_FIELDS = ("kind", "website", "city", "description")
MAX_REASON_LENGTH = 4_000
MAX_DESCRIPTION_LENGTH = 4_000


def _payload(buyer: Buyer, **extra) -> dict:
    return {
        "buyer_id": buyer.pk,
        "partner_id": buyer.partner_id,
        "name": buyer.partner.name,
        "country": buyer.partner.country,
        "buyer_kind": buyer.kind,
        "status": buyer.status,
        **extra,
    }


def _record(kind: str, buyer: Buyer, *, actor, **extra) -> None:
    events.record(
        kind, payload=_payload(buyer, **extra), actor=actor, subject=buyer, partners=[buyer.partner]
    )


def _check_kind(kind: str) -> None:
    if kind not in BuyerKind.values:
        raise ValidationFailed(_("Choose what kind of buyer you are."), field="kind")


def _check_country(country: str) -> str:
    code = (country or "").strip().upper()
    if not Country.objects.filter(code=code).exists():
        raise ValidationFailed(_("Choose a country from the list."), field="country")
    return code


def _check_password(password: str, *, email: str, full_name: str) -> None:
    try:
        password_validation.validate_password(password, user=User(email=email, full_name=full_name))
    except DjangoValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), code="weak_password", field="password"
        ) from exc


def buyer_register(
    *,
    email: str,
    password: str,
    full_name: str,
    company: str,
    country: str,
    kind: str,
    website: str = "",
    city: str = "",
    description: str = "",
    language: str = "",
) -> Buyer:
    """A buyer organisation signs up: its first person (e-mail not yet confirmed: the confirmation
    link goes out as for any sign-up), the partner of kind buyer named after the company and the
    buyer profile, pending until staff verify it."""
    company = company.strip()
    if not company:
        raise ValidationFailed(_("Enter the name of your company."), field="company")
    _check_kind(kind)
    country = _check_country(country)
    email = email.strip().lower()
    _check_password(password, email=email, full_name=full_name)
    with transaction.atomic():
        if Partner.objects.filter(name__iexact=company).exists():
            raise Conflict(
                _("An organisation with this name is already registered."),
                code="company_taken",
                field="company",
            )
        partner = Partner.objects.create(
            name=company, kind=PartnerKind.BUYER, country=country, contact_email=email
        )
        user = accounts.sign_up(
            email=email, password=password, full_name=full_name, language=language, partner=partner
        )
        buyer = Buyer.objects.create(
            partner=partner,
            kind=kind,
            website=website,
            city=city,
            description=description,
            created_by=user,
        )
        _record("buyer.registered", buyer, actor=user)
    return buyer


def _lock(buyer: Buyer) -> Buyer:
    return Buyer.objects.select_for_update(of=("self",)).select_related("partner").get(pk=buyer.pk)


def _check_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationFailed(_("Say why, for the buyer to read."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            _("At most %(limit)d characters (this one has %(length)d).")
            % {"limit": MAX_REASON_LENGTH, "length": len(reason)},
            field="reason",
        )
    return reason


def _transition(action: str, event_kind: str, *, actor, buyer: Buyer, reason: str | None) -> Buyer:
    with transaction.atomic():
        buyer = _lock(buyer)
        BUYER_WORKFLOW.apply(action, actor=actor, obj=buyer)
        buyer.status_reason = reason or ""
        buyer.status_changed_at = timezone.now()
        buyer.status_changed_by = actor
        buyer.save(
            update_fields=[
                "status",
                "status_reason",
                "status_changed_at",
                "status_changed_by",
                "updated_at",
            ]
        )
        extra = {"reason": reason} if reason is not None else {}
        _record(event_kind, buyer, actor=actor, **extra)
    return buyer


def buyer_verify(*, actor, buyer: Buyer) -> Buyer:
    """Staff checked the buyer (website, company registers): its inquiries show it verified and
    the cap on open inquiries ends."""
    return _transition("verify", "buyer.verified", actor=actor, buyer=buyer, reason=None)


def buyer_reject(*, actor, buyer: Buyer, reason: str) -> Buyer:
    reason = _check_reason(reason, required=True)
    return _transition("reject", "buyer.rejected", actor=actor, buyer=buyer, reason=reason)


def buyer_suspend(*, actor, buyer: Buyer, reason: str) -> Buyer:
    reason = _check_reason(reason, required=True)
    return _transition("suspend", "buyer.suspended", actor=actor, buyer=buyer, reason=reason)


def buyer_reinstate(*, actor, buyer: Buyer) -> Buyer:
    """The suspension ends: the buyer is verified again (the event says so: `buyer.verified`)."""
    return _transition("reinstate", "buyer.verified", actor=actor, buyer=buyer, reason=None)


def _require_buyer_or_reviewer(actor, buyer: Buyer) -> None:
    own = buyer_of(actor)
    if own is not None and own.pk == buyer.pk:
        return
    require_buyer_reviewer(actor)


def buyer_profile_update(*, actor, buyer: Buyer, **fields) -> Buyer:
    """The buyer's people (or staff) change kind, website, city and the description; the company
    name and country are what staff verified and stay."""
    _require_buyer_or_reviewer(actor, buyer)
    changed = [name for name in PROFILE_FIELDS if name in fields]
    if "kind" in changed:
        _check_kind(fields["kind"])
    with transaction.atomic():
        buyer = _lock(buyer)
        for name in changed:
            setattr(buyer, name, fields[name])
        if changed:
            buyer.save(update_fields=[*changed, "updated_at"])
    return buyer


def pending_cap() -> int:
    return settings.TRADE_PENDING_BUYER_OPEN_INQUIRIES


def open_inquiries(buyer: Buyer) -> int:
    return Inquiry.objects.filter(buyer=buyer, status__in=OPEN_INQUIRY_STATUSES).count()


def buyer_may_send(buyer: Buyer) -> None:
    """Raise the refusal when `buyer` may not send an inquiry now: a rejected or suspended buyer
    never (403), a pending one while it has `TRADE_PENDING_BUYER_OPEN_INQUIRIES` open inquiries
    (409: one is answered or withdrawn, or staff verify the buyer)."""
    if buyer.status == BuyerStatus.REJECTED:
        raise PermissionDenied(
            _("Your buyer account was not verified, so it cannot send inquiries."),
            code="buyer_rejected",
        )
    if buyer.status == BuyerStatus.SUSPENDED:
        raise PermissionDenied(
            _("Your buyer account is suspended, so it cannot send inquiries."),
            code="buyer_suspended",
        )
    if buyer.status == BuyerStatus.PENDING:
        cap = pending_cap()
        if open_inquiries(buyer) >= cap:
            raise Conflict(
                ngettext(
                    "Until we verify your account you may have %(cap)d open inquiry; wait for "
                    "an answer or withdraw it.",
                    "Until we verify your account you may have %(cap)d open inquiries; wait for "
                    "answers or withdraw one.",
                    cap,
                )
                % {"cap": cap},
                code="pending_buyer_limit",
                limit=cap,
            )
