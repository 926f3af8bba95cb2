"""Every non-trivial read of the employment platform, starting from the visibility methods."""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from employment import access
from employment.models import (
    DEGREE_RANK,
    Application,
    ApplicationEvent,
    Degree,
    Employer,
    Favourite,
    GraduateProfile,
    ImportStatus,
    Industry,
    Intention,
    Job,
    JobStatus,
    Message,
    RegistryImport,
    RegistryRecord,
    Resume,
)
from smartedu.accounts.models import Province
from smartedu.portal.prepared import UNPREPARED
from smartedu.portal.reference import read_csv
from smartedu.stats.registry import Location

if TYPE_CHECKING:
    from smartedu.search.selectors import Candidate

JOB_PAGE = 20
COUNT_CAP = 1000  # lists count at most this many rows ("1000+"): a count never scans millions
RELEVANCE_MAX_PAGES = 50  # keyword results are ranked; beyond 1,000 hits people refine the query
# How many of a keyword's matches one search reads from the index at most (see ``job_search``): relevance's
# window, and what the newest and salary orders read when the statistics expect more than SORTED_WINDOW.
KEYWORD_WINDOW = 1000
# What they read when the statistics expect at most that many (a keyword under narrow facets): their
# pages and count are then exact on those rows, where a walk of their index would meet few matches.
SORTED_WINDOW = 5000
# A keyword is walked (jobs tested against the index in some order) rather than read from the index when
# the estimates say that the walk finds what it needs within about WALK_ROWS rows and that the keyword with
# its facets matches WALK_MARGIN times that many documents (estimates err), or FREQUENT_MATCHES when the
# page says "more than 1,000" without counting them (so that it is true with room to spare).
WALK_ROWS = 10_000
WALK_MARGIN = 10
FREQUENT_MATCHES = 20 * KEYWORD_WINDOW
# The facets the partial indexes of open jobs lead with (``Job.Meta.indexes``): walked newest first under
# them, a walk meets only jobs with these values. The salary order's index holds none.
FACET_INDEXES = (("province", "industry"), ("province",), ("industry",), ("city",))


def industry_list() -> QuerySet[Industry]:
    return Industry.objects.all()


def industry_count() -> int:
    return Industry.objects.count()


def visible_job_count() -> int:
    return Job.objects.visible().count()


def verified_employer_count() -> int:
    return Employer.objects.verified().count()


def verified_graduate_count() -> int:
    return GraduateProfile.objects.count()


_specialty_classes: list[tuple[str, str]] | None = None
_cities: dict[str, list[str]] | None = None


def specialty_class_choices() -> list[tuple[str, str]]:
    """The 92 specialty classes (专业类) of the undergraduate catalogue, from this app's reference file."""
    global _specialty_classes
    if _specialty_classes is None:
        _specialty_classes = [
            (r["class_code"], r["class"]) for r in read_csv("employment", "specialty_classes.csv")
        ]
    return _specialty_classes


def cities_by_province() -> dict[str, list[str]]:
    global _cities
    if _cities is None:
        _cities = {r["province_code"]: r["cities"].split("|") for r in read_csv("employment", "cities.csv")}
    return _cities


# --- Job search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobFilters:
    q: str = ""
    province: str = ""  # province code
    city: str = ""
    industry: str = ""  # industry code
    education: str = ""
    specialty_class: str = ""
    salary: int | None = None  # at least this monthly salary (the job's maximum reaches it)
    job_type: str = ""
    within_days: int | None = None
    sort: str = "newest"  # newest, salary, relevance (with q)
    cursor: str = ""
    page: int = 1


@dataclass
class JobPage:
    jobs: list[Job]
    count: int
    count_capped: bool
    next_cursor: str = ""
    page: int = 1
    has_next: bool = False
    filters: JobFilters = field(default_factory=JobFilters)


def _encode_cursor(*parts: object) -> str:
    return base64.urlsafe_b64encode("|".join(str(p) for p in parts).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("|")
    return parts if len(parts) == 2 and parts[1].isdigit() else None


def job_queryset() -> QuerySet[Job]:
    """Visible jobs with what cards, documents and the API read (one query per page)."""
    return Job.objects.visible().select_related("employer", "industry", "province")


_code_ids: dict[str, dict[str, int]] = {}


def _id_of(model: type[Province] | type[Industry], code: str) -> int:
    """The id behind a province or industry code (reference data, read once per process), or 0."""
    key = model._meta.label
    if key not in _code_ids:
        _code_ids[key] = dict(model.objects.values_list("code", "pk"))
    return _code_ids[key].get(code, 0)


# Job search statements are never prepared (smartedu/portal/prepared.py): their best plan depends on the
# values (a common province walks its index, a rare one reads a handful of rows), and a prepared statement's
# generic plan would be one plan for every value.
_UNPREPARED = RawSQL(f"TRUE {UNPREPARED}", [], output_field=BooleanField())  # noqa: S611 (a constant)


def _among(jobs: QuerySet[Job], ids: list[int]) -> QuerySet[Job]:
    """``jobs`` with one of these ids. On PostgreSQL the ids are one array parameter (``= ANY``): a list of
    thousands of placeholders costs milliseconds to build here and to parse there."""
    if connection.vendor != "postgresql":
        return jobs.filter(pk__in=ids)
    table = connection.ops.quote_name(Job._meta.db_table)
    return jobs.filter(RawSQL(f"{table}.id = ANY(%s)", [ids], output_field=BooleanField()))  # noqa: S611


def _filtered(filters: JobFilters) -> QuerySet[Job]:
    """Filters on the job row's own columns (codes resolved to ids first), so the partial indexes serve."""
    jobs = job_queryset().filter(_UNPREPARED)
    if filters.province:
        jobs = jobs.filter(province_id=_id_of(Province, filters.province))
    if filters.city:
        jobs = jobs.filter(city=filters.city)
    if filters.industry:
        jobs = jobs.filter(industry_id=_id_of(Industry, filters.industry))
    if filters.education:
        jobs = jobs.filter(education=filters.education)
    if filters.specialty_class:
        jobs = jobs.filter(specialty_class=filters.specialty_class)
    if filters.salary is not None:
        jobs = jobs.filter(salary_max__gte=filters.salary)
    if filters.job_type:
        jobs = jobs.filter(job_type=filters.job_type)
    if filters.within_days:
        jobs = jobs.filter(posted_at__gte=timezone.now() - timedelta(days=filters.within_days))
    return jobs


def bounded_count(
    queryset: QuerySet[Any], cap: int = COUNT_CAP, *, ordered: bool = False
) -> tuple[int, bool]:
    """``(count, capped)``: counts at most ``cap`` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT cap+1)``), in
    any order the planner likes, or the first in the queryset's own order if ``ordered``."""
    n = (queryset if ordered else queryset.order_by())[: cap + 1].count()
    return min(n, cap), n > cap


def _facet_filters(filters: JobFilters) -> dict[str, str]:
    """The filters that are facets of job documents (the city among them, employment/search.py), so the
    search index applies them with the keyword."""
    pairs = (
        ("province", filters.province),
        ("industry", filters.industry),
        ("education", filters.education),
        ("job_type", filters.job_type),
        ("city", filters.city),
    )
    return {key: value for key, value in pairs if value}


@dataclass(frozen=True)
class _Walk:
    """What the statistics say of walking a keyword's matches in one order."""

    matches: float  # documents estimated to match the keyword and every facet
    share: float  # share of the rows the walk meets that match them

    def finds(self, needed: int, *, uncounted: bool = False) -> bool:
        """The walk should find ``needed`` matches within about ``WALK_ROWS`` rows, among many more
        matches (at least ``FREQUENT_MATCHES`` if the count is not walked but said to be over 1,000)."""
        least = FREQUENT_MATCHES if uncounted else WALK_MARGIN * needed
        return self.matches >= least and self.share * WALK_ROWS >= needed


def _walk_estimate(query: str, facets: dict[str, str], sort: str) -> _Walk:
    """The walk in ``sort`` order. Newest goes down whichever index of ``FACET_INDEXES`` leaves the most
    matches among the rows it meets: the keyword's own share times that of the facets it does not hold (as
    independent as the statistics assume). Salary goes down its own index, and relevance's window down the
    documents in id order, testing every facet."""
    from smartedu.search.selectors import match_frequency

    _, matches = match_frequency(query=query, facets=facets)
    held = [set(keys) for keys in FACET_INDEXES if sort == "newest" and set(keys) <= set(facets)]
    share = max(
        match_frequency(query=query, facets={k: v for k, v in facets.items() if k not in keys})[0]
        for keys in [set(), *held]
    )
    return _Walk(matches=matches, share=share)


def _ranked_page(found: list[Candidate], filters: JobFilters, size: int, *, broad: bool) -> JobPage:
    """Rank the matches by tier, views (the document's), then the older id, as ``/search/`` does, and
    fetch one numbered page of them; only visible jobs are shown (``job_queryset``)."""
    ranked = sorted(found, key=lambda match: (-match.tier, -match.popularity, match.object_id))
    page = max(1, min(filters.page, RELEVANCE_MAX_PAGES))
    ids = [match.object_id for match in ranked[(page - 1) * size : page * size]]
    rows = job_queryset().in_bulk(ids)
    return JobPage(
        jobs=[rows[pk] for pk in ids if pk in rows],
        count=min(len(ranked), COUNT_CAP),
        count_capped=broad or len(ranked) > COUNT_CAP,
        page=page,
        has_next=len(ranked) > page * size and page < RELEVANCE_MAX_PAGES,
        filters=filters,
    )


def _passing(jobs: QuerySet[Job], found: list[Candidate]) -> list[Candidate]:
    """The candidates whose jobs pass every filter of ``jobs`` (one query by id)."""
    passing = set(_among(jobs.order_by(), [match.object_id for match in found]).values_list("pk", flat=True))
    return [match for match in found if match.object_id in passing]


def job_search(*, filters: JobFilters, size: int = JOB_PAGE) -> JobPage:
    """A page of visible jobs.

    Newest and salary orders page by keyset (a cursor of the last row's sort key and id), so page 10,000
    costs what page 1 costs on the partial indexes of open jobs. The count is bounded.

    A keyword goes to the search engine (``smartedu.search``) with the facet filters (province, city,
    industry, education, job type) as part of the match. Which way is decided from the statistics
    (``_walk_estimate``), never by reading the index to find out:

    * A keyword with many matches whose walk finds what it needs within ``WALK_ROWS`` rows is walked, not
      read from the index (its bitmap alone would cost more). Relevance takes the first
      ``KEYWORD_WINDOW`` + 1 matches in document order and ranks them (a search that broad shows "1000+"
      and its first pages are strong matches); newest and salary walk their own index, testing each job
      against the search index, for one page (and, under filters on the job row, for the bounded count).
    * Otherwise one bounded read of the index: at most ``KEYWORD_WINDOW`` + 1 candidates (newest and
      salary: ``SORTED_WINDOW`` + 1 when the statistics expect no more). Fewer than that (a selective
      term, or selective filters) are every match, so the other filters, the count and every order are
      exact on them. More: relevance ranks them (as many as its 50 numbered pages show); newest and salary
      walk as above.
    """
    sort = filters.sort if filters.sort in ("newest", "salary", "relevance") else "newest"
    key = "salary_max" if sort == "salary" else "posted_at"
    if filters.q.strip():
        from smartedu.search.selectors import match_candidates, matching_queryset

        facets = _facet_filters(filters)
        row_filters = bool(filters.specialty_class or filters.salary or filters.within_days)
        walk = _walk_estimate(filters.q, facets, sort)
        if sort == "relevance":
            found = match_candidates(
                kind="employment.job",
                query=filters.q,
                facets=facets,
                limit=KEYWORD_WINDOW + 1,
                walk=walk.finds(KEYWORD_WINDOW + 1),
            )
            broad = len(found) > KEYWORD_WINDOW
            # A broad keyword's count is "1000+" and its page shows visible jobs only, so its window is
            # tested against the job rows only when filters on them remain; a narrower one's always (the
            # index follows the jobs a moment late), so that its count is exact.
            if row_filters or not broad:
                found = _passing(_filtered(filters), found)
            return _ranked_page(found, filters, size, broad=broad)
        jobs = _filtered(filters)
        walked = walk.finds(COUNT_CAP + 1) if row_filters else walk.finds(size + 1, uncounted=True)
        window = SORTED_WINDOW if walk.matches <= SORTED_WINDOW else KEYWORD_WINDOW
        found = (
            []
            if walked
            else match_candidates(kind="employment.job", query=filters.q, facets=facets, limit=window + 1)
        )
        if not walked and len(found) <= window:
            return _exact_page(jobs, found, filters, key, size)
        jobs = matching_queryset(
            jobs, kind="employment.job", query=filters.q, facets=facets, ranked=False, probe=True
        )
        # More than the window matches the keyword and facets: the count says so, unless filters on the
        # job row remain (then counted, the walk stopping at the cap).
        count, capped = bounded_count(jobs) if row_filters else (COUNT_CAP, True)
    else:
        jobs = _filtered(filters)
        # Under a filter an index of open jobs leads with, the count walks that index as the page does:
        # the planner would rather read the table in its order, and meet a province's master's degrees
        # (one job in 124) as seldom as the whole table holds them. Not under a salary filter, whose share
        # of the walk no statistics give.
        leads = filters.province or filters.industry or filters.city or filters.specialty_class
        count, capped = bounded_count(
            jobs.order_by(f"-{key}", "-id"), ordered=bool(leads) and filters.salary is None
        )
    jobs = jobs.order_by(f"-{key}", "-id")
    after = _after(filters.cursor, key)
    if after is not None:
        jobs = jobs.filter(Q(**{f"{key}__lt": after[0]}) | Q(**{key: after[0], "id__lt": after[1]}))
    rows = list(jobs[: size + 1])
    return _keyset_page(rows, filters, key, size, count=(count, capped))


def _after(cursor: str, key: str) -> tuple[Any, int] | None:
    """The sort key and id of the row a keyset cursor continues after (None: from the start)."""
    parts = decode_cursor(cursor) if cursor else None
    if parts is None:
        return None
    value: Any = int(parts[0]) if key == "salary_max" else parse_datetime(parts[0])
    return None if value is None else (value, int(parts[1]))


def _keyset_page(
    rows: list[Job], filters: JobFilters, key: str, size: int, *, count: tuple[int, bool]
) -> JobPage:
    """One page of ``rows`` (the page and the row after it, in order) with the cursor of its last row."""
    page_rows = rows[:size]
    next_cursor = ""
    if len(rows) > size:
        last = page_rows[-1]
        value = last.salary_max if key == "salary_max" else last.posted_at.isoformat()
        next_cursor = _encode_cursor(value, last.pk)
    return JobPage(
        jobs=page_rows,
        count=count[0],
        count_capped=count[1],
        next_cursor=next_cursor,
        has_next=bool(next_cursor),
        filters=filters,
    )


def _exact_page(
    jobs: QuerySet[Job], found: list[Candidate], filters: JobFilters, key: str, size: int
) -> JobPage:
    """Newest or salary order over every match of a keyword (at most ``SORTED_WINDOW``): the sort keys of
    those that pass every filter in one query, counted, ordered and cut at the cursor here, as the keyset
    query would (key, then id, both descending); then the page's rows by id."""
    keyed = sorted(
        _among(jobs.order_by(), [match.object_id for match in found]).values_list(key, "pk"),
        reverse=True,
    )
    count = (min(len(keyed), COUNT_CAP), len(keyed) > COUNT_CAP)
    after = _after(filters.cursor, key)
    ids = [pk for value, pk in keyed if after is None or (value, pk) < after][: size + 1]
    rows = job_queryset().in_bulk(ids)
    return _keyset_page([rows[pk] for pk in ids if pk in rows], filters, key, size, count=count)


def job_detail(*, pk: int) -> Job | None:
    return job_queryset().filter(pk=pk).first()


def employer_public(*, pk: int) -> Employer | None:
    return Employer.objects.verified().select_related("industry", "province").filter(pk=pk).first()


def latest_jobs(*, limit: int = 10) -> list[Job]:
    """The newest visible jobs (the 24365 home's block): no filter and no count, so, unlike a search, one
    statement whose plan never depends on its values, prepared once a connection has run it a few times
    (``smartedu/portal/prepared.py``); it walks the index of open jobs by date. The same jobs as the first
    page of an unfiltered search in newest order."""
    return list(job_queryset().order_by("-posted_at", "-id")[:limit])


def employer_open_jobs(*, employer: Employer, limit: int = 50) -> list[Job]:
    return list(job_queryset().filter(employer=employer).order_by("-posted_at", "-id")[:limit])


def employer_jobs(*, employer: Employer) -> QuerySet[Job]:
    return (
        Job.objects.filter(employer=employer)
        .select_related("industry", "province")
        .annotate(application_count=Count("applications"))
        .order_by("-posted_at", "-id")
    )


def flagged_jobs(*, user: Any) -> QuerySet[Job]:
    from smartedu.accounts.access import scope_filter

    return scope_filter(
        user, Job.objects.filter(status=JobStatus.FLAGGED), province_field="employer__province"
    ).select_related("employer", "province")


# --- Recommendations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    job: Job
    reason: str


def recommended_jobs(*, user: Any, limit: int = 10) -> list[Recommendation]:
    """Open jobs that match the graduate's intention (provinces, cities, industries, type) and degree,
    each with the reason shown: "matches your intention: 深圳 · 软件开发 · 本科"."""
    if not getattr(user, "pk", None):
        return []
    intention = Intention.objects.filter(user_id=user.pk).prefetch_related("industries", "provinces").first()
    if intention is None:
        return []
    profile = GraduateProfile.objects.filter(user_id=user.pk).first()
    jobs = job_queryset()
    provinces = [p.pk for p in intention.provinces.all()]
    industries = [i.pk for i in intention.industries.all()]
    cities = intention.city_list()
    if cities:
        jobs = jobs.filter(city__in=cities)
    elif provinces:
        jobs = jobs.filter(province_id__in=provinces)
    if industries:
        jobs = jobs.filter(industry_id__in=industries)
    if intention.salary_min:
        jobs = jobs.filter(salary_max__gte=intention.salary_min)
    jobs = jobs.filter(job_type=intention.job_type)
    if profile is not None:
        eligible = [d for d, rank in DEGREE_RANK.items() if rank <= DEGREE_RANK[Degree(profile.degree)]]
        jobs = jobs.filter(education__in=eligible)
    positions = [p.strip() for p in intention.positions.replace("，", ",").split(",") if p.strip()]
    result = []
    for job in jobs.order_by("-posted_at", "-id")[:limit]:
        parts = [job.city]
        wanted = next((p for p in positions if p in job.title), "")
        parts.append(wanted or job.industry.name)
        if profile is not None:
            parts.append(profile.get_degree_display().split("(")[-1].rstrip(")"))
        result.append(Recommendation(job=job, reason=_("matches your intention: %s") % " · ".join(parts)))
    return result


# --- Graduates, résumés, applications -------------------------------------------------------------------


def resume_of(*, user: Any) -> Resume | None:
    return Resume.objects.filter(user_id=user.pk).prefetch_related("entries").first()


def intention_of(*, user: Any) -> Intention | None:
    return Intention.objects.filter(user_id=user.pk).prefetch_related("industries", "provinces").first()


def favourite_jobs(*, user: Any, limit: int = 50) -> list[Job]:
    """The graduate's favourite jobs that are still visible, most recently saved first (one query)."""
    ids = Favourite.objects.filter(user_id=user.pk).values("job_id")
    return list(job_queryset().filter(pk__in=ids).order_by("-posted_at", "-id")[:limit])


def is_favourite(*, user: Any, job: Job) -> bool:
    return Favourite.objects.filter(user_id=user.pk, job=job).exists()


def my_applications(*, user: Any) -> QuerySet[Application]:
    return (
        access.applications_for(user)
        .select_related("job__employer", "job__province", "employer")
        .annotate(
            unread=Count(
                "messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender_id=user.pk)
            )
        )
        .order_by("-created_at", "-pk")
    )


def inbox(*, user: Any, job_id: int | None = None, status: str = "") -> QuerySet[Application]:
    """The verified employer's applications, newest first, optionally of one job or one status."""
    applications = my_applications(user=user).select_related("graduate")
    if job_id:
        applications = applications.filter(job_id=job_id)
    if status:
        applications = applications.filter(status=status)
    return applications


def application_history(*, application: Application) -> list[ApplicationEvent]:
    return list(ApplicationEvent.objects.filter(application=application).order_by("created_at", "pk"))


def application_messages(*, application: Application) -> list[Message]:
    return list(
        Message.objects.filter(application=application).select_related("sender").order_by("created_at", "pk")
    )


def unread_count(*, user: Any) -> int:
    """Unread messages addressed to ``user`` (the portal's envelope badge)."""
    return (
        Message.objects.filter(application__in=access.applications_for(user), read_at__isnull=True)
        .exclude(sender_id=user.pk)
        .count()
    )


@dataclass(frozen=True)
class ResumeView:
    """A résumé as an employer may see it: phone and ID number masked unless the graduate applied."""

    resume: Resume
    profile: GraduateProfile | None
    phone: str
    id_number: str
    applied: bool


def resume_for_employer(*, user: Any, graduate_id: int) -> ResumeView:
    resume = access.access_resume_for_employer(user, graduate_id)
    employer = access.verified_employer(user)
    assert employer is not None
    applied = access.applied_to(graduate_id=graduate_id, employer=employer)
    profile = GraduateProfile.objects.filter(user_id=graduate_id).select_related("university").first()
    from employment.rules import id_number_mask, phone_mask

    id_number = profile.id_number if profile else ""
    return ResumeView(
        resume=resume,
        profile=profile,
        phone=resume.phone if applied else (phone_mask(resume.phone) if resume.phone else ""),
        id_number=id_number if applied else (id_number_mask(id_number) if id_number else ""),
        applied=applied,
    )


def talent_search(
    *, user: Any, q: str = "", university: int | None = None, degree: str = ""
) -> QuerySet[GraduateProfile]:
    """Verified graduates whose résumé is visible to employers (consent), for verified employers only."""
    if not access.is_verified_employer(user):
        return GraduateProfile.objects.none()
    profiles = GraduateProfile.objects.filter(user__resume__consent_at__isnull=False).select_related(
        "university", "user__resume"
    )
    if q.strip():
        term = q.strip()
        profiles = profiles.filter(
            Q(specialty__icontains=term)
            | Q(user__resume__skills__icontains=term)
            | Q(user__resume__headline__icontains=term)
        )
    if university:
        profiles = profiles.filter(university_id=university)
    if degree:
        profiles = profiles.filter(degree=degree)
    return profiles.order_by("-user__resume__updated_at", "-pk")


# --- Graduate supply (生源信息) --------------------------------------------------------------------------

SUPPLY_MIN_CELL = 5


@dataclass(frozen=True)
class SupplyCell:
    university_id: int
    university: str
    specialty: str
    degree: str
    count: int | None  # None: suppressed (fewer than SUPPLY_MIN_CELL)


def graduate_supply(*, year: int, university: int | None = None, degree: str = "") -> list[SupplyCell]:
    """Registry counts by university × specialty × degree for one graduation year.

    Cells under 5 are suppressed. No totals or margins are published (neither here nor in the API), and
    filters only select cells, never aggregate them, so no difference of two published figures can reveal
    a suppressed one.
    """
    records = RegistryRecord.objects.filter(graduation_year=year)
    if university:
        records = records.filter(university_id=university)
    if degree:
        records = records.filter(degree=degree)
    rows = (
        records.values("university_id", "university__name", "specialty", "degree")
        .annotate(n=Count("pk"))
        .order_by("university__name", "specialty", "degree")
    )
    return [
        SupplyCell(
            university_id=r["university_id"],
            university=r["university__name"],
            specialty=r["specialty"],
            degree=r["degree"],
            count=r["n"] if r["n"] >= SUPPLY_MIN_CELL else None,
        )
        for r in rows
    ]


# --- Officers and administrators ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerRow:
    profile: GraduateProfile
    applications: int
    offers: int


def officer_graduates(*, university_id: int) -> QuerySet[GraduateProfile]:
    """Verified graduates of one university with their application and offer counts."""
    return (
        GraduateProfile.objects.filter(university_id=university_id)
        .select_related("user")
        .annotate(
            application_count=Count("user__applications", distinct=True),
            offer_count=Count(
                "user__applications",
                filter=Q(user__applications__status__in=("offer", "hired")),
                distinct=True,
            ),
        )
        .order_by("graduation_year", "name", "pk")
    )


def officer_summary(*, university_id: int) -> dict[str, int]:
    records = RegistryRecord.objects.filter(university_id=university_id)
    return {
        "registry": records.count(),
        "verified": GraduateProfile.objects.filter(university_id=university_id).count(),
        "applications": Application.objects.filter(graduate__graduate__university_id=university_id).count(),
    }


def registry_imports(*, user: Any) -> QuerySet[RegistryImport]:
    if not access.registry_importable(user):
        return RegistryImport.objects.none()
    return (
        RegistryImport.objects.filter(started_by=user)
        if user.scope_province_id
        else RegistryImport.objects.all()
    )


def running_imports() -> QuerySet[RegistryImport]:
    return RegistryImport.objects.filter(status=ImportStatus.RUNNING)


# --- Statistics -----------------------------------------------------------------------------------------


def job_locations(ids: Sequence[int]) -> dict[int, Location]:
    """A job's section is its industry and its column its province (one query)."""
    rows = Job.objects.filter(pk__in=ids).values_list("pk", "industry_id", "province_id")
    return {
        pk: Location(
            section_ref=f"employment.industry:{industry}", column_ref=f"accounts.province:{province}"
        )
        for pk, industry, province in rows
    }


def employer_locations(ids: Sequence[int]) -> dict[int, Location]:
    rows = Employer.objects.filter(pk__in=ids).values_list("pk", "industry_id")
    return {pk: Location(section_ref=f"employment.industry:{industry}") for pk, industry in rows}


def jobs_by_province() -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for province_id, n in Job.objects.visible().values_list("province_id").annotate(n=Count("pk")):
        counts[province_id] = n
    return counts


def now_local() -> datetime:
    return timezone.localtime()
