from django.contrib.auth import authenticate
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from agri_platform.api.errors import Conflict
from agri_platform.api.throttling import LoginRateThrottle
from agri_platform.api.views import ApiView, ScopeCheckedMixin

from . import serializers, services
from .models import AuthToken, User


def _token_response(
    token: AuthToken, plaintext: str, status_code=status.HTTP_201_CREATED
) -> Response:
    body = {"token": plaintext, "prefix": token.prefix, "expires_at": token.expires_at}
    return Response(serializers.TokenSerializer(body).data, status=status_code)


class RegisterView(ApiView):
    """Sign up as a person; returns a bearer token. Register an enterprise next."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=serializers.RegisterSerializer, responses={201: serializers.TokenSerializer}
    )
    def post(self, request):
        data = serializers.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            if User.objects.filter(email=data.validated_data["email"]).exists():
                raise Conflict("An account with this e-mail already exists.", code="email_taken")
            user = User.objects.create_user(**data.validated_data)
            token, plaintext = services.token_issue(user=user, name="registration")
        return _token_response(token, plaintext)


class TokenView(ApiView):
    """Exchange e-mail and password for a bearer token (stored as a digest, expiring)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

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
            raise AuthenticationFailed("E-mail or password is wrong.")
        token, plaintext = services.token_issue(user=user, name=data.validated_data.get("name", ""))
        return _token_response(token, plaintext)


class LogoutView(ApiView):
    """Revoke the bearer token this request was made with."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ScopeCheckedMixin, generics.RetrieveUpdateAPIView):
    """The caller's own profile, roles and enterprise memberships."""

    serializer_class = serializers.MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user
