"""``/api/v1/employment/``: progress, directives and surveys of the employment front.

InputSerializer → one service or selector → OutputSerializer. Who may do what is ``employment.front.access``;
an object outside one's scope answers 404. Writes are rate-limited per client address (employment's
``WriteThrottle``). Every body is JSON.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employment.front import access, selectors, services
from employment.front.models import (
    AudienceKind,
    Directive,
    DirectiveDelivery,
    FieldKind,
    Survey,
)
from employment.front.presenters import measure_labels
from employment.front.selectors import rate
from employment.throttles import WriteThrottle
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution


def _user(request: Request) -> User:
    return cast(User, request.user)


def _require(allowed: bool, request: Request, message: str) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not allowed:
        raise PermissionDenied(message)


class WritesThrottled:
    def get_throttles(self) -> list:
        throttles = list(super().get_throttles())  # type: ignore[misc]
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):  # type: ignore[attr-defined]
            throttles.append(WriteThrottle())
        return throttles


# --- Progress ---------------------------------------------------------------------------------------------


class FrontRateRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    graduates = serializers.IntegerField()
    employed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="Employment rate in percent.")


class FrontStageSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="graduates, intention, applied, offer, outcome:<key>, employed, help"
    )
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class FrontProgressSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["class", "university", "province", "nation"])
    scope = serializers.CharField(help_text="The university, class, province or 全国.")
    rolled_up_at = serializers.DateTimeField(allow_null=True)
    stages = FrontStageSerializer(many=True)
    employment_rate = serializers.FloatField(allow_null=True)
    by_specialty = FrontRateRowSerializer(many=True)
    by_degree = FrontRateRowSerializer(many=True)
    by_destination = FrontStageSerializer(many=True)
    by_area = FrontRateRowSerializer(many=True, help_text="Per province (nation) or university (province).")


def _rate_rows(rows: dict[Any, dict[str, int]], names: dict[Any, str] | None = None) -> list[dict[str, Any]]:
    return [
        {
            "key": str(key),
            "label": (names or {}).get(key, str(key)),
            "graduates": v.get("graduates", 0),
            "employed": v.get("employed", 0),
            "rate": rate(v.get("employed"), v.get("graduates")),
        }
        for key, v in rows.items()
    ]


class ProgressView(APIView):
    """Rolled-up progress of the caller's scope: a counsellor's class, an officer's university, a provincial
    administrator's province, the ministry's nation. Figures are as of ``rolled_up_at``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=FrontProgressSerializer, operation_id="employment_progress")
    def get(self, request: Request) -> Response:
        scope = access.progress_scope(request.user)
        _require(scope is not None, request, "Only officers, counsellors and administrators follow progress.")
        assert scope is not None
        data = selectors.progress(scope=scope)
        from employment.models import Degree

        body = {
            "level": scope.level,
            "scope": data.scope_name,
            "rolled_up_at": data.last_rollup.finished_at if data.last_rollup else None,
            "stages": [
                {"key": key, "label": label, "count": data.totals.get(key, 0)}
                for key, label in measure_labels()
            ],
            "employment_rate": rate(data.totals.get("employed"), data.totals.get("graduates")),
            "by_specialty": _rate_rows(data.by_specialty),
            "by_degree": _rate_rows(data.by_degree, {k: str(v) for k, v in Degree.choices}),
            "by_destination": [
                {"key": key, "label": key, "count": n} for key, n in sorted(data.by_destination.items())
            ],
            "by_area": _rate_rows(
                {pk: v for pk, _name, v in data.by_area}, {pk: n for pk, n, _v in data.by_area}
            ),
        }
        return Response(FrontProgressSerializer(body).data)


class SupportInputSerializer(serializers.Serializer):
    needs_help = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SupportView(WritesThrottled, APIView):
    """``POST {needs_help, note}``: an officer or counsellor marks a graduate of its scope (困难帮扶)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=SupportInputSerializer,
        responses=inline_serializer(
            "EmploymentSupport",
            {"graduate": serializers.IntegerField(), "needs_help": serializers.BooleanField(),
                                  "note": serializers.CharField()}
        ),
    )  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        _require(
            access.support_settable(request.user), request, "Only officers and counsellors mark graduates."
        )
        graduate = access.access_graduate_for_support(request.user, pk)
        data = SupportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        support = services.graduate_support_set(
            actor=_user(request), graduate=graduate, **data.validated_data
        )
        return Response({"graduate": graduate.pk, "needs_help": support.needs_help, "note": support.note})


# --- Directives -------------------------------------------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class AudienceField(serializers.Field):
    """``"all"``, a province code as a string (``"44"``), or a university id as a number (``1203``).

    ``"province:44"`` and ``"university:1203"`` say the same explicitly.
    """

    def to_internal_value(self, data: Any) -> tuple[str, Province | None, Institution | None]:
        if isinstance(data, bool):
            self.fail("invalid")
        text = str(data).strip()
        if isinstance(data, int) or text.startswith("university:"):
            number = text.removeprefix("university:")
            university = Institution.objects.filter(pk=int(number)).first() if number.isdigit() else None
            if university is None:
                raise serializers.ValidationError("No such university.")
            return (AudienceKind.UNIVERSITY, None, university)
        if text == "all":
            return (AudienceKind.ALL, None, None)
        code = text.removeprefix("province:")
        province = Province.objects.filter(code=code).first() if code else None
        if province is None:
            raise serializers.ValidationError('Give "all", a province code or a university id.')
        return (AudienceKind.PROVINCE, province, None)

    def to_representation(self, value: Any) -> Any:
        return value

    default_error_messages = {"invalid": 'Give "all", a province code or a university id.'}


class DirectiveInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=20_000)
    audience = AudienceField(
        help_text='"all", a province code as a string ("44"), or a university id as a number (1203).'
    )
    urgent = serializers.BooleanField(required=False, default=False)


class DirectiveSerializer(serializers.ModelSerializer):
    audience = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="queued, delivering or delivered")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Directive
        fields = [
            "id", "title", "body", "urgent", "audience", "created_at", "status", "recipient_count",
            "delivered_count", "attachments",
        ]  # fmt: skip

    @extend_schema_field(serializers.CharField())
    def get_audience(self, directive: Directive) -> str:
        if directive.audience == AudienceKind.PROVINCE and directive.audience_province_id:
            return f"province:{directive.audience_province.code}"  # type: ignore[union-attr]
        if directive.audience == AudienceKind.UNIVERSITY:
            return f"university:{directive.audience_university_id}"
        return "all"

    @extend_schema_field(
        inline_serializer(
            "EmploymentDirectiveAttachment",
            {"name": serializers.CharField(), "url": serializers.CharField()},
            many=True,
        )
    )
    def get_attachments(self, directive: Directive) -> list[dict[str, Any]]:
        from django.urls import reverse

        return [
            {"name": a.name, "url": reverse("employment:front-attachment", args=[a.pk])}
            for a in directive.attachments.all()
        ]


class ReceiptsSerializer(serializers.Serializer):
    delivered = serializers.IntegerField()
    read = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    unread = serializers.IntegerField()


class SentDirectiveSerializer(DirectiveSerializer):
    receipts = serializers.SerializerMethodField()

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "receipts"]

    @extend_schema_field(ReceiptsSerializer)
    def get_receipts(self, directive: Directive) -> dict[str, int]:
        return dict(ReceiptsSerializer(selectors.receipts(directive=directive)).data)


class InboxItemSerializer(serializers.ModelSerializer):
    directive = DirectiveSerializer(read_only=True)

    class Meta:
        model = DirectiveDelivery
        fields = ["directive", "delivered_at", "read_at", "acknowledged_at"]


class RecipientSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="recipient.username")
    name = serializers.CharField(source="recipient.first_name")
    role = serializers.CharField(source="recipient.role")
    university = serializers.CharField(source="recipient.affiliation.institution.name", default="")

    class Meta:
        model = DirectiveDelivery
        fields = ["username", "name", "role", "university", "read_at", "acknowledged_at"]


class DirectiveListView(WritesThrottled, generics.ListAPIView):
    """Administrators: the directives they sent (``POST`` sends one). Officers, counsellors: their inbox."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return (
            SentDirectiveSerializer if access.directives_sendable(self.request.user) else InboxItemSerializer
        )

    def get_queryset(self) -> QuerySet[Any]:
        if access.directives_sendable(self.request.user):
            return selectors.sent(user=self.request.user).prefetch_related("attachments")
        if access.inbox_openable(self.request.user):
            return selectors.inbox(user=self.request.user).prefetch_related("directive__attachments")
        raise PermissionDenied("Only administrators and front-line officers and counsellors have directives.")

    @extend_schema(
        request=DirectiveInputSerializer,
        responses={201: SentDirectiveSerializer, 200: SentDirectiveSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Sending again with the same key returns the first directive (200).",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        _require(access.directives_sendable(request.user), request, "Only administrators send directives.")
        data = DirectiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kind, province, university = data.validated_data["audience"]
        token = request.headers.get("Idempotency-Key", "")[:64]
        repeated = (
            bool(token) and Directive.objects.filter(sender_id=request.user.pk, client_token=token).exists()
        )
        directive = services.directive_send(
            client_token=token,
            sender=_user(request),
            title=data.validated_data["title"],
            body=data.validated_data["body"],
            urgent=data.validated_data["urgent"],
            audience=kind,
            province=province,
            university=university,
        )
        return Response(
            SentDirectiveSerializer(directive).data,
            status=status.HTTP_200_OK if repeated else status.HTTP_201_CREATED,
        )


class DirectiveDetailView(APIView):
    """The sender: the directive with its read receipts. A recipient: its copy."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SentDirectiveSerializer})
    def get(self, request: Request, pk: int) -> Response:
        if access.directives_sendable(request.user):
            return Response(SentDirectiveSerializer(access.access_sent_directive(request.user, pk)).data)
        return Response(InboxItemSerializer(access.access_delivery(request.user, pk)).data)


class DirectiveRecipientsView(generics.ListAPIView):
    """The sender's list of recipients, ``?read=false`` for those who have not read it (paginated)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RecipientSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OpenApiParameter("read", bool, required=False)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[DirectiveDelivery]:
        directive = access.access_sent_directive(self.request.user, self.kwargs["pk"])
        read = {"true": True, "false": False}.get(self.request.query_params.get("read", ""))
        return selectors.deliveries(directive=directive, read=read)


class DirectiveReadView(WritesThrottled, APIView):
    """``POST``: a recipient marks its copy read (again: keeps the first time)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=InboxItemSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _require(
            access.inbox_openable(request.user), request, "Only officers and counsellors read directives."
        )
        delivery = services.directive_read(delivery=access.access_delivery(request.user, pk))
        return Response(InboxItemSerializer(delivery).data)


class DirectiveAcknowledgeView(WritesThrottled, APIView):
    """``POST``: a recipient acknowledges an urgent directive (400 for one that is not urgent)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=InboxItemSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _require(
            access.inbox_openable(request.user), request, "Only officers and counsellors read directives."
        )
        delivery = services.directive_acknowledge(delivery=access.access_delivery(request.user, pk))
        return Response(InboxItemSerializer(delivery).data)


# --- Surveys ----------------------------------------------------------------------------------------------


class SurveyFieldSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]
    kind = serializers.CharField(max_length=8, help_text="integer, text or choice")

    def validate_kind(self, value: str) -> str:
        if value not in FieldKind.values:
            raise serializers.ValidationError("Give integer, text or choice.")
        return value

    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    required = serializers.BooleanField(required=False, default=True)  # type: ignore[assignment]


class SurveyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    questions = SurveyFieldSerializer(many=True, allow_empty=False)


class SurveySerializer(serializers.ModelSerializer):
    questions = SurveyFieldSerializer(many=True, read_only=True, source="fields")
    status = serializers.CharField(read_only=True, help_text="open or closed")
    province = serializers.CharField(source="province.code", default=None, read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "description", "province", "status", "created_at", "closed_at", "questions"]


class FieldTotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    options = serializers.ListField(child=serializers.ListField())


class SurveyResultSerializer(SurveySerializer):
    totals = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    not_answered = serializers.SerializerMethodField()

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "totals", "answered", "not_answered"]

    @extend_schema_field(FieldTotalSerializer(many=True))
    def get_totals(self, survey: Survey) -> list[dict[str, Any]]:
        return FieldTotalSerializer(selectors.survey_totals(survey=survey), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_answered(self, survey: Survey) -> list[str]:
        return [r.university.name for r in selectors.survey_responses(survey=survey)]

    @extend_schema_field(serializers.IntegerField())
    def get_not_answered(self, survey: Survey) -> int:
        return selectors.survey_unanswered(survey=survey).count()


class AnswerInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text='Answers by field key: {"f12": 3215, "f13": "已建立"}.')


class AnswerSerializer(serializers.Serializer):
    survey = serializers.IntegerField(source="survey_id")
    university = serializers.CharField(source="university.name")
    answers = serializers.DictField()
    updated_at = serializers.DateTimeField()


class SurveyListView(WritesThrottled, generics.ListAPIView):
    """Administrators: their surveys (``POST`` opens one). Officers: the surveys reaching their university."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SurveySerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Survey]:
        if access.surveys_manageable(self.request.user):
            return (
                access.manageable_surveys(self.request.user)
                .prefetch_related("fields")
                .select_related("province")
            )
        if access.surveys_answerable(self.request.user):
            return (
                access.answerable_surveys(self.request.user)
                .prefetch_related("fields")
                .select_related("province")
            )
        raise PermissionDenied("Only administrators and employment officers have surveys.")

    @extend_schema(request=SurveyInputSerializer, responses={201: SurveySerializer})
    def post(self, request: Request) -> Response:
        _require(access.surveys_manageable(request.user), request, "Only administrators open surveys.")
        data = SurveyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.survey_create(
            author=_user(request),
            title=data.validated_data["title"],
            description=data.validated_data["description"],
            fields=[services.FieldInput(**item) for item in data.validated_data["questions"]],
        )
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


class SurveyDetailView(APIView):
    """Administrators: the survey with its totals and who answered. Officers: the survey."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=SurveyResultSerializer)
    def get(self, request: Request, pk: int) -> Response:
        if access.surveys_manageable(request.user):
            return Response(SurveyResultSerializer(access.access_survey_for_manage(request.user, pk)).data)
        _require(access.surveys_answerable(request.user), request, "Only administrators and officers.")
        return Response(SurveySerializer(access.access_survey_for_answer(request.user, pk)).data)


class SurveyAnswerView(WritesThrottled, APIView):
    """``PUT {answers}``: an officer's answer for its university (one per university, until closed)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AnswerInputSerializer, responses=AnswerSerializer)
    def put(self, request: Request, pk: int) -> Response:
        _require(access.surveys_answerable(request.user), request, "Only employment officers answer surveys.")
        survey = access.access_survey_for_answer(request.user, pk)
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.survey_answer(
            actor=_user(request), survey=survey, answers=data.validated_data["answers"]
        )
        return Response(AnswerSerializer(response).data)


class SurveyCloseView(WritesThrottled, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=SurveySerializer)
    def post(self, request: Request, pk: int) -> Response:
        _require(access.surveys_manageable(request.user), request, "Only administrators close surveys.")
        survey = services.survey_close(
            actor=_user(request), survey=access.access_survey_for_manage(request.user, pk)
        )
        return Response(SurveySerializer(survey).data)
