"""``/api/v1/employment/``: InputSerializer → one service or selector → OutputSerializer.

Job reads are public and start from ``Job.objects.visible()``; everything else needs an account and is
allowed or refused by ``employment.access`` (a forbidden object answers like a missing one: 404). Writes are
rate-limited per real client address. Uploads (business licence, registry CSV, résumé attachment) are
``multipart/form-data``; every other body is JSON.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employment import access, pdf, selectors, services
from employment.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Degree,
    Employer,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    GraduateProfile,
    ImportStatus,
    Industry,
    Intention,
    Job,
    JobStatus,
    JobType,
    Message,
    RegistryImport,
    Resume,
    ResumeEntry,
    ResumeSection,
)
from employment.throttles import VerifyThrottle, WriteThrottle
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution
from smartedu.portal.client import client_ip

# --- Shared pieces --------------------------------------------------------------------------------------


class EmploymentCodeNameSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class EmploymentIdNameSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def enum_field(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field; its enum's schema name comes from ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``
    (employment's several ``status`` and ``type`` choice sets would otherwise get hashed names)."""
    return serializers.ChoiceField(choices=choices, **kwargs)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _require(allowed: bool, request: Request, message: str) -> None:
    if not request.user.is_authenticated:
        raise_not_authenticated()
    if not allowed:
        raise PermissionDenied(message)


def raise_not_authenticated() -> None:
    from rest_framework.exceptions import NotAuthenticated

    raise NotAuthenticated


class WritesThrottled:
    """Reads use the default throttles; writes also the per-address write limit."""

    def get_throttles(self) -> list:
        throttles = list(super().get_throttles())  # type: ignore[misc]
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):  # type: ignore[attr-defined]
            throttles.append(WriteThrottle())
        return throttles


# --- Jobs -----------------------------------------------------------------------------------------------


class JobSerializer(serializers.ModelSerializer):
    employer = EmploymentIdNameSerializer(read_only=True)
    education = enum_field(Degree.choices, read_only=True)
    job_type = enum_field(JobType.choices, read_only=True)
    status = enum_field(JobStatus.choices, read_only=True)
    industry = EmploymentCodeNameSerializer(read_only=True)
    province = EmploymentCodeNameSerializer(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "employer",
            "industry",
            "province",
            "city",
            "education",
            "specialty_class",
            "job_type",
            "salary_min",
            "salary_max",
            "headcount",
            "status",
            "posted_at",
            "expires_at",
            "url",
        ]

    def get_url(self, job: Job) -> str:
        return reverse("employment:job", args=[job.pk])


class JobDetailSerializer(JobSerializer):
    review_flags = serializers.JSONField(read_only=True)

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "description", "review_flags"]


class JobInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=10_000)
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Industry.objects.all())
    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    city = serializers.CharField(max_length=40)
    education = enum_field(choices=Degree.choices)
    specialty_class = serializers.CharField(max_length=4, required=False, allow_blank=True, default="")
    job_type = enum_field(choices=JobType.choices, default=JobType.FULL_TIME)
    salary_min = serializers.IntegerField(min_value=0, max_value=10_000_000)
    salary_max = serializers.IntegerField(min_value=0, max_value=10_000_000)
    headcount = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_specialty_class(self, value: str) -> str:
        if value and value not in dict(selectors.specialty_class_choices()):
            raise serializers.ValidationError("Unknown specialty class.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["salary_min"] > attrs["salary_max"]:
            raise serializers.ValidationError({"salary_min": ["The minimum salary is above the maximum."]})
        return attrs

    def to_input(self) -> services.JobInput:
        return services.JobInput(**self.validated_data)


class JobParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    province = serializers.CharField(required=False, allow_blank=True, max_length=2, default="")
    city = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    industry = serializers.CharField(required=False, allow_blank=True, max_length=1, default="")
    education = enum_field(choices=Degree.choices, required=False, allow_blank=True, default="")
    specialty_class = serializers.CharField(required=False, allow_blank=True, max_length=4, default="")
    salary = serializers.IntegerField(
        required=False, min_value=0, max_value=10_000_000, allow_null=True, default=None
    )
    job_type = enum_field(choices=JobType.choices, required=False, allow_blank=True, default="")
    within_days = serializers.IntegerField(
        required=False, min_value=1, max_value=365, allow_null=True, default=None
    )
    sort = enum_field(choices=["newest", "salary", "relevance"], required=False, default="newest")
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.RELEVANCE_MAX_PAGES, default=1
    )

    def validate_cursor(self, value: str) -> str:
        if value and selectors.decode_cursor(value) is None:
            raise serializers.ValidationError("Not a cursor this list gave out.")
        return value

    def filters(self) -> selectors.JobFilters:
        return selectors.JobFilters(**self.validated_data)


JobPageSerializer = inline_serializer(
    "EmploymentJobPage",
    {
        "count": serializers.IntegerField(help_text="Matching jobs, counted up to 1,000."),
        "count_capped": serializers.BooleanField(help_text="True when there are more than 1,000."),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": JobSerializer(many=True),
    },
)


class JobListView(WritesThrottled, APIView):
    """Open jobs with filters; keyset pages (``next`` carries a cursor). ``POST`` by verified employers."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[JobParamsSerializer], responses=JobPageSerializer, operation_id="employment_jobs_list"
    )
    def get(self, request: Request) -> Response:
        params = JobParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = selectors.job_search(filters=params.filters())
        next_url = None
        if page.has_next:
            query = request.query_params.copy()
            if page.next_cursor:
                query["cursor"] = page.next_cursor
            else:
                query["page"] = str(page.page + 1)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "next": next_url,
                "previous": None,
                "results": JobSerializer(page.jobs, many=True).data,
            }
        )

    @extend_schema(request=JobInputSerializer, responses={201: JobDetailSerializer})
    def post(self, request: Request) -> Response:
        _require(access.is_verified_employer(request.user), request, "Only verified employers post jobs.")
        data = JobInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.job_create(actor=_user(request), data=data.to_input())
        return Response(JobDetailSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailView(WritesThrottled, APIView):
    """A visible job (or one's own, in any status). ``PATCH`` edits and ``DELETE`` closes one's own."""

    permission_classes = [permissions.AllowAny]

    def _job(self, request: Request, pk: int) -> Job:
        job = selectors.job_detail(pk=pk)
        if job is None:
            employer = access.verified_employer(request.user)
            job = Job.objects.filter(pk=pk, employer=employer).first() if employer else None
        if job is None:
            raise Http404
        return job

    @extend_schema(responses=JobDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(JobDetailSerializer(self._job(request, pk)).data)

    @extend_schema(request=JobInputSerializer, responses=JobDetailSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        _require(access.is_verified_employer(request.user), request, "Only verified employers edit jobs.")
        job = access.access_own_job(request.user, pk)
        current = JobInputSerializer(
            {
                **{
                    f: getattr(job, f)
                    for f in (
                        "title",
                        "description",
                        "city",
                        "education",
                        "specialty_class",
                        "job_type",
                        "salary_min",
                        "salary_max",
                        "headcount",
                        "expires_at",
                    )
                },
                "industry": job.industry,
                "province": job.province,
            }
        ).data
        data = JobInputSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        job = services.job_update(actor=_user(request), job=job, data=data.to_input())
        return Response(JobDetailSerializer(job).data)

    @extend_schema(responses=JobDetailSerializer)
    def delete(self, request: Request, pk: int) -> Response:
        _require(access.is_verified_employer(request.user), request, "Only verified employers close jobs.")
        job = services.job_close(actor=_user(request), job=access.access_own_job(request.user, pk))
        return Response(JobDetailSerializer(job).data)


RecommendationSerializer = inline_serializer(
    "EmploymentRecommendation", {"job": JobSerializer(), "reason": serializers.CharField()}, many=True
)


class RecommendedJobsView(APIView):
    """Jobs matching the graduate's intention, each with its reason (graduates only)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=RecommendationSerializer)
    def get(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates get job recommendations.")
        rows = selectors.recommended_jobs(user=request.user)
        return Response([{"job": JobSerializer(r.job).data, "reason": r.reason} for r in rows])


# --- Verification and the registry ------------------------------------------------------------------------


class VerificationSerializer(serializers.ModelSerializer):
    university = EmploymentIdNameSerializer(read_only=True)
    degree = enum_field(Degree.choices, read_only=True)

    class Meta:
        model = GraduateProfile
        fields = ["name", "university", "specialty", "degree", "graduation_year", "verified_at"]


class VerificationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, min_length=18)
    university = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    specialty = serializers.CharField(max_length=60)
    degree = enum_field(choices=Degree.choices)
    graduation_year = serializers.IntegerField(min_value=1950, max_value=2100)


class VerificationView(APIView):
    """``GET`` one's verification (404 when not verified); ``POST`` checks one's details against the
    registry: a mismatch names the field, never the registry's value (graduates only)."""

    permission_classes = [permissions.IsAuthenticated]

    def get_throttles(self) -> list:
        return (
            [*super().get_throttles(), VerifyThrottle()]
            if self.request.method == "POST"
            else super().get_throttles()
        )

    @extend_schema(responses=VerificationSerializer)
    def get(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates verify their student status.")
        profile = access.graduate_profile(request.user)
        if profile is None:
            raise Http404
        return Response(VerificationSerializer(profile).data)

    @extend_schema(request=VerificationInputSerializer, responses=VerificationSerializer)
    def post(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates verify their student status.")
        data = VerificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.graduate_verify(user=_user(request), **data.validated_data)
        return Response(VerificationSerializer(profile).data)


class RegistryImportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    status = enum_field(ImportStatus.choices, read_only=True)

    class Meta:
        model = RegistryImport
        fields = [
            "id",
            "status",
            "total",
            "processed",
            "percent",
            "created",
            "updated",
            "unchanged",
            "errors",
            "started_at",
            "finished_at",
        ]


class RegistryImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="UTF-8 CSV: name,id_number,university,specialty,degree,graduation_year"
    )


MAX_REGISTRY_BYTES = 50 * 1024 * 1024


class RegistryImportView(APIView):
    """``POST`` a registry CSV (administrators): good rows are imported, each bad row reported with its
    line number. ``GET`` lists the imports with their progress."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(responses=RegistryImportSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require(
            access.registry_importable(request.user), request, "Only administrators import the registry."
        )
        imports = selectors.registry_imports(user=request.user)[:50]
        return Response(RegistryImportSerializer(imports, many=True).data)

    @extend_schema(
        request={"multipart/form-data": RegistryImportInputSerializer},
        responses={201: RegistryImportSerializer},
    )
    def post(self, request: Request) -> Response:
        _require(
            access.registry_importable(request.user), request, "Only administrators import the registry."
        )
        data = RegistryImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > MAX_REGISTRY_BYTES:
            raise serializers.ValidationError({"file": ["The file is larger than 50 MB."]})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError({"file": ["The file is not UTF-8 text."]}) from exc
        job = services.registry_import(actor=_user(request), text=text, client_ip=client_ip(request))
        return Response(RegistryImportSerializer(job).data, status=status.HTTP_201_CREATED)


class RegistryImportDetailView(generics.RetrieveAPIView):
    serializer_class = RegistryImportSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[RegistryImport]:
        return selectors.registry_imports(user=self.request.user)


# --- Intention and résumé ---------------------------------------------------------------------------------


class IntentionSerializer(serializers.ModelSerializer):
    industries = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Industry.objects.all())
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Province.objects.all())
    salary_min = serializers.IntegerField(min_value=0, max_value=10_000_000, allow_null=True, required=False)
    salary_max = serializers.IntegerField(min_value=0, max_value=10_000_000, allow_null=True, required=False)
    job_type = enum_field(JobType.choices, required=False, default=JobType.FULL_TIME)

    class Meta:
        model = Intention
        fields = [
            "industries",
            "provinces",
            "cities",
            "positions",
            "salary_min",
            "salary_max",
            "job_type",
            "available_from",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("salary_min"), attrs.get("salary_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"salary_min": ["The minimum salary is above the maximum."]})
        return attrs


class IntentionView(WritesThrottled, APIView):
    """One's own employment intention (graduates): ``GET`` (404 before the first ``PUT``) and ``PUT``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=IntentionSerializer)
    def get(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates keep an intention.")
        intention = selectors.intention_of(user=request.user)
        if intention is None:
            raise Http404
        return Response(IntentionSerializer(intention).data)

    @extend_schema(request=IntentionSerializer, responses=IntentionSerializer)
    def put(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates keep an intention.")
        data = IntentionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "updated_at"}
        intention = services.intention_save(user=_user(request), **values)
        return Response(IntentionSerializer(selectors.intention_of(user=intention.user)).data)


class ResumeEntrySerializer(serializers.ModelSerializer):
    section = enum_field(choices=ResumeSection.choices)

    class Meta:
        model = ResumeEntry
        fields = ["section", "title", "organisation", "start", "end", "description"]


class ResumeSerializer(serializers.ModelSerializer):
    entries = ResumeEntrySerializer(many=True, required=False)
    consent = serializers.BooleanField(required=False, help_text="Visible to employers (talent search).")
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = Resume
        fields = [
            "headline",
            "phone",
            "email",
            "skills",
            "certificates",
            "awards",
            "entries",
            "consent",
            "consent_at",
            "attachment",
            "updated_at",
        ]
        read_only_fields = ["consent_at", "updated_at"]

    def get_attachment(self, resume: Resume) -> bool:
        return bool(resume.attachment)

    def to_representation(self, resume: Resume) -> dict[str, Any]:
        data = super().to_representation(resume)
        data["consent"] = resume.consent_at is not None
        return data


class ResumeView(WritesThrottled, APIView):
    """One's own résumé (graduates): ``GET`` and ``PUT`` (fields, every section entry, consent)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ResumeSerializer)
    def get(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates keep a résumé.")
        resume = selectors.resume_of(user=request.user)
        if resume is None:
            raise Http404
        return Response(ResumeSerializer(resume).data)

    @extend_schema(request=ResumeSerializer, responses=ResumeSerializer)
    def put(self, request: Request) -> Response:
        _require(access.is_graduate(request.user), request, "Only graduates keep a résumé.")
        data = ResumeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entries = values.pop("entries", None)
        consent = values.pop("consent", None)
        user = _user(request)
        services.resume_save(user=user, **values)
        if entries is not None:
            services.resume_entries_replace(user=user, entries=[services.EntryInput(**e) for e in entries])
        if consent is not None:
            services.resume_consent_set(user=user, consent=consent)
        return Response(ResumeSerializer(selectors.resume_of(user=user)).data)


class ResumePdfView(APIView):
    """One's own résumé as a PDF (Noto CJK, rendered on the server)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request) -> HttpResponse:
        _require(access.is_graduate(request.user), request, "Only graduates keep a résumé.")
        resume = selectors.resume_of(user=request.user)
        if resume is None:
            raise Http404
        return pdf.resume_response(resume=resume, profile=access.graduate_profile(request.user))


# --- Applications and messages ------------------------------------------------------------------------------


class ApplicationEventSerializer(serializers.ModelSerializer):
    status = enum_field(ApplicationStatus.choices, read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["status", "created_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    job = JobSerializer(read_only=True)
    graduate = serializers.IntegerField(source="graduate_id", read_only=True)
    status = enum_field(ApplicationStatus.choices, read_only=True)
    unread = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Application
        fields = ["id", "job", "graduate", "status", "created_at", "updated_at", "unread"]


class ApplicationDetailSerializer(ApplicationSerializer):
    history = ApplicationEventSerializer(source="events", many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "history"]


class ApplicationInputSerializer(serializers.Serializer):
    job = serializers.PrimaryKeyRelatedField(queryset=Job.objects.all())


class ApplicationPatchSerializer(serializers.Serializer):
    status = enum_field(
        choices=[s for s in ApplicationStatus.values if s != ApplicationStatus.SUBMITTED],
        help_text="Employers move along the pipeline; a graduate sends 'withdrawn'.",
    )


class ApplicationListView(WritesThrottled, generics.ListAPIView):
    """A graduate's own applications, or a verified employer's to its jobs. ``POST {job}`` applies:
    201, or 200 with the existing application (verified graduates)."""

    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Application]:
        if not (access.is_graduate(self.request.user) or access.is_verified_employer(self.request.user)):
            raise PermissionDenied("Only graduates and verified employers have applications.")
        return selectors.my_applications(user=self.request.user)

    @extend_schema(
        request=ApplicationInputSerializer,
        responses={200: ApplicationDetailSerializer, 201: ApplicationDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        _require(
            access.is_verified_graduate(request.user), request, "Only verified graduates apply for jobs."
        )
        data = ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application, created = services.application_create(
            graduate=_user(request), job=data.validated_data["job"]
        )
        return Response(
            ApplicationDetailSerializer(application).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ApplicationDetailView(WritesThrottled, APIView):
    """One application (its graduate's, or its employer's) with its history. ``PATCH {status}``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        application = access.access_application(request.user, pk)
        return Response(ApplicationDetailSerializer(application).data)

    @extend_schema(request=ApplicationPatchSerializer, responses=ApplicationDetailSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        application = access.access_application(request.user, pk)
        data = ApplicationPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = data.validated_data["status"]
        user = _user(request)
        if application.graduate_id == user.pk:
            if wanted != ApplicationStatus.WITHDRAWN:
                raise PermissionDenied("A graduate may only withdraw an application.")
            application = services.application_withdraw(graduate=user, application=application)
        else:
            application = services.application_status_set(actor=user, application=application, status=wanted)
        return Response(ApplicationDetailSerializer(application).data)


class MessageSerializer(serializers.ModelSerializer):
    mine = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "body", "created_at", "read_at", "mine"]

    def get_mine(self, message: Message) -> bool:
        return message.sender_id == self.context["user"].pk


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class MessageListView(WritesThrottled, APIView):
    """The thread of one application; reading it marks the other party's messages read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MessageSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        application = access.access_application(request.user, pk)
        messages = selectors.application_messages(application=application)
        services.messages_mark_read(reader=_user(request), application=application)
        return Response(MessageSerializer(messages, many=True, context={"user": request.user}).data)

    @extend_schema(request=MessageInputSerializer, responses={201: MessageSerializer})
    def post(self, request: Request, pk: int) -> Response:
        application = access.access_application(request.user, pk)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_send(
            sender=_user(request), application=application, body=data.validated_data["body"]
        )
        return Response(
            MessageSerializer(message, context={"user": request.user}).data, status=status.HTTP_201_CREATED
        )


# --- Employers ----------------------------------------------------------------------------------------------


class EmployerSerializer(serializers.ModelSerializer):
    industry = EmploymentCodeNameSerializer(read_only=True)
    province = EmploymentCodeNameSerializer(read_only=True)
    size = enum_field(EmployerSize.choices, read_only=True)
    type = enum_field(EmployerType.choices, read_only=True)
    status = enum_field(EmployerStatus.choices, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "industry",
            "province",
            "city",
            "size",
            "type",
            "description",
            "status",
            "url",
        ]

    def get_url(self, employer: Employer) -> str:
        return reverse("employment:employer", args=[employer.pk])


class OwnEmployerSerializer(EmployerSerializer):
    class Meta(EmployerSerializer.Meta):
        fields = [*EmployerSerializer.Meta.fields, "credit_code", "reviewed_at", "created_at"]


class EmployerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=18)
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Industry.objects.all())
    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    city = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    size = enum_field(choices=EmployerSize.choices)
    type = enum_field(choices=EmployerType.choices)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    licence = serializers.FileField(help_text="Business licence: PDF, PNG or JPEG (checked by content).")


class EmployerPatchSerializer(EmployerInputSerializer):
    licence = serializers.FileField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class EmployerListView(WritesThrottled, generics.ListAPIView):
    """Verified employers (public). ``POST`` registers one's organisation (employer accounts; multipart,
    with the licence): it waits for an administrator of its province."""

    serializer_class = EmployerSerializer
    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Employer]:
        return Employer.objects.verified().select_related("industry", "province").order_by("name", "pk")

    @extend_schema(
        request={"multipart/form-data": EmployerInputSerializer}, responses={201: OwnEmployerSerializer}
    )
    def post(self, request: Request) -> Response:
        _require(
            access.is_employer_account(request.user),
            request,
            "Only employer accounts register an organisation.",
        )
        data = EmployerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.employer_register(user=_user(request), **data.validated_data)
        return Response(OwnEmployerSerializer(employer).data, status=status.HTTP_201_CREATED)


class EmployerDetailView(WritesThrottled, APIView):
    """A verified employer (public), or one's own in any status; ``PATCH`` one's own (multipart)."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(
        responses=EmployerSerializer,
        description="Another organisation's public fields; one's own organisation adds `credit_code`, "
        "`reviewed_at` and `created_at` (in any status).",
    )
    def get(self, request: Request, pk: int) -> Response:
        own = access.employer_of(request.user)
        if own is not None and own.pk == pk:
            return Response(OwnEmployerSerializer(own).data)
        employer = selectors.employer_public(pk=pk)
        if employer is None:
            raise Http404
        return Response(EmployerSerializer(employer).data)

    @extend_schema(request={"multipart/form-data": EmployerPatchSerializer}, responses=OwnEmployerSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        _require(
            access.is_employer_account(request.user), request, "Only the employer edits its organisation."
        )
        own = access.employer_of(request.user)
        if own is None or own.pk != pk:
            raise Http404
        data = EmployerPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.employer_update(employer=own, actor=_user(request), **data.validated_data)
        return Response(OwnEmployerSerializer(employer).data)


class ReviewInputSerializer(serializers.Serializer):
    decision = enum_field(choices=[EmployerStatus.VERIFIED, EmployerStatus.REJECTED])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EmployerReviewView(APIView):
    """An administrator of the employer's province verifies or rejects it (logged). ``GET`` shows it with
    its credit code to the administrators who may review it."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [WriteThrottle]

    @extend_schema(responses=OwnEmployerSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _require(access.employers_reviewable(request.user), request, "Only administrators review employers.")
        return Response(OwnEmployerSerializer(access.access_employer_for_review(request.user, pk)).data)

    @extend_schema(request=ReviewInputSerializer, responses=OwnEmployerSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _require(access.employers_reviewable(request.user), request, "Only administrators review employers.")
        employer = access.access_employer_for_review(request.user, pk)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.employer_review(
            employer=employer, actor=_user(request), client_ip=client_ip(request), **data.validated_data
        )
        return Response(OwnEmployerSerializer(employer).data)


# --- Talent and supply (verified employers) ---------------------------------------------------------------


class TalentSerializer(serializers.ModelSerializer):
    graduate = serializers.IntegerField(source="user_id", read_only=True)
    university = EmploymentIdNameSerializer(read_only=True)
    headline = serializers.CharField(source="user.resume.headline", read_only=True)
    skills = serializers.CharField(source="user.resume.skills", read_only=True)
    degree = enum_field(Degree.choices, read_only=True)

    class Meta:
        model = GraduateProfile
        fields = ["graduate", "university", "specialty", "degree", "graduation_year", "headline", "skills"]


class TalentParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    university = serializers.IntegerField(required=False, allow_null=True, default=None)
    degree = enum_field(choices=Degree.choices, required=False, allow_blank=True, default="")


class TalentView(generics.ListAPIView):
    """Graduates whose résumé is open to employers (consent), for verified employers. No names, phones
    or ID numbers here: the résumé itself shows what the graduate allowed."""

    serializer_class = TalentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    @extend_schema(parameters=[TalentParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[GraduateProfile]:
        if not access.is_verified_employer(self.request.user):
            raise PermissionDenied("Only verified employers search talent.")
        params = TalentParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.talent_search(user=self.request.user, **params.validated_data)


class TalentResumeSerializer(serializers.Serializer):
    graduate = serializers.IntegerField(source="resume.user_id")
    name = serializers.CharField(source="profile.name", allow_null=True, default=None)
    university = serializers.CharField(source="profile.university.name", allow_null=True, default=None)
    specialty = serializers.CharField(source="profile.specialty", allow_null=True, default=None)
    phone = serializers.CharField(help_text="Masked unless the graduate applied to your organisation.")
    id_number = serializers.CharField(help_text="Masked unless the graduate applied to your organisation.")
    applied = serializers.BooleanField()
    resume = ResumeSerializer()


class TalentResumeView(APIView):
    """One graduate's résumé, for a verified employer: only with the graduate's consent or an application
    to this employer (404 otherwise); phone and ID number masked unless the graduate applied."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=TalentResumeSerializer)
    def get(self, request: Request, graduate_id: int) -> Response:
        _require(access.is_verified_employer(request.user), request, "Only verified employers read résumés.")
        view = selectors.resume_for_employer(user=request.user, graduate_id=graduate_id)
        return Response(TalentResumeSerializer(view).data)


class SupplyParamsSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1950, max_value=2100)
    university = serializers.IntegerField(required=False, allow_null=True, default=None)
    degree = enum_field(choices=Degree.choices, required=False, allow_blank=True, default="")


SupplyCellSerializer = inline_serializer(
    "EmploymentSupplyCell",
    {
        "university_id": serializers.IntegerField(),
        "university": serializers.CharField(),
        "specialty": serializers.CharField(),
        "degree": serializers.CharField(),
        "count": serializers.IntegerField(allow_null=True, help_text="null: fewer than 5 (suppressed)"),
    },
    many=True,
)


class SupplyView(APIView):
    """Graduate supply (生源信息) for a year by university × specialty × degree; cells under 5 are null."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[SupplyParamsSerializer], responses=SupplyCellSerializer)
    def get(self, request: Request) -> Response:
        _require(
            access.is_verified_employer(request.user), request, "Only verified employers look up supply."
        )
        params = SupplyParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        cells = selectors.graduate_supply(**params.validated_data)
        return Response([cell.__dict__ for cell in cells])
