"""View statistics API: the counting beacon (anyone, same site) and the figures (administrators).

``POST /api/v1/stats/views/`` takes ``{"items": [{"kind": "k12.lesson", "id": 42}, …]}`` (JSON; ``text/plain``
too, as ``navigator.sendBeacon`` sends it) and counts each distinct item once for the viewer, who comes from
the session or the client address — never from the body. It answers 204 when every item was valid — also to
a known bot, whose views are silently not counted — and 400 with ``{"items": {"<index>": ["why"]},
"counted": <n>}`` when some items were rejected (the others are counted); 403 when ``Origin`` or ``Referer``
names another site; 429 over the client's rate and 503 when the buffer does not answer, both with
``Retry-After``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smartedu.stats import access, registry, rules, selectors, services
from smartedu.stats.buffer import BufferUnavailable
from smartedu.stats.periods import Period, period_validate
from smartedu.stats.viewers import province_code_valid, viewer_from_request

PIXEL_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
MAX_BEACON_BODY = 16 * 1024
RETRY_AFTER_UNAVAILABLE = 5


class BeaconJSONParser(JSONParser):
    """JSON of at most 16 KiB; too deep or too large a body is a 400, never a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(MAX_BEACON_BODY + 1) if stream is not None else b""
        if len(raw) > MAX_BEACON_BODY:
            raise ParseError(_("The body is too large."))
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ParseError(_("The body is not valid JSON.")) from exc


class PlainTextJSONParser(BeaconJSONParser):
    """``navigator.sendBeacon`` with a string body sends ``text/plain``: read it as JSON."""

    media_type = "text/plain"


class IsStatsReader(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.stats_readable(request.user)


class IsNationalStatsReader(permissions.BasePermission):
    message = "Only administrators of the ministry (without a province) read national rankings."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.stats_national(request.user)


# --- The beacon -------------------------------------------------------------------------------------------


@dataclass
class ItemsOutcome:
    valid: list[services.ViewedItem] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [
            f"{key}: {m}" if key != "non_field_errors" else m
            for key, v in detail.items()
            for m in _messages(v)
        ]
    if isinstance(detail, list):
        return [m for item in detail for m in _messages(item)]
    return [str(detail)]


def _well_formed_item(item: Any) -> services.ViewedItem | None:
    """The item when it is plainly valid (a registered kind, an int id in range): no serializer is built.

    It accepts only what ``ViewItemSerializer`` accepts; anything else (a string id, padding, a bad kind)
    goes through the serializer, which stays the one judge of what is wrong and how to say it.
    """
    if not isinstance(item, dict):
        return None
    kind_key, object_id = item.get("kind"), item.get("id")
    if not isinstance(kind_key, str) or type(object_id) is not int:
        return None
    kind = registry.get_kind(kind_key)
    if kind is None or not 0 <= object_id <= rules.MAX_OBJECT_ID or (kind.is_page and object_id != 0):
        return None
    return services.ViewedItem(kind=kind, object_id=object_id)


def beacon_items_validate(data: list[Any], child: serializers.Serializer | None = None) -> ItemsOutcome:
    """Each item on its own: the valid ones are counted, the others reported by their index.

    The hot path: a well-formed item costs a dictionary look-up; only a doubtful one builds the serializer.
    """
    outcome = ItemsOutcome()
    for index, item in enumerate(data):
        if index >= rules.MAX_ITEMS:
            outcome.errors[str(index)] = [
                _("At most %(n)d items are counted per request.") % {"n": rules.MAX_ITEMS}
            ]
            continue
        well_formed = _well_formed_item(item)
        if well_formed is not None:
            outcome.valid.append(well_formed)
            continue
        child = child or ViewItemSerializer()
        try:
            outcome.valid.append(child.run_validation(item))
        except serializers.ValidationError as exc:
            outcome.errors[str(index)] = _messages(exc.detail)
    return outcome


class ViewItemListSerializer(serializers.ListSerializer):
    """Each item on its own (``beacon_items_validate``)."""

    def to_internal_value(self, data: Any) -> ItemsOutcome:
        if not isinstance(data, list):
            raise serializers.ValidationError([_("Send a list of items.")])
        return beacon_items_validate(data, self.child)  # type: ignore[arg-type]


class ViewItemSerializer(serializers.Serializer):
    """One viewed item: a registered content kind and the object's id (0 for a page kind)."""

    kind = serializers.CharField(max_length=64, help_text='A registered content kind, e.g. "k12.lesson".')
    id = serializers.IntegerField(min_value=0, max_value=rules.MAX_OBJECT_ID)

    def validate_kind(self, value: str) -> str:
        if registry.get_kind(value) is None:
            raise serializers.ValidationError(_("Unknown content kind: %(kind)s.") % {"kind": value[:64]})
        return value

    def validate(self, attrs: dict[str, Any]) -> services.ViewedItem:
        kind = registry.get_kind(attrs["kind"])
        assert kind is not None  # validate_kind ran
        if kind.is_page and attrs["id"] != 0:
            raise serializers.ValidationError({"id": [_("The id of a page kind must be 0.")]})
        return services.ViewedItem(kind=kind, object_id=attrs["id"])


class ViewBeaconSerializer(serializers.Serializer):
    """The beacon's body; its OpenAPI schema is generated from this same class."""

    items = ViewItemListSerializer(
        child=ViewItemSerializer(),
        max_length=rules.MAX_ITEMS,
        help_text="The items this page shows; repeats count once; at most 50 are counted.",
    )


class ViewBeaconRejectedSerializer(serializers.Serializer):
    items = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Why each rejected item (by its index) was not counted.",
    )
    counted = serializers.IntegerField(help_text="Views counted (after de-duplication).")


def _refused(code: int, retry_after: int, body: bytes = b"", content_type: str = "") -> HttpResponse:
    response = HttpResponse(body, status=code, content_type=content_type or None)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _count(request: HttpRequest, items: list[services.ViewedItem]) -> services.RecordResult | HttpResponse:
    """Count ``items`` for the request's viewer, or the 429/503 response that says why not."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")  # not request.headers: it parses every header
    try:
        if rules.user_agent_is_bot(user_agent):
            return services.RecordResult(bot=True)
        viewer = viewer_from_request(request)
        result = services.views_record(items=items, viewer=viewer, user_agent=user_agent)
    except BufferUnavailable:
        return _refused(status.HTTP_503_SERVICE_UNAVAILABLE, RETRY_AFTER_UNAVAILABLE)
    if not result.allowed:
        return _refused(status.HTTP_429_TOO_MANY_REQUESTS, result.retry_after)
    return result


BEACON_MEDIA_TYPES = frozenset({"application/json", "text/plain"})


def plain_beacon(request: HttpRequest) -> HttpResponse | None:
    """The answer to a same-site beacon whose every item is well-formed; ``None`` for anything else.

    ``BeaconMiddleware`` answers such beacons with it, before sessions, CSRF, locale and DRF: the request
    and response machinery would cost more than the count itself, and the beacon is the most frequent
    request of the site. Anything else (another content type, a bad body or item, another site's
    ``Origin``) goes on to ``ViewBeaconView`` through DRF, the one place that says what is wrong. Both run
    the same checks: origin, bot, viewer from the session cookie or the real client address, and the rate
    limit, de-duplication and count in one round trip (``_count``).
    """
    if request.content_type not in BEACON_MEDIA_TYPES:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return None
    if not 0 < length <= MAX_BEACON_BODY or not access.beacon_origin_allowed(request):
        return None
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) > rules.MAX_ITEMS:
        return None
    valid = [_well_formed_item(item) for item in items]
    if None in valid:
        return None
    result = _count(request, cast(list[services.ViewedItem], valid))
    if isinstance(result, HttpResponse):
        return result
    response = HttpResponse(status=status.HTTP_204_NO_CONTENT)
    response["Cache-Control"] = "no-store"
    return response


class ViewBeaconView(APIView):
    """Count views of content pages (the beacon pages send; anyone may call it from this site, no CSRF).

    The viewer comes from the session cookie or the client address, never from the body; the rate limit,
    the de-duplication and the count happen in one round trip to the buffer (``buffer.py``).
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []  # the buffer limits the rate in the round trip that counts
    parser_classes = [BeaconJSONParser, PlainTextJSONParser]

    @extend_schema(
        request={"application/json": ViewBeaconSerializer},
        responses={
            204: OpenApiResponse(description="Every item was valid (or the client is a known bot)."),
            400: ViewBeaconRejectedSerializer,
            403: OpenApiResponse(description="Origin or Referer names another site."),
            429: OpenApiResponse(description="Too many requests from this client (see Retry-After)."),
            503: OpenApiResponse(description="Counting is unavailable for a moment (see Retry-After)."),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        if not access.beacon_origin_allowed(request._request):
            return Response({"detail": _("Views are counted only from this site.")}, status=403)
        data = request.data if isinstance(request.data, dict) else {}
        items = data.get("items")
        if isinstance(items, list):
            outcome = beacon_items_validate(items)  # the hot path: no serializer for well-formed items
        else:
            serializer = ViewBeaconSerializer(data=data)
            if not serializer.is_valid():
                return Response({**serializer.errors, "counted": 0}, status=status.HTTP_400_BAD_REQUEST)
            outcome = serializer.validated_data["items"]
        result = _count(request._request, outcome.valid)
        if isinstance(result, HttpResponse):
            return result
        response = (
            Response({"items": outcome.errors, "counted": result.counted}, status=status.HTTP_400_BAD_REQUEST)
            if outcome.errors
            else HttpResponse(status=status.HTTP_204_NO_CONTENT)
        )
        response["Cache-Control"] = "no-store"
        return response


class ViewPixelView(APIView):
    """The ``<noscript>`` fallback: ``<img src=".../pixel.gif?i=k12.lesson:42">`` counts and returns a GIF."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(
        parameters=[OpenApiParameter("i", str, many=True, description="`<kind>:<id>`, repeatable")],
        responses={(200, "image/gif"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request) -> HttpResponse:
        if not access.beacon_origin_allowed(request._request):
            return HttpResponse(status=403)
        items = []
        for value in request.query_params.getlist("i")[: rules.MAX_ITEMS]:
            kind, _sep, object_id = value.rpartition(":")
            item = ViewItemSerializer(data={"kind": kind, "id": object_id})
            if item.is_valid():
                items.append(item.validated_data)
        result = _count(request._request, items)
        if isinstance(result, HttpResponse):
            result.content = PIXEL_GIF
            result["Content-Type"] = "image/gif"
            return result
        response = HttpResponse(PIXEL_GIF, content_type="image/gif")
        response["Cache-Control"] = "no-store"
        return response


# --- Figures (administrators) -------------------------------------------------------------------------------


def _platform_validate(value: str) -> str:
    if value and value not in registry.platform_keys():
        raise serializers.ValidationError(
            _("Unknown sub-platform; one of: %(keys)s.") % {"keys": ", ".join(registry.platform_keys())}
        )
    return value


class PeriodInputSerializer(serializers.Serializer):
    """A period and a sub-platform; the period follows ``periods.period_validate`` (the forms' rule too)."""

    platform = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate_platform(self, value: str) -> str:
        return _platform_validate(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["period"] = period_validate(start=attrs.get("start"), end=attrs.get("end"))
        return attrs


class ProvinceInputMixin(serializers.Serializer):
    province = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_province(self, value: str) -> str:
        if value and not province_code_valid(value):
            raise serializers.ValidationError(_("Unknown province code."))
        return value


def _period_json(period: Period) -> dict[str, Any]:
    return {"start": period.start, "end": period.end, "days": period.days}


class SummaryView(APIView):
    """Total, average per day, peak day, today so far and unique visitors of a period."""

    permission_classes = [IsStatsReader]

    class InputSerializer(ProvinceInputMixin, PeriodInputSerializer):
        pass

    class StatsSummarySerializer(serializers.Serializer):
        platform = serializers.CharField()
        province = serializers.CharField()
        start = serializers.DateField()
        end = serializers.DateField()
        days = serializers.IntegerField()
        total = serializers.IntegerField()
        average_per_day = serializers.FloatField()
        peak_day = serializers.DateField(allow_null=True)
        peak_views = serializers.IntegerField()
        today = serializers.IntegerField()
        visitors_today = serializers.IntegerField(allow_null=True)
        visitors_per_day = serializers.FloatField(allow_null=True)

    @extend_schema(parameters=[InputSerializer], responses=StatsSummarySerializer)
    def get(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        province = access.province_scope(request.user, data.validated_data["province"])
        summary = selectors.views_summary(
            period=data.validated_data["period"],
            platform=data.validated_data["platform"] or None,
            province=province,
        )
        body = {
            "platform": data.validated_data["platform"],
            "province": province or "",
            **_period_json(summary.period),
            "total": summary.total,
            "average_per_day": round(summary.average_per_day, 2),
            "peak_day": summary.peak_day,
            "peak_views": summary.peak_views,
            "today": summary.today,
            "visitors_today": summary.visitors_today,
            "visitors_per_day": None
            if summary.visitors_per_day is None
            else round(summary.visitors_per_day, 2),
        }
        return Response(self.StatsSummarySerializer(body).data)


class TimeseriesView(APIView):
    """Views per day or per hour (hours are kept nationally, not per province)."""

    permission_classes = [IsStatsReader]

    class InputSerializer(ProvinceInputMixin, PeriodInputSerializer):
        granularity = serializers.ChoiceField(choices=["day", "hour"], default="day")

    class StatsPointSerializer(serializers.Serializer):
        time = serializers.CharField(help_text="A date (YYYY-MM-DD) or an hour's start (ISO 8601, +08:00).")
        views = serializers.IntegerField()

    @extend_schema(
        parameters=[InputSerializer],
        responses=inline_serializer(
            "StatsTimeseries",
            {
                "platform": serializers.CharField(),
                "province": serializers.CharField(),
                "granularity": serializers.CharField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "points": StatsPointSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        province = access.province_scope(request.user, params["province"])
        period, platform = params["period"], params["platform"] or None
        if params["granularity"] == "hour":
            if province is not None:
                raise serializers.ValidationError(
                    {"granularity": [_("Hourly views are kept nationally, not per province.")]}
                )
            if period.days > 31:
                raise serializers.ValidationError({"start": [_("Hourly series span at most 31 days.")]})
            hours = selectors.hourly_views(period=period, platform=platform)
            points = [{"time": t.isoformat(), "views": v} for t, v in hours.items()]
        else:
            days = selectors.daily_views(period=period, platform=platform, province=province)
            points = [{"time": d.isoformat(), "views": v} for d, v in days.items()]
        return Response(
            {
                "platform": params["platform"],
                "province": province or "",
                "granularity": params["granularity"],
                **{k: v.isoformat() for k, v in {"start": period.start, "end": period.end}.items()},
                "points": points,
            }
        )


class TopView(APIView):
    """The most viewed content of a period, optionally of one sub-platform and one section or column."""

    permission_classes = [IsNationalStatsReader]

    class InputSerializer(PeriodInputSerializer):
        section = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text='A section or column, e.g. "k12.section:3".',
        )
        limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)

    class StatsTopItemSerializer(serializers.Serializer):
        rank = serializers.IntegerField()
        kind = serializers.CharField()
        object_id = serializers.IntegerField()
        title = serializers.CharField()
        url = serializers.CharField()
        views = serializers.IntegerField()

    @extend_schema(
        parameters=[InputSerializer],
        responses=inline_serializer(
            "StatsTop",
            {
                "platform": serializers.CharField(),
                "section": serializers.CharField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "results": StatsTopItemSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        items = selectors.hot_content(
            period=params["period"],
            platform=params["platform"] or None,
            section=params["section"] or None,
            limit=params["limit"],
        )
        return Response(
            {
                "platform": params["platform"],
                "section": params["section"],
                "start": params["period"].start,
                "end": params["period"].end,
                "results": [self.StatsTopItemSerializer(item).data for item in items],
            }
        )
