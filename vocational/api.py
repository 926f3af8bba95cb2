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
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smartedu.accounts.models import User
from smartedu.portal.throttling import SimpleRateThrottle
from vocational import access, metrics, selectors, services, study
from vocational.models import (
    ClassQuestion,
    Course,
    CourseKind,
    CourseMetric,
    Item,
    Library,
    Resource,
    Specialty,
    SpecialtyCategory,
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


class SpecialtySerializer(serializers.ModelSerializer):
    specialty_class = serializers.CharField(source="specialty_class.code", read_only=True)
    category = serializers.CharField(source="specialty_class.category.code", read_only=True)

    class Meta:
        model = Specialty
        fields = ["id", "code", "name", "specialty_class", "category"]


class SpecialtyClassBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    specialties = serializers.SerializerMethodField()

    def get_specialties(self, obj: Any) -> list[dict[str, str]]:
        return [{"code": s.code, "name": s.name} for s in obj.specialties.all()]


class CategorySerializer(serializers.ModelSerializer):
    classes = SpecialtyClassBriefSerializer(many=True, read_only=True)

    class Meta:
        model = SpecialtyCategory
        fields = ["code", "name", "classes"]


class PartnerSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    lead = serializers.BooleanField()


class LibrarySerializer(serializers.ModelSerializer):
    specialty = SpecialtySerializer(read_only=True)
    college_count = serializers.IntegerField(read_only=True, default=0)
    enterprise_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Library
        fields = ["id", "title", "summary", "specialty", "is_national", "college_count", "enterprise_count"]


class LibraryDetailSerializer(LibrarySerializer):
    partners = PartnerSerializer(many=True, read_only=True)

    class Meta(LibrarySerializer.Meta):
        fields = [*LibrarySerializer.Meta.fields, "partners"]


class ResourceSerializer(serializers.ModelSerializer):
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


class ItemSerializer(serializers.ModelSerializer):
    resource = ResourceSerializer(read_only=True)

    class Meta:
        model = Item
        fields = ["id", "title", "note", "order", "hidden", "resource"]


class UnitSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "title", "order", "hidden", "items"]


class CourseSerializer(serializers.ModelSerializer):
    specialty = SpecialtySerializer(read_only=True)

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


class CourseTreeSerializer(CourseSerializer):
    units = serializers.SerializerMethodField()

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "units"]

    def get_units(self, obj: Course) -> Any:
        return UnitSerializer(self.context["units"], many=True).data


class ChangeSerializer(serializers.Serializer):
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


class MetricSerializer(serializers.ModelSerializer):
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


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    by_teacher = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class QuestionSerializer(serializers.ModelSerializer):
    replies = ReplySerializer(many=True, read_only=True)

    class Meta:
        model = ClassQuestion
        fields = ["id", "course", "klass", "item", "student", "body", "asked_at", "first_reply_at", "replies"]


# --- Input --------------------------------------------------------------------------------------------


class CourseListParams(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CourseKind.choices, required=False)
    category = serializers.CharField(required=False, max_length=2)
    specialty = serializers.CharField(required=False, max_length=7)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    ordering = serializers.ChoiceField(choices=["hot", "new", "title"], required=False)


class CoursePatchInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class TitleInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)


class UnitPatchInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    hidden = serializers.BooleanField(required=False)


class ItemCreateInput(serializers.Serializer):
    resource = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ItemPatchInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    hidden = serializers.BooleanField(required=False)


class ReorderInput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=1000)


class PublishInput(serializers.Serializer):
    klass = serializers.IntegerField()


class DecisionInput(serializers.Serializer):
    change = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=["accepted", "ignored"])
    overwrite = serializers.BooleanField(required=False, default=False)


class PeriodInput(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class QuestionInput(serializers.Serializer):
    course = serializers.IntegerField()
    body = serializers.CharField(max_length=2000)
    item = serializers.IntegerField(required=False)
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)


class ReplyInput(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class RatingInput(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5)


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


def _tree_response(request: Request, course: Course, *, code: int = 200) -> Response:
    units = selectors.course_tree(course=course, include_hidden=access.shows_hidden(request.user, course))
    return Response(CourseTreeSerializer(course, context={"units": units}).data, status=code)


# --- Catalogue ----------------------------------------------------------------------------------------


class CategoryListView(generics.ListAPIView):
    """The 19 specialty categories with their classes and specialties."""

    serializer_class = CategorySerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.catalogue_tree()


class SpecialtyListView(generics.ListAPIView):
    """Specialties, ``?category=51`` to keep one category's."""

    serializer_class = SpecialtySerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.specialty_list(category=self.request.query_params.get("category", "")[:2])


class LibraryListView(generics.ListAPIView):
    serializer_class = LibrarySerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.library_list()


class LibraryDetailView(APIView):
    @extend_schema(responses=LibraryDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        library = selectors.library_detail(pk=pk)
        if library is None:
            raise Http404
        return Response(LibraryDetailSerializer(library).data)


# --- Courses ------------------------------------------------------------------------------------------


class CourseListView(generics.ListAPIView):
    """Public courses: ``?kind=standard|demonstration|quality|open&category=&specialty=&q=&ordering=``
    (``hot``, ``new`` or ``title``); ``kind=personal`` lists the signed-in teacher's own personalised
    courses."""

    serializer_class = CourseSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        params = _valid(CourseListParams, self.request.query_params)
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

    @extend_schema(responses=CourseTreeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _tree_response(request, access.access_course_for_view(request.user, pk))

    @extend_schema(request=CoursePatchInput, responses=CourseTreeSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        data = _valid(CoursePatchInput, request.data)
        services.course_update(user=_user(request), course=course, **data)
        return _tree_response(request, course)

    def delete(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        services.course_delete(user=_user(request), course=course)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CourseForkView(WriteMixin, APIView):
    """Copy a standard or demonstration course into your personalised course: 201 (200 for the copy you
    already have). Teachers only (403)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: CourseTreeSerializer, 200: CourseTreeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        source = access.access_course_for_fork(request.user, pk)
        copy, created = services.course_fork(user=_user(request), source=source)
        return _tree_response(request, copy, code=201 if created else 200)


class CoursePublishView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PublishInput, responses={201: None, 200: None})
    def post(self, request: Request, pk: int) -> Response:
        from smartedu.classes.models import Class

        course = access.access_course_for_edit(request.user, pk)
        data = _valid(PublishInput, request.data)
        klass = Class.objects.filter(pk=data["klass"], teacher=_user(request)).first()
        if klass is None:
            raise serializers.ValidationError({"klass": ["No such class of yours."]})
        _pub, created = services.course_publish(user=_user(request), course=course, klass=klass)
        return Response({"course": course.pk, "klass": klass.pk}, status=201 if created else 200)


class UnitCreateView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=TitleInput, responses={201: UnitSerializer})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        unit = services.unit_create(user=_user(request), course=course, **_valid(TitleInput, request.data))
        return Response(UnitSerializer(unit).data, status=201)


class UnitReorderView(WriteMixin, APIView):
    """Put the course's units in this order (every unit's id once).

    Unknown or foreign ids → 400 naming them."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReorderInput, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        services.unit_reorder(
            user=_user(request), course=course, ids=_valid(ReorderInput, request.data)["ids"]
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

    @extend_schema(request=UnitPatchInput, responses=UnitSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        unit = _unit_for_edit(request.user, pk)
        unit = services.unit_update(user=_user(request), unit=unit, **_valid(UnitPatchInput, request.data))
        return Response(UnitSerializer(unit).data)

    def delete(self, request: Request, pk: int) -> Response:
        services.unit_delete(user=_user(request), unit=_unit_for_edit(request.user, pk))
        return Response(status=204)


class ItemCreateView(WriteMixin, APIView):
    """Put a resource (any library's, or your own) into a unit."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ItemCreateInput, responses={201: ItemSerializer})
    def post(self, request: Request, pk: int) -> Response:
        unit = _unit_for_edit(request.user, pk)
        data = _valid(ItemCreateInput, request.data)
        resource = Resource.objects.filter(pk=data.pop("resource")).first()
        if resource is None or not access.resource_visible(request.user, resource.pk):
            raise serializers.ValidationError({"resource": ["No such resource."]})
        item = services.item_add(user=_user(request), unit=unit, resource=resource, **data)
        return Response(ItemSerializer(item).data, status=201)


class ItemReorderView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReorderInput, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        unit = _unit_for_edit(request.user, pk)
        services.item_reorder(user=_user(request), unit=unit, ids=_valid(ReorderInput, request.data)["ids"])
        return Response(status=204)


class ItemDetailView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ItemPatchInput, responses=ItemSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        item = _item_for_edit(request.user, pk)
        item = services.item_update(user=_user(request), item=item, **_valid(ItemPatchInput, request.data))
        return Response(ItemSerializer(item).data)

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

    @extend_schema(responses=ChangeSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        return Response(ChangeSerializer(selectors.upstream_changes(course=course), many=True).data)

    @extend_schema(request=DecisionInput, responses={201: None, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_edit(request.user, pk)
        data = _valid(DecisionInput, request.data)
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

    @extend_schema(parameters=[PeriodInput], responses=MetricSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        course = access.access_course_for_metrics(request.user, pk)
        data = _valid(PeriodInput, request.query_params)
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=6)
        rows = selectors.stored_metrics(course=course, start=start, end=end)
        if not rows:
            rows = metrics.course_metrics_compute(course=course, start=start, end=end)
        return Response({"start": start, "end": end, "results": MetricSerializer(rows, many=True).data})


# --- Q&A ----------------------------------------------------------------------------------------------


class QuestionListCreateView(WriteMixin, generics.GenericAPIView):
    """``?course=`` a course's questions (its owner: all; a student: their own); POST to ask (students of the
    course's classes; the same ``client_token`` twice is one question)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = QuestionSerializer
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

    @extend_schema(request=QuestionInput, responses={201: QuestionSerializer})
    def post(self, request: Request) -> Response:
        data = _valid(QuestionInput, request.data)
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
        return Response(QuestionSerializer(question).data, status=201 if created else 200)


class QuestionReplyView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReplyInput, responses={201: ReplySerializer})
    def post(self, request: Request, pk: int) -> Response:
        question = ClassQuestion.objects.select_related("course__owner").filter(pk=pk).first()
        if question is None or not access.course_visible(request.user, question.course):
            raise Http404
        reply = services.question_reply(
            user=_user(request), question=question, body=_valid(ReplyInput, request.data)["body"]
        )
        return Response(ReplySerializer(reply).data, status=201)


# --- Resources ----------------------------------------------------------------------------------------


class ResourceRankingView(generics.ListAPIView):
    """Library resources by quality score; ``?direction=rising|falling`` keeps those that moved."""

    serializer_class = ResourceSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        direction = self.request.query_params.get("direction", "")
        if direction not in ("", "rising", "falling"):
            raise serializers.ValidationError({"direction": ["One of: rising, falling."]})
        return selectors.resource_ranking(direction=direction)


class ResourceRatingView(WriteMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=RatingInput, responses={200: None})
    def post(self, request: Request, pk: int) -> Response:
        resource = access.access_resource_for_view(request.user, pk)
        rating = services.resource_rate(
            user=_user(request), resource=resource, stars=_valid(RatingInput, request.data)["stars"]
        )
        return Response({"resource": resource.pk, "stars": rating.stars})
