"""Reads of the employment front. Progress figures come from the roll-up tables only (never from the live
tables per request); lists of graduates are the live, paginated rows of one's own university or class."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from employment.front import access
from employment.front.access import Scope
from employment.front.models import (
    Directive,
    DirectiveDelivery,
    FieldKind,
    ProgressFigure,
    RollupRun,
    Survey,
    SurveyResponse,
)
from employment.models import Application, GraduateProfile
from employment.outcomes import outcomes
from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution, InstitutionKind

# --- Progress ---------------------------------------------------------------------------------------------


def _figures(scope: Scope) -> QuerySet[ProgressFigure]:
    figures = ProgressFigure.objects.all()
    if scope.level == "province":
        figures = figures.filter(province_id=scope.province_id)
    elif scope.level in ("university", "class"):
        figures = figures.filter(university_id=scope.university_id)
    if scope.level == "class":
        figures = figures.filter(specialty=scope.specialty, graduation_year=scope.graduation_year)
    return figures


@dataclass
class Progress:
    """The rolled-up figures of one scope: totals per measure and the breakdowns the dashboard draws."""

    scope: Scope
    scope_name: str
    last_rollup: RollupRun | None
    totals: dict[str, int] = field(default_factory=dict)
    by_specialty: dict[str, dict[str, int]] = field(default_factory=dict)
    by_degree: dict[str, dict[str, int]] = field(default_factory=dict)
    by_destination: dict[str, int] = field(default_factory=dict)
    by_area: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)  # province or university


def scope_name(scope: Scope) -> str:
    if scope.level == "nation":
        return "全国"
    if scope.level == "province":
        return Province.objects.filter(pk=scope.province_id).values_list("name", flat=True).first() or ""
    university = (
        Institution.objects.filter(pk=scope.university_id).values_list("name", flat=True).first() or ""
    )
    if scope.level == "class":
        return f"{university} {scope.graduation_year}届 {scope.specialty}"
    return university


def last_rollup() -> RollupRun | None:
    return RollupRun.objects.order_by("-finished_at", "-pk").first()


def progress(*, scope: Scope) -> Progress:
    """Everything the dashboard shows for ``scope``, in five grouped queries over the roll-up table."""
    figures = _figures(scope)
    data = Progress(scope=scope, scope_name=scope_name(scope), last_rollup=last_rollup())
    for row in figures.values("measure").annotate(n=Sum("count")).order_by():
        data.totals[row["measure"]] = row["n"]
        if row["measure"].startswith("destination:"):
            data.by_destination[row["measure"].split(":", 1)[1]] = row["n"]
    pair = figures.filter(measure__in=("graduates", "employed"))
    specialties: dict[str, dict[str, int]] = defaultdict(dict)
    for row in pair.values("specialty", "measure").annotate(n=Sum("count")).order_by("specialty"):
        specialties[row["specialty"]][row["measure"]] = row["n"]
    data.by_specialty = dict(specialties)
    degrees: dict[str, dict[str, int]] = defaultdict(dict)
    for row in pair.values("degree", "measure").annotate(n=Sum("count")).order_by("degree"):
        degrees[row["degree"]][row["measure"]] = row["n"]
    data.by_degree = dict(degrees)
    if scope.level in ("nation", "province"):
        area = "province" if scope.level == "nation" else "university"
        names = (
            dict(Province.objects.values_list("pk", "name"))
            if area == "province"
            else dict(Institution.objects.filter(province_id=scope.province_id).values_list("pk", "name"))
        )
        areas: dict[int, dict[str, int]] = defaultdict(dict)
        for row in (
            figures.filter(measure__in=("graduates", "applied", "offer", "employed"))
            .values(f"{area}_id", "measure")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            areas[row[f"{area}_id"]][row["measure"]] = row["n"]
        data.by_area = sorted(
            ((pk, names.get(pk, str(pk)), values) for pk, values in areas.items()), key=lambda r: r[1]
        )
    return data


def rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, or None when there is nobody to count."""
    return round(100 * (part or 0) / whole, 1) if whole else None


def outcome_labels() -> list[tuple[str, Any]]:
    return [(f"outcome:{o.key}", o.label) for o in outcomes()]


# --- Graduates of one's university or class ----------------------------------------------------------------


def _graduates_for_lists(user: Any) -> QuerySet[GraduateProfile]:
    return (
        access.graduates_in_scope(user)
        .select_related("user", "user__resume", "support")
        .order_by("specialty", "name", "pk")
    )


def graduates_without_application(*, user: Any) -> QuerySet[GraduateProfile]:
    """The graduates of ``user``'s scope who have not applied for any job yet (live rows, paginated)."""
    return _graduates_for_lists(user).exclude(
        Exists(Application.objects.filter(graduate_id=OuterRef("user_id")))
    )


def graduates_needing_help(*, user: Any) -> QuerySet[GraduateProfile]:
    return _graduates_for_lists(user).filter(support__needs_help=True)


def graduates_of_scope(*, user: Any) -> QuerySet[GraduateProfile]:
    return _graduates_for_lists(user)


# --- Directives -------------------------------------------------------------------------------------------


def inbox(*, user: Any) -> QuerySet[DirectiveDelivery]:
    return access.inbox_of(user).select_related("directive").order_by("-delivered_at", "-pk")


def unread_count(user: Any) -> int:
    """Unread directives of a front-line account (0 for anyone else); one indexed count."""
    if not access.is_front_line(user):
        return 0
    return DirectiveDelivery.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def sent(*, user: Any) -> QuerySet[Directive]:
    return access.sent_directives(user).select_related("audience_province", "audience_university")


@dataclass(frozen=True)
class Receipts:
    delivered: int
    read: int
    acknowledged: int
    unread: int


def receipts(*, directive: Directive) -> Receipts:
    row = DirectiveDelivery.objects.filter(directive=directive).aggregate(
        delivered=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
    )
    return Receipts(
        delivered=row["delivered"],
        read=row["read"],
        acknowledged=row["acknowledged"],
        unread=row["delivered"] - row["read"],
    )


def deliveries(*, directive: Directive, read: bool | None) -> QuerySet[DirectiveDelivery]:
    """The recipients of a directive, read or not (``None``: all), with their university."""
    rows = DirectiveDelivery.objects.filter(directive=directive).select_related(
        "recipient", "recipient__affiliation__institution"
    )
    if read is None:
        return rows.order_by("recipient_id")  # the (directive, recipient) unique index
    if read:
        return rows.filter(read_at__isnull=False).order_by("-read_at", "recipient_id")  # latest first
    return rows.filter(read_at__isnull=True).order_by("recipient_id")  # (directive, read_at, recipient)


# --- Surveys ----------------------------------------------------------------------------------------------


def surveys_for_manage(*, user: Any) -> QuerySet[Survey]:
    return (
        access.manageable_surveys(user)
        .annotate(answers=Count("responses"))
        .select_related("province")
        .order_by("-created_at", "-pk")
    )


def surveys_for_answer(*, user: Any) -> QuerySet[Survey]:
    university_id = access.officer_university_id(user)
    return (
        access.answerable_surveys(user)
        .annotate(
            answered=Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), university_id=university_id))
        )
        .order_by("-created_at", "-pk")
    )


def survey_universities(survey: Survey) -> QuerySet[Institution]:
    universities = Institution.objects.filter(kind=InstitutionKind.UNIVERSITY)
    return universities.filter(province_id=survey.province_id) if survey.province_id else universities


def survey_responses(*, survey: Survey) -> QuerySet[SurveyResponse]:
    return survey.responses.select_related("university", "answered_by").order_by("university__name", "pk")


def survey_unanswered(*, survey: Survey) -> QuerySet[Institution]:
    return (
        survey_universities(survey)
        .exclude(pk__in=SurveyResponse.objects.filter(survey=survey).values("university_id"))
        .order_by("province__code", "name")
    )


@dataclass(frozen=True)
class FieldTotal:
    key: str
    label: str
    kind: str
    answered: int
    total: int | None  # integers: the sum
    options: list[tuple[str, int]]  # choices: each option and how many chose it


def survey_totals(*, survey: Survey) -> list[FieldTotal]:
    answers = list(survey.responses.values_list("answers", flat=True))
    totals = []
    for item in survey.fields.all():
        values = [a[item.key] for a in answers if item.key in a]
        totals.append(
            FieldTotal(
                key=item.key,
                label=item.label,
                kind=item.kind,
                answered=len(values),
                total=sum(int(v) for v in values) if item.kind == FieldKind.INTEGER else None,
                options=[(option, values.count(option)) for option in item.choices]
                if item.kind == FieldKind.CHOICE
                else [],
            )
        )
    return totals
