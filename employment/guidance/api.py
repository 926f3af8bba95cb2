"""``/api/v1/employment/assessments/`` and ``/api/v1/employment/guidance/``.

Assessments and guidance content are public to read. ``POST assessments/{id}/submissions/`` graduates
(201; 200 with the first result for a repeated ``token``; 400 naming the missing answers); a result is read
by its graduate and those it is shared with (``POST assessments/results/{id}/shares/``). Lists paginate and
filter. Writes are rate-limited per client address.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employment.api import WritesThrottled, _require, enum_field
from employment.guidance import access, selectors, services
from employment.guidance.models import (
    Article,
    ArticleCategory,
    Assessment,
    AssessmentKind,
    CareerCase,
    Destination,
    Dimension,
    EncyclopediaEntry,
    KeyProgram,
    LiveCourse,
    ProgramKind,
    Question,
    Submission,
    TrainingCourse,
)
from smartedu.accounts.models import User


def _user(request: Request) -> User:
    return cast(User, request.user)


# --- Assessments ---------------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    kind = enum_field(AssessmentKind.choices, read_only=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "slug", "title", "kind", "summary", "minutes", "question_count"]


class GuidanceDimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dimension
        fields = ["code", "name", "description"]


class GuidanceQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["number", "text"]


class AssessmentDetailSerializer(serializers.ModelSerializer):
    kind = enum_field(AssessmentKind.choices, read_only=True)
    dimensions = GuidanceDimensionSerializer(many=True, read_only=True)
    questions = GuidanceQuestionSerializer(many=True, read_only=True)
    scale = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "summary",
            "instructions",
            "minutes",
            "scale",
            "dimensions",
            "questions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_scale(self, assessment: Assessment) -> list[dict[str, Any]]:
        return [{"value": int(v), "label": label} for v, label in assessment.scale]


class GuidanceProfileDimensionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.IntegerField()
    level = serializers.CharField()
    explanation = serializers.CharField()
    careers = serializers.CharField()


class SubmissionSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    scores = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    profile = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["id", "assessment", "created_at", "scores", "profile"]

    @extend_schema_field(serializers.DictField(help_text="code, summary and dimensions (highest first)"))
    def get_profile(self, submission: Submission) -> dict[str, Any]:
        profile = services.submission_profile(submission=submission)
        return {
            "code": profile.code,
            "summary": profile.summary,
            "dimensions": GuidanceProfileDimensionSerializer(profile.dimensions, many=True).data,
        }


class SubmissionInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(), help_text="{question number: answer value}"
    )
    token = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AssessmentListView(generics.ListAPIView):
    """The career assessments."""

    serializer_class = AssessmentSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.assessment_list()


class AssessmentDetailView(APIView):
    """One assessment with its scale, dimensions and questions."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=AssessmentDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        assessment = selectors.assessment_detail(pk=pk)
        if assessment is None:
            raise Http404
        return Response(AssessmentDetailSerializer(assessment).data)


class SubmissionListView(WritesThrottled, generics.ListAPIView):
    """A graduate's own results of this assessment; ``POST {answers, token}`` takes it."""

    serializer_class = SubmissionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> Any:
        _require(
            access.assessment_takable(self.request.user),
            self.request,
            "Only graduates take assessments.",
        )
        return selectors.my_submissions(user=self.request.user).filter(assessment_id=self.kwargs["pk"])

    @extend_schema(
        request=SubmissionInputSerializer, responses={200: SubmissionSerializer, 201: SubmissionSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        _require(access.assessment_takable(request.user), request, "Only graduates take assessments.")
        assessment = Assessment.objects.filter(pk=pk).first()
        if assessment is None:
            raise Http404
        data = SubmissionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission, created = services.submission_create(
            user=_user(request), assessment=assessment, **data.validated_data
        )
        return Response(
            SubmissionSerializer(submission).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SubmissionDetailView(APIView):
    """One result: its graduate's, or one shared with the reader."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=SubmissionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(SubmissionSerializer(access.access_submission(request.user, pk)).data)


class GuidanceShareInputSerializer(serializers.Serializer):
    recipient = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class GuidanceShareSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission_id")
    recipient = serializers.IntegerField(source="recipient_id")
    created_at = serializers.DateTimeField()


class ShareView(WritesThrottled, APIView):
    """``POST {recipient}``: share one's result with a counsellor or an officer of one's university."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=GuidanceShareInputSerializer,
        responses={200: GuidanceShareSerializer, 201: GuidanceShareSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        submission = access.access_own_submission(request.user, pk)
        data = GuidanceShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        share, created = services.submission_share(
            graduate=_user(request), submission=submission, recipient=data.validated_data["recipient"]
        )
        return Response(
            GuidanceShareSerializer(share).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Content -------------------------------------------------------------------------------------------


class GuidanceArticleSerializer(serializers.ModelSerializer):
    category = enum_field(ArticleCategory.choices, read_only=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "category",
            "tags",
            "summary",
            "body",
            "source",
            "published_at",
            "view_count",
        ]

    def get_tags(self, article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]


class GuidanceCaseSerializer(serializers.ModelSerializer):
    destination = enum_field(Destination.choices, read_only=True)

    class Meta:
        model = CareerCase
        fields = [
            "id",
            "title",
            "person",
            "university",
            "specialty",
            "destination",
            "body",
            "lesson",
            "published_at",
            "view_count",
        ]


class GuidanceEncyclopediaSerializer(serializers.ModelSerializer):
    class Meta:
        model = EncyclopediaEntry
        fields = [
            "id",
            "title",
            "category",
            "summary",
            "duties",
            "requirements",
            "prospects",
            "salary",
            "specialties",
            "view_count",
        ]


class GuidanceLiveCourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = LiveCourse
        fields = [
            "id",
            "title",
            "speaker",
            "speaker_title",
            "description",
            "starts_at",
            "minutes",
            "replay_url",
            "registration_count",
        ]


class GuidanceTrainingCourseSerializer(serializers.ModelSerializer):
    lesson_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingCourse
        fields = ["id", "title", "provider", "category", "description", "lesson_count"]


class GuidanceProgramSerializer(serializers.ModelSerializer):
    kind = enum_field(ProgramKind.choices, read_only=True)

    class Meta:
        model = KeyProgram
        fields = [
            "id",
            "title",
            "kind",
            "organiser",
            "summary",
            "eligibility",
            "policies",
            "opens_on",
            "closes_on",
            "official_url",
        ]


class GuidanceArticleParams(serializers.Serializer):
    category = enum_field(ArticleCategory.choices, required=False, allow_blank=True, default="")
    tag = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    q = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class GuidanceCaseParams(serializers.Serializer):
    destination = enum_field(Destination.choices, required=False, allow_blank=True, default="")
    q = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class GuidanceEncyclopediaParams(serializers.Serializer):
    category = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    q = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class GuidanceLiveParams(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=["upcoming", "replay"], required=False, allow_blank=True, default=""
    )
    q = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class GuidanceTrainingParams(serializers.Serializer):
    category = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    q = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class GuidanceProgramParams(serializers.Serializer):
    kind = enum_field(ProgramKind.choices, required=False, allow_blank=True, default="")


def _list_view(
    name: str,
    serializer: type[serializers.Serializer],
    params: type[serializers.Serializer],
    select: Any,
    doc: str,
) -> type[generics.ListAPIView]:
    def get_queryset(self: generics.ListAPIView) -> Any:
        checked = params(data=self.request.query_params)
        checked.is_valid(raise_exception=True)
        return select(**checked.validated_data)

    @extend_schema(parameters=[params])
    def get(self: generics.ListAPIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        return generics.ListAPIView.get(self, request, *args, **kwargs)

    return type(
        name,
        (generics.ListAPIView,),
        {
            "__doc__": doc,
            "serializer_class": serializer,
            "permission_classes": [permissions.AllowAny],
            "filter_backends": [],
            "get_queryset": get_queryset,
            "get": get,
        },
    )


ArticleListView = _list_view(
    "ArticleListView",
    GuidanceArticleSerializer,
    GuidanceArticleParams,
    selectors.article_list,
    "Policy and news articles (``category``, ``tag``, ``q``).",
)
CaseListView = _list_view(
    "CaseListView",
    GuidanceCaseSerializer,
    GuidanceCaseParams,
    selectors.case_list,
    "Career cases (``destination``, ``q``).",
)
EncyclopediaListView = _list_view(
    "EncyclopediaListView",
    GuidanceEncyclopediaSerializer,
    GuidanceEncyclopediaParams,
    selectors.encyclopedia_list,
    "Career encyclopedia (``category``, ``q``).",
)
LiveCourseListView = _list_view(
    "LiveCourseListView",
    GuidanceLiveCourseSerializer,
    GuidanceLiveParams,
    selectors.live_list,
    "Live guidance courses (``when=upcoming|replay``, ``q``).",
)
TrainingCourseListView = _list_view(
    "TrainingCourseListView",
    GuidanceTrainingCourseSerializer,
    GuidanceTrainingParams,
    selectors.training_list,
    "Training courses (``category``, ``q``).",
)
ProgramListView = _list_view(
    "ProgramListView",
    GuidanceProgramSerializer,
    GuidanceProgramParams,
    selectors.program_list,
    "Key guidance programmes (``kind``).",
)


class GuidanceLiveRegistrationSerializer(serializers.Serializer):
    course = serializers.IntegerField(source="course_id")
    created_at = serializers.DateTimeField()


class LiveRegistrationView(WritesThrottled, APIView):
    """``POST``: register for a live course (signed-in accounts; 201, then 200)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: GuidanceLiveRegistrationSerializer, 201: GuidanceLiveRegistrationSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        course = LiveCourse.objects.filter(pk=pk).first()
        if course is None:
            raise Http404
        registration, created = services.live_register(user=_user(request), course=course)
        return Response(
            GuidanceLiveRegistrationSerializer(registration).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class GuidanceProgressInputSerializer(serializers.Serializer):
    lesson = serializers.IntegerField(min_value=1)


class GuidanceProgressSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class TrainingProgressView(WritesThrottled, APIView):
    """A graduate's progress in a training course; ``POST {lesson}`` marks a lesson done."""

    permission_classes = [permissions.IsAuthenticated]

    def _course(self, request: Request, pk: int) -> TrainingCourse:
        _require(access.training_enrollable(request.user), request, "Training courses are for graduates.")
        course = TrainingCourse.objects.filter(pk=pk).first()
        if course is None:
            raise Http404
        return course

    def _progress(self, request: Request, course: TrainingCourse) -> Response:
        progress = selectors.training_progress(user=request.user, course=course)
        return Response({"done": sorted(progress.done), "total": progress.total, "percent": progress.percent})

    @extend_schema(responses=GuidanceProgressSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return self._progress(request, self._course(request, pk))

    @extend_schema(request=GuidanceProgressInputSerializer, responses=GuidanceProgressSerializer)
    def post(self, request: Request, pk: int) -> Response:
        course = self._course(request, pk)
        data = GuidanceProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.training_lesson_complete(
            user=_user(request), course=course, lesson_number=data.validated_data["lesson"]
        )
        return self._progress(request, course)
