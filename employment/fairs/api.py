"""``/api/v1/employment/fairs/``: fairs, employers' registrations, and applications from a fair.

Reads are public. ``POST fairs/`` organisers; ``POST fairs/{id}/registrations/`` verified employers (201,
then 200 with the same registration); ``PATCH fairs/{id}/registrations/{rid}/`` the fair's organisers;
``POST fairs/{id}/applications/`` verified graduates while the fair runs (201, then 200). Writes are
rate-limited per client address.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employment import access as employment_access
from employment.api import (
    ApplicationDetailSerializer,
    EmploymentCodeNameSerializer,
    EmploymentIdNameSerializer,
    WritesThrottled,
    _require,
    enum_field,
)
from employment.fairs import access, selectors, services
from employment.fairs.models import Fair, FairKind, FairRegistration, FairState, RegistrationStatus
from employment.models import Industry, Job
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution


def _user(request: Request) -> User:
    return cast(User, request.user)


class FairSerializer(serializers.ModelSerializer):
    kind = enum_field(FairKind.choices, read_only=True)
    state = serializers.SerializerMethodField()
    industry = EmploymentCodeNameSerializer(read_only=True, allow_null=True)  # only sector fairs have one
    province = EmploymentCodeNameSerializer(read_only=True, allow_null=True)  # a national fair has none
    views = serializers.IntegerField(read_only=True)
    frozen = serializers.SerializerMethodField()

    class Meta:
        model = Fair
        fields = [
            "id",
            "title",
            "kind",
            "sector",
            "industry",
            "province",
            "starts_at",
            "ends_at",
            "state",
            "employer_count",
            "job_count",
            "application_count",
            "views",
            "frozen",
        ]

    def get_state(self, fair: Fair) -> str:
        return fair.state()

    def get_frozen(self, fair: Fair) -> bool:
        return fair.frozen_at is not None


class FairJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    salary_min = serializers.IntegerField(read_only=True)
    salary_max = serializers.IntegerField(read_only=True)


class ParticipantSerializer(serializers.Serializer):
    employer = EmploymentIdNameSerializer(read_only=True)
    jobs = FairJobSerializer(many=True, read_only=True)


class FairDetailSerializer(FairSerializer):
    description = serializers.CharField(read_only=True)
    organisers = EmploymentIdNameSerializer(many=True, read_only=True)
    participants = serializers.SerializerMethodField()

    class Meta(FairSerializer.Meta):
        fields = [*FairSerializer.Meta.fields, "description", "organisers", "participants"]

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, fair: Fair) -> list[dict[str, Any]]:
        return cast(
            list[dict[str, Any]],
            ParticipantSerializer(selectors.fair_participants(fair=fair), many=True).data,
        )


class FairInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    kind = enum_field(FairKind.choices)
    sector = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    industry = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), required=False, allow_null=True, default=None
    )
    province = serializers.SlugRelatedField(
        slug_field="code", queryset=Province.objects.all(), required=False, allow_null=True, default=None
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    organisers = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), many=True, required=False, default=list
    )


class FairParamsSerializer(serializers.Serializer):
    state = enum_field(FairState.choices, required=False, allow_blank=True, default="")
    kind = enum_field(FairKind.choices, required=False, allow_blank=True, default="")
    province = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")


class FairListView(WritesThrottled, generics.ListAPIView):
    """Fairs, newest first (``state=running|upcoming|past``, ``kind``, ``province``). ``POST`` organisers."""

    serializer_class = FairSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Fair]:
        params = FairParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.fair_list(**params.validated_data)

    @extend_schema(parameters=[FairParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=FairInputSerializer, responses={201: FairDetailSerializer})
    def post(self, request: Request) -> Response:
        _require(
            access.fairs_creatable(request.user), request, "Only administrators and officers organise fairs."
        )
        data = FairInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fair = services.fair_create(actor=_user(request), data=services.FairInput(**data.validated_data))
        return Response(FairDetailSerializer(fair).data, status=status.HTTP_201_CREATED)


class FairDetailView(APIView):
    """One fair with its live (or, once over, frozen) figures and its employers with their jobs."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=FairDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        fair = selectors.fair_detail(pk=pk)
        if fair is None:
            raise Http404
        return Response(FairDetailSerializer(fair).data)


class RegistrationSerializer(serializers.ModelSerializer):
    employer = EmploymentIdNameSerializer(read_only=True)
    status = enum_field(RegistrationStatus.choices, read_only=True)
    jobs = serializers.SerializerMethodField()

    class Meta:
        model = FairRegistration
        fields = ["id", "employer", "status", "note", "created_at", "decided_at", "jobs"]

    def get_jobs(self, registration: FairRegistration) -> list[int]:
        return [row.job_id for row in registration.jobs.all()]


class RegistrationInputSerializer(serializers.Serializer):
    jobs = serializers.PrimaryKeyRelatedField(queryset=Job.objects.all(), many=True)


class DecisionInputSerializer(serializers.Serializer):
    decision = enum_field([RegistrationStatus.APPROVED, RegistrationStatus.REJECTED])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _fair(pk: int) -> Fair:
    fair = selectors.fair_detail(pk=pk)
    if fair is None:
        raise Http404
    return fair


class RegistrationListView(WritesThrottled, generics.ListAPIView):
    """A fair's registrations: all of them for its organisers, its own for a verified employer.
    ``POST {jobs}`` registers (verified employers): 201, or 200 with the same registration."""

    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[FairRegistration]:
        fair = _fair(self.kwargs["pk"])
        if not (
            access.fair_manageable(self.request.user, fair) or access.fair_registrable(self.request.user)
        ):
            raise PermissionDenied("Only the fair's organisers and verified employers see registrations.")
        return selectors.fair_registrations(registrations=access.registrations_for(self.request.user, fair))

    @extend_schema(
        request=RegistrationInputSerializer,
        responses={200: RegistrationSerializer, 201: RegistrationSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        _require(
            access.fair_registrable(request.user), request, "Only verified employers register for fairs."
        )
        fair = _fair(pk)
        data = RegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration, created = services.fair_register(
            actor=_user(request), fair=fair, jobs=data.validated_data["jobs"]
        )
        return Response(
            RegistrationSerializer(registration).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RegistrationDetailView(WritesThrottled, APIView):
    """``PATCH {decision, note}``: an organiser of the fair approves or declines a registration."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=RegistrationSerializer)
    def get(self, request: Request, pk: int, registration_id: int) -> Response:
        fair = _fair(pk)
        registration = access.registrations_for(request.user, fair).filter(pk=registration_id).first()
        if registration is None:
            raise Http404
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=DecisionInputSerializer, responses=RegistrationSerializer)
    def patch(self, request: Request, pk: int, registration_id: int) -> Response:
        fair = _fair(pk)
        registration = access.access_registration_for_decision(request.user, fair, registration_id)
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.registration_decide(
            actor=_user(request), registration=registration, **data.validated_data
        )
        return Response(RegistrationSerializer(registration).data)


class FairApplicationInputSerializer(serializers.Serializer):
    job = serializers.IntegerField(min_value=1)


class FairApplicationView(WritesThrottled, APIView):
    """``POST {job}``: a verified graduate applies to a job of a running fair (201, then 200)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=FairApplicationInputSerializer,
        responses={200: ApplicationDetailSerializer, 201: ApplicationDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        _require(
            employment_access.is_verified_graduate(request.user),
            request,
            "Only verified graduates apply for jobs.",
        )
        fair = _fair(pk)
        data = FairApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = Job.objects.filter(pk=data.validated_data["job"]).first()
        if job is None:
            raise ValidationError({"job": [_("This job is not open at this fair.")]})
        application, created = services.fair_apply(graduate=_user(request), fair=fair, job=job)
        return Response(
            ApplicationDetailSerializer(application).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
