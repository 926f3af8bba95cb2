"""Classes API: reusable DRF views, mounted at ``/api/v1/classes/`` and under any sub-platform's prefix.

A sub-platform mounts the same views with its platform key (``api_urls.class_api_patterns(platform=...)``,
e.g. ``/api/v1/vocational/classes/``): lists, details and joins are then limited to its own classes, and a
class created there belongs to it. Serializer names start with ``Class`` so schema components stay unique.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from smartedu.classes import access, ratelimit, selectors, services
from smartedu.classes.models import Class, Membership
from smartedu.portal.client import client_ip


def display_name(user: Any) -> str:
    return user.get_full_name() or user.username


# --- Serializers ---------------------------------------------------------------------------------


class ClassCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    platform = serializers.CharField(
        max_length=20, required=False, help_text="Required on /api/v1/classes/; implied under a sub-platform."
    )
    label = serializers.CharField(  # type: ignore[assignment]  # shadows Field.label
        max_length=100, required=False, allow_blank=True, default=""
    )
    institution = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ClassUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    label = serializers.CharField(  # type: ignore[assignment]  # shadows Field.label
        max_length=100, required=False, allow_blank=True
    )
    institution = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ClassJoinInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, help_text="The class code the teacher gave out.")


class ClassTeacherSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return display_name(user)


class ClassOutputSerializer(serializers.ModelSerializer):
    teacher = ClassTeacherSerializer(read_only=True)
    member_count = serializers.SerializerMethodField()
    code = serializers.SerializerMethodField(help_text="Shown to the class's teacher only.")
    role = serializers.SerializerMethodField(help_text="teacher: you manage it; student: you joined it.")

    class Meta:
        model = Class
        fields = [
            "id",
            "name",
            "platform",
            "institution",
            "label",
            "is_active",
            "teacher",
            "member_count",
            "code",
            "role",
            "created_at",
        ]

    def _manages(self, klass: Class) -> bool:
        return access.may_manage(self.context["request"].user, klass)

    def get_member_count(self, klass: Class) -> int:
        count = getattr(klass, "member_count", None)
        return count if count is not None else selectors.class_with_member_count(klass=klass)

    def get_code(self, klass: Class) -> str | None:
        return klass.code if self._manages(klass) else None

    def get_role(self, klass: Class) -> str:
        return "teacher" if self._manages(klass) else "student"


class ClassMemberOutputSerializer(serializers.ModelSerializer):
    student = ClassTeacherSerializer(read_only=True)
    username = serializers.CharField(source="student.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["student", "username", "joined_at"]


# --- Views --------------------------------------------------------------------------------------


class PlatformScoped:
    """``platform``: the sub-platform these views are mounted for (``None`` on ``/api/v1/classes/``)."""

    platform: str | None = None
    # JSON only: one content type per request body.
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]


class ClassListCreateView(PlatformScoped, generics.ListCreateAPIView):
    """Your classes: those you teach and those you joined. POST creates one (teachers)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClassOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.class_list_for(self.request.user, platform=self.platform)

    @extend_schema(request=ClassCreateInputSerializer, responses={201: ClassOutputSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ClassCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        klass = services.class_create(
            teacher=request.user,  # type: ignore[arg-type]
            name=values["name"],
            platform=self.platform or values.get("platform", ""),
            label=values.get("label", ""),
            institution=values.get("institution"),
        )
        return Response(self.get_serializer(klass).data, status=status.HTTP_201_CREATED)


class ClassJoinView(PlatformScoped, generics.GenericAPIView):
    """Join a class with its code (students). 201 when joined, 200 when already a member.

    An unknown or archived code is 400 on ``code``. Failed attempts are limited per user and per client
    address (429 with ``Retry-After`` past the limit).
    """

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClassOutputSerializer

    @extend_schema(
        request=ClassJoinInputSerializer,
        responses={201: ClassOutputSerializer, 200: ClassOutputSerializer, 429: OpenApiResponse()},
    )
    def post(self, request: Request) -> Response:
        data = ClassJoinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with ratelimit.attempt(
                limit=ratelimit.join_limit(), user_id=request.user.pk or 0, address=client_ip(request)
            ):
                membership, created = services.class_join(
                    user=request.user,  # type: ignore[arg-type]
                    code=data.validated_data["code"],
                    platform=self.platform,
                )
        except ratelimit.RateLimited as exc:
            raise Throttled(wait=exc.retry_after) from exc
        return Response(
            self.get_serializer(membership.klass).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ClassDetailView(PlatformScoped, generics.GenericAPIView):
    """A class, for its teacher and its students; PATCH renames it (its teacher)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClassOutputSerializer
    queryset = Class.objects.none()

    def get(self, request: Request, pk: int) -> Response:
        klass = access.access_class_for_viewer(request.user, pk, platform=self.platform)
        return Response(self.get_serializer(klass).data)

    @extend_schema(request=ClassUpdateInputSerializer, responses={200: ClassOutputSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        klass = access.access_class_for_owner(request.user, pk, platform=self.platform)
        data = ClassUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        klass = services.class_update(user=request.user, klass=klass, **data.validated_data)  # type: ignore[arg-type]
        return Response(self.get_serializer(klass).data)


class ClassCodeView(PlatformScoped, generics.GenericAPIView):
    """POST: a new code for the class (its teacher); the old code stops working."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClassOutputSerializer
    queryset = Class.objects.none()

    @extend_schema(request=None, responses={200: ClassOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        klass = access.access_class_for_owner(request.user, pk, platform=self.platform)
        klass = services.class_code_regenerate(user=request.user, klass=klass)  # type: ignore[arg-type]
        return Response(self.get_serializer(klass).data)


class ClassArchiveView(PlatformScoped, generics.GenericAPIView):
    """POST: archive the class (its teacher); its code stops working."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClassOutputSerializer
    queryset = Class.objects.none()

    @extend_schema(request=None, responses={200: ClassOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        klass = access.access_class_for_owner(request.user, pk, platform=self.platform)
        klass = services.class_archive(user=request.user, klass=klass)  # type: ignore[arg-type]
        return Response(self.get_serializer(klass).data)


class ClassLeaveView(PlatformScoped, generics.GenericAPIView):
    """POST: leave a class you joined."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Class.objects.none()

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        klass = access.access_class_for_member(request.user, pk, platform=self.platform)
        services.class_leave(user=request.user, klass=klass)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClassMemberListView(PlatformScoped, generics.ListAPIView):
    """The students of a class (its teacher)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClassMemberOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        klass = access.access_class_for_owner(self.request.user, self.kwargs["pk"], platform=self.platform)
        return selectors.class_members(klass=klass)


class ClassMemberRemoveView(PlatformScoped, generics.GenericAPIView):
    """DELETE: remove a student from the class (its teacher)."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Class.objects.none()

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int, student_id: int) -> Response:
        klass = access.access_class_for_owner(request.user, pk, platform=self.platform)
        if not services.membership_remove(user=request.user, klass=klass, student_id=student_id):  # type: ignore[arg-type]
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)
