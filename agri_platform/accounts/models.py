from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from .choices import Language, MembershipRole, PartnerKind, StaffRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
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


class User(AbstractBaseUser, PermissionsMixin):
    """A person (enterprise member, staff, partner user) or a partner's service account."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ZH_HANS)
    staff_role = models.CharField(max_length=20, choices=StaffRole.choices, blank=True)
    partner = models.ForeignKey(
        "accounts.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Set for users who act for a partner organisation.",
    )
    is_service_account = models.BooleanField(
        default=False, help_text="The identity a partner's API keys act as; cannot log in."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May log into the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person confirmed their e-mail address; needed to register an enterprise.",
    )
    signed_out_everywhere_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Browser sessions started before this moment are no longer valid.",
    )

    objects = UserManager()
    # Who changed a role, a partner link or an activation, and when. Password hashes and login
    # stamps stay out of the history table.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_role="") | Q(partner__isnull=True),
                name="user_staff_or_partner_not_both",
                violation_error_message="A user is either platform staff or a partner user.",
            ),
        ]

    def __str__(self):
        return self.email

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

    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=PartnerKind.choices)
    country = models.CharField(max_length=2, default="CN", help_text="ISO 3166-1 alpha-2")
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    service_user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_for_partner",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in an enterprise (owner, admin, member)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
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

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"token {self.prefix}… for {self.user}"


class ApiKey(models.Model):
    """A partner system's key: scoped, expiring, revocable; only the digest is stored."""

    is_api_key = True

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CredentialQuerySet.as_manager()
    # Creation, scope changes and revocation; last_used_at is written with update() and not recorded.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.partner}: {self.name} ({self.prefix}…)"
