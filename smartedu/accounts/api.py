"""Accounts API: token, registration and the signed-in user's profile."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from smartedu.accounts import selectors, services
from smartedu.accounts.models import SELF_REGISTER_ROLES, Province, User


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
    """Exchange a username and password for an API token (``Authorization: Token <key>``)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    class TokenInputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request):
        data = self.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = services.token_obtain(request=request._request, **data.validated_data)
        return Response({"token": token.key})


class RegisterView(APIView):
    """Create an account; employer and officer accounts await approval."""

    authentication_classes: list = []
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
    def post(self, request):
        data = self.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class MeView(APIView):
    """The signed-in user's account; PATCH changes the profile fields."""

    permission_classes = [permissions.IsAuthenticated]

    class ProfileInputSerializer(serializers.Serializer):
        email = serializers.EmailField(required=False)
        first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
        province = serializers.SlugRelatedField(
            slug_field="code", queryset=Province.objects.all(), required=False, allow_null=True
        )
        institution = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(responses=UserOutputSerializer)
    def get(self, request):
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(request=ProfileInputSerializer, responses=UserOutputSerializer)
    def patch(self, request):
        data = self.ProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        fields = {
            "email": user.email,
            "first_name": user.first_name,
            "province": user.province,
            "institution": user.institution,
        }
        fields.update(data.validated_data)
        user = services.user_update_profile(user=user, **fields)
        return Response(UserOutputSerializer(user).data)


class ProvinceListView(generics.ListAPIView):
    """The 31 provincial-level divisions (GB/T 2260)."""

    serializer_class = ProvinceSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.province_list()
