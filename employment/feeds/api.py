"""``/api/v1/employment/feeds/``: imports of partners' feeds (administrators) and our export (partners).

``POST feeds/import/`` takes a file (multipart) and queues the import in Celery; ``GET feeds/import/{id}/``
shows its progress. ``GET feeds/export/`` is for partner sites with an API key
(``Authorization: Partner <key>``): open verified jobs, oldest first, ``since=`` and a ``cursor``.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employment.api import raise_not_authenticated
from employment.feeds import access, selectors, services
from employment.feeds.models import FeedFormat, FeedImport, FeedImportStatus
from employment.models import Job
from employment.throttles import WriteThrottle
from smartedu.accounts.models import User


class FeedImportSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=FeedImportStatus.choices, read_only=True)
    format = serializers.ChoiceField(choices=FeedFormat.choices, read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = FeedImport
        fields = [
            "id", "source", "format", "full", "status", "created_at", "finished_at", "total", "processed",
            "percent", "created", "updated", "unchanged", "closed", "errors",
        ]  # fmt: skip


class FeedImportInputSerializer(serializers.Serializer):
    source = serializers.SlugField(  # type: ignore[assignment]
        max_length=50, help_text="The partner site, e.g. gd-job-portal."
    )
    format = serializers.ChoiceField(choices=FeedFormat.choices)
    full = serializers.BooleanField(
        default=True, help_text="A full snapshot: this source's jobs missing from the file are closed."
    )
    file = serializers.FileField()


class FeedImportView(APIView):
    """``POST`` a partner's feed (administrators): queued in Celery, 202 with the import to follow."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    def get_throttles(self) -> list:
        throttles = list(super().get_throttles())
        if self.request.method == "POST":
            throttles.append(WriteThrottle())
        return throttles

    def _require(self, request: Request) -> None:
        if not request.user.is_authenticated:
            raise_not_authenticated()
        if not access.feeds_importable(request.user):
            raise PermissionDenied("Only administrators import job feeds.")

    @extend_schema(responses=FeedImportSerializer(many=True))
    def get(self, request: Request) -> Response:
        self._require(request)
        return Response(FeedImportSerializer(selectors.feed_imports(user=request.user)[:50], many=True).data)

    @extend_schema(
        request={"multipart/form-data": FeedImportInputSerializer}, responses={202: FeedImportSerializer}
    )
    def post(self, request: Request) -> Response:
        self._require(request)
        data = FeedImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > services.MAX_FEED_BYTES:
            raise serializers.ValidationError({"file": ["The feed is larger than 20 MB."]})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError({"file": ["The feed is not UTF-8 text."]}) from exc
        with transaction.atomic():
            feed = services.feed_import_start(
                actor=cast(User, request.user),
                source=data.validated_data["source"],
                fmt=data.validated_data["format"],
                text=text,
                full=data.validated_data["full"],
            )
        return Response(FeedImportSerializer(feed).data, status=status.HTTP_202_ACCEPTED)


class FeedImportDetailView(generics.RetrieveAPIView):
    """One import's progress and bad rows."""

    serializer_class = FeedImportSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[FeedImport]:
        return selectors.feed_imports(user=self.request.user)


class ExportJobSerializer(serializers.ModelSerializer):
    employer = inline_serializer(
        "EmploymentFeedEmployer", {"name": serializers.CharField(), "credit_code": serializers.CharField()}
    )
    industry = serializers.CharField(source="industry.code")
    province = serializers.CharField(source="province.code")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "title", "description", "employer", "industry", "province", "city", "education",
            "specialty_class", "job_type", "salary_min", "salary_max", "headcount", "posted_at", "expires_at",
            "url",
        ]  # fmt: skip

    def get_url(self, job: Job) -> str:
        return self.context["request"].build_absolute_uri(reverse("employment:job", args=[job.pk]))


class ExportParamsSerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False, allow_null=True, default=None)
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    size = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.EXPORT_MAX_PAGE, default=selectors.EXPORT_PAGE
    )

    def validate_cursor(self, value: str) -> Any:
        if not value:
            return None
        decoded = selectors.decode_cursor(value)
        if decoded is None:
            raise serializers.ValidationError("Not a cursor of this feed.")
        return decoded


def _partner_key(request: Request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, key = header.partition(" ")
    if scheme == "Partner" and key:
        return key.strip()
    return request.META.get("HTTP_X_PARTNER_KEY", "").strip()


class FeedExportView(APIView):
    """Open verified jobs for partner sites, oldest first; ``since`` for incremental pulls, ``cursor`` for
    the next page (the response's ``next``). Needs ``Authorization: Partner <key>``."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            ExportParamsSerializer,
            OpenApiParameter("Authorization", str, OpenApiParameter.HEADER, description="Partner <key>"),
        ],
        responses=inline_serializer(
            "EmploymentFeedPage",
            {
                "next": serializers.CharField(allow_null=True),
                "cursor": serializers.CharField(allow_null=True),
                "results": ExportJobSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        key = _partner_key(request)
        partner = services.partner_for_key(key) if key else None
        if partner is None:
            raise AuthenticationFailed("A partner API key is required: Authorization: Partner <key>.")
        params = ExportParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = selectors.export_jobs(
            since=params.validated_data["since"],
            cursor=params.validated_data["cursor"],
            size=params.validated_data["size"],
        )
        services.partner_pulled(partner=partner)
        next_url = None
        if page.cursor:
            query: dict[str, str] = {k: str(v) for k, v in request.query_params.items() if k != "cursor"}
            query["cursor"] = page.cursor
            next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        return Response(
            {
                "next": next_url,
                "cursor": page.cursor,
                "results": ExportJobSerializer(page.jobs, many=True, context={"request": request}).data,
            }
        )

    def get_authenticate_header(self, request: Request) -> str:
        return "Partner"
