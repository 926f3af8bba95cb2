"""``/api/v1/higher-ed/``: InputSerializer → one service or selector → OutputSerializer.

Reads are public and start from the visibility methods; writes need an account, are rate-limited per client
address, and are allowed or refused by ``higher_ed.access`` inside the services.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from higher_ed import access, rules, selectors, services
from higher_ed.catalogue import CourseResults
from higher_ed.filters import CatalogueParamsSerializer, MonitoringParamsSerializer, SuggestParamsSerializer
from higher_ed.models import (
    RUN_STATUS_BITS,
    Course,
    CourseRun,
    CourseUnit,
    CreditCourseFigure,
    Enrollment,
    Platform,
    Teacher,
)
from higher_ed.throttles import SuggestThrottle, WriteThrottle
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution

# --- Output -------------------------------------------------------------------------------------------


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class IdNameSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CourseTeacherBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="teacher_id", read_only=True)
    name = serializers.CharField(source="teacher.name", read_only=True)


class CourseSerializer(serializers.ModelSerializer):
    university = IdNameSerializer(read_only=True)
    teachers = CourseTeacherBriefSerializer(source="ordered_teachers", many=True, read_only=True)
    platform = CodeNameSerializer(read_only=True)
    category = CodeNameSerializer(read_only=True)
    specialty_class = CodeNameSerializer(read_only=True, allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), source="language_codes", read_only=True)
    run_statuses = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "university",
            "teachers",
            "platform",
            "category",
            "specialty_class",
            "languages",
            "first_class",
            "credit",
            "credits",
            "international",
            "run_statuses",
            "enrollment_count",
            "hot_score",
            "published_at",
            "url",
        ]

    def get_run_statuses(self, course: Course) -> list[str]:
        return [code for code, bit in RUN_STATUS_BITS.items() if course.run_statuses & bit]

    def get_url(self, course: Course) -> str:
        return reverse("higher_ed:course", args=[course.pk])


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseUnit
        fields = ["id", "order", "title", "video_seconds", "quiz_count"]


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseRun
        fields = ["id", "term", "start", "end", "status"]


class CourseDetailSerializer(CourseSerializer):
    units = UnitSerializer(many=True, read_only=True)
    runs = RunSerializer(many=True, read_only=True)
    source_link = serializers.SerializerMethodField()

    class Meta(CourseSerializer.Meta):
        fields = [
            *CourseSerializer.Meta.fields,
            "summary",
            "total_video_seconds",
            "units",
            "runs",
            "source_link",
        ]

    def get_source_link(self, course: Course) -> str | None:
        """Our click-counting redirect to the course on its platform (None without a source address)."""
        return reverse("higher_ed:course-source", args=[course.pk]) if course.source_url else None


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


FacetsSerializer = inline_serializer(
    "HigherEdFacets",
    {name: FacetValueSerializer(many=True) for name in selectors.FACETS},
)


class CourseSuggestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.CharField(help_text="course, university or teacher")
    url = serializers.CharField()


class UniversitySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    course_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = ["id", "name", "province", "city", "category", "course_count", "url"]

    def get_url(self, university: Institution) -> str:
        return reverse("higher_ed:university", args=[university.pk])


class TeacherSerializer(serializers.ModelSerializer):
    university = IdNameSerializer(read_only=True, allow_null=True)
    course_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Teacher
        fields = ["id", "name", "title", "university", "course_count", "url"]

    def get_url(self, teacher: Teacher) -> str:
        return reverse("higher_ed:teacher", args=[teacher.pk])


class PlatformSerializer(serializers.ModelSerializer):
    course_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Platform
        fields = [
            "id",
            "code",
            "name",
            "english_name",
            "homepage",
            "international",
            "enabled",
            "course_count",
        ]


class CourseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, course: Course) -> str:
        return reverse("higher_ed:course", args=[course.pk])


class EnrollmentSerializer(serializers.ModelSerializer):
    run = RunSerializer(read_only=True)
    course = CourseBriefSerializer(read_only=True)
    completed = serializers.BooleanField(source="is_completed", read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "run", "course", "enrolled_at", "progress", "completed", "completed_at", "score"]


class MonitoringRowSerializer(serializers.ModelSerializer):
    term_label = serializers.SerializerMethodField()
    platform = serializers.CharField(source="platform.code", read_only=True)
    university = IdNameSerializer(read_only=True)
    completion_rate = serializers.SerializerMethodField()
    average_score = serializers.SerializerMethodField()

    class Meta:
        model = CreditCourseFigure
        fields = [
            "term",
            "term_label",
            "platform",
            "university",
            "credit_courses",
            "enrollments",
            "completions",
            "completion_rate",
            "average_score",
            "recognitions",
            "anomalies",
            "computed_at",
        ]

    def get_term_label(self, figure: CreditCourseFigure) -> str:
        return rules.term_label(figure.term)

    def get_completion_rate(self, figure: CreditCourseFigure) -> float | None:
        """Per cent of enrolments completed."""
        return round(100 * figure.completions / figure.enrollments, 1) if figure.enrollments else None

    def get_average_score(self, figure: CreditCourseFigure) -> float | None:
        return round(figure.score_total / figure.scored, 1) if figure.scored else None


# --- Input --------------------------------------------------------------------------------------------


class PlatformSwitchInputSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, trim_whitespace=True)


class EnrollmentInputSerializer(serializers.Serializer):
    run = serializers.PrimaryKeyRelatedField(queryset=CourseRun.objects.visible())


class ProgressInputSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=CourseUnit.objects.all())
    video_percent = serializers.IntegerField(min_value=0, max_value=100)
    quizzes_done = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    quiz_score = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)


# --- Catalogue ----------------------------------------------------------------------------------------


def _catalogue_params(request: Request) -> CatalogueParamsSerializer:
    params = CatalogueParamsSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params


class CourseListView(generics.ListAPIView):
    """Visible courses filtered by every facet and a keyword; ordered by relevance, hot, newest, enrolled."""

    serializer_class = CourseSerializer
    filter_backends: list = []

    @extend_schema(parameters=[CatalogueParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> CourseResults:  # type: ignore[override]
        params = _catalogue_params(self.request)
        return selectors.course_search(query=params.query(), index=params.index)


class CourseDetailView(generics.RetrieveAPIView):
    serializer_class = CourseDetailSerializer

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.course_detail_queryset()


class FacetsView(APIView):
    """``{facet: [{value, label, count}]}``: counts respect the other chosen filters, not the facet's own."""

    @extend_schema(parameters=[CatalogueParamsSerializer], responses=FacetsSerializer)
    def get(self, request: Request) -> Response:
        params = _catalogue_params(request)
        facets = selectors.facet_counts(query=params.query(), index=params.index)
        return Response(
            {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in facets.items()
            }
        )


class SuggestView(APIView):
    """Up to ten course, university and teacher names containing ``q`` (typeahead)."""

    throttle_classes = [SuggestThrottle]

    @extend_schema(
        parameters=[SuggestParamsSerializer],
        responses=inline_serializer(
            "HigherEdSuggestions", {"suggestions": CourseSuggestionSerializer(many=True)}
        ),
    )
    def get(self, request: Request) -> Response:
        params = SuggestParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = selectors.suggestions(q=params.validated_data["q"])
        return Response(
            {
                "suggestions": [
                    {
                        "text": s.text,
                        "kind": s.kind,
                        "url": reverse(s.url_name, args=[s.pk])
                        if s.pk is not None
                        else f"{reverse(s.url_name)}?{urlencode({'q': s.text})}",
                    }
                    for s in found
                ]
            }
        )


class UniversityParamsSerializer(serializers.Serializer):
    province = serializers.SlugRelatedField(
        required=False,
        slug_field="code",
        queryset=Province.objects.all(),
        help_text="Province code (GB/T 2260).",
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class UniversityListView(generics.ListAPIView):
    """Universities with visible courses, most courses first (``?province=44``, ``?q=`` part of the name)."""

    serializer_class = UniversitySerializer
    filter_backends: list = []

    @extend_schema(parameters=[UniversityParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Institution]:
        params = UniversityParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        universities = selectors.university_list()
        if params.validated_data.get("province"):
            universities = universities.filter(province=params.validated_data["province"])
        if params.validated_data.get("q"):
            universities = universities.filter(name__icontains=params.validated_data["q"].strip())
        return universities


class TeacherParamsSerializer(serializers.Serializer):
    university = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class TeacherListView(generics.ListAPIView):
    """Teachers of visible courses (``?university=<id>``, ``?q=`` part of the name)."""

    serializer_class = TeacherSerializer
    filter_backends: list = []

    @extend_schema(parameters=[TeacherParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Teacher]:
        params = TeacherParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        teachers = selectors.teacher_list()
        if params.validated_data.get("university"):
            teachers = teachers.filter(university_id=params.validated_data["university"])
        if params.validated_data.get("q"):
            teachers = teachers.filter(name__icontains=params.validated_data["q"].strip())
        return teachers


# --- Platforms and the switch -------------------------------------------------------------------------


def _platforms_for(user: Any) -> QuerySet[Platform]:
    """Administrators see every platform (to switch one back on); everyone else the switched-on ones."""
    if access.switch_log_readable(user):
        return Platform.objects.all()
    return Platform.objects.visible()


def _with_course_counts(platforms: QuerySet[Platform]) -> QuerySet[Platform]:
    return platforms.annotate(course_count=Count("courses", filter=Q(courses__listed=True))).order_by(
        "order", "pk"
    )


class PlatformListView(generics.ListAPIView):
    serializer_class = PlatformSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Platform]:
        return _with_course_counts(_platforms_for(self.request.user))


class PlatformDetailView(generics.RetrieveAPIView):
    """A platform; ``PATCH {enabled, reason}`` switches it (ministry administrators only; logged)."""

    serializer_class = PlatformSerializer

    def get_queryset(self) -> QuerySet[Platform]:
        return _with_course_counts(_platforms_for(self.request.user))

    def get_throttles(self) -> list:
        if self.request.method == "PATCH":
            return [WriteThrottle()]
        return super().get_throttles()

    @extend_schema(request=PlatformSwitchInputSerializer, responses=PlatformSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        if not access.platform_switchable(request.user):
            return Response(
                {"detail": "Only ministry administrators switch partner platforms."},
                status=status.HTTP_403_FORBIDDEN,
            )
        platform = self.get_object()
        data = PlatformSwitchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.platform_switch(
            platform=platform,
            enabled=data.validated_data["enabled"],
            reason=data.validated_data["reason"],
            by=request.user,
        )
        return Response(PlatformSerializer(self.get_object()).data)


# --- Enrolments and progress --------------------------------------------------------------------------


class EnrollmentListCreateView(generics.ListAPIView):
    """Your own enrolments (in visible courses); ``POST {run}`` enrols: 201, or 200 with the existing one."""

    serializer_class = EnrollmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_throttles(self) -> list:
        if self.request.method == "POST":
            return [WriteThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Enrollment]:
        return selectors.my_enrollments(user=self.request.user)

    @extend_schema(
        request=EnrollmentInputSerializer, responses={200: EnrollmentSerializer, 201: EnrollmentSerializer}
    )
    def post(self, request: Request) -> Response:
        if not access.enrollment_allowed(request.user):
            self.permission_denied(request, message="Only students, teachers and graduates enrol in courses.")
        data = EnrollmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment, created = services.enrollment_create(
            user=cast(User, request.user), run=data.validated_data["run"]
        )
        enrollment = selectors.my_enrollments(user=request.user).get(pk=enrollment.pk)
        return Response(
            EnrollmentSerializer(enrollment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ProgressView(APIView):
    """Record progress in one unit of one of your enrolments; the enrolment's progress and score follow."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [WriteThrottle]

    @extend_schema(request=ProgressInputSerializer, responses=EnrollmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        enrollment = access.access_enrollment(request.user, pk)
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.progress_record(
            enrollment=enrollment,
            data=services.ProgressInput(
                unit=data.validated_data["unit"],
                video_percent=data.validated_data["video_percent"],
                quizzes_done=data.validated_data["quizzes_done"],
                quiz_score=data.validated_data.get("quiz_score"),
            ),
        )
        enrollment = selectors.my_enrollments(user=request.user).get(pk=pk)
        return Response(EnrollmentSerializer(enrollment).data)


# --- Monitoring ---------------------------------------------------------------------------------------


class MonitoringView(generics.ListAPIView):
    """Credit-course figures per term, platform and university, in the caller's scope.

    Ministry admins read every university, provincial admins those of their province, officers their own
    university; naming a university outside one's scope is 403.
    """

    serializer_class = MonitoringRowSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    @extend_schema(parameters=[MonitoringParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CreditCourseFigure]:
        if not access.monitoring_openable(self.request.user):
            raise PermissionDenied
        params = MonitoringParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.filters()
        scope = access.access_monitoring(self.request.user, university=filters.university)
        return selectors.monitoring_rows(scope=scope, filters=filters)
