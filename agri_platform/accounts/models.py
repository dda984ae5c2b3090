import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.timezone import now  # `timezone` is a User field in the class below
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Language, MembershipRole, PartnerKind, StaffRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError(_("An e-mail address is required."))
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("staff_role", StaffRole.PLATFORM_ADMIN)
        return self._create_user(email, password, **extra)


def validate_time_zone(value: str) -> None:
    """An IANA time zone name that this system's zone database knows, e.g. Asia/Shanghai."""
    if value in ("", None):
        return
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone name such as Asia/Shanghai or Europe/London."),
            code="invalid_time_zone",
            params={"value": value},
        ) from exc


class User(AbstractBaseUser, PermissionsMixin):
    """A person (enterprise member, staff, partner user) or a partner's service account."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Blank: the person never chose; the request's language applies (accounts/language.py).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        default="",
        help_text=_("The language the platform speaks to this person; blank until they choose."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        default="",
        validators=[validate_time_zone],
        help_text=_(
            "IANA name such as Asia/Shanghai, for times on pages and in e-mails; blank until "
            "they choose."
        ),
    )
    staff_role = models.CharField(
        _("staff role"), max_length=20, choices=StaffRole.choices, blank=True
    )
    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Set for users who act for a partner organisation."),
    )
    is_service_account = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_("The identity a partner's API keys act as; cannot log in."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin access"), default=False, help_text=_("May log into the Django admin.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=now)
    email_confirmed_at = models.DateTimeField(
        _("e-mail confirmed at"),
        null=True,
        blank=True,
        help_text=_(
            "When the person confirmed their e-mail address; needed to register an enterprise."
        ),
    )
    signed_out_everywhere_at = models.DateTimeField(
        _("signed out everywhere at"),
        null=True,
        blank=True,
        help_text=_("Browser sessions started before this moment are no longer valid."),
    )

    objects = UserManager()
    # Who changed a role, a partner link or an activation, and when. Password hashes and login
    # stamps stay out of the history table.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_role="") | Q(partner__isnull=True),
                name="user_staff_or_partner_not_both",
                violation_error_message=_("A user is either platform staff or a partner user."),
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def reading_language(self) -> str:
        """The language to write to this person in when no request says (e-mails, inbox)."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (an HMAC of the password hash) plus the last "sign out
        everywhere": either change ends every browser session started before it."""
        material = self.password
        if self.signed_out_everywhere_at is not None:
            material = f"{material}|{self.signed_out_everywhere_at.isoformat()}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            material,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_platform_staff(self) -> bool:
        return self.is_active and (bool(self.staff_role) or self.is_superuser)

    def has_staff_role(self, *roles: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser or self.staff_role == StaffRole.PLATFORM_ADMIN:
            return True
        return self.staff_role in roles


class Partner(models.Model):
    """A partner organisation: bank, insurer, carrier, customs broker, certification body, law firm."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    country = models.CharField(
        _("country"), max_length=2, default="CN", help_text=_("ISO 3166-1 alpha-2 code")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    service_user = models.OneToOneField(
        User,
        verbose_name=_("service account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_for_partner",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in an enterprise (owner, admin, member)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["enterprise_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"], name="membership_unique_user_enterprise"
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.enterprise_id} ({self.role})"

    @property
    def can_administer(self) -> bool:
        return self.role in (MembershipRole.OWNER, MembershipRole.ADMIN)


class CredentialQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class AuthToken(models.Model):
    """A person's bearer token. Only the digest is stored; the plaintext is shown once."""

    is_api_key = False

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="auth_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("bearer token")
        verbose_name_plural = _("bearer tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"token {self.prefix}… for {self.user}"


class ApiKey(models.Model):
    """A partner system's key: scoped, expiring, revocable; only the digest is stored."""

    is_api_key = True

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    # Blank: the request's Accept-Language (or the platform default) applies (accounts/language.py).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        default="",
        help_text=_("The language answers to this key are in, unless the request names one."),
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = CredentialQuerySet.as_manager()
    # Creation, scope changes and revocation; last_used_at is written with update() and not recorded.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.partner}: {self.name} ({self.prefix}…)"
