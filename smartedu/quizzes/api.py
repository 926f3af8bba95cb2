"""Quizzes API: reusable DRF views at ``/api/v1/quizzes/`` and under any sub-platform's prefix.

A quiz's questions come without answers or explanations until the student has submitted (the attempt
carries them); whoever manages the quiz (the class's teacher, the owner's editors) sees them always.
Serializer names start with ``Quiz`` so that schema components stay unique.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from smartedu.classes import ratelimit
from smartedu.portal.client import client_ip
from smartedu.quizzes import access, registry, selectors, services
from smartedu.quizzes.models import Attempt, AttemptAnswer, KnowledgePoint, Question, Quiz

MAX_ANSWERS = services.MAX_QUESTIONS

# --- Serializers ---------------------------------------------------------------------------------


class QuizKnowledgePointSerializer(serializers.ModelSerializer):
    class Meta:
        model = KnowledgePoint
        fields = ["id", "name", "subject"]


class QuizOptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


# A plain string in the schema: a "kind" enum would collide with other apps' "kind" choice sets.
KIND_HELP = "single, multiple, true_false or fill_in"


class QuizQuestionSerializer(serializers.ModelSerializer):
    """A question as a student sees it before answering: no answer, no explanation."""

    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    options = QuizOptionSerializer(many=True, read_only=True)
    knowledge_points = QuizKnowledgePointSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "kind", "prompt", "options", "knowledge_points"]


class QuizQuestionWithAnswerSerializer(QuizQuestionSerializer):
    class Meta(QuizQuestionSerializer.Meta):
        fields = [*QuizQuestionSerializer.Meta.fields, "answer", "explanation"]


class QuizDetailSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_ref", read_only=True, help_text="app.model:id")
    owner_url = serializers.SerializerMethodField()
    klass = serializers.IntegerField(source="klass_id", read_only=True, allow_null=True)
    is_open = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    answers_shown = serializers.SerializerMethodField(
        help_text="True for those who manage the quiz: questions then carry answers and explanations."
    )

    class Meta:
        model = Quiz
        fields = [
            "id",
            "title",
            "purpose",
            "platform",
            "owner",
            "owner_url",
            "klass",
            "opens_at",
            "closes_at",
            "is_open",
            "answers_shown",
            "questions",
        ]

    def get_owner_url(self, quiz: Quiz) -> str | None:
        owner = registry.quiz_owner(quiz.owner_kind)
        return owner.page_url(quiz.owner_id) if owner else None

    def get_is_open(self, quiz: Quiz) -> bool:
        return quiz.is_open()

    def get_answers_shown(self, quiz: Quiz) -> bool:
        return bool(self.context.get("answers_shown"))

    @extend_schema_field(QuizQuestionWithAnswerSerializer(many=True))
    def get_questions(self, quiz: Quiz) -> list[dict[str, Any]]:
        serializer = (
            QuizQuestionWithAnswerSerializer if self.context.get("answers_shown") else QuizQuestionSerializer
        )
        return serializer(self.context["questions"], many=True).data  # type: ignore[return-value]


class QuizAnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**62)
    answer = serializers.CharField(
        max_length=200,
        allow_blank=True,
        help_text="An option key (B), comma-separated keys for multiple choice (A,C), true/false or text.",
    )


class QuizAttemptInputSerializer(serializers.Serializer):
    answers = serializers.ListField(child=QuizAnswerInputSerializer(), max_length=MAX_ANSWERS)
    client_token = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Idempotency key (or the Idempotency-Key header): the same key twice is one attempt.",
    )

    def validate_answers(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [item["question"] for item in value]
        repeated = sorted({pk for pk in ids if ids.count(pk) > 1})
        if repeated:
            raise serializers.ValidationError(
                f"Each question is answered once; repeated: {', '.join(map(str, repeated))}."
            )
        return value


class QuizAttemptAnswerSerializer(serializers.ModelSerializer):
    prompt = serializers.CharField(source="question.prompt", read_only=True)
    kind = serializers.CharField(source="question.kind", read_only=True, help_text=KIND_HELP)
    correct_answer = serializers.CharField(source="question.answer", read_only=True)
    explanation = serializers.CharField(source="question.explanation", read_only=True)

    class Meta:
        model = AttemptAnswer
        fields = ["question", "kind", "prompt", "given", "is_correct", "correct_answer", "explanation"]


class QuizAttemptSerializer(serializers.ModelSerializer):
    answers = QuizAttemptAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "purpose",
            "score",
            "correct_count",
            "question_count",
            "submitted_at",
            "answers",
        ]


class QuizWrongQuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    options = QuizOptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "kind", "prompt", "options", "answer", "explanation"]


class QuizWrongAnswerSerializer(serializers.ModelSerializer):
    question = QuizWrongQuestionSerializer(read_only=True)
    quiz = serializers.IntegerField(source="attempt.quiz_id", read_only=True)
    quiz_title = serializers.CharField(source="attempt.quiz.title", read_only=True)
    wrong_times = serializers.IntegerField(read_only=True)

    class Meta:
        model = AttemptAnswer
        fields = ["question", "given", "answered_at", "wrong_times", "quiz", "quiz_title"]


class QuizReviewInputSerializer(serializers.Serializer):
    questions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        required=False,
        max_length=services.MAX_REVIEW_QUESTIONS,
        help_text="Some of your wrong-answer book's questions; all of them when left out.",
    )
    platform = serializers.CharField(max_length=20, required=False, allow_blank=True)


class QuizReviewSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Quiz
        fields = ["id", "title", "purpose", "questions"]

    def get_questions(self, quiz: Quiz) -> list[int]:
        return [qq.question_id for qq in quiz.quiz_questions.all()]


class QuizQuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    position = serializers.IntegerField()
    prompt = serializers.CharField(source="question.prompt")
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    wrong = serializers.IntegerField()
    rate = serializers.IntegerField(help_text="Per cent right.")


class QuizStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return user.get_full_name() or user.username


class QuizStudentResultSerializer(serializers.Serializer):
    student = QuizStudentSerializer()
    attempts = serializers.IntegerField()
    latest_score = serializers.IntegerField(allow_null=True)
    best_score = serializers.IntegerField(allow_null=True)
    last_submitted_at = serializers.DateTimeField(allow_null=True)


class QuizResultsSerializer(serializers.Serializer):
    quiz = serializers.IntegerField(source="quiz.pk")
    submitted = serializers.IntegerField()
    questions = QuizQuestionResultSerializer(many=True)
    students = QuizStudentResultSerializer(many=True)
    missing = QuizStudentSerializer(many=True)
    most_missed = QuizQuestionResultSerializer(many=True)


# --- Views --------------------------------------------------------------------------------------


class PlatformScoped:
    """``platform``: the sub-platform the views are mounted for; other platforms' quizzes are 404."""

    platform: str | None = None
    # JSON only: one content type per request body.
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]

    def _scoped(self, quiz: Quiz) -> Quiz:
        if self.platform and quiz.platform != self.platform:
            raise Http404
        return quiz


class QuizDetailView(PlatformScoped, generics.GenericAPIView):
    """A quiz and its questions — without answers or explanations, unless you manage the quiz."""

    permission_classes = [permissions.AllowAny]
    serializer_class = QuizDetailSerializer
    queryset = Quiz.objects.none()

    def get(self, request: Request, pk: int) -> Response:
        quiz = self._scoped(access.access_quiz_for_view(request.user, pk))
        context = {
            "request": request,
            "questions": selectors.quiz_questions(quiz=quiz),
            "answers_shown": access.quiz_manageable_by(request.user, quiz),
        }
        return Response(QuizDetailSerializer(quiz, context=context).data)


class QuizAttemptListCreateView(PlatformScoped, generics.GenericAPIView):
    """Your attempts at a quiz (newest first); POST answers every question and gets them graded.

    201 with the graded attempt (answers and explanations included); 200 with the attempt already made
    when the same ``client_token``/``Idempotency-Key`` comes again, or for a second submission of an
    in-class test or homework. 400 naming the questions that are foreign, unanswered or impossible, or
    on ``quiz`` outside its window; 403 for anyone but a student.
    """

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = QuizAttemptSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Attempt.objects.none()
        quiz = self._scoped(access.access_quiz_for_view(self.request.user, self.kwargs["pk"]))
        return selectors.attempt_list(student=self.request.user, quiz=quiz)

    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=QuizAttemptInputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={201: QuizAttemptSerializer, 200: QuizAttemptSerializer, 429: OpenApiResponse()},
    )
    def post(self, request: Request, pk: int) -> Response:
        quiz = self._scoped(access.access_quiz_for_attempt(request.user, pk))
        data = QuizAttemptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = data.validated_data.get("client_token") or request.headers.get("Idempotency-Key", "")
        try:
            ratelimit.count(
                limit=ratelimit.attempt_submit_limit(),
                user_id=request.user.pk or 0,
                address=client_ip(request),
            )
        except ratelimit.RateLimited as exc:
            raise Throttled(wait=exc.retry_after) from exc
        attempt, created = services.attempt_submit(
            student=request.user,  # type: ignore[arg-type]
            quiz=quiz,
            answers={item["question"]: item["answer"] for item in data.validated_data["answers"]},
            client_token=token,
        )
        return Response(
            QuizAttemptSerializer(selectors.attempt_get(pk=attempt.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class QuizResultsView(PlatformScoped, generics.GenericAPIView):
    """Results per question and per student, who has not submitted, the most-missed questions
    (the class's teacher for an in-class test or homework; the owner's managers otherwise)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = QuizResultsSerializer
    queryset = Quiz.objects.none()

    def get(self, request: Request, pk: int) -> Response:
        quiz = self._scoped(access.access_quiz_for_results(request.user, pk))
        return Response(QuizResultsSerializer(selectors.quiz_results(quiz=quiz)).data)


class QuizWrongAnswerListView(PlatformScoped, generics.ListAPIView):
    """Your wrong-answer book: the questions whose latest answer was wrong, with the right answer."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = QuizWrongAnswerSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AttemptAnswer.objects.none()
        if not access.wrong_answer_book_openable(self.request.user):
            raise PermissionDenied("Only students have a wrong-answer book.")
        platform = self.platform or self.request.query_params.get("platform") or None
        return selectors.wrong_answers(student=self.request.user, platform=platform)

    @extend_schema(parameters=[OpenApiParameter("platform", str, required=False)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class QuizReviewStartView(PlatformScoped, generics.GenericAPIView):
    """POST: a review quiz of your wrong answers (all, or the ones listed); then POST its attempts."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = QuizReviewSerializer

    @extend_schema(request=QuizReviewInputSerializer, responses={201: QuizReviewSerializer})
    def post(self, request: Request) -> Response:
        data = QuizReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quiz = services.review_quiz_start(
            student=request.user,  # type: ignore[arg-type]
            platform=self.platform or data.validated_data.get("platform") or None,
            question_ids=data.validated_data.get("questions"),
        )
        return Response(QuizReviewSerializer(quiz).data, status=status.HTTP_201_CREATED)
