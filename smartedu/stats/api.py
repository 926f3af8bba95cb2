"""View statistics API: the counting beacon (anyone) and the figures (administrators).

``POST /api/v1/stats/views/`` takes ``{"items": [{"kind": "k12.lesson", "id": 42}, …], "province": "45"}``
(at most 50 items; ``province`` is used only when no one is signed in). It answers 204 when every item was
counted — also to a known bot, whose views are silently not counted — and 400 with
``{"items": {"<index>": ["why"]}, "counted": <n>}`` when some items were rejected: the others are counted.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from smartedu.stats import access, registry, selectors, services
from smartedu.stats.viewers import province_code_valid, viewer_from_request, visitor_cookie_set

PIXEL_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


class PlainTextJSONParser(BaseParser):
    """``navigator.sendBeacon`` with a string body sends ``text/plain``: read it as JSON."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return json.loads(stream.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            from rest_framework.exceptions import ParseError

            raise ParseError(_("The body is not valid JSON.")) from exc


class BeaconThrottle(SimpleRateThrottle):
    """Per client address (or user id), at the ``stats_beacon`` rate, read when the request comes."""

    scope = "stats_beacon"

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class IsStatsReader(permissions.BasePermission):
    def has_permission(self, request, view):
        return access.stats_readable(request.user)


class IsNationalStatsReader(permissions.BasePermission):
    message = "Only administrators of the ministry (without a province) read national rankings."

    def has_permission(self, request, view):
        return access.stats_national(request.user)


def _platform_validate(value: str) -> str:
    if value and value not in registry.platform_keys():
        raise serializers.ValidationError(
            _("Unknown sub-platform; one of: %(keys)s.") % {"keys": ", ".join(registry.platform_keys())}
        )
    return value


class PeriodInputSerializer(serializers.Serializer):
    platform = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate_platform(self, value: str) -> str:
        return _platform_validate(value)

    def validate(self, attrs):
        default = selectors.default_period()
        end = attrs.get("end") or default.end
        start = attrs.get("start") or end - timedelta(days=selectors.DEFAULT_DAYS - 1)
        if start > end:
            raise serializers.ValidationError({"end": [_("The end must not come before the start.")]})
        if (end - start).days >= selectors.MAX_DAYS:
            raise serializers.ValidationError({"start": [_("A period may span at most ten years.")]})
        attrs["period"] = selectors.Period(start, end)
        return attrs


class ProvinceInputMixin(serializers.Serializer):
    province = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_province(self, value: str) -> str:
        if value and not province_code_valid(value):
            raise serializers.ValidationError(_("Unknown province code."))
        return value


def _province_scope(request, requested: str) -> str | None:
    """The province to read: the requested one if permitted (403 otherwise); a provincial admin's own."""
    scope = access.scope_province_code(request.user)
    if scope is None:
        return requested or None
    if requested and requested != scope:
        raise PermissionDenied(_("You may only read the statistics of your own province."))
    return scope


def _period_json(period: selectors.Period) -> dict:
    return {"start": period.start, "end": period.end, "days": period.days}


class ViewBeaconView(APIView):
    """Count views of content pages (the beacon pages send; anyone may call it, CSRF is not needed).

    Identity comes from the session cookie only, never from the body; ``province`` in the body is used when
    the viewer is not signed in and must be a known province code.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [BeaconThrottle]
    parser_classes = [JSONParser, PlainTextJSONParser]

    @extend_schema(
        request=inline_serializer(
            "ViewBeacon",
            {
                "items": serializers.ListField(
                    child=inline_serializer(
                        "ViewBeaconItem",
                        {"kind": serializers.CharField(), "id": serializers.IntegerField(min_value=0)},
                    ),
                    max_length=services.MAX_ITEMS,
                ),
                "province": serializers.CharField(required=False),
            },
        ),
        responses={
            204: OpenApiResponse(description="Every item was counted (or the client is a known bot)."),
            400: inline_serializer(
                "ViewBeaconRejected",
                {
                    "items": serializers.DictField(
                        child=serializers.ListField(child=serializers.CharField())
                    ),
                    "province": serializers.ListField(child=serializers.CharField(), required=False),
                    "counted": serializers.IntegerField(),
                },
            ),
            429: OpenApiResponse(description="Too many requests from this client."),
        },
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        items = data.get("items")
        if not isinstance(items, list):
            return Response({"items": [_("Send a list of items.")], "counted": 0}, status=400)
        claimed = data.get("province") or ""
        errors: dict = {}
        if claimed and not (isinstance(claimed, str) and province_code_valid(claimed)):
            errors["province"] = [_("Unknown province code.")]
            claimed = ""
        viewer = viewer_from_request(request._request, claimed_province=claimed)
        result = services.views_record(
            items=items,
            province_code=viewer.province_code,
            visitor=viewer.visitor,
            user_agent=request.headers.get("User-Agent", ""),
        )
        if result.errors:
            errors["items"] = {str(i): messages for i, messages in result.errors.items()}
        response = (
            Response({**errors, "counted": result.counted}, status=status.HTTP_400_BAD_REQUEST)
            if errors
            else Response(status=status.HTTP_204_NO_CONTENT)
        )
        visitor_cookie_set(response, viewer)
        response["Cache-Control"] = "no-store"
        return response


class ViewPixelView(APIView):
    """The ``<noscript>`` fallback: ``<img src=".../pixel.gif?i=k12.lesson:42">`` counts and returns a GIF."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [BeaconThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("i", str, many=True, description="`<kind>:<id>`, repeatable")],
        responses={(200, "image/gif"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        items = []
        for value in request.query_params.getlist("i")[: services.MAX_ITEMS]:
            kind, _sep, object_id = value.rpartition(":")
            items.append({"kind": kind, "id": object_id})
        viewer = viewer_from_request(request._request)
        services.views_record(
            items=items,
            province_code=viewer.province_code,
            visitor=viewer.visitor,
            user_agent=request.headers.get("User-Agent", ""),
        )
        response = HttpResponse(PIXEL_GIF, content_type="image/gif")
        response["Cache-Control"] = "no-store"
        visitor_cookie_set(response, viewer)
        return response


# --- Figures (administrators) -------------------------------------------------------------------------------


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
    def get(self, request):
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        province = _province_scope(request, data.validated_data["province"])
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
    def get(self, request):
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        province = _province_scope(request, params["province"])
        period, platform = params["period"], params["platform"] or None
        if params["granularity"] == "hour":
            if province is not None:
                raise serializers.ValidationError(
                    {"granularity": [_("Hourly views are kept nationally, not per province.")]}
                )
            if period.days > 31:
                raise serializers.ValidationError({"start": [_("Hourly series span at most 31 days.")]})
            series = selectors.hourly_views(period=period, platform=platform)
            points = [{"time": t.isoformat(), "views": v} for t, v in series.items()]
        else:
            series = selectors.daily_views(period=period, platform=platform, province=province)
            points = [{"time": d.isoformat(), "views": v} for d, v in series.items()]
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
    def get(self, request):
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
