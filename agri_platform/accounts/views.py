from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import logout as session_logout
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from agri_platform.api.permissions import SAFE_METHODS
from agri_platform.api.throttling import CallerRateThrottle, LoginRateThrottle
from agri_platform.api.views import ApiGenericView, ApiView, ApiViewSet

from . import selectors, serializers, services
from .models import AuthToken

# Staff roles that manage partners, their people and their keys (platform admins always may).
PARTNER_MANAGER_ROLES = ("officer",)


def _token_response(
    token: AuthToken, plaintext: str, status_code=status.HTTP_201_CREATED
) -> Response:
    body = {"token": plaintext, "prefix": token.prefix, "expires_at": token.expires_at}
    return Response(serializers.TokenSerializer(body).data, status=status_code)


@extend_schema_view(
    post=extend_schema(
        summary="Sign up",
        description=(
            "Creates a person's account and answers 201 with a bearer token for it (shown once). "
            "Open to anyone, throttled per client address. An e-mail that already has an account "
            "is a 409 `email_taken`. An exporter registers the enterprise next, with "
            "`POST /api/v1/enterprises/`."
        ),
    )
)
class RegisterView(ApiView):
    """Sign up as a person; returns a bearer token and e-mails a confirmation link. Register an
    enterprise once the address is confirmed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]
    idempotency_exempt = True  # the response carries a token shown once

    @extend_schema(
        request=serializers.RegisterSerializer, responses={201: serializers.TokenSerializer}
    )
    def post(self, request):
        data = serializers.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            user = services.sign_up(**data.validated_data)
            token, plaintext = services.token_issue(user=user, name="registration")
        return _token_response(token, plaintext)


@extend_schema_view(
    post=extend_schema(
        summary="Get a bearer token",
        description=(
            "Exchanges e-mail and password for a bearer token and answers 201 with it. Open to "
            "anyone, throttled per client address; a wrong e-mail or password is a 401. The token "
            "is shown once and works until `expires_at` or until revoked: send it as "
            "`Authorization: Bearer <token>`. Partner systems use an API key instead."
        ),
    )
)
class TokenView(ApiView):
    """Exchange e-mail and password for a bearer token (stored as a digest, expiring)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]
    idempotency_exempt = True  # the response carries a token shown once
    extra_problem_statuses = (401,)  # wrong e-mail or password (documented in the schema)

    def get_authenticate_header(self, request):
        # A wrong password is a 401 with a challenge (DRF turns a 401 without one into a 403).
        return 'Bearer realm="api"'

    @extend_schema(
        request=serializers.TokenRequestSerializer, responses={201: serializers.TokenSerializer}
    )
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            email=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if user is None or user.is_service_account:
            raise AuthenticationFailed(gettext("E-mail or password is wrong."))
        token, plaintext = services.token_issue(user=user, name=data.validated_data.get("name", ""))
        return _token_response(token, plaintext)


@extend_schema_view(
    post=extend_schema(
        summary="Sign out",
        description=(
            "Revokes the bearer token this request carries (in a browser: ends the session) and "
            "answers 204. Any signed-in person."
        ),
    )
)
class LogoutView(ApiView):
    """Revoke the bearer token this request was made with (or end the browser session)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.token_revoke(token=request.auth)
        elif request.auth is None:
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(ApiView):
    """Revoke every bearer token of the caller, this one included, and end every browser
    session."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Sign out everywhere",
        description="Revokes every bearer token of the caller, the one this request was made with included, and ends every browser session of the account. Answers 204. People only (API keys are revoked under `partners/{id}/api-keys/`).",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        services.sign_out_everywhere(user=request.user)
        if request.auth is None:
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(ApiView):
    """Change the caller's password (the current one is required). Every other bearer token and
    browser session of the caller ends; the one this request was made with goes on working."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [CallerRateThrottle, LoginRateThrottle]  # guessing the current password

    @extend_schema(
        summary="Change my password",
        description="Takes the `current_password` and a `new_password` (Django's password validators apply). A wrong current password is a 400 `wrong_password`; a weak new one a 400 `weak_password`. Every other bearer token and browser session of the caller ends; the one this request was made with goes on working. Answers 204.",
        request=serializers.PasswordChangeSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = serializers.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        current_token = request.auth if isinstance(request.auth, AuthToken) else None
        services.password_change(user=request.user, keep=current_token, **data.validated_data)
        if request.auth is None:  # a browser session: keep this one, the others end
            update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(ApiView):
    """Ask for a password reset link by e-mail. The answer is the same whether or not an account
    has this address; the link works once and expires (`PASSWORD_RESET_TIMEOUT`)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        summary="Ask for a password reset link",
        description="E-mails a reset link to the address when an account has it. The answer is the same 202 whether or not one does. The link works once and expires after `PASSWORD_RESET_TIMEOUT` (one hour by default); at most one e-mail per account a minute. Open to anyone, throttled per client address.",
        request=serializers.PasswordResetRequestSerializer,
        responses={202: serializers.AcceptedSerializer},
    )
    def post(self, request):
        data = serializers.PasswordResetRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(email=data.validated_data["email"])
        return Response(
            {"detail": gettext("If an account has this address, a reset link is on its way.")},
            status=status.HTTP_202_ACCEPTED,
        )


class PasswordResetConfirmView(ApiView):
    """Set a new password with the `uid` and `token` of an e-mailed reset link. Every bearer
    token and browser session of the account ends."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        summary="Set a new password from a reset link",
        description="Takes the `uid` and `token` of the e-mailed reset link and a `new_password`. A used, expired or wrong link is a 400. Every bearer token and browser session of the account ends; sign in again with the new password. Answers 204.",
        request=serializers.PasswordResetConfirmSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = serializers.PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailConfirmView(ApiView):
    """Confirm the e-mail address with the `uid` and `token` of the e-mailed confirmation link."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        summary="Confirm an e-mail address",
        description="Takes the `uid` and `token` of the link in the sign-up e-mail and marks the address confirmed; an enterprise can be registered from then on. A used, expired or wrong link is a 400. Answers 204. Open to anyone, throttled per client address.",
        request=serializers.EmailLinkSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = serializers.EmailLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.email_confirm(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailConfirmationResendView(ApiView):
    """Send the confirmation link again (409 when the address is already confirmed)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [CallerRateThrottle, LoginRateThrottle]  # each call sends an e-mail

    @extend_schema(
        summary="Send the confirmation e-mail again",
        description="E-mails a new confirmation link to the caller's address (at most one a minute). Answers 202; 409 when the address is already confirmed.",
        request=None,
        responses={202: serializers.AcceptedSerializer},
    )
    def post(self, request):
        services.email_confirmation_send(user=request.user)
        return Response(
            {
                "detail": gettext("A confirmation link is on its way to %(email)s.")
                % {"email": request.user.email}
            },
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema_view(
    get=extend_schema(
        summary="Show my profile",
        description=(
            "The caller's own account: e-mail, name, language, time zone, staff role, partner and "
            "the enterprises the caller belongs to, with the role in each. Any signed-in caller."
        ),
    ),
    patch=extend_schema(
        summary="Update my profile",
        description=(
            "Changes the caller's name, language and time zone and answers the profile. The saved "
            "`language` (`zh-hans`, `en`, or blank to let each request decide) beats "
            "`Accept-Language`; `timezone` is an IANA name (e.g. `Asia/Shanghai`) for pages and "
            "e-mails, an unknown one is a 400 naming the field; API datetimes stay UTC. E-mail, "
            "staff role and partner are not the caller's to change: sending them is a 400 naming "
            "the field."
        ),
    ),
)
class MeView(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ApiGenericView):
    """The caller's own profile, roles and enterprise memberships. PATCH changes name, language and
    time zone;
    e-mail, staff role and partner are not the caller's to change (400 naming the field)."""

    serializer_class = serializers.MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    def patch(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(
            user=serializer.instance, **serializer.validated_data
        )


# --- Partners ---------------------------------------------------------------------------------


class PartnerAccess(BasePermission):
    """Reads: anyone signed in (the queryset shows staff everything, a partner's people their own
    partner, others nothing). Writes: staff with a partner-managing role."""

    message = _("Only platform officers and admins manage partners.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return request.user.has_staff_role(*PARTNER_MANAGER_ROLES)


class PartnerPeopleOrStaff(BasePermission):
    """Staff (reads: any role; writes: partner managers) or the partner's own people.

    Which partner is checked by the view: another partner's URL is a 404.
    """

    message = _("Only platform staff and the partner's own people may do this.")
    staff_writes_only = False

    def has_permission(self, request, view):
        user = request.user
        if user.is_platform_staff:
            return request.method in SAFE_METHODS or user.has_staff_role(*PARTNER_MANAGER_ROLES)
        if self.staff_writes_only and request.method not in SAFE_METHODS:
            return False
        return bool(user.partner_id) and not user.is_service_account


class PartnerPeopleReadStaffWrite(PartnerPeopleOrStaff):
    message = _("Only platform officers and admins manage a partner's people.")
    staff_writes_only = True


@extend_schema_view(
    list=extend_schema(
        summary="List partners",
        description=(
            "Partner organisations: banks, insurers, carriers, customs brokers, certification "
            "bodies and law firms. Platform staff see all of them, a partner's people their own "
            "organisation, anyone else an empty list. Filter by `kind`, `is_active` and `country`; "
            "`search` matches names and the contact e-mail."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a partner",
        description="One partner organisation the caller may see; any other id is a 404.",
    ),
    create=extend_schema(
        summary="Create a partner",
        description=(
            "Platform officers and admins register a partner organisation; answers 201 with it. "
            "The partner's people and API keys are added under `/partners/{id}/`."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a partner",
        description=(
            "Platform officers and admins change a partner's details, or deactivate it with "
            "`is_active: false`. Answers the partner."
        ),
    ),
)
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Partner organisations (banks, insurers, carriers, customs brokers, certification bodies, law
    firms). Staff list and manage them; a partner's people see their own organisation."""

    serializer_class = serializers.PartnerSerializer
    permission_classes = [IsAuthenticated, PartnerAccess]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"
    filterset_fields = ["kind", "is_active", "country"]
    search_fields = ["name", "name_zh", "contact_email"]
    ordering_fields = ["name", "created_at", "kind"]

    def get_queryset(self):
        return selectors.partners_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.partner_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.partner_update(
            partner=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class NotPartner(BasePermission):
    """Enterprise users and staff; a partner's people and keys have no use for the directory."""

    message = _("The partner directory is for enterprises and platform staff.")

    def has_permission(self, request, view):
        return not request.user.partner_id


@extend_schema_view(
    list=extend_schema(
        summary="List the partners an enterprise can name",
        description="Active partners with their public fields. Filter with `?kind=carrier` "
        "(or bank, insurer, law_firm, certification_body, customs_broker) and `?country=CN`.",
    )
)
class PartnerDirectoryViewSet(mixins.ListModelMixin, ApiViewSet):
    """The active partners an enterprise names in its requests: carriers when booking a shipment,
    law firms for legal help, banks and insurers, certification bodies. Public fields only."""

    serializer_class = serializers.PartnerDirectorySerializer
    permission_classes = [IsAuthenticated, NotPartner]
    filterset_fields = ["kind", "country"]
    search_fields = ["name", "name_zh"]
    ordering_fields = ["name", "kind"]
    # The same rows for every enterprise by design; the isolation test checks the fields instead.
    isolation_directory_fields = frozenset(serializers.PartnerDirectorySerializer.Meta.fields)

    def get_queryset(self):
        return selectors.partner_directory()


class PartnerChildMixin:
    """Views under partners/{partner_pk}/: the partner must be visible to the caller, else 404."""

    lookup_value_regex = r"\d+"

    def get_partner(self):
        partner = (
            selectors.partners_for(self.request.user).filter(pk=self.kwargs["partner_pk"]).first()
        )
        if partner is None:
            raise Http404
        return partner

    def list(self, request, *args, **kwargs):
        self.get_partner()
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="List a partner's API keys",
        description=(
            "The partner's keys: name, prefix, scopes, expiry, last use and revocation, never the "
            "key itself. Platform staff and the partner's own people; another partner is a 404."
        ),
    ),
    retrieve=extend_schema(
        summary="Show an API key",
        description="One key of the partner (without the key itself). Same callers as the list.",
    ),
    create=extend_schema(
        summary="Create an API key",
        description=(
            "Makes a key with the given scopes and expiry and answers 201 with the key in `key`, "
            "shown this once: only its SHA-256 digest is stored. A partner system sends it as "
            "`Authorization: Api-Key <key>`. `language` (optional) is the language answers to the "
            "key are in unless a request names one with `?lang=`. Platform officers and admins, "
            "and the partner's own people. No `Idempotency-Key`: a retried create makes a second "
            "key, which you revoke."
        ),
    ),
    partial_update=extend_schema(
        summary="Update an API key",
        description=(
            "Changes the key's `name` or `language` (`zh-hans`, `en`, or blank for "
            "`Accept-Language`) and answers the key. Scopes and expiry do not change: make a new "
            "key instead. Platform officers and admins, and the partner's own people."
        ),
        request=serializers.ApiKeyUpdateSerializer,
        responses={200: serializers.ApiKeySerializer},
    ),
    revoke=extend_schema(
        summary="Revoke an API key",
        description=(
            "Revokes the key at once: requests made with it are a 401 from now on. Revoking a "
            "revoked key answers the same. Platform officers and admins, and the partner's people."
        ),
    ),
)
class PartnerApiKeyViewSet(
    PartnerChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """A partner's API keys. Creating one shows the key once; only its SHA-256 digest is stored.
    Staff officers and admins, and the partner's own people, create and revoke keys."""

    serializer_class = serializers.ApiKeySerializer
    permission_classes = [IsAuthenticated, PartnerPeopleOrStaff]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # A replay answers the first 201 with `key` redacted: a retry never makes a second key, and
    # the key itself is never stored.
    shown_once_fields = ("key",)
    ordering_fields = ["created_at", "name", "expires_at", "last_used_at"]
    search_fields = ["name", "prefix"]

    def get_queryset(self):
        return selectors.api_keys_for(self.request.user, partner_id=self.kwargs.get("partner_pk"))

    @extend_schema(
        request=serializers.ApiKeyCreateSerializer,
        responses={201: serializers.ApiKeyCreatedSerializer},
    )
    def create(self, request, *args, **kwargs):
        partner = self.get_partner()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, plaintext = services.api_key_create(
            partner=partner, created_by=request.user, **data.validated_data
        )
        key.key = plaintext
        body = serializers.ApiKeyCreatedSerializer(key, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ApiKeyCreateSerializer
        if self.action == "partial_update":
            return serializers.ApiKeyUpdateSerializer
        return serializers.ApiKeySerializer

    def update(self, request, *args, **kwargs):
        key = self.get_object()
        data = self.get_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        key = services.api_key_update(key=key, **data.validated_data)
        body = serializers.ApiKeySerializer(key, context=self.get_serializer_context()).data
        return Response(body)

    @extend_schema(request=None, responses={200: serializers.ApiKeySerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        """Revoke the key at once (idempotent: revoking a revoked key answers the same)."""
        key = services.api_key_revoke(key=self.get_object(), actor=request.user)
        return Response(self.get_serializer(key).data)


@extend_schema_view(
    list=extend_schema(
        summary="List a partner's people",
        description=(
            "The people who sign in for the partner. Platform staff and the partner's own people; "
            "another partner is a 404."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a partner's person",
        description="One person of the partner. Same callers as the list.",
    ),
    create=extend_schema(
        summary="Add a person to a partner",
        description=(
            "Platform officers and admins create a sign-in for someone who acts for the partner, "
            "with an initial password, and answer 201 with the person."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a partner's person",
        description=(
            "Platform officers and admins change the person's details or deactivate the "
            "sign-in (`is_active: false`). Answers the person."
        ),
    ),
)
class PartnerUserViewSet(
    PartnerChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """The people who act for a partner. Staff officers and admins create them (with an initial
    password) and deactivate them; the partner's own people may list them."""

    serializer_class = serializers.PartnerUserSerializer
    permission_classes = [IsAuthenticated, PartnerPeopleReadStaffWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]
    search_fields = ["email", "full_name"]
    ordering_fields = ["email", "date_joined"]

    def get_queryset(self):
        return selectors.partner_users_for(
            self.request.user, partner_id=self.kwargs.get("partner_pk")
        )

    @extend_schema(
        request=serializers.PartnerUserCreateSerializer,
        responses={201: serializers.PartnerUserSerializer},
    )
    def create(self, request, *args, **kwargs):
        partner = self.get_partner()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.partner_user_create(
            partner=partner, actor=request.user, **data.validated_data
        )
        return Response(
            serializers.PartnerUserSerializer(user).data, status=status.HTTP_201_CREATED
        )

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.PartnerUserCreateSerializer
        return serializers.PartnerUserSerializer

    def perform_update(self, serializer):
        serializer.instance = services.partner_user_update(
            user=serializer.instance, actor=self.request.user, **serializer.validated_data
        )
