"""``/api/v1/k12/``: thin DRF views over the K-12 selectors and services.

Lists share their FilterSets with the HTML pages (``k12.filters``): a filter value that names nothing is a
400 naming the field. Serializer names start with ``K12`` so that the schema's component names stay unique.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from k12 import access, selectors, services
from k12.filters import ETextbookFilter, LessonFilter, ResourceFilter, TextbookFilter
from k12.models import (
    Column,
    ETextbook,
    ETextbookChapter,
    Lesson,
    LessonHour,
    Question,
    QuestionKind,
    Resource,
    Section,
    Submission,
    SubmissionAnswer,
    Textbook,
    Unit,
)
from smartedu.accounts.models import User

# --- Serializers ---------------------------------------------------------------------------------


class K12ColumnSerializer(serializers.ModelSerializer):
    stage: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Column
        fields = ["id", "code", "name", "description", "order", "stage"]


class K12SectionSerializer(serializers.ModelSerializer):
    columns = K12ColumnSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "code", "name", "description", "order", "columns"]


class K12ResourceSerializer(serializers.ModelSerializer):
    section: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    column: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    tags: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    views = serializers.IntegerField(source="view_count", read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "kind",
            "audience",
            "section",
            "column",
            "tags",
            "summary",
            "url",
            "views",
            "published_at",
        ]


class K12ResourceDetailSerializer(K12ResourceSerializer):
    stage: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    subject: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta(K12ResourceSerializer.Meta):
        fields = [*K12ResourceSerializer.Meta.fields, "body", "video", "file", "duration", "stage", "subject"]


class K12NamedSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class K12TextbookSerializer(serializers.ModelSerializer):
    edition = K12NamedSerializer(read_only=True)
    subject = K12NamedSerializer(read_only=True)
    stage = K12NamedSerializer(read_only=True)
    grade: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )
    volume_name = serializers.CharField(source="get_volume_display", read_only=True)
    publisher: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Textbook
        fields = ["id", "title", "edition", "subject", "stage", "grade", "volume", "volume_name", "publisher"]


class K12LessonBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "order", "title"]


class K12UnitSerializer(serializers.ModelSerializer):
    lessons = K12LessonBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "order", "title", "lessons"]


class K12TextbookTreeSerializer(K12TextbookSerializer):
    units = K12UnitSerializer(many=True, read_only=True)

    class Meta(K12TextbookSerializer.Meta):
        fields = [*K12TextbookSerializer.Meta.fields, "units"]


class K12UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "order", "title"]


class K12LessonSerializer(serializers.ModelSerializer):
    unit = K12UnitBriefSerializer(read_only=True)
    subject = serializers.CharField(source="textbook.subject.code", read_only=True)
    stage = serializers.CharField(source="textbook.stage.code", read_only=True)
    edition = serializers.CharField(source="textbook.edition.code", read_only=True)
    grade = serializers.IntegerField(source="textbook.grade.number", read_only=True, allow_null=True)
    views = serializers.IntegerField(source="view_count", read_only=True)

    class Meta:
        model = Lesson
        fields = ["id", "title", "textbook", "unit", "order", "subject", "stage", "edition", "grade", "views"]


class K12QuestionSerializer(serializers.ModelSerializer):
    """A question as students see it: without its answer or explanation."""

    type = serializers.ChoiceField(source="kind", choices=QuestionKind.choices, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "order", "type", "prompt", "options"]


class K12LessonHourSerializer(serializers.ModelSerializer):
    questions = K12QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = LessonHour
        fields = [
            "id",
            "order",
            "title",
            "video",
            "duration",
            "slides",
            "teaching_design",
            "task_sheet",
            "questions",
        ]


class K12LessonDetailSerializer(K12LessonSerializer):
    hours = K12LessonHourSerializer(many=True, read_only=True)

    class Meta(K12LessonSerializer.Meta):
        fields = [*K12LessonSerializer.Meta.fields, "summary", "start_page", "end_page", "hours"]


class K12AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1)
    answer = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=True)


class K12SubmissionInputSerializer(serializers.Serializer):
    answers = K12AnswerInputSerializer(many=True, allow_empty=True)

    def validate_answers(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [item["question"] for item in value]
        duplicates = sorted({pk for pk in ids if ids.count(pk) > 1})
        if duplicates:
            raise serializers.ValidationError(
                f"Each question is answered once; repeated: {', '.join(map(str, duplicates))}."
            )
        return value


class K12SubmittedAnswerSerializer(serializers.ModelSerializer):
    correct_answer = serializers.CharField(source="question.answer", read_only=True)
    explanation = serializers.CharField(source="question.explanation", read_only=True)

    class Meta:
        model = SubmissionAnswer
        fields = ["question", "given", "is_correct", "correct_answer", "explanation"]


class K12SubmissionSerializer(serializers.ModelSerializer):
    answers = K12SubmittedAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "lesson", "score", "correct_count", "question_count", "created_at", "answers"]


class K12ChapterSerializer(serializers.ModelSerializer):
    lessons = serializers.SerializerMethodField()

    class Meta:
        model = ETextbookChapter
        fields = ["id", "order", "title", "start_page", "unit", "lessons"]

    def get_lessons(self, chapter: ETextbookChapter) -> list[int]:
        return [lesson.pk for lesson in chapter.unit.lessons.all()] if chapter.unit else []


class K12ETextbookSerializer(serializers.ModelSerializer):
    publisher: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    subject: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    stage: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    edition: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    grade: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )
    views = serializers.IntegerField(source="view_count", read_only=True)

    class Meta:
        model = ETextbook
        fields = [
            "id",
            "title",
            "publisher",
            "edition",
            "subject",
            "stage",
            "grade",
            "volume",
            "textbook",
            "page_count",
            "file",
            "views",
        ]


class K12ETextbookDetailSerializer(K12ETextbookSerializer):
    chapters = K12ChapterSerializer(many=True, read_only=True)

    class Meta(K12ETextbookSerializer.Meta):
        fields = [*K12ETextbookSerializer.Meta.fields, "chapters"]


# --- Views --------------------------------------------------------------------------------------


class SubmitsExercises(permissions.BasePermission):
    """Anyone signed in reads their own submissions; only students submit (``k12.access``)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return access.has_own_learning(request.user)
        return access.can_submit_exercises(request.user)


class FilteredListView(generics.ListAPIView):
    """A list filtered and ordered only by its FilterSet (``?ordering=`` is one of its fields)."""

    filter_backends = [DjangoFilterBackend]


class SectionListView(generics.ListAPIView):
    """The six sections with their second-level columns."""

    serializer_class = K12SectionSerializer
    filter_backends: list[type[BaseFilterBackend]] = []

    def get_queryset(self) -> QuerySet[Section]:
        return selectors.section_queryset()


class ResourceListView(FilteredListView):
    """Published resources; ``ordering=-views`` lists the hot ones first."""

    serializer_class = K12ResourceSerializer
    filterset_class = ResourceFilter

    def get_queryset(self) -> QuerySet[Resource]:
        return selectors.resource_queryset()


class ResourceDetailView(generics.RetrieveAPIView):
    serializer_class = K12ResourceDetailSerializer

    def get_queryset(self) -> QuerySet[Resource]:
        return selectors.resource_queryset()


class TextbookListView(FilteredListView):
    serializer_class = K12TextbookSerializer
    filterset_class = TextbookFilter

    def get_queryset(self) -> QuerySet[Textbook]:
        return selectors.textbook_queryset().order_by("stage__order", "subject_id", "edition__order", "order")


class TextbookDetailView(generics.RetrieveAPIView):
    """A textbook with its unit → lesson tree (published lessons only)."""

    serializer_class = K12TextbookTreeSerializer

    def get_queryset(self) -> QuerySet[Textbook]:
        return selectors.textbook_tree_queryset()


class LessonListView(FilteredListView):
    serializer_class = K12LessonSerializer
    filterset_class = LessonFilter

    def get_queryset(self) -> QuerySet[Lesson]:
        return selectors.lesson_queryset().order_by("textbook_id", "unit__order", "order")


class LessonDetailView(generics.RetrieveAPIView):
    """A lesson with its hours and their exercise questions (answers are revealed only after submitting)."""

    serializer_class = K12LessonDetailSerializer

    def get_queryset(self) -> QuerySet[Lesson]:
        return selectors.lesson_detail_queryset()


class SubmissionListCreateView(generics.ListAPIView):
    """Your own submissions for a lesson; POST answers every question of it and gets them graded."""

    serializer_class = K12SubmissionSerializer
    permission_classes = [permissions.IsAuthenticated, SubmitsExercises]
    filter_backends: list[type[BaseFilterBackend]] = []

    def get_lesson(self) -> Lesson:
        return access.access_lesson(lesson_id=self.kwargs["pk"])

    def _user(self) -> User:
        user = self.request.user
        if not isinstance(user, User):
            raise NotAuthenticated
        return user

    def get_queryset(self) -> QuerySet[Submission]:
        return selectors.submission_list(student=self._user(), lesson=self.get_lesson())

    @extend_schema(request=K12SubmissionInputSerializer, responses={201: K12SubmissionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        lesson = self.get_lesson()
        data = K12SubmissionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = {item["question"]: item["answer"] for item in data.validated_data["answers"]}
        submission = services.submission_create(student=self._user(), lesson=lesson, answers=answers)
        graded = selectors.submission_get(student=self._user(), pk=submission.pk)
        return Response(K12SubmissionSerializer(graded).data, status=status.HTTP_201_CREATED)


class ETextbookListView(FilteredListView):
    serializer_class = K12ETextbookSerializer
    filterset_class = ETextbookFilter

    def get_queryset(self) -> QuerySet[ETextbook]:
        return selectors.etextbook_queryset().order_by("stage__order", "subject_id", "pk")


class ETextbookDetailView(generics.RetrieveAPIView):
    """An e-textbook with its table of contents; each chapter lists the ids of its lessons."""

    serializer_class = K12ETextbookDetailSerializer

    def get_queryset(self) -> QuerySet[ETextbook]:
        return selectors.etextbook_detail_queryset()
