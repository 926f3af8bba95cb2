"""``/api/v1/vocational/``: InputSerializer → one access check and one service or selector → OutputSerializer.

Reads of the public catalogue are open; every write needs an account, is rate-limited on the real client
address (``WriteThrottle``) and is allowed or refused by ``vocational.access``. Classes and quizzes are the
shared apps' endpoints, mounted under this prefix for vocational classes and quizzes only (``api_urls.py``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smartedu.accounts.models import User
from smartedu.portal.throttling import SimpleRateThrottle
from vocational import access, centres, metrics, selectors, services, study
from vocational.models import (
    ClassQuestion,
    Course,
    CourseKind,
    CourseMetric,
    Item,
    Library,
    Resource,
    SimulationPractice,
    Specialty,
    SpecialtyCategory,
    Textbook,
    TrainingCourse,
    TrainingEnrollment,
    Unit,
)


def _user(request: Any) -> User:
    """The signed-in user (endpoints that call this require a login)."""
    return cast(User, request.user)


class WriteThrottle(SimpleRateThrottle):
    """At most 120 writes a minute from one client address."""

    scope = "vocational_write"
    rate = "120/min"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class HeartbeatThrottle(WriteThrottle):
    scope = "vocational_heartbeat"
    rate = "240/min"


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


class WriteMixin:
    def get_throttles(self) -> list[Any]:
        request = getattr(self, "request", None)
        if request is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            return [WriteThrottle()]
        return super().get_throttles()  # type: ignore[misc]


# --- Output -------------------------------------------------------------------------------------------


class VocationalSpecialtySerializer(serializers.ModelSerializer):
    specialty_class = serializers.CharField(source="specialty_class.code", read_only=True)
    category = serializers.CharField(source="specialty_class.category.code", read_only=True)

    class Meta:
        model = Specialty
        fields = ["id", "code", "name", "specialty_class", "category"]


class VocationalSpecialtyClassBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    specialties = serializers.SerializerMethodField()

    def get_specialties(self, obj: Any) -> list[dict[str, str]]:
        return [{"code": s.code, "name": s.name} for s in obj.specialties.all()]


class VocationalCategorySerializer(serializers.ModelSerializer):
    classes = VocationalSpecialtyClassBriefSerializer(many=True, read_only=True)

    class Meta:
        model = SpecialtyCategory
        fields = ["code", "name", "classes"]


class VocationalPartnerSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="college or enterprise")
    name = serializers.CharField()
    lead = serializers.BooleanField()


class VocationalLibrarySerializer(serializers.ModelSerializer):
    specialty = VocationalSpecialtySerializer(read_only=True)
    college_count = serializers.IntegerField(read_only=True, default=0)
    enterprise_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Library
        fields = ["id", "title", "summary", "specialty", "is_national", "college_count", "enterprise_count"]


class VocationalLibraryDetailSerializer(VocationalLibrarySerializer):
    partners = VocationalPartnerSerializer(many=True, read_only=True)

    class Meta(VocationalLibrarySerializer.Meta):
        fields = [*VocationalLibrarySerializer.Meta.fields, "partners"]


class VocationalResourceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="video, document, simulation, quiz or link")
    rating = serializers.FloatField(read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "file_url",
            "duration_seconds",
            "is_extension",
            "rating",
            "rating_count",
            "quality_score",
            "quality_previous",
        ]

    def get_file_url(self, obj: Resource) -> str:
        return obj.file.url if obj.file else ""


class VocationalItemSerializer(serializers.ModelSerializer):
    resource = VocationalResourceSerializer(read_only=True)

    class Meta:
        model = Item
        fields = ["id", "title", "note", "order", "hidden", "resource"]


class VocationalUnitSerializer(serializers.ModelSerializer):
    items = VocationalItemSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "title", "order", "hidden", "items"]


class VocationalCourseSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="standard, demonstration, quality, open or personal"
    )
    specialty = VocationalSpecialtySerializer(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "specialty",
            "library",
            "institution",
            "award",
            "source",
            "is_published",
            "view_count",
            "created_at",
            "updated_at",
        ]


class VocationalCourseTreeSerializer(VocationalCourseSerializer):
    units = serializers.SerializerMethodField()

    class Meta(VocationalCourseSerializer.Meta):
        fields = [*VocationalCourseSerializer.Meta.fields, "units"]

    def get_units(self, obj: Course) -> Any:
        return VocationalUnitSerializer(self.context["units"], many=True).data


class VocationalChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="change.pk")
    seq = serializers.IntegerField(source="change.seq")
    kind = serializers.CharField(source="change.kind")
    unit = serializers.IntegerField(source="change.unit_ref")
    item = serializers.IntegerField(source="change.item_ref", allow_null=True)
    before = serializers.JSONField(source="change.before")
    after = serializers.JSONField(source="change.after")
    created_at = serializers.DateTimeField(source="change.created_at")
    decision = serializers.CharField()
    diff = serializers.ListField(child=serializers.CharField())


class VocationalMetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseMetric
        fields = [
            "klass",
            "student",
            "start",
            "end",
            "mastery",
            "interaction",
            "response",
            "activity",
            "students",
            "computed_at",
        ]


class VocationalReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    by_teacher = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class VocationalQuestionSerializer(serializers.ModelSerializer):
    replies = VocationalReplySerializer(many=True, read_only=True)

    class Meta:
        model = ClassQuestion
        fields = ["id", "course", "klass", "item", "student", "body", "asked_at", "first_reply_at", "replies"]


# --- Input --------------------------------------------------------------------------------------------


class VocationalCourseListParams(serializers.Serializer):
    kind = serializers.CharField(
        required=False, max_length=14, help_text="standard, demonstration, quality, open or personal"
    )

    def validate_kind(self, value: str) -> str:
        if value not in CourseKind.values:
            raise serializers.ValidationError(f"One of: {', '.join(CourseKind.values)}.")
        return value

    category = serializers.CharField(required=False, max_length=2)
    specialty = serializers.CharField(required=False, max_length=7)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    ordering = serializers.CharField(required=False, max_length=10, help_text="hot, new or title")

    def validate_ordering(self, value: str) -> str:
        if value not in ("hot", "new", "title"):
            raise serializers.ValidationError("One of: hot, new, title.")
        return value


class VocationalCoursePatchInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VocationalTitleInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)


class VocationalUnitPatchInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    hidden = serializers.BooleanField(required=False)


class VocationalItemCreateInput(serializers.Serializer):
    resource = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VocationalItemPatchInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    hidden = serializers.BooleanField(required=False)


class VocationalReorderInput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=1000)


class VocationalPublishInput(serializers.Serializer):
    klass = serializers.IntegerField()


class VocationalDecisionInput(serializers.Serializer):
    change = serializers.IntegerField()
    decision = serializers.CharField(max_length=8, help_text="accepted or ignored")

    def validate_decision(self, value: str) -> str:
        if value not in ("accepted", "ignored"):
            raise serializers.ValidationError("One of: accepted, ignored.")
        return value

    overwrite = serializers.BooleanField(required=False, default=False)


class VocationalPeriodInput(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class VocationalQuestionInput(serializers.Serializer):
    course = serializers.IntegerField()
    body = serializers.CharField(max_length=2000)
    item = serializers.IntegerField(required=False)
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)


class VocationalReplyInput(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class VocationalRatingInput(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5)


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


def _tree_response(request: Request, course: Course, *, code: int = 200) -> Response:
    units = selectors.course_tree(course=course, include_hidden=access.shows_hidden(request.user, course))
    return Response(VocationalCourseTreeSerializer(course, context={"units": units}).data, status=code)


# --- Catalogue ----------------------------------------------------------------------------------------


class CategoryListView(generics.ListAPIView):
    """The 19 specialty categories with their classes and specialties."""

    serializer_class = VocationalCategorySerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.catalogue_tree()


class SpecialtyListView(generics.ListAPIView):
    """Specialties, ``?category=51`` to keep one category's."""

    serializer_class = VocationalSpecialtySerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.specialty_list(category=self.request.query_params.get("category", "")[:2])


class LibraryListView(generics.ListAPIView):
    serializer_class = VocationalLibrarySerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.library_list()


class LibraryDetailView(APIView):
    @extend_schema(responses=VocationalLibraryDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        library = selectors.library_detail(pk=pk)
        if library is None:
            raise Http404
        return Response(VocationalLibraryDetailSerializer(library).data)


# --- Courses ------------------------------------------------------------------------------------------


class CourseListView(generics.ListAPIView):
    """Public courses: ``?kind=standard|demonstration|quality|open&category=&specialty=&q=&ordering=``
    (``hot``, ``new`` or ``title``); ``kind=personal`` lists the signed-in teacher's own personalised
    courses."""

    serializer_class = VocationalCourseSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        params = _valid(VocationalCourseListParams, self.request.query_params)
        if params.get("kind") == CourseKind.PERSONAL:
            user = _user(self.request)
            return (
                selectors.personal_courses_of(user_id=user.pk)
                if access.is_teacher(user)
                else Course.objects.none()
            )
        return selectors.course_list(**params)


class CourseDetailView(WriteMixin, APIView):
    """GET the course with its tree; PATCH title/description and DELETE a personalised course (its owner)."""

    @extend_schema(responses=VocationalCourseTreeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _tree_response(request, access.access_course_for_view(request.user, pk))

    @extend_schema(request=VocationalCoursePatchInput, responses=VocationalCourseTreeSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        data = _valid(VocationalCoursePatchInput, request.data)
        services.course_update(user=_user(request), course=course, **data)
        return _tree_response(request, course)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        services.course_delete(user=_user(request), course=course)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CourseForkView(WriteMixin, APIView):
    """Copy a standard or demonstration course into your personalised course: 201 (200 for the copy you
    already have). Teachers only (403)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None, responses={201: VocationalCourseTreeSerializer, 200: VocationalCourseTreeSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        source = access.access_course_for_fork(request.user, pk)
        copy, created = services.course_fork(user=_user(request), source=source)
        return _tree_response(request, copy, code=201 if created else 200)


class CoursePublishView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalPublishInput, responses={201: None, 200: None})
    def post(self, request: Request, pk: int) -> Response:
        from smartedu.classes.models import Class

        course = access.access_course_for_edit(request.user, pk)
        data = _valid(VocationalPublishInput, request.data)
        klass = Class.objects.filter(pk=data["klass"], teacher=_user(request)).first()
        if klass is None:
            raise serializers.ValidationError({"klass": ["No such class of yours."]})
        _pub, created = services.course_publish(user=_user(request), course=course, klass=klass)
        return Response({"course": course.pk, "klass": klass.pk}, status=201 if created else 200)


class UnitCreateView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalTitleInput, responses={201: VocationalUnitSerializer})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        unit = services.unit_create(
            user=_user(request), course=course, **_valid(VocationalTitleInput, request.data)
        )
        return Response(VocationalUnitSerializer(unit).data, status=201)


class UnitReorderView(WriteMixin, APIView):
    """Put the course's units in this order (every unit's id once).

    Unknown or foreign ids → 400 naming them."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalReorderInput, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        services.unit_reorder(
            user=_user(request), course=course, ids=_valid(VocationalReorderInput, request.data)["ids"]
        )
        return Response(status=204)


def _unit_for_edit(user: Any, pk: int) -> Unit:
    unit = Unit.objects.select_related("course").filter(pk=pk).first()
    if unit is None:
        raise Http404
    access.access_course_for_edit(user, unit.course_id)
    return unit


def _item_for_edit(user: Any, pk: int) -> Item:
    item = Item.objects.select_related("unit__course", "resource").filter(pk=pk).first()
    if item is None:
        raise Http404
    access.access_course_for_edit(user, item.unit.course_id)
    return item


class UnitDetailView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalUnitPatchInput, responses=VocationalUnitSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        unit = _unit_for_edit(request.user, pk)
        unit = services.unit_update(
            user=_user(request), unit=unit, **_valid(VocationalUnitPatchInput, request.data)
        )
        return Response(VocationalUnitSerializer(unit).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.unit_delete(user=_user(request), unit=_unit_for_edit(request.user, pk))
        return Response(status=204)


class ItemCreateView(WriteMixin, APIView):
    """Put a resource (any library's, or your own) into a unit."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalItemCreateInput, responses={201: VocationalItemSerializer})
    def post(self, request: Request, pk: int) -> Response:
        unit = _unit_for_edit(request.user, pk)
        data = _valid(VocationalItemCreateInput, request.data)
        resource = Resource.objects.filter(pk=data.pop("resource")).first()
        if resource is None or not access.resource_visible(request.user, resource.pk):
            raise serializers.ValidationError({"resource": ["No such resource."]})
        item = services.item_add(user=_user(request), unit=unit, resource=resource, **data)
        return Response(VocationalItemSerializer(item).data, status=201)


class ItemReorderView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalReorderInput, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        unit = _unit_for_edit(request.user, pk)
        services.item_reorder(
            user=_user(request), unit=unit, ids=_valid(VocationalReorderInput, request.data)["ids"]
        )
        return Response(status=204)


class ItemDetailView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalItemPatchInput, responses=VocationalItemSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        item = _item_for_edit(request.user, pk)
        item = services.item_update(
            user=_user(request), item=item, **_valid(VocationalItemPatchInput, request.data)
        )
        return Response(VocationalItemSerializer(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.item_delete(user=_user(request), item=_item_for_edit(request.user, pk))
        return Response(status=204)


class ItemHeartbeatView(APIView):
    """A study heartbeat (every 30 s while the item's page is visible): buffered, 202."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [HeartbeatThrottle]

    @extend_schema(request=None, responses={202: None})
    def post(self, request: Request, pk: int) -> Response:
        item = access.access_item_for_view(request.user, pk)
        if not access.is_student(request.user):
            raise serializers.ValidationError({"item": ["Only students' study time is recorded."]})
        counted = study.heartbeat_record(student_id=_user(request).pk, item=item)
        return Response({"counted": counted}, status=202)


class UpstreamChangesView(WriteMixin, APIView):
    """GET the source's changes since the copy (with decisions and diffs); POST accept or ignore one.
    A change that no longer applies → 409 with the reason."""

    @extend_schema(responses=VocationalChangeSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        return Response(VocationalChangeSerializer(selectors.upstream_changes(course=course), many=True).data)

    @extend_schema(request=VocationalDecisionInput, responses={201: None, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        data = _valid(VocationalDecisionInput, request.data)
        try:
            decision = services.upstream_decide(
                user=_user(request),
                course=course,
                change_id=data["change"],
                decision=data["decision"],
                overwrite=data["overwrite"],
            )
        except services.UpstreamConflict as exc:
            raise ConflictError({"change": [exc.reason]}) from exc
        return Response({"change": decision.change_id, "decision": decision.decision}, status=201)


class CourseMetricsView(APIView):
    """The four rates for ``?start=&end=`` (default: the last 7 days): the course, each class, each student.
    Stored rows are read; a period never computed is computed and stored first. Owner and admins only."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[VocationalPeriodInput], responses=VocationalMetricSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_metrics(request.user, pk)
        data = _valid(VocationalPeriodInput, request.query_params)
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=6)
        rows = selectors.stored_metrics(course=course, start=start, end=end)
        if not rows:
            rows = metrics.course_metrics_compute(course=course, start=start, end=end)
        return Response(
            {"start": start, "end": end, "results": VocationalMetricSerializer(rows, many=True).data}
        )


# --- Q&A ----------------------------------------------------------------------------------------------


class QuestionListCreateView(WriteMixin, generics.GenericAPIView):
    """``?course=`` a course's questions (its owner: all; a student: their own); POST to ask (students of the
    course's classes; the same ``client_token`` twice is one question)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = VocationalQuestionSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        raw = self.request.query_params.get("course", "")
        if not raw.isdigit():
            raise serializers.ValidationError({"course": ["Give a course id."]})
        course = access.access_course_for_view(self.request.user, int(raw))
        if access.course_editable(self.request.user, course):
            return selectors.course_questions(course=course)
        return selectors.course_questions(course=course, student_id=self.request.user.pk)

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=VocationalQuestionInput, responses={201: VocationalQuestionSerializer})
    def post(self, request: Request) -> Response:
        data = _valid(VocationalQuestionInput, request.data)
        course = access.access_course_for_view(request.user, data["course"])
        item = None
        if data.get("item"):
            item = Item.objects.select_related("unit").filter(pk=data["item"], unit__course=course).first()
            if item is None:
                raise serializers.ValidationError({"item": ["This item is not in the course."]})
        question, created = services.question_ask(
            user=_user(request),
            course=course,
            body=data["body"],
            item=item,
            client_token=data.get("client_token", ""),
        )
        return Response(VocationalQuestionSerializer(question).data, status=201 if created else 200)


class QuestionReplyView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalReplyInput, responses={201: VocationalReplySerializer})
    def post(self, request: Request, pk: int) -> Response:
        question = ClassQuestion.objects.select_related("course__owner").filter(pk=pk).first()
        if question is None or not access.course_visible(request.user, question.course):
            raise Http404
        reply = services.question_reply(
            user=_user(request), question=question, body=_valid(VocationalReplyInput, request.data)["body"]
        )
        return Response(VocationalReplySerializer(reply).data, status=201)


# --- Resources ----------------------------------------------------------------------------------------


class ResourceRankingView(generics.ListAPIView):
    """Library resources by quality score; ``?direction=rising|falling`` keeps those that moved."""

    serializer_class = VocationalResourceSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        direction = self.request.query_params.get("direction", "")
        if direction not in ("", "rising", "falling"):
            raise serializers.ValidationError({"direction": ["One of: rising, falling."]})
        return selectors.resource_ranking(direction=direction)


class ResourceRatingView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalRatingInput, responses={200: None})
    def post(self, request: Request, pk: int) -> Response:
        resource = access.access_resource_for_view(request.user, pk)
        rating = services.resource_rate(
            user=_user(request), resource=resource, stars=_valid(VocationalRatingInput, request.data)["stars"]
        )
        return Response({"resource": resource.pk, "stars": rating.stars})


# --- The other centres --------------------------------------------------------------------------------


class VocationalTextbookSerializer(serializers.ModelSerializer):
    specialty = VocationalSpecialtySerializer(read_only=True)
    plan_status = serializers.CharField(read_only=True, help_text="none, planning or national")
    selection_status = serializers.CharField(read_only=True, help_text="candidate, selected or not_selected")
    review_status = serializers.CharField(read_only=True, help_text="pending, approved or rejected")
    rating = serializers.FloatField(read_only=True)

    class Meta:
        model = Textbook
        fields = [
            "id",
            "title",
            "isbn",
            "publisher",
            "editors",
            "edition_year",
            "specialty",
            "plan_status",
            "plan_batch",
            "selection_status",
            "review_status",
            "rating",
            "rating_count",
        ]


class VocationalEvaluationInput(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class VocationalPracticeInput(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=1, max_value=centres.MAX_PRACTICE_SECONDS)
    score = serializers.IntegerField(min_value=0, max_value=100)
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)


class VocationalPracticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SimulationPractice
        fields = ["id", "resource", "seconds", "score", "finished_at"]


class VocationalTrainingSerializer(serializers.ModelSerializer):
    enrolled = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = TrainingCourse
        fields = ["id", "title", "provider", "summary", "hours", "enrolled"]


class VocationalEnrollmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingEnrollment
        fields = ["course", "enrolled_at", "completed_at"]


class TextbookListView(generics.ListAPIView):
    """Reviewed textbooks; ``?specialty=&plan=`` (none, planning, national) ``&selection=`` (candidate,
    selected, not_selected)."""

    serializer_class = VocationalTextbookSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return centres.textbook_list(
            specialty=params.get("specialty", "")[:7],
            plan=params.get("plan", "")[:10],
            selection=params.get("selection", "")[:12],
        )


class TextbookEvaluationView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalEvaluationInput, responses={200: None})
    def post(self, request: Request, pk: int) -> Response:
        textbook = Textbook.objects.visible().filter(pk=pk).first()
        if textbook is None:
            raise Http404
        data = _valid(VocationalEvaluationInput, request.data)
        evaluation = centres.textbook_evaluate(user=_user(request), textbook=textbook, **data)
        return Response({"textbook": textbook.pk, "stars": evaluation.stars, "comment": evaluation.comment})


class SimulationPracticeView(WriteMixin, generics.GenericAPIView):
    """Your practice runs of a simulation (GET); the simulation reports a finished run (POST, students; the
    same ``client_token`` twice is one run)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = VocationalPracticeSerializer
    filter_backends: list = []

    def _resource(self, pk: int) -> Resource:
        resource = centres.simulation_list().filter(pk=pk).first()
        if resource is None:
            raise Http404
        return resource

    def get(self, request: Request, pk: int) -> Response:
        resource = self._resource(pk)
        rows = SimulationPractice.objects.filter(resource=resource, student_id=_user(request).pk)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=VocationalPracticeInput, responses={201: VocationalPracticeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        resource = self._resource(pk)
        data = _valid(VocationalPracticeInput, request.data)
        practice, created = centres.practice_record(student=_user(request), resource=resource, **data)
        return Response(VocationalPracticeSerializer(practice).data, status=201 if created else 200)


class TrainingListView(generics.ListAPIView):
    serializer_class = VocationalTrainingSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return centres.training_list()


def _training(pk: int) -> TrainingCourse:
    course = TrainingCourse.objects.visible().filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


class TrainingEnrollmentView(WriteMixin, APIView):
    """Enrol (teachers and staff; 201, 200 when already enrolled)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: VocationalEnrollmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        enrollment, created = centres.training_enroll(user=_user(request), course=_training(pk))
        return Response(VocationalEnrollmentSerializer(enrollment).data, status=201 if created else 200)


class TrainingCompletionView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: VocationalEnrollmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        course = _training(pk)
        if not centres.training_allowed(request.user):
            raise PermissionDenied
        enrollment = centres.training_complete(user=_user(request), course=course)
        return Response(VocationalEnrollmentSerializer(enrollment).data)


# --- Teachers' own quiz resources and in-class tests ------------------------------------------------------


class VocationalQuizQuestionInput(serializers.Serializer):
    kind = serializers.CharField(max_length=12, help_text="single, multiple, true_false or fill_in")
    prompt = serializers.CharField(max_length=5000)
    options = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), required=False
    )
    answer = serializers.CharField(max_length=200)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    knowledge_points = serializers.ListField(child=serializers.CharField(max_length=200), required=False)


class VocationalQuizResourceInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    questions = VocationalQuizQuestionInput(many=True, allow_empty=False)


class VocationalClassTestInput(serializers.Serializer):
    item = serializers.IntegerField()
    klass = serializers.IntegerField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class QuizResourceCreateView(WriteMixin, APIView):
    """A teacher's own quiz resource (its questions graded by smartedu.quizzes); add it to a unit after."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalQuizResourceInput, responses={201: VocationalResourceSerializer})
    def post(self, request: Request) -> Response:
        data = _valid(VocationalQuizResourceInput, request.data)
        resource = services.resource_quiz_create(
            user=_user(request), title=data["title"], questions=[dict(q) for q in data["questions"]]
        )
        return Response(VocationalResourceSerializer(resource).data, status=201)


class ClassTestCreateView(WriteMixin, APIView):
    """An in-class test of an item's exercises for one of the course's classes, open inside the window the
    teacher sets (the course's owner)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VocationalClassTestInput, responses={201: None})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        data = _valid(VocationalClassTestInput, request.data)
        item = Item.objects.select_related("resource").filter(pk=data["item"], unit__course=course).first()
        if item is None:
            raise serializers.ValidationError({"item": ["This item is not in the course."]})
        klass = course.publications.filter(klass_id=data["klass"]).select_related("klass").first()
        if klass is None:
            raise serializers.ValidationError({"klass": ["The course is not published to this class."]})
        quiz = services.class_test_create(
            user=_user(request),
            resource=item.resource,
            klass=klass.klass,
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        )
        return Response({"quiz": quiz.pk, "opens_at": quiz.opens_at, "closes_at": quiz.closes_at}, status=201)
