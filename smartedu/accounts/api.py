"""Accounts API: tokens, registration and the signed-in user's profile."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smartedu.accounts import selectors, services
from smartedu.accounts.models import SELF_REGISTER_ROLES, Province, User
from smartedu.portal.client import client_ip
from smartedu.portal.throttling import ScopedRateThrottle


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name", "short_name"]


class UserOutputSerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)
    is_approved = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "role", "province", "institution", "is_approved"]


class TokenObtainView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token <key>``).

    The token expires after ``API_TOKEN_TTL_DAYS`` days; only a hash of it is stored.
    """

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    class TokenInputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: inline_serializer(
                "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
            )
        },
    )
    def post(self, request: Request) -> Response:
        data = self.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.token_obtain(request=request._request, **data.validated_data)
        return Response({"token": key, "expiry": serializers.DateTimeField().to_representation(token.expiry)})


class TokenRevokeView(APIView):
    """Revoke the token this request is authenticated with (sign the API client out)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterView(APIView):
    """Create an account; employer and officer accounts await approval."""

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    class RegisterInputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False, write_only=True)
        role = serializers.ChoiceField(choices=[(r.value, r.label) for r in SELF_REGISTER_ROLES])
        province = serializers.SlugRelatedField(
            slug_field="code", queryset=Province.objects.all(), required=False, allow_null=True
        )
        institution = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(request=RegisterInputSerializer, responses={201: UserOutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class MeView(APIView):
    """The signed-in user's account; PATCH changes the profile fields (never role or administrative scope).

    An approved employer or officer who changes province or institution waits for approval again.
    """

    permission_classes = [permissions.IsAuthenticated]

    class ProfileInputSerializer(serializers.Serializer):
        email = serializers.EmailField(required=False)
        first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
        province = serializers.SlugRelatedField(
            slug_field="code", queryset=Province.objects.all(), required=False, allow_null=True
        )
        institution = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(request=ProfileInputSerializer, responses=UserOutputSerializer)
    def patch(self, request: Request) -> Response:
        data = self.ProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated
        fields = {
            "email": user.email,
            "first_name": user.first_name,
            "province": user.province,
            "institution": user.institution,
            **data.validated_data,
        }
        user = services.user_update_profile(user=user, client_ip=client_ip(request), **fields)
        return Response(UserOutputSerializer(user).data)


class ProvinceListView(generics.ListAPIView):
    """The 31 provincial-level divisions (GB/T 2260)."""

    serializer_class = ProvinceSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self) -> QuerySet[Province]:
        return selectors.province_list()
